/**
 * Copies and ReplaceItems without HTTP, on both stores: an approved profile is copied, the copy
 * edited, submitted and approved, then its items replace the original's; the original's number
 * is signed A before, while the copy is in review, and after. Refusals and audit events too.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { BUSINESS, addProfile, openWorld, refusal, type World } from '../../test/helpers/trusthub-store.js'
import { addNumberRow } from '../../test/helpers/attestation-world.js'
import { createBundle } from './bundles.js'
import { assignChannelEndpoint, assignEntity } from './assignments.js'
import { submitBundle } from './submission.js'
import { copyBundle, replaceItems } from './copies.js'
import { updateEntityObject } from './entities.js'
import { changeBundleStatus } from '../vetting/bundle-status.js'
import { AttestationIndex } from '../stir/as/attestation-index.js'
import { findBundleForOperator, type BundleRow } from '../store/bundles.repo.js'
import { entityAssignmentsOf } from '../store/assignments.repo.js'
import { findEntity } from '../store/entities.repo.js'
import { eventsOf } from '../store/events.repo.js'
import { POLICY } from '../domain/policies.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, type BundleStatus } from '../domain/bundle.js'

const DEST = '12125551212'

for (const dialect of DIALECTS) {
  describe(`trusthub copies and ReplaceItems [${dialect}]`, () => {
    let w: World
    let index: AttestationIndex
    before(async () => {
      w = await openWorld(dialect)
      index = new AttestationIndex({ store: w.store, clock: w.env.clock })
    })
    after(async () => {
      await w.close()
    })

    /** Moves a bundle through the state machine as vetting does. */
    const move = async (b: BundleRow, ...to: BundleStatus[]) => {
      let row = b
      for (const s of to)
        row = await w.db.transaction().execute((trx) => changeBundleStatus(trx, w.env, row, s, { actor: 'operator' }))
      return row
    }
    const approve = async (b: BundleRow) => move((await findBundleForOperator(w.db, b.sid))!, IN_REVIEW, APPROVED)
    const objectsOf = async (b: BundleRow) => (await entityAssignmentsOf(w.db, b)).map((a) => a.object_sid)

    /** A direct customer whose number gets A: approved primary profile and trust product, both holding the number. */
    async function family() {
      const { acct, profile: draft, info } = await addProfile(w)
      const num = await addNumberRow(w.db, acct.sid)
      await assignChannelEndpoint(w.db, w.env.clock, draft, 'phone-number', num.sid)
      const profile = await approve(await submitBundle(w.db, w.env, 'customer-profile', draft, PENDING_REVIEW, {}))
      let trust = await createBundle(w.db, w.env, {
        accountSid: acct.sid,
        kind: 'trust-product',
        policySid: POLICY.SHAKEN_STIR,
        friendlyName: 'Acme SHAKEN',
        email: 'ops@acme.example.com',
      })
      await assignEntity(w.db, w.env.clock, trust, profile.sid)
      await assignChannelEndpoint(w.db, w.env.clock, trust, 'phone-number', num.sid)
      trust = await approve(await submitBundle(w.db, w.env, 'trust-product', trust, PENDING_REVIEW, {}))
      const attest = async () => (await index.decide(acct.sid, num.phone.slice(1), DEST))?.attest
      return { acct, profile, trust, info, num, attest }
    }

    it('copy, edit, review, replace: the original keeps its SID, status, validity and number, and signs A throughout', async () => {
      const f = await family()
      assert.equal(await f.attest(), 'A', 'before')
      const copy = await copyBundle(w.db, w.env.clock, f.profile, 'Acme (new name)')
      assert.match(copy.sid, /^BU/)
      assert.notEqual(copy.sid, f.profile.sid)
      assert.equal(copy.status, 'draft')
      assert.equal(copy.copied_from, f.profile.sid)
      assert.equal(copy.friendly_name, 'Acme (new name)')
      const [before, copied] = [await objectsOf(f.profile), await objectsOf(copy)]
      assert.equal(copied.length, 3)
      assert.deepEqual(
        copied.map((s) => s.slice(0, 2)),
        before.map((s) => s.slice(0, 2)),
        'same kinds, same order',
      )
      assert.ok(
        copied.every((s) => !before.includes(s)),
        'new IT/RD SIDs',
      )
      const doc = async (b: BundleRow) =>
        (await findEntity(
          w.db,
          'supporting_documents',
          [f.acct.sid],
          (await objectsOf(b)).find((s) => s.startsWith('RD'))!,
        ))!
      assert.equal(
        JSON.parse((await doc(copy)).attributes).address_sids,
        JSON.parse((await doc(f.profile)).attributes).address_sids,
        'the same address, not a copy',
      )
      const copiedInfo = copied[before.indexOf(f.info)]!
      assert.deepEqual(
        JSON.parse((await findEntity(w.db, 'end_users', [f.acct.sid], copiedInfo))!.attributes),
        BUSINESS(),
      )
      // The copy's objects are its own to edit; the original's stay frozen.
      await updateEntityObject(
        w.db,
        w.env.clock,
        'end_users',
        (await findEntity(w.db, 'end_users', [f.acct.sid], copiedInfo))!,
        { attributes: JSON.stringify({ ...BUSINESS(), business_name: 'Acme Holdings Inc' }) },
      )
      assert.equal(
        (
          await refusal(
            updateEntityObject(
              w.db,
              w.env.clock,
              'end_users',
              (await findEntity(w.db, 'end_users', [f.acct.sid], f.info))!,
              { friendly_name: 'x' },
            ),
          )
        ).key,
        'OBJECT_LOCKED',
      )
      const submitted = await submitBundle(w.db, w.env, 'customer-profile', copy, PENDING_REVIEW, {})
      assert.equal(await f.attest(), 'A', 'during: the copy pending review')
      assert.equal((await refusal(replaceItems(w.db, w.env.clock, f.profile, copy.sid))).key, 'COPY_NOT_APPROVED')
      await move(submitted, IN_REVIEW)
      assert.equal(await f.attest(), 'A', 'during: the copy in review')
      await move((await findBundleForOperator(w.db, copy.sid))!, APPROVED)
      const replaced = await replaceItems(w.db, w.env.clock, f.profile, copy.sid)
      assert.equal(replaced.sid, f.profile.sid)
      assert.equal(replaced.status, APPROVED)
      assert.equal(replaced.valid_until, f.profile.valid_until)
      assert.deepEqual(await objectsOf(f.profile), copied)
      assert.equal(await f.attest(), 'A', 'after')
      // The old items are no longer attached to anything locked: the customer may clean them up.
      await updateEntityObject(
        w.db,
        w.env.clock,
        'end_users',
        (await findEntity(w.db, 'end_users', [f.acct.sid], f.info))!,
        { friendly_name: 'old' },
      )
      const copiedEvent = (await eventsOf(w.db, copy.sid)).find((e) => e.type === 'bundle.copied')!
      assert.equal(JSON.parse(copiedEvent.data).copied_from, f.profile.sid)
      assert.equal(JSON.parse(copiedEvent.data).objects[f.info], copiedInfo)
      const replacedEvent = (await eventsOf(w.db, f.profile.sid)).find((e) => e.type === 'bundle.items-replaced')!
      assert.equal(replacedEvent.actor, `account:${f.acct.sid}`)
      assert.deepEqual(JSON.parse(replacedEvent.data), { from_bundle_sid: copy.sid, removed: before, added: copied })
    })

    it("a trust product's copy links the same customer profile; only approved bundles are copied", async () => {
      const f = await family()
      const copy = await copyBundle(w.db, w.env.clock, f.trust)
      assert.equal(copy.kind, 'trust-product')
      assert.equal(copy.friendly_name, 'Acme SHAKEN')
      assert.deepEqual(await objectsOf(copy), [f.profile.sid])
      const e = await refusal(copyBundle(w.db, w.env.clock, copy))
      assert.equal(e.key, 'NOT_COPYABLE')
      assert.equal(e.code, 18607)
      assert.match(e.message, /is draft: only a twilio-approved bundle is copied; edit it and submit it directly/)
    })

    it('ReplaceItems takes only an approved copy of this very bundle in its account', async () => {
      const f = await family()
      const other = await family()
      const stranger = await copyBundle(w.db, w.env.clock, other.profile)
      await approve(await submitBundle(w.db, w.env, 'customer-profile', stranger, PENDING_REVIEW, {}))
      const foreign = await refusal(replaceItems(w.db, w.env.clock, f.profile, stranger.sid))
      assert.equal(foreign.key, 'NOT_A_COPY')
      assert.equal(foreign.details!.param, 'FromBundleSid')
      const sibling = await refusal(replaceItems(w.db, w.env.clock, f.profile, f.trust.sid))
      assert.equal(
        sibling.message,
        foreign.message.replace(stranger.sid, f.trust.sid),
        "another account's copy reads like any non-copy",
      )
      assert.equal((await refusal(replaceItems(w.db, w.env.clock, f.profile, 'BU' + '0'.repeat(32)))).key, 'NOT_A_COPY')
      assert.equal((await refusal(replaceItems(w.db, w.env.clock, f.profile, f.profile.sid))).key, 'NOT_A_COPY')
      const draft = await copyBundle(w.db, w.env.clock, f.profile)
      const notYet = await refusal(replaceItems(w.db, w.env.clock, f.profile, draft.sid))
      assert.equal(notYet.key, 'COPY_NOT_APPROVED')
      assert.match(notYet.message, new RegExp(`Copy ${draft.sid} is draft: submit it and wait for its approval`))
      assert.deepEqual(
        (await eventsOf(w.db, f.profile.sid)).filter((e) => e.type === 'bundle.items-replaced'),
        [],
      )
    })
  })
}
