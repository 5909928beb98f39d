/**
 * Reviewer decisions judged by the facts at the decision: a trust product is never approved over
 * a profile that is not approved, a failed check needs a stated reason (audited, hidden from the
 * customer), an unclaimed review is claimed by its first decision, and a resubmission shows what
 * changed since the decided submission.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { addNumber, assignNumber, makeCompliantProfile, makeTrustProduct, submit } from './helpers/onboarding.js'
import { act, newReviewer, review, type Reviewer } from './helpers/vetting.js'

const operator = { bearer: ADMIN_TOKEN }
/** A registration number no other test uses, so the duplicate check passes. */
const ein = () => `${randomInt(10, 100)}-${String(randomInt(0, 10_000_000)).padStart(7, '0')}`
/** A profile every automated check passes: a real US number and a registration number of its own. */
const cleanProfile = (url: string, a: Creds, over: Record<string, unknown> = {}) =>
  makeCompliantProfile(url, a, {
    business: { business_registration_number: ein(), ...over },
    representative: { phone_number: '+14155238886' },
  })
const failed = (checks: any[]) => checks.filter((c) => !c.passed).map((c) => c.name)

for (const dialect of DIALECTS) {
  describe(`review decisions [${dialect}]`, () => {
    let s: TestServer
    let rita: Reviewer
    let rob: Reviewer
    const adminEvents = async (sid: string) =>
      (await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${sid}`, { auth: operator })).body.results as any[]
    before(async () => {
      s = await startServer(dialect)
      rita = await newReviewer(s.url, 'Rita Reviewer')
      rob = await newReviewer(s.url, 'Rob Reviewer')
    })
    after(async () => {
      await s.stop()
    })

    it('a trust product whose profile was just rejected is refused, even with an override', async () => {
      const a = await newAccount(s.url, 'Linked Co')
      const profile = await cleanProfile(s.url, a)
      assert.equal((await submit(s.url, a, 'CustomerProfiles', profile)).status, 200)
      const pn = await addNumber(s.url, a)
      await assignNumber(s.url, a, 'CustomerProfiles', profile, pn)
      const tp = await makeTrustProduct(s.url, a, profile, [pn])
      assert.equal((await submit(s.url, a, 'TrustProducts', tp)).status, 200)

      const detail = (await review(s.url, rita, tp)).body
      assert.equal(detail.linked_bundles[0].sid, profile)
      assert.equal(detail.linked_bundles[0].friendly_name, 'Acme')
      assert.deepEqual(
        detail.phone_numbers.map((n: any) => n.sid),
        [pn],
      )

      const rejected = await act(s.url, rob, profile, 'Reject', { Errors: [18601], Reason: 'Not the registered name' })
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body))
      // The stored checks (from the submission) say the profile was pending; the decision reads it now.
      const now = (await review(s.url, rita, tp)).body
      const linked = (list: any[]) => list.find((c) => c.name === 'linked_profile_approved').evidence
      assert.match(linked(now.checks), /is pending-review/)
      assert.match(linked(now.current_checks), /is twilio-rejected/)
      for (const body of [{}, { OverrideReason: 'I checked it by phone' }]) {
        const r = await act(s.url, rita, tp, 'Approve', body)
        assert.equal(r.status, 400, JSON.stringify(r.body))
        assert.equal(r.body.code, 22218)
        assert.match(r.body.message, new RegExp(`customer profile ${profile} is twilio-rejected`))
        assert.deepEqual(r.body.details, { profile_sid: profile, profile_status: 'twilio-rejected' })
        assert.equal(typeof r.body.more_info, 'string')
      }
      // Refused decisions change nothing: not even the claim the decision would have taken.
      const after = (await review(s.url, rita, tp)).body
      assert.equal(after.status, 'pending-review')
      assert.equal(after.claimed_by, null)
      assert.equal((await http(s.url, 'GET', `/v1/TrustProducts/${tp}`, { auth: a })).body.status, 'pending-review')
      // Rejecting it is still possible (and claims it).
      const rejectedTp = await act(s.url, rita, tp, 'Reject', { Errors: [18601], Reason: 'The profile was rejected' })
      assert.equal(rejectedTp.status, 200)
    })

    it('an unclaimed review is claimed by its first decision; one claimed by another stays refused', async () => {
      const a = await newAccount(s.url, 'Claim Co')
      const bu = await cleanProfile(s.url, a)
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).status, 200)
      assert.deepEqual(failed((await review(s.url, rita, bu)).body.current_checks), [])
      const ok = await act(s.url, rita, bu, 'Approve')
      assert.equal(ok.status, 200, JSON.stringify(ok.body))
      assert.equal(ok.body.status, 'twilio-approved')
      assert.equal(ok.body.claimed_by, rita.sid)
      assert.equal(ok.body.decided_by, rita.sid)
      assert.equal(ok.body.decided_by_name, 'Rita Reviewer')
      assert.equal(ok.body.claimed_by_you, true)
      assert.equal((await review(s.url, rob, bu)).body.claimed_by_you, false)
      const types = (await adminEvents(bu)).map((e) => `${e.type}:${e.actor}`)
      assert.ok(types.includes(`review.claimed:${rita.sid}`), types.join())
      assert.ok(types.includes(`review.approved:${rita.sid}`), types.join())
      const approved = (await adminEvents(bu)).find((e) => e.type === 'review.approved')
      assert.equal(approved.data.override, undefined, 'no check failed: nothing overridden')

      // One primary profile per account: the next reviews are of other businesses.
      const b = await newAccount(s.url, 'Claim Co 2')
      const other = await cleanProfile(s.url, b)
      assert.equal((await submit(s.url, b, 'CustomerProfiles', other)).status, 200)
      assert.equal((await act(s.url, rita, other, 'Claim')).status, 200)
      const stolen = await act(s.url, rob, other, 'Reject', { Errors: [18601], Reason: 'x' })
      assert.equal(stolen.status, 409)
      assert.match(stolen.body.message, new RegExp(`claimed by ${rita.sid}`))
      const r = await act(s.url, rob, other, 'Approve')
      assert.equal(r.status, 409)
      // A rejection claims too.
      const c = await newAccount(s.url, 'Claim Co 3')
      const third = await cleanProfile(s.url, c)
      assert.equal((await submit(s.url, c, 'CustomerProfiles', third)).status, 200)
      const rej = await act(s.url, rob, third, 'Reject', { Errors: [18603], Reason: 'Use the registered address' })
      assert.equal(rej.status, 200, JSON.stringify(rej.body))
      assert.equal(rej.body.claimed_by, rob.sid)
      assert.equal((await act(s.url, rob, third, 'Approve')).status, 400, 'decided already')
    })

    it('a failed check refuses an approval without a reason; with one, the reason and the checks are audited', async () => {
      const a = await newAccount(s.url, 'Fiction Co')
      // The default representative has a 555-01XX fiction number: representative_phones fails.
      const bu = await makeCompliantProfile(s.url, a, { business: { business_registration_number: ein() } })
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).status, 200)
      const refused = await act(s.url, rita, bu, 'Approve')
      assert.equal(refused.status, 400)
      assert.equal(refused.body.code, 22218)
      assert.match(refused.body.message, /failed checks: representative_phones \(.*\)\. Approve with an OverrideReason/)
      assert.deepEqual(
        refused.body.details.failed_checks.map((c: any) => c.name),
        ['representative_phones'],
      )
      assert.equal((await review(s.url, rita, bu)).body.status, 'pending-review', 'not claimed either')
      assert.equal((await act(s.url, rita, bu, 'Approve', { OverrideReason: '' })).status, 400, 'an empty reason')
      assert.equal(
        (await act(s.url, rita, bu, 'Approve', { OverrideReason: 'x'.repeat(2001) })).status,
        400,
        'at most 2000 characters',
      )
      assert.equal((await act(s.url, rita, bu, 'Approve', { OverrideReason: '   ' })).status, 400, 'blank is no reason')
      const reason = 'Called the CEO on the number from the state registry; the form had a typo'
      const ok = await act(s.url, rita, bu, 'Approve', { OverrideReason: reason })
      assert.equal(ok.status, 200, JSON.stringify(ok.body))
      assert.equal(ok.body.status, 'twilio-approved')
      const ev = (await adminEvents(bu)).find((e) => e.type === 'review.approved')
      assert.equal(ev.actor, rita.sid)
      assert.deepEqual(ev.data.override, { reason, failed_checks: ['representative_phones'] })
      // The approval's checks are the ones it was judged by.
      assert.deepEqual(failed(ok.body.checks), ['representative_phones'])
      // The customer sees the approval, not the reviewer's note.
      const mine = (await http(s.url, 'GET', `/v1/Events?ResourceSid=${bu}`, { auth: a })).body.results
      const theirs = mine.find((e: any) => e.type === 'review.approved')
      assert.equal(theirs.actor, 'reviewer')
      assert.equal(theirs.data.override, undefined)
      assert.doesNotMatch(JSON.stringify(mine), /Called the CEO/)
    })

    it('the checks run again at the decision: a duplicate approved meanwhile refuses the approval', async () => {
      const number = ein()
      const a = await newAccount(s.url, 'First Co')
      const b = await newAccount(s.url, 'Copycat Co')
      const mine = await cleanProfile(s.url, a, { business_registration_number: number })
      const theirs = await cleanProfile(s.url, b, { business_registration_number: number })
      assert.equal((await submit(s.url, a, 'CustomerProfiles', mine)).status, 200)
      assert.equal((await submit(s.url, b, 'CustomerProfiles', theirs)).status, 200)
      const stored = (await review(s.url, rita, mine)).body
      assert.deepEqual(failed(stored.checks), [], 'nothing was approved at submission')
      assert.equal((await act(s.url, rob, theirs, 'Approve')).status, 200)
      const now = (await review(s.url, rita, mine)).body
      assert.deepEqual(failed(now.checks), [], 'the stored checks are unchanged')
      assert.deepEqual(failed(now.current_checks), ['duplicate_registration'])
      // A claim keeps the checks as of the claim, so the queue shows them too.
      const claimed = await act(s.url, rita, mine, 'Claim')
      assert.deepEqual(failed(claimed.body.checks), ['duplicate_registration'])
      const r = await act(s.url, rita, mine, 'Approve')
      assert.equal(r.status, 400)
      assert.match(
        r.body.message,
        new RegExp(`duplicate_registration \\(registration number ${number} is already approved on ${theirs}`),
      )
    })

    it('a resubmission shows what changed since the rejected submission', async () => {
      const a = await newAccount(s.url, 'Again Co')
      const bu = await cleanProfile(s.url, a)
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).status, 200)
      const first = (await review(s.url, rita, bu)).body
      assert.equal(first.resubmission_of, null)
      assert.equal(
        (await act(s.url, rita, bu, 'Reject', { Errors: [18601], Reason: 'Use the registered name' })).status,
        200,
      )
      for (const o of (await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}/EntityAssignments`, { auth: a })).body
        .results) {
        const eu = await http(s.url, 'GET', `/v1/EndUsers/${o.object_sid}`, { auth: a })
        if (eu.body.type !== 'customer_profile_business_information') continue
        const r = await http(s.url, 'POST', `/v1/EndUsers/${o.object_sid}`, {
          auth: a,
          form: { Attributes: JSON.stringify({ ...eu.body.attributes, business_name: 'Again Holdings' }) },
        })
        assert.equal(r.status, 200)
      }
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).status, 200)
      const second = (await review(s.url, rita, bu)).body
      assert.equal(second.submission, 2)
      assert.equal(second.resubmission_of.submission, 1)
      assert.equal(second.resubmission_of.status, 'twilio-rejected')
      assert.equal(second.resubmission_of.reason, 'Use the registered name')
      assert.deepEqual(second.changes_since_decision, [
        {
          object: 'end_user',
          type: 'customer_profile_business_information',
          field: 'business_name',
          before: 'Acme Inc',
          after: 'Again Holdings',
        },
      ])
    })
  })
}
