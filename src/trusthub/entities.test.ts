/**
 * Approved facts are immutable and references stay in the tenant, without HTTP, on both stores:
 * the objects a locked bundle attaches refuse edits and deletes, a document cannot name another
 * tenant's address, and the attachments loader never reads one that got into a document.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { BUSINESS, addProfile, openWorld, refusal, type World } from '../../test/helpers/trusthub-store.js'
import { createBundle } from './bundles.js'
import { assignEntity } from './assignments.js'
import { createEntityObject, deleteEntityObject, updateEntityObject } from './entities.js'
import { requireAddressUnlocked } from './locks.js'
import { setBundleStatus, type BundleRow } from '../store/bundles.repo.js'
import { findEntity, insertEntity, type SupportingDocumentRow } from '../store/entities.repo.js'
import { attachmentsOf } from '../store/attachments.repo.js'
import { newSid } from '../domain/ids.js'
import { POLICY } from '../domain/policies.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../domain/bundle.js'

const now = () => new Date().toISOString()

for (const dialect of DIALECTS) {
  describe(`trusthub approved facts and references [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    /** A primary profile of a new account with business info, a representative and an address document. */
    async function profile(parent: string | null = null) {
      const { acct, profile: p, info, rep, doc } = await addProfile(w, { parent })
      const document = (await findEntity(w.db, 'supporting_documents', [acct.sid], doc!))!
      const address = JSON.parse(document.attributes).address_sids as string
      return { acct, p, info, rep: rep!, document, address }
    }
    const endUser = async (acct: string, sid: string) => (await findEntity(w.db, 'end_users', [acct], sid))!

    it("an approved profile's end user, document and address refuse edits and deletes, naming the bundle and the copy route", async () => {
      const { acct, p, info, document, address } = await profile()
      await setBundleStatus(w.db, p.sid, { status: APPROVED })
      const edit = await refusal(
        updateEntityObject(w.db, w.env.clock, 'end_users', await endUser(acct.sid, info), {
          attributes: JSON.stringify({ ...BUSINESS(), business_name: 'Evil Corp' }),
        }),
      )
      assert.equal(edit.key, 'OBJECT_LOCKED')
      assert.equal(edit.status, 400)
      assert.equal(
        edit.message,
        `${info} is part of approved bundle ${p.sid}; make a copy with POST /v1/CustomerProfiles/${p.sid}/Copies, edit and submit it`,
      )
      assert.equal(
        JSON.parse((await endUser(acct.sid, info)).attributes).business_name,
        'Acme Inc',
        'the approved fact is unchanged',
      )
      assert.equal(
        (await refusal(deleteEntityObject(w.db, 'end_users', await endUser(acct.sid, info)))).key,
        'OBJECT_LOCKED',
      )
      assert.equal(
        (
          await refusal(
            updateEntityObject(w.db, w.env.clock, 'supporting_documents', document, { friendly_name: 'HQ 2' }),
          )
        ).key,
        'OBJECT_LOCKED',
      )
      const ad = await refusal(requireAddressUnlocked(w.db, { sid: address, account_sid: acct.sid }))
      assert.equal(ad.key, 'OBJECT_LOCKED')
      assert.match(ad.message, new RegExp(`^${address} is part of approved bundle ${p.sid}`))
    })

    it("under review the objects are frozen too; a rejected bundle's are editable again", async () => {
      const { acct, p, rep } = await profile()
      for (const status of [PENDING_REVIEW, IN_REVIEW]) {
        await setBundleStatus(w.db, p.sid, { status })
        const e = await refusal(
          updateEntityObject(w.db, w.env.clock, 'end_users', await endUser(acct.sid, rep), { friendly_name: 'x' }),
        )
        assert.equal(e.key, 'OBJECT_LOCKED')
        assert.match(
          e.message,
          new RegExp(`is part of bundle ${p.sid}, which is ${status}; it cannot change while under review`),
        )
      }
      await setBundleStatus(w.db, p.sid, { status: REJECTED })
      const edited = await updateEntityObject(w.db, w.env.clock, 'end_users', await endUser(acct.sid, rep), {
        friendly_name: 'Jane',
      })
      assert.equal(edited.friendly_name, 'Jane')
    })

    it('an object on a draft bundle and an approved one is frozen by the approved one', async () => {
      const { acct, p, info } = await profile()
      const draft = await createBundle(w.db, w.env, {
        accountSid: acct.sid,
        kind: 'customer-profile',
        policySid: POLICY.PRIMARY_PROFILE,
        friendlyName: 'b',
        email: 'ops@acme.example.com',
      })
      await assignEntity(w.db, w.env.clock, draft, info)
      await setBundleStatus(w.db, p.sid, { status: APPROVED })
      const e = await refusal(
        updateEntityObject(w.db, w.env.clock, 'end_users', await endUser(acct.sid, info), { friendly_name: 'x' }),
      )
      assert.equal(e.details!.bundle_sid, p.sid)
    })

    it("a document names addresses of its account or its parent, never another tenant's (answered as a missing one)", async () => {
      const parent = await profile()
      const { acct: sub } = await profile(parent.acct.sid)
      const stranger = await profile()
      const doc = (account: string, address: string): SupportingDocumentRow => ({
        sid: newSid('RD'),
        account_sid: account,
        friendly_name: 'HQ',
        type: 'customer_profile_address',
        mime_type: null,
        status: 'DRAFT',
        attributes: JSON.stringify({ address_sids: address }),
        date_created: now(),
        date_updated: now(),
      })
      const foreign = await refusal(createEntityObject(w.db, 'supporting_documents', doc(sub.sid, stranger.address)))
      assert.equal(foreign.key, 'INVALID_PARAM')
      assert.equal(foreign.details!.param, 'Attributes')
      assert.match(
        foreign.message,
        new RegExp(
          `address_sids names ${stranger.address}, which is not an Address of account ${sub.sid} or its parent account`,
        ),
      )
      const missing = await refusal(
        createEntityObject(w.db, 'supporting_documents', doc(sub.sid, 'AD' + 'f'.repeat(32))),
      )
      assert.equal(missing.message, foreign.message.replace(stranger.address, 'AD' + 'f'.repeat(32)))
      const ok = doc(sub.sid, parent.address)
      await createEntityObject(w.db, 'supporting_documents', ok)
      // The parent's documents may not name a sub-account's address: references point up, never down.
      const { address: subAddress } = await profile(parent.acct.sid)
      assert.equal(
        (await refusal(createEntityObject(w.db, 'supporting_documents', doc(parent.acct.sid, subAddress)))).key,
        'INVALID_PARAM',
      )
      // An edit is checked the same way.
      const draftDoc = (await findEntity(w.db, 'supporting_documents', [sub.sid], ok.sid))!
      const edit = await refusal(
        updateEntityObject(w.db, w.env.clock, 'supporting_documents', draftDoc, {
          attributes: JSON.stringify({ address_sids: [parent.address, stranger.address] }),
        }),
      )
      assert.match(edit.message, new RegExp(`names ${stranger.address},`))
    })

    it("the attachments (what evaluation, checks and reviewers read) never hold another tenant's address", async () => {
      const victim = await profile()
      const { acct, p } = await profile()
      // A document written before references were checked, naming the victim's address.
      const planted = newSid('RD')
      await insertEntity(w.db, 'supporting_documents', {
        sid: planted,
        account_sid: acct.sid,
        friendly_name: 'HQ',
        type: 'customer_profile_address',
        mime_type: null,
        status: 'DRAFT',
        attributes: JSON.stringify({ address_sids: victim.address }),
        date_created: now(),
        date_updated: now(),
      })
      await assignEntity(w.db, w.env.clock, p, planted)
      const a = await attachmentsOf(w.db, p as BundleRow)
      assert.equal(a.documents.length, 2)
      assert.ok(a.addresses.length === 1 && a.addresses[0]!.account_sid === acct.sid, "only the account's own address")
      assert.ok(!a.addresses.some((x) => x.sid === victim.address))
    })
  })
}
