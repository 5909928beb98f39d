/** Entity and channel-endpoint assignment rules without HTTP, on both stores. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from '../../test/helpers/dialects.js'
import { BUSINESS, addAccount, addEndUser, openWorld, type World } from '../../test/helpers/trusthub-store.js'
import { addNumberRow } from '../../test/helpers/attestation-world.js'
import { createBundle } from './bundles.js'
import { assignChannelEndpoint, assignEntity, removeChannelEndpoint, removeEntity } from './assignments.js'
import { setBundleStatus, type BundleRow } from '../store/bundles.repo.js'
import { linkedBundleSids } from '../store/assignments.repo.js'
import { POLICY } from '../domain/policies.js'
import { APPROVED, IN_REVIEW } from '../domain/bundle.js'
import { eventsOf } from '../store/events.repo.js'

for (const dialect of DIALECTS) {
  describe(`trusthub assignments [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await openWorld(dialect)
    })
    after(async () => {
      await w.close()
    })

    const bundle = (accountSid: string, policySid: string) =>
      createBundle(w.db, w.env, {
        accountSid,
        kind: policySid === POLICY.SHAKEN_STIR ? 'trust-product' : 'customer-profile',
        policySid,
        friendlyName: 'b',
        email: 'ops@acme.example.com',
      })

    it("entities: the policy's types from the bundle's account, once, only while editable", async () => {
      const acct = await addAccount(w.db)
      const other = await addAccount(w.db)
      const p = await bundle(acct.sid, POLICY.PRIMARY_PROFILE)
      const info = await addEndUser(w.db, acct.sid, 'customer_profile_business_information', BUSINESS())
      const row = await assignEntity(w.db, w.env.clock, p, info)
      assert.match(row.sid, /^BV/)
      assert.equal(row.object_sid, info)
      await assert.rejects(
        assignEntity(w.db, w.env.clock, p, info),
        new RegExp(`${info} is already assigned to ${p.sid}`),
      )
      await assert.rejects(assignEntity(w.db, w.env.clock, p, p.sid), /cannot be assigned to itself/)
      const foreign = await addEndUser(w.db, other.sid, 'customer_profile_business_information', BUSINESS())
      await assert.rejects(assignEntity(w.db, w.env.clock, p, foreign), /is not an EndUser .* of account/)
      const tp = await bundle(acct.sid, POLICY.SHAKEN_STIR)
      await assert.rejects(
        assignEntity(w.db, w.env.clock, tp, info),
        /is a end user type customer_profile_business_information; it takes no end users/,
      )
      const locked: BundleRow = { ...p, status: IN_REVIEW }
      await setBundleStatus(w.db, p.sid, { status: IN_REVIEW })
      await assert.rejects(removeEntity(w.db, locked, row), /is in-review: its EntityAssignments can change only/)
      const rep = await addEndUser(w.db, acct.sid, 'authorized_representative_1', {})
      await assert.rejects(assignEntity(w.db, w.env.clock, locked, rep), /is in-review/)
    })

    it("a trust product links one profile, which may be the parent account's", async () => {
      const parent = await addAccount(w.db)
      const sub = await addAccount(w.db, parent.sid)
      const primary = await bundle(parent.sid, POLICY.PRIMARY_PROFILE)
      const tp = await bundle(sub.sid, POLICY.SHAKEN_STIR)
      await assignEntity(w.db, w.env.clock, tp, primary.sid)
      assert.deepEqual(await linkedBundleSids(w.db, tp), [primary.sid])
      const second = await bundle(sub.sid, POLICY.PRIMARY_PROFILE)
      await assert.rejects(assignEntity(w.db, w.env.clock, tp, second.sid), new RegExp(`already links ${primary.sid}`))
    })

    it("numbers: the account's or its sub-accounts', on the profile before the trust product, one bundle per slot", async () => {
      const acct = await addAccount(w.db)
      const sub = await addAccount(w.db, acct.sid)
      const stranger = await addAccount(w.db)
      const p = await bundle(acct.sid, POLICY.PRIMARY_PROFILE)
      const tp = await bundle(acct.sid, POLICY.SHAKEN_STIR)
      const mine = await addNumberRow(w.db, sub.sid)
      const theirs = await addNumberRow(w.db, stranger.sid)
      await assert.rejects(assignChannelEndpoint(w.db, w.env.clock, p, 'sms', mine.sid), /must be phone-number/)
      await assert.rejects(
        assignChannelEndpoint(w.db, w.env.clock, p, 'phone-number', theirs.sid),
        /is not a phone number of account/,
      )
      await assert.rejects(
        assignChannelEndpoint(w.db, w.env.clock, tp, 'phone-number', mine.sid),
        /attach the Customer Profile/,
      )
      await assignEntity(w.db, w.env.clock, tp, p.sid)
      await assert.rejects(
        assignChannelEndpoint(w.db, w.env.clock, tp, 'phone-number', mine.sid),
        /must first be assigned to the linked Customer Profile/,
      )
      const onProfile = await assignChannelEndpoint(w.db, w.env.clock, p, 'phone-number', mine.sid)
      assert.equal(onProfile.slot, 'customer-profile')
      const onTp = await assignChannelEndpoint(w.db, w.env.clock, tp, 'phone-number', mine.sid)
      assert.equal(onTp.slot, POLICY.SHAKEN_STIR)
      const p2 = await bundle(acct.sid, POLICY.PRIMARY_PROFILE)
      await assert.rejects(
        assignChannelEndpoint(w.db, w.env.clock, p2, 'phone-number', mine.sid),
        new RegExp(`already assigned to ${p.sid}`),
      )
      await removeChannelEndpoint(w.db, w.env.clock, onProfile, 'account:parent')
      assert.equal((await assignChannelEndpoint(w.db, w.env.clock, p2, 'phone-number', mine.sid)).bundle_sid, p2.sid)
      // Each assignment and removal is an audit event on its bundle, naming the number and who acted.
      const events = (await eventsOf(w.db, p.sid)).map((e) => [
        e.type,
        e.actor,
        JSON.parse(e.data).channel_endpoint_sid,
      ])
      assert.deepEqual(events.sort(), [
        ['channel_endpoint.assigned', `account:${acct.sid}`, mine.sid],
        ['channel_endpoint.unassigned', 'account:parent', mine.sid],
      ])
      assert.deepEqual(
        (await eventsOf(w.db, tp.sid)).map((e) => e.type),
        ['channel_endpoint.assigned'],
      )
    })

    it('an approved bundle takes only numbers with a verified right-to-use origin', async () => {
      const acct = await addAccount(w.db)
      const p = await bundle(acct.sid, POLICY.PRIMARY_PROFILE)
      await setBundleStatus(w.db, p.sid, { status: APPROVED })
      const approved: BundleRow = { ...p, status: APPROVED }
      const old = await addNumberRow(w.db, acct.sid, undefined, 'unverified')
      await assert.rejects(
        assignChannelEndpoint(w.db, w.env.clock, approved, 'phone-number', old.sid),
        /has right-to-use origin unverified/,
      )
      for (const origin of ['inventory', 'operator', 'hosted'] as const) {
        const n = await addNumberRow(w.db, acct.sid, undefined, origin)
        assert.equal(
          (await assignChannelEndpoint(w.db, w.env.clock, approved, 'phone-number', n.sid)).bundle_sid,
          p.sid,
          origin,
        )
      }
      // A draft still takes it (the engine caps an unverified number at B whatever its bundles).
      const draft = await bundle(acct.sid, POLICY.PRIMARY_PROFILE)
      assert.equal(
        (await assignChannelEndpoint(w.db, w.env.clock, draft, 'phone-number', old.sid)).bundle_sid,
        draft.sid,
      )
    })
  })
}
