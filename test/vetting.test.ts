import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  makeCompliantProfile,
  makeTrustProduct,
  submit,
  setStatus,
  SECONDARY_POLICY,
  PRIMARY_POLICY,
} from './helpers/onboarding.js'
import { act, newReviewer, review, type Reviewer } from './helpers/vetting.js'
import { releaseExpiredClaims } from '../src/vetting/review-decisions.js'
import { noticeExpiries } from '../src/vetting/expiry.js'

/** Edits a rejected profile: gives its representative a real (non-fiction) US number. */
async function fixRepresentative(url: string, creds: Creds, profile: string) {
  const list = await http(url, 'GET', `/v1/CustomerProfiles/${profile}/EntityAssignments`, { auth: creds })
  for (const a of list.body.results) {
    if (!a.object_sid.startsWith('IT')) continue
    const eu = await http(url, 'GET', `/v1/EndUsers/${a.object_sid}`, { auth: creds })
    if (eu.body.type !== 'authorized_representative_1') continue
    const r = await http(url, 'POST', `/v1/EndUsers/${a.object_sid}`, {
      auth: creds,
      form: { Attributes: JSON.stringify({ ...eu.body.attributes, phone_number: '+14155238886' }) },
    })
    assert.equal(r.status, 200)
  }
}

/** The onboarding fixture's representative has a 555-01XX fiction number, and its EIN repeats across accounts. */
const FICTION = 'Fixture data: the failed checks are known and accepted'

const check = (r: any, name: string) => r.checks.find((c: any) => c.name === name)

for (const dialect of DIALECTS) {
  describe(`vetting back-office [${dialect}]`, () => {
    let s: TestServer
    let offset = 0
    let rita: Reviewer
    let rob: Reviewer
    before(async () => {
      s = await startServer(dialect, {
        clock: () => new Date(Date.now() + offset),
        env: { STIRHUB_REVIEW_CLAIM_MINUTES: '0.02' },
      })
      rita = await newReviewer(s.url, 'Rita Reviewer')
      rob = await newReviewer(s.url, 'Rob Reviewer')
    })
    after(async () => {
      await s.stop()
    })

    it('reviewers: operator-only creation, token shown once, staff and customer credentials never cross', async () => {
      const acct = await newAccount(s.url)
      assert.match(rita.sid, /^RV[0-9a-f]{32}$/)
      assert.equal(
        (
          await http(s.url, 'POST', '/admin/v1/Reviewers', {
            auth: { bearer: rita.token },
            json: { Name: 'x', Email: 'x@y.z' },
          })
        ).status,
        403,
      )
      assert.equal(
        (
          await http(s.url, 'POST', '/admin/v1/Reviewers', {
            auth: { bearer: ADMIN_TOKEN },
            json: { Name: 'x', Email: 'nope' },
          })
        ).status,
        400,
      )
      const list = await http(s.url, 'GET', '/admin/v1/Reviewers', { auth: { bearer: ADMIN_TOKEN } })
      assert.ok(list.body.results.every((r: any) => r.token === undefined))
      // A reviewer token on customer routes, and customer credentials on admin routes: 401.
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: { bearer: rita.token } })).status, 401)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Reviews', { auth: acct })).status, 401)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Reviews', { auth: { bearer: 'x'.repeat(40) } })).status, 401)
      assert.equal(
        (await http(s.url, 'POST', '/admin/v1/Accounts', { auth: { bearer: rita.token }, json: { FriendlyName: 'x' } }))
          .status,
        401,
      )
    })

    it('direct customer: submit → queue → claim → approve; a second claim and a non-holder are refused', async () => {
      const acct = await newAccount(s.url, 'Direct Co')
      const bu = await makeCompliantProfile(s.url, acct)
      assert.equal((await submit(s.url, acct, 'CustomerProfiles', bu)).body.status, 'pending-review')
      const queue = await http(s.url, 'GET', '/admin/v1/Reviews?Kind=customer-profile', {
        auth: { bearer: rita.token },
      })
      assert.equal(queue.status, 200)
      const item = queue.body.results.find((r: any) => r.bundle_sid === bu)
      assert.equal(item.status, 'pending-review')
      assert.equal(item.account_sid, acct.sid)
      assert.equal(item.parent_account_sid, null)
      assert.equal(item.overdue, false)
      assert.equal(Date.parse(item.due_at) - Date.parse(item.submitted_at), 24 * 3600_000)
      assert.equal(check(item, 'policy_requirements').passed, true)
      assert.equal(check(item, 'registration_number_format').passed, true)
      // The onboarding helper's representative has a 555-01XX fiction number: shown, not decided.
      assert.equal(check(item, 'representative_phones').passed, false)

      // A decision would claim it, but a failed check without an override reason refuses it, claim included.
      const unreasoned = await act(s.url, rita, bu, 'Approve')
      assert.equal(unreasoned.status, 400)
      assert.match(unreasoned.body.message, /representative_phones/)
      assert.equal((await review(s.url, rita, bu)).body.status, 'pending-review')
      assert.equal((await act(s.url, rita, 'BU' + 'f'.repeat(32), 'Claim')).status, 404, 'no such review')
      assert.equal((await act(s.url, rita, 'not-a-sid', 'Claim')).status, 404)
      const claimed = await act(s.url, rita, bu, 'Claim')
      assert.equal(claimed.status, 200)
      assert.equal(claimed.body.status, 'in-review')
      assert.equal(claimed.body.claimed_by, rita.sid)
      const second = await act(s.url, rob, bu, 'Claim')
      assert.equal(second.status, 409)
      assert.match(second.body.message, /already claimed by RV/)
      assert.equal((await act(s.url, rob, bu, 'Approve')).status, 409)
      const past = await act(s.url, rita, bu, 'Approve', { ValidUntil: '2020-01-01T00:00:00Z' })
      assert.equal(past.status, 400)
      assert.match(past.body.message, /ValidUntil.*past/)
      // Past two years (STIRHUB_MAX_APPROVAL_DAYS' default): refused, naming the field.
      const far = await act(s.url, rita, bu, 'Approve', {
        ValidUntil: new Date(Date.now() + offset + 731 * 86_400_000).toISOString(),
      })
      assert.equal(far.status, 400)
      assert.equal(far.body.code, 20001)
      assert.match(far.body.message, /^Invalid parameter ValidUntil: .* is more than 730 days from now/)
      assert.deepEqual(far.body.details, { param: 'ValidUntil', max_days: 730 })
      const farByOperator = await http(s.url, 'POST', `/admin/v1/Bundles/${bu}/Status`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { Status: 'twilio-approved', ValidUntil: '2999-01-01T00:00:00Z' },
      })
      assert.equal(farByOperator.status, 400)
      assert.match(farByOperator.body.message, /ValidUntil/)
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })).body.status, 'in-review')

      const ok = await act(s.url, rita, bu, 'Approve', { OverrideReason: FICTION })
      assert.equal(ok.status, 200)
      assert.equal(ok.body.status, 'twilio-approved')
      assert.equal(ok.body.decided_by, rita.sid)
      const fetched = await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })
      assert.equal(fetched.body.status, 'twilio-approved')
      const days = (Date.parse(fetched.body.valid_until) - Date.now()) / 86_400_000
      assert.ok(days > 364 && days < 367, `valid_until ~ one year, got ${days} days`)
      assert.equal(
        (await act(s.url, rita, bu, 'Reject', { Errors: [18601], Reason: 'x' })).status,
        400,
        'deciding an approved bundle',
      )

      const tp = await makeTrustProduct(s.url, acct, bu)
      assert.equal((await submit(s.url, acct, 'TrustProducts', tp)).status, 200)
      const tpReview = await review(s.url, rob, tp)
      assert.equal(tpReview.body.kind, 'trust-product')
      assert.equal(Date.parse(tpReview.body.due_at) - Date.parse(tpReview.body.submitted_at), 72 * 3600_000)
      assert.equal(check(tpReview.body, 'linked_profile_approved').passed, true)
    })

    it('reject(18601, 18606) → edit → resubmit → approve keeps every submission and decision', async () => {
      const acct = await newAccount(s.url, 'Reject Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await submit(s.url, acct, 'CustomerProfiles', bu)
      await act(s.url, rob, bu, 'Claim')
      const before = (await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })).body
      for (const bad of [
        { Errors: [18610], Reason: 'x' },
        { Errors: [], Reason: 'x' },
        { Errors: [18601] },
        { Errors: 'abc', Reason: 'x' },
      ]) {
        const r = await act(s.url, rob, bu, 'Reject', bad)
        assert.equal(r.status, 400, JSON.stringify(bad))
        assert.equal(r.body.code, 20001)
      }
      assert.deepEqual(
        (await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })).body,
        before,
        'bad input changed nothing',
      )
      const rej = await act(s.url, rob, bu, 'Reject', {
        Errors: [18606, 18601],
        Reason: 'Website and email domain do not match the business',
      })
      assert.equal(rej.status, 200)
      const rejected = (await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })).body
      assert.equal(rejected.status, 'twilio-rejected')
      assert.deepEqual(rejected.errors, [{ code: 18601 }, { code: 18606 }])

      await fixRepresentative(s.url, acct, bu)
      assert.equal((await submit(s.url, acct, 'CustomerProfiles', bu)).body.status, 'pending-review')
      const again = await review(s.url, rita, bu)
      assert.equal(again.body.submission, 2)
      assert.equal(check(again.body, 'representative_phones').passed, true)
      await act(s.url, rita, bu, 'Claim')
      assert.equal(
        (
          await act(s.url, rita, bu, 'Approve', {
            ValidUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
            OverrideReason: FICTION,
          })
        ).status,
        200,
      )
      const final = await review(s.url, ADMIN_TOKEN, bu)
      assert.deepEqual(
        final.body.history.map((h: any) => [h.submission, h.status, h.decided_by]),
        [
          [1, 'twilio-rejected', rob.sid],
          [2, 'twilio-approved', rita.sid],
        ],
      )
      assert.deepEqual(final.body.history[0].errors, [{ code: 18601 }, { code: 18606 }])
      assert.equal(check(final.body.history[0], 'representative_phones').passed, false)
      assert.deepEqual(
        final.body.events.map((e: any) => e.type),
        [
          'bundle.submitted',
          'review.claimed',
          'review.rejected',
          'bundle.submitted',
          'review.claimed',
          'review.approved',
        ],
      )
      assert.equal(final.body.end_users.length, 2)
      assert.equal(final.body.addresses[0].region, 'CA')
      assert.equal(final.body.evaluation.status, 'compliant')
    })

    it('ISV secondary profile in a sub-account: reject → resubmit → approve, with the ISV checks', async () => {
      const isv = await newAccount(s.url, 'ISV Co')
      const primary = await makeCompliantProfile(s.url, isv, {
        policySid: PRIMARY_POLICY,
        identity: 'isv_reseller_or_partner',
      })
      await submit(s.url, isv, 'CustomerProfiles', primary)
      await act(s.url, rita, primary, 'Claim')
      assert.equal((await act(s.url, rita, primary, 'Approve', { OverrideReason: FICTION })).status, 200)
      const sub = await newSubAccount(s.url, isv, 'End Customer')
      const sec = await makeCompliantProfile(s.url, sub, {
        policySid: SECONDARY_POLICY,
        primarySid: primary,
        business: { business_registration_number: '98-7654321' },
      })
      assert.equal((await submit(s.url, sub, 'CustomerProfiles', sec)).status, 200)
      const q = await http(s.url, 'GET', '/admin/v1/Reviews', { auth: { bearer: rob.token } })
      const item = q.body.results.find((r: any) => r.bundle_sid === sec)
      assert.equal(item.parent_account_sid, isv.sid)
      assert.equal(check(item, 'primary_profile_approved_isv').passed, true)
      assert.match(check(item, 'primary_profile_approved_isv').evidence, /isv_reseller_or_partner/)
      await act(s.url, rob, sec, 'Claim')
      assert.equal(
        (await act(s.url, rob, sec, 'Reject', { Errors: [18601, 18606], Reason: 'Fix the representative' })).status,
        200,
      )
      await fixRepresentative(s.url, sub, sec)
      assert.equal((await submit(s.url, sub, 'CustomerProfiles', sec)).status, 200)
      await act(s.url, rob, sec, 'Claim')
      assert.equal((await act(s.url, rob, sec, 'Approve', { OverrideReason: FICTION })).status, 200)
      assert.equal(
        (await http(s.url, 'GET', `/v1/CustomerProfiles/${sec}`, { auth: sub })).body.status,
        'twilio-approved',
      )
      // The customer reads its own bundle's audit trail, without reviewer identities; others see nothing.
      const ev = await http(s.url, 'GET', `/v1/Events?ResourceSid=${sec}`, { auth: sub })
      assert.equal(ev.status, 200)
      assert.deepEqual(ev.body.results.map((e: any) => e.type).reverse(), [
        'bundle.submitted',
        'review.claimed',
        'review.rejected',
        'bundle.submitted',
        'review.claimed',
        'review.approved',
      ])
      assert.ok(ev.body.results.every((e: any) => !String(e.actor).includes('RV')))
      assert.equal(
        (await http(s.url, 'GET', `/v1/Events?ResourceSid=${sec}`, { auth: isv })).body.results.length,
        6,
        'the parent sees its sub-account',
      )
      const stranger = await newAccount(s.url, 'Stranger')
      assert.equal(
        (await http(s.url, 'GET', `/v1/Events?ResourceSid=${sec}`, { auth: stranger })).body.results.length,
        0,
      )
      // The same registration number approved on an unrelated account is flagged.
      const copycat = await newAccount(s.url, 'Copycat')
      const dup = await makeCompliantProfile(s.url, copycat, {
        business: { business_registration_number: '98-7654321' },
      })
      await submit(s.url, copycat, 'CustomerProfiles', dup)
      const d = check((await review(s.url, rob, dup)).body, 'duplicate_registration')
      assert.equal(d.passed, false)
      assert.match(d.evidence, new RegExp(sec))
    })

    it('two decisions at once: exactly one wins', async () => {
      const acct = await newAccount(s.url, 'Race Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await submit(s.url, acct, 'CustomerProfiles', bu)
      const claims = await Promise.all([act(s.url, rita, bu, 'Claim'), act(s.url, rob, bu, 'Claim')])
      assert.deepEqual(claims.map((c) => c.status).sort(), [200, 409])
      const holder = claims[0]!.status === 200 ? rita : rob
      const decisions = await Promise.all([
        act(s.url, holder, bu, 'Approve', { OverrideReason: FICTION }),
        act(s.url, holder, bu, 'Reject', { Errors: [18602], Reason: 'ID not verified' }),
      ])
      const loser = decisions.find((d) => d.status !== 200)!
      assert.ok([400, 409].includes(loser.status), `loser got ${loser.status}`)
      assert.equal(decisions.filter((d) => d.status === 200).length, 1)
      const hist = (await review(s.url, ADMIN_TOKEN, bu)).body
      assert.equal(
        hist.events.filter((e: any) => e.type.startsWith('review.approved') || e.type.startsWith('review.rejected'))
          .length,
        1,
      )
    })

    it('claim timeout returns the review to the queue; SLA overdue, metrics and expiry notices', async () => {
      const acct = await newAccount(s.url, 'Slow Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await submit(s.url, acct, 'CustomerProfiles', bu)
      await act(s.url, rita, bu, 'Claim')
      await new Promise((r) => setTimeout(r, 1300)) // the claim lasts 0.02 min
      assert.ok((await releaseExpiredClaims(s.running.ctx)) >= 1)
      const back = await review(s.url, rob, bu)
      assert.equal(back.body.status, 'pending-review')
      assert.equal(back.body.claimed_by, null)
      assert.equal(back.body.events.at(-1).type, 'review.released')
      assert.equal((await act(s.url, rob, bu, 'Claim')).status, 200)

      offset = 25 * 3600_000
      const overdue = await http(s.url, 'GET', '/admin/v1/Reviews?Overdue=true', { auth: { bearer: rob.token } })
      assert.ok(overdue.body.results.some((r: any) => r.bundle_sid === bu && r.overdue === true))
      assert.ok(
        overdue.body.results.every(
          (r: any) => r.kind === 'customer-profile' || Date.parse(r.due_at) < Date.now() + offset,
        ),
      )
      assert.match(overdue.body.meta.url, /Overdue=true/)
      const m = await http(s.url, 'GET', '/admin/v1/Metrics', { auth: { bearer: ADMIN_TOKEN } })
      assert.ok(m.body.queue_depth >= 1)
      assert.ok(m.body.overdue >= 1)
      assert.ok(m.body.oldest_age_seconds >= 25 * 3600)
      assert.ok(m.body.decisions[rita.sid].approved >= 1)
      offset = 0

      await act(s.url, rob, bu, 'Approve', {
        ValidUntil: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        OverrideReason: FICTION,
      })
      assert.ok((await noticeExpiries(s.running.ctx)) >= 1)
      await noticeExpiries(s.running.ctx)
      const notices = await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${bu}&Type=bundle.expiring`, {
        auth: { bearer: ADMIN_TOKEN },
      })
      assert.equal(notices.body.results.length, 1, 'one notice per approval')
      assert.equal(notices.body.results[0].data.days_left, 10)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Events', { auth: { bearer: rob.token } })).status, 403)
    })

    it('the queue pages oldest first with keyset tokens, filters echoed', async () => {
      const all = await http(s.url, 'GET', '/admin/v1/Reviews?Status=twilio-approved&PageSize=100', {
        auth: { bearer: rob.token },
      })
      assert.ok(all.body.results.length >= 3)
      const seen: string[] = []
      let next: string | null = `/admin/v1/Reviews?Status=twilio-approved&PageSize=1`
      while (next) {
        const r: any = await http(s.url, 'GET', next.replace(s.url, ''), { auth: { bearer: rob.token } })
        assert.equal(r.status, 200)
        assert.match(r.body.meta.url, /Status=twilio-approved/)
        seen.push(...r.body.results.map((x: any) => x.bundle_sid + '#' + x.submission))
        next = r.body.meta.next_page_url
      }
      assert.deepEqual(
        seen,
        all.body.results.map((x: any) => x.bundle_sid + '#' + x.submission),
      )
      const times = all.body.results.map((x: any) => x.submitted_at)
      assert.deepEqual([...times].sort(), times, 'oldest first')
      assert.equal(
        (await http(s.url, 'GET', '/admin/v1/Reviews?Status=bogus', { auth: { bearer: rob.token } })).status,
        400,
      )
    })

    it('operator override through the bundles admin route is audited and closes the review', async () => {
      const acct = await newAccount(s.url, 'Override Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await submit(s.url, acct, 'CustomerProfiles', bu)
      assert.equal((await setStatus(s.url, bu, 'in-review')).status, 200)
      assert.equal((await review(s.url, rita, bu)).body.claimed_by, 'operator')
      assert.equal((await act(s.url, rita, bu, 'Claim')).status, 409)
      assert.equal((await setStatus(s.url, bu, 'pending-review')).status, 200)
      assert.equal((await review(s.url, rita, bu)).body.submission, 1, 'back to the queue, not a new submission')
      assert.equal((await act(s.url, rita, bu, 'Claim')).status, 200)
      assert.equal(
        (await setStatus(s.url, bu, 'twilio-rejected', { Errors: [18603], FailureReason: 'Address' })).status,
        200,
      )
      const r = (await review(s.url, ADMIN_TOKEN, bu)).body
      assert.equal(r.status, 'twilio-rejected')
      assert.equal(r.decided_by, 'operator')
      assert.equal(r.events.at(-1).actor, 'operator')
      assert.equal((await act(s.url, rita, bu, 'Claim')).status, 400)
    })
  })
}
