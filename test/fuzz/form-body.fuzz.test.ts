/**
 * Fuzz: form bodies (`application/x-www-form-urlencoded`, what the twilio SDK sends) on every
 * Trust Hub v1 and 2010 route that takes one, through `app.inject()` on a real server, on each
 * store. Realistic forms are mutated (fields dropped, repeated, added; values with control
 * characters, NULs, huge numbers, unicode; the encoded text with invalid percent-encoding and
 * truncation), sent with the right and the wrong content types. Every answer is a success or
 * a Twilio error of the catalogue; never a 5xx.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { DIALECTS } from '../helpers/dialects.js'
import { fuzzParams, mutatedForm } from '../helpers/fuzz.js'
import {
  basic,
  described,
  fuzzWorld,
  inject,
  POLICY_PRIMARY,
  POLICY_SHAKEN,
  twilioProblem,
  type FuzzWorld,
} from '../helpers/http-fuzz.js'

interface Target {
  readonly path: (w: FuzzWorld) => string
  readonly form: (w: FuzzWorld) => Record<string, string>
}

const ATTRS = JSON.stringify({
  business_name: 'Acme',
  business_identity: 'direct_customer',
  website_url: 'https://acme.example',
})
const acct = (w: FuzzWorld) => `/2010-04-01/Accounts/${w.P.sid}`

/** Every route that takes a form body, with the form a client really sends it. */
const TARGETS: readonly Target[] = [
  {
    path: () => '/v1/EndUsers',
    form: () => ({ FriendlyName: 'Acme', Type: 'customer_profile_business_information', Attributes: ATTRS }),
  },
  { path: (w) => `/v1/EndUsers/${w.endUser}`, form: () => ({ FriendlyName: 'Acme 2', Attributes: ATTRS }) },
  {
    path: () => '/v1/SupportingDocuments',
    form: (w) => ({
      FriendlyName: 'HQ',
      Type: 'customer_profile_address',
      Attributes: JSON.stringify({ address_sids: [w.address] }),
    }),
  },
  { path: (w) => `/v1/SupportingDocuments/${w.document}`, form: () => ({ FriendlyName: 'HQ 2' }) },
  {
    path: () => '/v1/CustomerProfiles',
    form: () => ({
      FriendlyName: 'Acme',
      Email: 'ops@acme.example',
      PolicySid: POLICY_PRIMARY,
      StatusCallback: 'https://127.0.0.1/cb',
    }),
  },
  {
    path: (w) => `/v1/CustomerProfiles/${w.profile}`,
    form: () => ({ FriendlyName: 'Acme', Email: 'ops@acme.example', Status: 'draft' }),
  },
  { path: (w) => `/v1/CustomerProfiles/${w.profile}/EntityAssignments`, form: (w) => ({ ObjectSid: w.document }) },
  {
    path: (w) => `/v1/CustomerProfiles/${w.profile}/ChannelEndpointAssignments`,
    form: (w) => ({ ChannelEndpointType: 'phone-number', ChannelEndpointSid: w.number }),
  },
  { path: (w) => `/v1/CustomerProfiles/${w.profile}/Evaluations`, form: () => ({ PolicySid: POLICY_PRIMARY }) },
  {
    path: () => '/v1/TrustProducts',
    form: () => ({ FriendlyName: 'Acme SHAKEN', Email: 'ops@acme.example', PolicySid: POLICY_SHAKEN }),
  },
  {
    path: (w) => `/v1/TrustProducts/${w.trustProduct}`,
    form: () => ({ FriendlyName: 'Acme SHAKEN 2', Status: 'pending-review' }),
  },
  { path: (w) => `/v1/TrustProducts/${w.trustProduct}/EntityAssignments`, form: (w) => ({ ObjectSid: w.profile }) },
  { path: () => '/2010-04-01/Accounts.json', form: () => ({ FriendlyName: 'Sub' }) },
  { path: (w) => `${acct(w)}.json`, form: () => ({ FriendlyName: 'Renamed', Status: 'active' }) },
  {
    path: (w) => `${acct(w)}/IncomingPhoneNumbers.json`,
    form: () => ({ PhoneNumber: '+14155550143', FriendlyName: 'Main line', StatusCallback: 'https://127.0.0.1/cb' }),
  },
  { path: (w) => `${acct(w)}/IncomingPhoneNumbers/${w.number}.json`, form: () => ({ FriendlyName: 'Main line 2' }) },
  {
    path: (w) => `${acct(w)}/Addresses.json`,
    form: () => ({
      CustomerName: 'Acme',
      Street: '1 Main St',
      City: 'Springfield',
      Region: 'IL',
      PostalCode: '62701',
      IsoCountry: 'US',
      FriendlyName: 'HQ',
    }),
  },
  { path: (w) => `${acct(w)}/Addresses/${w.address}.json`, form: () => ({ City: 'Chicago', PostalCode: '60601' }) },
  { path: (w) => `${acct(w)}/Keys.json`, form: () => ({ FriendlyName: 'ci' }) },
]

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/x-www-form-urlencoded;;',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json',
  '',
  'application/x-www-form-urlencoded\0',
]

for (const dialect of DIALECTS) {
  describe(`fuzz: form bodies on the Trust Hub routes [${dialect}]`, () => {
    let w: FuzzWorld
    before(async () => {
      w = await fuzzWorld(dialect)
    })
    after(async () => {
      await w?.server.stop()
    })

    // About 0.4 ms a request on SQLite: 10,000 keep the file within seconds; PostgreSQL costs
    // several times more per write, so a quarter there (STIRHUB_FUZZ_RUNS scales both).
    it('every mutated form is answered with a success or a Twilio error of the catalogue', async () => {
      const cases = fc
        .record({ t: fc.nat({ max: TARGETS.length - 1 }), ct: fc.constantFrom(...CONTENT_TYPES), seed: fc.nat() })
        .chain(({ t, ct }) => mutatedForm(TARGETS[t]!.form(w)).map((payload) => ({ t, ct, payload })))
      await fc.assert(
        fc.asyncProperty(cases, async ({ t, ct, payload }) => {
          const req = {
            method: 'POST' as const,
            url: TARGETS[t]!.path(w),
            headers: { authorization: basic(w.P), ...(ct ? { 'content-type': ct } : {}) },
            payload,
          }
          const a = await inject(w, req)
          assert.equal(twilioProblem(a), undefined, `${twilioProblem(a)} for ${described(req)}`)
        }),
        fuzzParams(dialect === 'sqlite' ? 10_000 : 2_500),
      )
    })
  })
}
