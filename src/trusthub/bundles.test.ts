/** Creating, editing and deleting bundles without HTTP, on both stores. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { addAccount, openWorld, type World } from '../../test/helpers/trusthub-store.js'
import { createBundle, deleteBundle, requireEditable, updateBundle } from './bundles.js'
import { assignEntity } from './assignments.js'
import { findBundleForOperator } from '../store/bundles.repo.js'
import { POLICY } from '../domain/policies.js'
import { APPROVED, DRAFT, IN_REVIEW, REJECTED } from '../domain/bundle.js'

for (const dialect of DIALECTS) {
  describe(`trusthub bundles [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    const profile = (accountSid: string, over: Record<string, unknown> = {}) =>
      createBundle(w.db, w.env, {
        accountSid,
        kind: 'customer-profile',
        policySid: POLICY.PRIMARY_PROFILE,
        friendlyName: 'Acme',
        email: 'ops@acme.example.com',
        ...over,
      })

    it("creates a draft of the policy's kind; the wrong kind, a bad email or an undeliverable callback are refused", async () => {
      const acct = await addAccount(w.db)
      const row = await profile(acct.sid, { statusCallback: 'https://hooks.example.com/status' })
      assert.equal(row.status, DRAFT)
      assert.equal(row.kind, 'customer-profile')
      assert.deepEqual(await findBundleForOperator(w.db, row.sid), row)
      await assert.rejects(
        profile(acct.sid, { policySid: POLICY.SHAKEN_STIR }),
        /is a Trust Product policy, not a Customer Profile policy: create it with POST \/v1\/TrustProducts/,
      )
      await assert.rejects(profile(acct.sid, { policySid: 'RN' + '0'.repeat(32) }), /is not a known policy/)
      await assert.rejects(profile(acct.sid, { email: 'nope' }), /"nope" is not an email address/)
      await assert.rejects(
        profile(acct.sid, { statusCallback: 'http://127.0.0.1/x' }),
        /StatusCallback: cannot be delivered/,
      )
    })

    it('a secondary profile needs an approved ISV primary on the account or its parent', async () => {
      const acct = await addAccount(w.db)
      await assert.rejects(
        profile(acct.sid, { policySid: POLICY.SECONDARY_PROFILE }),
        /can only be created by an ISV\/reseller/,
      )
    })

    it('updates the fields it is given; a blank callback clears it; a status other than pending-review is refused', async () => {
      const acct = await addAccount(w.db)
      const row = await profile(acct.sid, { statusCallback: 'https://hooks.example.com/status' })
      const edited = await updateBundle(w.db, w.env, row, { friendlyName: 'Acme 2', email: '', statusCallback: '' })
      assert.equal(edited.friendly_name, 'Acme 2')
      assert.equal(edited.email, 'ops@acme.example.com', 'a blank email leaves it')
      assert.equal(edited.status_callback, null)
      await assert.rejects(
        updateBundle(w.db, w.env, edited, { status: 'twilio-approved' }),
        /cannot be set by the customer/,
      )
      assert.equal((await findBundleForOperator(w.db, row.sid))!.status, DRAFT)
    })

    it('deletes a bundle unless another bundle links it', async () => {
      const acct = await addAccount(w.db)
      const p = await profile(acct.sid)
      const tp = await createBundle(w.db, w.env, {
        accountSid: acct.sid,
        kind: 'trust-product',
        policySid: POLICY.SHAKEN_STIR,
        friendlyName: 'TP',
        email: 'ops@acme.example.com',
      })
      await assignEntity(w.db, w.env.clock, tp, p.sid)
      await assert.rejects(deleteBundle(w.db, p), new RegExp(`${p.sid} is linked by ${tp.sid}`))
      await deleteBundle(w.db, tp)
      await deleteBundle(w.db, p)
      assert.equal(await findBundleForOperator(w.db, p.sid), undefined)
      assert.equal(await findBundleForOperator(w.db, tp.sid), undefined)
    })

    it('attachments are editable in draft and twilio-rejected only', () => {
      requireEditable({ sid: 'BU1', status: DRAFT, kind: 'customer-profile' })
      requireEditable({ sid: 'BU1', status: REJECTED, kind: 'customer-profile' })
      assert.throws(
        () => requireEditable({ sid: 'BU1', status: IN_REVIEW, kind: 'customer-profile' }),
        /BU1 is in-review: its EntityAssignments can change only while it is draft or twilio-rejected$/,
      )
      assert.throws(
        () => requireEditable({ sid: 'BU1', status: APPROVED, kind: 'trust-product' }),
        /make a copy with POST \/v1\/TrustProducts\/BU1\/Copies, edit and submit it/,
      )
    })
  })
}
