/**
 * Hosted-number orders through the review queue, on SQLite and PostgreSQL: filed with
 * automated checks (each shown failing with its evidence), claimed (the checks run again),
 * approved (the number becomes the account's with origin `hosted` and signs A once on an
 * approved profile and trust product; before that at most B) or rejected with a reason; an
 * approval refused for a number the platform owns or an account holds meanwhile.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import {
  addNumber,
  assignNumber,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  randomUsNumber,
  stockInventory,
  submitAndApprove,
} from './helpers/onboarding.js'
import { act, newReviewer, review, type Reviewer } from './helpers/vetting.js'
import { fileOrder, ORDERS } from './helpers/hosted-numbers.js'
import { releaseExpiredClaims } from '../src/vetting/review-decisions.js'

const operator = { bearer: ADMIN_TOKEN }

for (const dialect of DIALECTS) {
  describe(`hosted-number orders through review [${dialect}]`, () => {
    let s: TestServer
    let rita: Reviewer
    /** How far the server's clock runs ahead (claims expire as it moves). */
    let offset = 0
    before(async () => {
      s = await startServer(dialect, { clock: () => new Date(Date.now() + offset) })
      rita = await newReviewer(s.url)
    })
    after(async () => {
      await s.stop()
    })

    /** An account with an approved primary profile (Jane Doe, 1 Main St, San Francisco) and an address to put on LOAs. */
    async function vetted(
      name: string,
      street = '1 Main Street',
      postal = '94105-1234',
    ): Promise<{ c: Creds; profile: string; ad: string }> {
      const c = await newAccount(s.url, name)
      const profile = await makeApprovedPrimaryProfile(s.url, c)
      const ad = (
        await http(s.url, 'POST', `/2010-04-01/Accounts/${c.sid}/Addresses.json`, {
          auth: c,
          form: {
            CustomerName: 'Acme Inc',
            Street: street,
            City: 'san francisco',
            Region: 'CA',
            PostalCode: postal,
            IsoCountry: 'US',
          },
        })
      ).body.sid
      return { c, profile, ad }
    }

    const level = async (c: Creds, from: string) =>
      (await http(s.url, 'GET', `/stir/v1/attestation?from=${encodeURIComponent(from)}&to=%2B12025550143`, { auth: c }))
        .body.level
    const checksOf = (r: { body: any }) => Object.fromEntries((r.body.checks as any[]).map((c) => [c.name, c]))

    it('end to end: filed, all checks pass, claimed and approved; the number is hosted and signs A once on approved bundles (B before)', async () => {
      const { c, profile, ad } = await vetted('Hosting Ltd')
      // B is reachable: an approved trust product over the profile, with a number bought from the inventory.
      const bought = await addNumber(s.url, c)
      await assignNumber(s.url, c, 'CustomerProfiles', profile, bought)
      const tp = await makeTrustProduct(s.url, c, profile, [bought])
      await submitAndApprove(s.url, c, 'TrustProducts', tp)
      const phone = randomUsNumber()
      const filed = await fileOrder(s.url, c, phone, ad)
      assert.equal(filed.status, 201, JSON.stringify(filed.body))
      const sid = filed.body.sid
      assert.equal(await level(c, phone), 'B', "not the account's yet: at most B")

      const queued = await http(s.url, 'GET', '/admin/v1/Reviews?Kind=hosted-number-order&PageSize=1000', {
        auth: { bearer: rita.token },
      })
      const row = queued.body.results.find((r: any) => r.bundle_sid === sid)
      assert.equal(row.kind, 'hosted-number-order')
      assert.equal(row.phone_number, phone)
      assert.equal(row.status, 'pending-review')
      const detail = await review(s.url, rita, sid)
      assert.equal(detail.status, 200, JSON.stringify(detail.body))
      assert.deepEqual(
        Object.values(checksOf(detail)).filter((x: any) => !x.passed),
        [],
      )
      assert.equal(detail.body.order.contact_name, 'Jane Doe')
      assert.equal(detail.body.profile.sid, profile)
      assert.match(checksOf(detail).loa_address_matches_profile.evidence, new RegExp(`is profile ${profile}'s`))

      assert.equal((await act(s.url, rita, sid, 'Claim')).status, 200)
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body.status, 'pending-verification')
      assert.equal((await act(s.url, operator.bearer, sid, 'Approve')).status, 409, 'claimed by rita')
      const approved = await act(s.url, rita, sid, 'Approve')
      assert.equal(approved.status, 200, JSON.stringify(approved.body))
      assert.equal(approved.body.status, 'twilio-approved')

      const order = (await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body
      assert.equal(order.status, 'completed')
      assert.match(order.incoming_phone_number_sid, /^PN/)
      const pn = (
        await http(
          s.url,
          'GET',
          `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers/${order.incoming_phone_number_sid}.json`,
          { auth: c },
        )
      ).body
      assert.equal(pn.phone_number, phone)
      assert.equal(pn.origin, 'hosted')
      assert.equal(pn.right_to_use_origin, 'hosted')
      assert.equal(await level(c, phone), 'B', 'held, but on no approved bundle yet')
      await assignNumber(s.url, c, 'CustomerProfiles', profile, pn.sid)
      assert.equal(await level(c, phone), 'B', 'on the profile only')
      await assignNumber(s.url, c, 'TrustProducts', tp, pn.sid)
      assert.equal(await level(c, phone), 'A')

      const events = (
        await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${sid}`, { auth: operator })
      ).body.results.map((e: any) => e.type)
      assert.deepEqual(events.sort(), ['hosted-number-order.approved', 'hosted-number-order.created', 'review.claimed'])
      const numberEvents = (await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${pn.sid}`, { auth: operator })).body
        .results
      assert.equal(numberEvents[0].type, 'number.hosted')
      assert.equal(numberEvents[0].data.origin, 'hosted')
      // Approved: no longer withdrawable (the number is released instead).
      assert.equal((await http(s.url, 'DELETE', `${ORDERS}/${sid}`, { auth: c })).status, 400)
      // Another account cannot see the order, nor file for the number now held.
      const other = await vetted('Other Ltd')
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: other.c })).status, 404)
      assert.equal((await fileOrder(s.url, other.c, phone, other.ad)).body.code, 21422)
    })

    it('each automated check fails with its evidence', async () => {
      const { c, ad } = await vetted('Checks Ltd')
      const foreign = await fileOrder(s.url, c, '+442071838750', ad)
      assert.equal(foreign.status, 201)
      const other = (
        await http(s.url, 'POST', `/2010-04-01/Accounts/${c.sid}/Addresses.json`, {
          auth: c,
          form: {
            CustomerName: 'Acme Inc',
            Street: '9 Elm Road',
            City: 'Oakland',
            Region: 'CA',
            PostalCode: '94607',
            IsoCountry: 'US',
          },
        })
      ).body.sid
      const cases: Array<[Record<string, string>, string, RegExp]> = [
        [{}, 'us_number', /not of the US/],
        [
          { Email: 'mallory@evil.example.com' },
          'loa_signer_is_representative',
          /signer email mallory@evil\.example\.com is not the representative's: Jane Doe <jane@acme\.example\.com>/,
        ],
        [
          { ContactName: 'John Smith' },
          'loa_signer_is_representative',
          /signer John Smith .* is not the representative/,
        ],
        [
          { AddressSid: other },
          'loa_address_matches_profile',
          /9 Elm Road, Oakland, CA 94607 US differs from profile BU[0-9a-f]{32}'s .*1 Main St/,
        ],
        [
          { CurrentCarrier: '', CarrierAccountNumber: '' },
          'current_carrier_present',
          /missing CurrentCarrier and CarrierAccountNumber/,
        ],
      ]
      for (const [over, name, evidence] of cases) {
        const r =
          name === 'us_number' ? foreign : await fileOrder(s.url, c, randomUsNumber(), over.AddressSid ?? ad, over)
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const checks = checksOf(await review(s.url, rita, r.body.sid))
        assert.equal(checks[name].passed, false, `${name}: ${JSON.stringify(checks[name])}`)
        assert.match(checks[name].evidence, evidence)
        assert.deepEqual(
          Object.values(checks)
            .filter((x: any) => !x.passed)
            .map((x: any) => x.name),
          [name],
          'only the check in question fails',
        )
      }
      // Without an approved primary profile, the LOA has nothing to be compared with.
      const bare = await newAccount(s.url, 'Unvetted')
      const bareAd = (
        await http(s.url, 'POST', `/2010-04-01/Accounts/${bare.sid}/Addresses.json`, {
          auth: bare,
          form: {
            CustomerName: 'X',
            Street: '1 Main St',
            City: 'San Francisco',
            Region: 'CA',
            PostalCode: '94105',
            IsoCountry: 'US',
          },
        })
      ).body.sid
      const r = await fileOrder(s.url, bare, randomUsNumber(), bareAd)
      const checks = checksOf(await review(s.url, rita, r.body.sid))
      assert.match(checks.loa_signer_is_representative.evidence, /no approved primary business profile/)
      assert.equal(checks.loa_address_matches_profile.passed, false)
    })

    it('a number that enters the inventory or is placed on an account meanwhile fails its check at claim, and approval is refused', async () => {
      const { c, ad } = await vetted('Race Ltd')
      const toStock = randomUsNumber()
      const toPlace = randomUsNumber()
      const a = (await fileOrder(s.url, c, toStock, ad)).body.sid
      const b = (await fileOrder(s.url, c, toPlace, ad)).body.sid
      assert.equal(checksOf(await review(s.url, rita, a)).number_not_ours_nor_held.passed, true)
      await stockInventory(s.url, [toStock])
      const holder = await newAccount(s.url, 'Placed On')
      assert.equal(
        (
          await http(s.url, 'POST', `/admin/v1/Accounts/${holder.sid}/IncomingPhoneNumbers`, {
            auth: operator,
            json: { PhoneNumbers: [toPlace] },
          })
        ).status,
        200,
      )
      const claimedA = await act(s.url, rita, a, 'Claim')
      assert.equal(checksOf(claimedA).number_not_ours_nor_held.passed, false)
      assert.match(checksOf(claimedA).number_not_ours_nor_held.evidence, /in the operator's inventory \(available\)/)
      const claimedB = await act(s.url, rita, b, 'Claim')
      assert.match(checksOf(claimedB).number_not_ours_nor_held.evidence, new RegExp(`held by account ${holder.sid}`))
      for (const sid of [a, b]) {
        const refused = await act(s.url, rita, sid, 'Approve')
        assert.equal(refused.status, 400, 'a failed check needs an override reason')
        assert.deepEqual(
          refused.body.details.failed_checks.map((x: any) => x.name),
          ['number_not_ours_nor_held'],
        )
        // Even overridden, the number's invariants hold: a bought or held number is never hosted.
        const r = await act(s.url, rita, sid, 'Approve', { OverrideReason: 'Trying anyway' })
        assert.equal(r.status, 409, JSON.stringify(r.body))
        assert.equal(
          (await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body.status,
          'pending-verification',
          'nothing changed',
        )
      }
      const held = (await http(s.url, 'GET', `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers.json`, { auth: c }))
        .body.incoming_phone_numbers
      assert.deepEqual(held, [])
    })

    it('rejected with a reason: the order fails with failure_reason; a reason is required; withdrawing an order under review closes its review', async () => {
      const { c, ad } = await vetted('Rejected Ltd')
      const phone = randomUsNumber()
      const sid = (await fileOrder(s.url, c, phone, ad)).body.sid
      assert.equal((await act(s.url, rita, sid, 'Claim')).status, 200)
      assert.equal((await act(s.url, rita, sid, 'Reject', {})).status, 400, 'a reason is required')
      assert.equal(
        (await act(s.url, rita, sid, 'Reject', { Errors: [17], Reason: 'x' })).status,
        400,
        'codes, when given, are rejection codes',
      )
      const r = await act(s.url, rita, sid, 'Reject', { Reason: 'The LOA is signed by someone who is not on the bill' })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.status, 'twilio-rejected')
      const order = (await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body
      assert.equal(order.status, 'failed')
      assert.equal(order.failure_reason, 'The LOA is signed by someone who is not on the bill')
      assert.equal(order.incoming_phone_number_sid, null)
      assert.deepEqual(
        (await http(s.url, 'GET', `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers.json`, { auth: c })).body
          .incoming_phone_numbers,
        [],
      )
      const ev = (
        await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${sid}`, { auth: operator })
      ).body.results.find((e: any) => e.type === 'hosted-number-order.rejected')
      assert.equal(ev.data.failure_reason, 'The LOA is signed by someone who is not on the bill')
      // A failed order may be filed again, and withdrawn while under review.
      const again = (await fileOrder(s.url, c, phone, ad)).body.sid
      assert.equal((await act(s.url, rita, again, 'Claim')).status, 200)
      assert.equal((await http(s.url, 'DELETE', `${ORDERS}/${again}`, { auth: c })).status, 204)
      const withdrawn = await http(
        s.url,
        'GET',
        '/admin/v1/Reviews?Status=withdrawn&Kind=hosted-number-order&PageSize=1000',
        { auth: operator },
      )
      assert.ok(withdrawn.body.results.some((x: any) => x.bundle_sid === again))
      assert.equal((await act(s.url, rita, again, 'Approve')).status, 404)
    })

    it('a claim that runs out returns the order to received and the queue', async () => {
      const { c, ad } = await vetted('Slow Ltd')
      const sid = (await fileOrder(s.url, c, randomUsNumber(), ad)).body.sid
      assert.equal((await act(s.url, rita, sid, 'Claim')).status, 200)
      offset += 2 * 3600_000
      assert.ok((await releaseExpiredClaims(s.running.ctx)) >= 1)
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body.status, 'received')
      const back = await review(s.url, rita, sid)
      assert.equal(back.body.status, 'pending-review')
      assert.equal(back.body.events.at(-1).type, 'review.released')
      assert.equal((await act(s.url, ADMIN_TOKEN, sid, 'Claim')).status, 200)
    })
  })
}
