/**
 * The served OpenAPI document (/openapi.json) against the server itself: real requests across
 * Trust Hub v1, the 2010 accounts, numbers and addresses, the admin API, /stir, the console
 * session and the ops routes, each answer checked against the document (status and body),
 * so the document and the presenters cannot drift apart. Also the document's own structure
 * as OpenAPI 3.1, and that every operation is described by src/api/openapi.ts's table.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  PRIMARY_POLICY,
  SHAKEN_POLICY,
  addAddress,
  addNumber,
  assign,
  assignNumber,
  createBundle,
  makeCompliantProfile,
  setStatus,
  submit,
} from './helpers/onboarding.js'
import { brandingProduct, readyToBrand } from './helpers/branding.js'
import { saveApprovedBrand } from '../src/store/brands.repo.js'
import { OpenApiCheck, openApi31Problems, recordExchanges, type Exchange } from './helpers/openapi-check.js'
import { OPERATIONS } from '../src/api/openapi.js'
import { addUser, as, codeFor, userSignIn } from './helpers/users.js'
import { startSmtp, tokenIn, type SmtpSink } from './helpers/smtp.js'
import { startProvider, type TestProvider } from './helpers/oidc.js'

const operator = { bearer: ADMIN_TOKEN }
const must = (r: { status: number; body: any }, want: number, what: string) => {
  assert.equal(r.status, want, `${what}: ${JSON.stringify(r.body)}`)
  return r.body
}

for (const dialect of DIALECTS) {
  describe(`the OpenAPI document against real answers [${dialect}]`, () => {
    let s: TestServer
    let check: OpenApiCheck
    let recorder: ReturnType<typeof recordExchanges>
    let smtp: SmtpSink
    let idp: TestProvider
    before(async () => {
      smtp = await startSmtp()
      idp = await startProvider('http://127.0.0.1/console/api/sso/callback')
      s = await startServer(dialect, { env: { STIRHUB_SMTP_URL: smtp.url, STIRHUB_SSO_ALLOW: idp.hostPort } })
      check = new OpenApiCheck(must(await http(s.url, 'GET', '/openapi.json'), 200, 'openapi.json'))
      recorder = recordExchanges(s.url)
    })
    after(async () => {
      recorder?.stop()
      await s.stop()
      await smtp.stop()
      await idp.stop()
    })

    /** Checks what the test has sent since the last call; returns those exchanges. */
    let checked = 0
    const checkSeen = (): Exchange[] => {
      const fresh = recorder.seen.slice(checked)
      checked = recorder.seen.length
      const problems = fresh.flatMap((x) => check.problems(x))
      assert.deepEqual(problems, [], problems.join('\n'))
      return fresh
    }

    it('is OpenAPI 3.1 as far as its structure goes, and the table describes exactly its operations', () => {
      assert.deepEqual(openApi31Problems(check.doc), [])
      const ops = check.operations()
      assert.deepEqual(
        ops.filter((o) => !OPERATIONS[o]),
        [],
        'operations without an entry in src/api/openapi.ts',
      )
      assert.deepEqual(
        Object.keys(OPERATIONS).filter((o) => !ops.includes(o)),
        [],
        'entries in src/api/openapi.ts for no operation',
      )
      // Twilio's SDK sends forms: form first, JSON as the alternative.
      assert.deepEqual(Object.keys(check.doc.paths['/v1/CustomerProfiles']!.post.requestBody.content), [
        'application/x-www-form-urlencoded',
        'application/json',
      ])
      assert.deepEqual(Object.keys(check.doc.paths['/v1/EndUsers/{Sid}']!.delete.responses).slice(0, 1), ['204'])
    })

    it('2010 accounts, keys, numbers and addresses: create, fetch, list, update, delete, and their errors', async () => {
      const a = await newAccount(s.url, 'Doc Co')
      const sub = await newSubAccount(s.url, a)
      const acct = `/2010-04-01/Accounts/${a.sid}`
      must(await http(s.url, 'GET', '/2010-04-01/Accounts.json?PageSize=1', { auth: a }), 200, 'list accounts')
      must(await http(s.url, 'GET', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: a }), 200, 'fetch sub-account')
      must(
        await http(s.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
          auth: a,
          form: { FriendlyName: 'Renamed' },
        }),
        200,
        'update sub-account',
      )
      const key = must(
        await http(s.url, 'POST', `${acct}/Keys.json`, { auth: a, form: { FriendlyName: 'ci' } }),
        201,
        'create key',
      )
      must(await http(s.url, 'GET', `${acct}/Keys.json`, { auth: a }), 200, 'list keys')
      must(await http(s.url, 'GET', `${acct}/Keys/${key.sid}.json`, { auth: a }), 200, 'fetch key')
      must(await http(s.url, 'DELETE', `${acct}/Keys/${key.sid}.json`, { auth: a }), 204, 'delete key')
      const pn = await addNumber(s.url, a)
      must(await http(s.url, 'GET', `${acct}/IncomingPhoneNumbers.json`, { auth: a }), 200, 'list numbers')
      must(await http(s.url, 'GET', `${acct}/IncomingPhoneNumbers/${pn}.json`, { auth: a }), 200, 'fetch number')
      must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers/${pn}.json`, {
          auth: a,
          form: { FriendlyName: 'Main line', StatusCallback: 'https://hooks.example.com/n' },
        }),
        200,
        'update number',
      )
      must(await http(s.url, 'DELETE', `${acct}/IncomingPhoneNumbers/${pn}.json`, { auth: a }), 204, 'release number')
      const ad = await addAddress(s.url, a)
      must(await http(s.url, 'GET', `${acct}/Addresses.json`, { auth: a }), 200, 'list addresses')
      must(await http(s.url, 'GET', `${acct}/Addresses/${ad}.json`, { auth: a }), 200, 'fetch address')
      must(
        await http(s.url, 'POST', `${acct}/Addresses/${ad}.json`, { auth: a, json: { StreetSecondary: 'Suite 5' } }),
        200,
        'update address (JSON)',
      )
      must(await http(s.url, 'DELETE', `${acct}/Addresses/${ad}.json`, { auth: a }), 204, 'delete address')
      // Errors: wrong credentials, another tenant's resource, a missing parameter, a sub-account's refusal.
      must(
        await http(s.url, 'GET', `${acct}/Addresses.json`, { auth: { sid: a.sid, token: 'wrong' } }),
        401,
        'wrong token',
      )
      must(await http(s.url, 'GET', `${acct}/Addresses/${ad}.json`, { auth: a }), 404, 'deleted address')
      must(
        await http(s.url, 'POST', `${acct}/Addresses.json`, { auth: a, form: { CustomerName: 'x' } }),
        400,
        'missing Street',
      )
      must(
        await http(s.url, 'POST', '/2010-04-01/Accounts.json', { auth: sub, form: {} }),
        403,
        'sub-account creating a sub-account',
      )
      assert.ok(checkSeen().length >= 20)
    })

    it('numbers v2 hosted-number orders and authorization documents, and their errors', async () => {
      const a = await newAccount(s.url, 'Hosting Co')
      const ad = await addAddress(s.url, a)
      const form = (phone: string) => ({
        PhoneNumber: phone,
        ContactPhoneNumber: '+14155550100',
        AddressSid: ad,
        Email: 'jane@acme.example.com',
        CurrentCarrier: 'Old Telco',
      })
      const o = must(
        await http(s.url, 'POST', '/v2/HostedNumber/Orders', { auth: a, form: form('+12125550188') }),
        201,
        'file order',
      )
      const o2 = must(
        await http(s.url, 'POST', '/v2/HostedNumber/Orders', { auth: a, form: form('+12125550189') }),
        201,
        'file order',
      )
      must(
        await http(s.url, 'POST', '/v2/HostedNumber/Orders', { auth: a, form: form('+1555') }),
        400,
        'malformed number',
      )
      must(await http(s.url, 'GET', '/v2/HostedNumber/Orders?Status=received', { auth: a }), 200, 'list orders')
      must(await http(s.url, 'GET', `/v2/HostedNumber/Orders/${o.sid}`, { auth: a }), 200, 'fetch order')
      const d = must(
        await http(s.url, 'POST', '/v2/HostedNumber/AuthorizationDocuments', {
          auth: a,
          form: {
            AddressSid: ad,
            Email: 'jane@acme.example.com',
            ContactPhoneNumber: '+14155550100',
            HostedNumberOrderSids: o2.sid,
          },
        }),
        201,
        'create document',
      )
      must(await http(s.url, 'GET', '/v2/HostedNumber/AuthorizationDocuments', { auth: a }), 200, 'list documents')
      must(
        await http(s.url, 'GET', `/v2/HostedNumber/AuthorizationDocuments/${d.sid}`, { auth: a }),
        200,
        'fetch document',
      )
      must(
        await http(s.url, 'GET', `/v2/HostedNumber/AuthorizationDocuments/${d.sid}/DependentHostedNumberOrders`, {
          auth: a,
        }),
        200,
        'dependent orders',
      )
      must(await http(s.url, 'DELETE', `/v2/HostedNumber/Orders/${o.sid}`, { auth: a }), 204, 'withdraw order')
      must(await http(s.url, 'GET', `/v2/HostedNumber/Orders/${o.sid}`, { auth: a }), 404, 'withdrawn order')
      // Their reviews: detail, claim, approve (the number becomes the account's), reject.
      const o3 = must(
        await http(s.url, 'POST', '/v2/HostedNumber/Orders', { auth: a, form: form('+12125550187') }),
        201,
        'file order',
      )
      must(await http(s.url, 'GET', `/admin/v1/Reviews/${o2.sid}`, { auth: operator }), 200, 'order review')
      for (const sid of [o2.sid, o3.sid])
        must(await http(s.url, 'POST', `/admin/v1/Reviews/${sid}/Claim`, { auth: operator }), 200, 'claim order')
      must(
        await http(s.url, 'POST', `/admin/v1/Reviews/${o2.sid}/Approve`, {
          auth: operator,
          json: { OverrideReason: 'No approved profile to compare the LOA with; checked by hand' },
        }),
        200,
        'approve order',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviews/${o3.sid}/Reject`, { auth: operator, json: { Reason: 'No LOA' } }),
        200,
        'reject order',
      )
      must(await http(s.url, 'GET', `/v2/HostedNumber/Orders?Status=completed`, { auth: a }), 200, 'completed orders')
      must(await http(s.url, 'DELETE', `/v2/HostedNumber/Orders/${o2.sid}`, { auth: a }), 400, 'completed order')
      checkSeen()
    })

    it('accounts v1 auth tokens: secondary, promotion, deletion, and their 404s', async () => {
      const a = await newAccount(s.url, 'Token Co')
      const second = must(await http(s.url, 'POST', '/v1/AuthTokens/Secondary', { auth: a }), 201, 'create secondary')
      const next = { sid: a.sid, token: second.secondary_auth_token as string }
      must(await http(s.url, 'POST', '/v1/AuthTokens/Promote', { auth: next }), 200, 'promote')
      must(await http(s.url, 'POST', '/v1/AuthTokens/Promote', { auth: next }), 404, 'nothing to promote')
      must(await http(s.url, 'POST', '/v1/AuthTokens/Secondary', { auth: next }), 201, 'another secondary')
      must(await http(s.url, 'DELETE', '/v1/AuthTokens/Secondary', { auth: next }), 204, 'delete secondary')
      must(await http(s.url, 'DELETE', '/v1/AuthTokens/Secondary', { auth: next }), 404, 'nothing to delete')
      must(await http(s.url, 'POST', '/v1/AuthTokens/Promote', { auth: a }), 401, 'the old primary')
      checkSeen()
    })

    it('numbers: the inventory, search, buying (by number, area code, kind), refusals, release and confirmation', async () => {
      const a = await newAccount(s.url, 'Buyer Co')
      const acct = `/2010-04-01/Accounts/${a.sid}`
      must(
        await http(s.url, 'POST', '/admin/v1/PhoneNumberInventory', {
          auth: operator,
          json: { PhoneNumbers: ['+13125550140', '+13125550141', '+13125550142', '+18885550143', '+19005550144', 'x'] },
        }),
        200,
        'import inventory',
      )
      must(
        await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?AreaCode=312&Status=available&PageSize=1', {
          auth: operator,
        }),
        200,
        'list inventory',
      )
      must(
        await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?Status=bogus', { auth: operator }),
        400,
        'bad status filter',
      )
      must(await http(s.url, 'GET', `${acct}/AvailablePhoneNumbers.json`, { auth: a }), 200, 'countries')
      must(await http(s.url, 'GET', `${acct}/AvailablePhoneNumbers/US.json`, { auth: a }), 200, 'country')
      const local = must(
        await http(s.url, 'GET', `${acct}/AvailablePhoneNumbers/US/Local.json?AreaCode=312&Contains=555*14*`, {
          auth: a,
        }),
        200,
        'search local',
      )
      assert.ok(local.available_phone_numbers.length >= 1)
      must(
        await http(s.url, 'GET', `${acct}/AvailablePhoneNumbers/US/TollFree.json`, { auth: a }),
        200,
        'search toll-free',
      )
      const bought = must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers.json`, {
          auth: a,
          form: { PhoneNumber: '+13125550140' },
        }),
        201,
        'buy by number',
      )
      must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers/Local.json`, { auth: a, form: { AreaCode: '312' } }),
        201,
        'buy local by area code',
      )
      must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers/TollFree.json`, {
          auth: a,
          form: { PhoneNumber: '+18885550143' },
        }),
        201,
        'buy toll-free',
      )
      must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers.json`, {
          auth: a,
          form: { PhoneNumber: '+12024561111' },
        }),
        400,
        'a number not in the inventory',
      )
      must(
        await http(s.url, 'POST', `${acct}/IncomingPhoneNumbers.json`, { auth: a, form: { AreaCode: '907' } }),
        400,
        'an area code with nothing free',
      )
      must(
        await http(s.url, 'DELETE', '/admin/v1/PhoneNumberInventory/+13125550140', { auth: operator }),
        409,
        'remove a held number',
      )
      must(await http(s.url, 'DELETE', `${acct}/IncomingPhoneNumbers/${bought.sid}.json`, { auth: a }), 204, 'release')
      must(
        await http(s.url, 'DELETE', '/admin/v1/PhoneNumberInventory/+13125550140', { auth: operator }),
        204,
        'remove a free number',
      )
      must(
        await http(s.url, 'DELETE', '/admin/v1/PhoneNumberInventory/+13125550140', { auth: operator }),
        404,
        'remove it again',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
          auth: operator,
          json: { PhoneNumbers: ['+13125550199'] },
        }),
        200,
        'operator placement',
      )
      must(await http(s.url, 'POST', '/admin/v1/PhoneNumbers/+13125550199/Confirm', { auth: operator }), 200, 'confirm')
      must(
        await http(s.url, 'POST', '/admin/v1/PhoneNumbers/+13125550198/Confirm', { auth: operator }),
        404,
        'confirm a number nobody holds',
      )
      checkSeen()
    })

    it('Trust Hub v1: catalogue, end users, documents, profiles, trust products, evaluations, assignments, events', async () => {
      const a = await newAccount(s.url, 'Trust Co')
      for (const p of ['Policies', 'EndUserTypes', 'SupportingDocumentTypes']) {
        const list = must(await http(s.url, 'GET', `/v1/${p}`, { auth: a }), 200, `list ${p}`)
        must(await http(s.url, 'GET', `/v1/${p}/${list[list.meta.key][0].sid}`, { auth: a }), 200, `fetch ${p}`)
      }
      for (const [path, type, attributes] of [
        ['EndUsers', 'authorized_representative_2', { first_name: 'Al' }],
        ['SupportingDocuments', 'government_issued_proof_of_authorized_representative', { first_name: 'Al' }],
      ] as const) {
        const made = must(
          await http(s.url, 'POST', `/v1/${path}`, {
            auth: a,
            form: { FriendlyName: 'x', Type: type, Attributes: JSON.stringify(attributes) },
          }),
          201,
          `create ${path}`,
        )
        must(await http(s.url, 'GET', `/v1/${path}`, { auth: a }), 200, `list ${path}`)
        must(await http(s.url, 'GET', `/v1/${path}/${made.sid}`, { auth: a }), 200, `fetch ${path}`)
        must(
          await http(s.url, 'POST', `/v1/${path}/${made.sid}`, { auth: a, form: { FriendlyName: 'y' } }),
          200,
          `update ${path}`,
        )
        must(await http(s.url, 'DELETE', `/v1/${path}/${made.sid}`, { auth: a }), 204, `delete ${path}`)
      }
      const pn = await addNumber(s.url, a)
      const profile = await makeCompliantProfile(s.url, a, { numbers: [pn] })
      const tp = await createBundle(s.url, a, 'TrustProducts', SHAKEN_POLICY)
      // Noncompliant (nothing linked): one failing item per profile type.
      must(
        await http(s.url, 'POST', `/v1/TrustProducts/${tp}/Evaluations`, {
          auth: a,
          form: { PolicySid: SHAKEN_POLICY },
        }),
        201,
        'noncompliant evaluation',
      )
      const link = await assign(s.url, a, 'TrustProducts', tp, profile)
      const ra = await assignNumber(s.url, a, 'TrustProducts', tp, pn)
      for (const [kind, sid, policy] of [
        ['CustomerProfiles', profile, PRIMARY_POLICY],
        ['TrustProducts', tp, SHAKEN_POLICY],
      ] as const) {
        const base = `/v1/${kind}`
        must(await http(s.url, 'GET', `${base}?PageSize=1`, { auth: a }), 200, `list ${kind}`)
        must(await http(s.url, 'GET', `${base}/${sid}`, { auth: a }), 200, `fetch ${kind}`)
        must(
          await http(s.url, 'POST', `${base}/${sid}`, {
            auth: a,
            form: { FriendlyName: 'Renamed', StatusCallback: 'https://hooks.example.com/b' },
          }),
          200,
          `update ${kind}`,
        )
        const ev = must(
          await http(s.url, 'POST', `${base}/${sid}/Evaluations`, { auth: a, form: { PolicySid: policy } }),
          201,
          `evaluate ${kind}`,
        )
        assert.equal(ev.status, 'compliant', JSON.stringify(ev.results))
        must(await http(s.url, 'GET', `${base}/${sid}/Evaluations`, { auth: a }), 200, `list ${kind} evaluations`)
        must(await http(s.url, 'GET', `${base}/${sid}/Checks`, { auth: a }), 200, `dry-run ${kind} checks`)
        must(
          await http(s.url, 'GET', `${base}/${sid}/Evaluations/${ev.sid}`, { auth: a }),
          200,
          `fetch ${kind} evaluation`,
        )
        const eas = must(
          await http(s.url, 'GET', `${base}/${sid}/EntityAssignments`, { auth: a }),
          200,
          `list ${kind} entity assignments`,
        )
        must(
          await http(s.url, 'GET', `${base}/${sid}/EntityAssignments/${eas.results[0].sid}`, { auth: a }),
          200,
          `fetch ${kind} entity assignment`,
        )
        const cas = must(
          await http(s.url, 'GET', `${base}/${sid}/ChannelEndpointAssignments`, { auth: a }),
          200,
          `list ${kind} numbers`,
        )
        must(
          await http(s.url, 'GET', `${base}/${sid}/ChannelEndpointAssignments/${cas.results[0].sid}`, { auth: a }),
          200,
          `fetch ${kind} number`,
        )
        // Bulk assignment: a JSON list and a CSV upload, each a job to poll.
        for (const o of [
          { json: { PhoneNumbers: [pn] } },
          { raw: `${pn}\n`, headers: { 'content-type': 'text/csv' } },
        ]) {
          const job = must(
            await http(s.url, 'POST', `${base}/${sid}/ChannelEndpointAssignments/Bulk`, { auth: a, ...o }),
            202,
            `bulk ${kind}`,
          )
          let seen = job
          while (seen.status === 'running')
            seen = must(await http(s.url, 'GET', new URL(job.url).pathname, { auth: a }), 200, `bulk job ${kind}`)
          must(await http(s.url, 'GET', new URL(job.url).pathname, { auth: a }), 200, `bulk job ${kind}`)
        }
      }
      // Remove what was attached, then the bundles themselves.
      must(
        await http(s.url, 'DELETE', `/v1/TrustProducts/${tp}/ChannelEndpointAssignments/${ra}`, { auth: a }),
        204,
        'unassign number',
      )
      must(
        await http(s.url, 'DELETE', `/v1/TrustProducts/${tp}/EntityAssignments/${link}`, { auth: a }),
        204,
        'unlink profile',
      )
      const cas = must(
        await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, { auth: a }),
        200,
        'profile numbers',
      )
      must(
        await http(
          s.url,
          'DELETE',
          `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/${cas.results[0].sid}`,
          { auth: a },
        ),
        204,
        'unassign profile number',
      )
      must(await http(s.url, 'DELETE', `/v1/TrustProducts/${tp}`, { auth: a }), 204, 'delete trust product')
      // Submission, an event, then a bundle in review cannot be deleted.
      must(await submit(s.url, a, 'CustomerProfiles', profile), 200, 'submit')
      must(await http(s.url, 'GET', `/v1/Events?ResourceSid=${profile}`, { auth: a }), 200, 'events')
      must(
        await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/EntityAssignments`, {
          auth: a,
          form: { ObjectSid: profile },
        }),
        400,
        'assignment to a bundle in review',
      )
      must(await http(s.url, 'GET', `/v1/CustomerProfiles/BU${'0'.repeat(32)}`, { auth: a }), 404, 'unknown bundle')
      const draft = await createBundle(s.url, a, 'CustomerProfiles', PRIMARY_POLICY)
      const rep = must(
        await http(s.url, 'POST', '/v1/EndUsers', {
          auth: a,
          form: { FriendlyName: 'Al', Type: 'authorized_representative_2', Attributes: '{}' },
        }),
        201,
        'end user',
      ).sid
      const attached = await assign(s.url, a, 'CustomerProfiles', draft, rep)
      must(
        await http(s.url, 'DELETE', `/v1/CustomerProfiles/${draft}/EntityAssignments/${attached}`, { auth: a }),
        204,
        'detach from a draft',
      )
      must(await http(s.url, 'DELETE', `/v1/CustomerProfiles/${draft}`, { auth: a }), 204, 'delete draft profile')
      checkSeen()
    })

    it("Trust Hub v1: copies of approved bundles, the reviewer's revision view, ReplaceItems", async () => {
      const a = await newAccount(s.url, 'Copy Co')
      const profile = await makeCompliantProfile(s.url, a)
      must(await submit(s.url, a, 'CustomerProfiles', profile), 200, 'submit profile')
      must(await setStatus(s.url, profile, 'twilio-approved'), 200, 'approve profile')
      const tp = await createBundle(s.url, a, 'TrustProducts', SHAKEN_POLICY)
      await assign(s.url, a, 'TrustProducts', tp, profile)
      must(await setStatus(s.url, tp, 'twilio-approved'), 200, 'approve trust product')
      for (const [kind, sid] of [
        ['CustomerProfiles', profile],
        ['TrustProducts', tp],
      ] as const) {
        const copy = must(
          await http(s.url, 'POST', `/v1/${kind}/${sid}/Copies`, { auth: a, form: { FriendlyName: 'revised' } }),
          201,
          `copy ${kind}`,
        )
        must(await http(s.url, 'GET', `/v1/${kind}/${sid}/Copies`, { auth: a }), 200, `list ${kind} copies`)
        must(await submit(s.url, a, kind, copy.sid), 200, `submit ${kind} copy`)
        const detail = must(
          await http(s.url, 'GET', `/admin/v1/Reviews/${copy.sid}`, { auth: operator }),
          200,
          `review ${kind} copy`,
        )
        assert.equal(detail.revision_of.sid, sid)
        must(await setStatus(s.url, copy.sid, 'twilio-approved'), 200, `approve ${kind} copy`)
        must(
          await http(s.url, 'POST', `/v1/${kind}/${sid}/ReplaceItems`, { auth: a, form: { FromBundleSid: copy.sid } }),
          201,
          `replace ${kind} items`,
        )
      }
      checkSeen()
    })

    it('admin: accounts, bulk numbers, reviewers, the review queue and decisions, metrics, events, platform', async () => {
      const a = await newAccount(s.url, 'Vetted Co')
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${(await newAccount(s.url, 'Paused Co')).sid}`, {
          auth: operator,
          json: { Status: 'suspended' },
        }),
        200,
        'suspend an account',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/AC${'0'.repeat(32)}`, {
          auth: operator,
          json: { Status: 'active' },
        }),
        404,
        'unknown account',
      )
      must(
        await http(s.url, 'GET', '/admin/v1/Accounts?Search=paused&Status=suspended&PageSize=1', { auth: operator }),
        200,
        'search accounts',
      )
      must(await http(s.url, 'GET', '/admin/v1/Accounts?Status=gone', { auth: operator }), 400, 'bad status filter')
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
          auth: operator,
          json: { PhoneNumbers: ['+12125552368', 'not a number'] },
        }),
        200,
        'bulk numbers',
      )
      const reviewer = must(
        await http(s.url, 'POST', '/admin/v1/Reviewers', {
          auth: operator,
          json: { Name: 'Rita', Email: 'rita@example.com' },
        }),
        201,
        'create reviewer',
      )
      const rita = { bearer: reviewer.token as string }
      must(await http(s.url, 'GET', '/admin/v1/Reviewers', { auth: operator }), 200, 'list reviewers')
      must(await http(s.url, 'GET', '/admin/v1/Reviewers', { auth: rita }), 403, 'reviewer listing reviewers')
      const ron = must(
        await http(s.url, 'POST', '/admin/v1/Reviewers', {
          auth: operator,
          json: { Name: 'Ron', Email: 'ron@example.com' },
        }),
        201,
        'another reviewer',
      ).sid
      must(
        await http(s.url, 'POST', `/admin/v1/Reviewers/${ron}/Token`, { auth: operator }),
        200,
        'rotate a reviewer token',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviewers/${ron}`, { auth: operator, json: { Status: 'disabled' } }),
        200,
        'disable a reviewer',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviewers/${ron}`, { auth: operator, json: { Status: 'active' } }),
        200,
        'enable a reviewer',
      )
      must(
        await http(s.url, 'DELETE', `/admin/v1/Reviewers/${ron}`, { auth: operator }),
        204,
        'disable a reviewer (DELETE)',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviewers/RV${'0'.repeat(32)}/Token`, { auth: operator }),
        404,
        'unknown reviewer',
      )
      const trunk = must(
        await http(s.url, 'POST', '/admin/v1/SipTrunks', {
          auth: operator,
          json: { FriendlyName: 'Vetted SBC', AccountSid: a.sid, SourceAddresses: ['192.0.2.10/32', '2001:db8::/64'] },
        }),
        201,
        'create a SIP trunk',
      ).sid
      must(
        await http(s.url, 'POST', '/admin/v1/SipTrunks', {
          auth: operator,
          form: { FriendlyName: 'Same SBC', AccountSid: a.sid, SourceAddresses: '192.0.2.10/32' },
        }),
        409,
        'a trunk no INVITE could tell apart',
      )
      must(
        await http(s.url, 'POST', '/admin/v1/SipTrunks', {
          auth: operator,
          json: { FriendlyName: 'Bad', AccountSid: a.sid, SourceAddresses: ['192.0.2.300/32'] },
        }),
        400,
        'a bad CIDR',
      )
      must(await http(s.url, 'GET', '/admin/v1/SipTrunks', { auth: operator }), 200, 'list SIP trunks')
      must(await http(s.url, 'GET', `/admin/v1/SipTrunks/${trunk}`, { auth: operator }), 200, 'fetch a SIP trunk')
      must(await http(s.url, 'GET', '/admin/v1/SipTrunks', { auth: rita }), 401, 'a reviewer listing SIP trunks')
      must(
        await http(s.url, 'POST', `/admin/v1/SipTrunks/${trunk}`, { auth: operator, json: { TrunkGroup: 'tg-1' } }),
        200,
        'update a SIP trunk',
      )
      must(await http(s.url, 'DELETE', `/admin/v1/SipTrunks/${trunk}`, { auth: operator }), 204, 'delete a SIP trunk')
      must(await http(s.url, 'GET', `/admin/v1/SipTrunks/${trunk}`, { auth: operator }), 404, 'a deleted SIP trunk')
      // One primary profile per account: the one to reject is another account's.
      const b = await newAccount(s.url, 'Rejected Co')
      const approved = await makeCompliantProfile(s.url, a)
      const rejected = await makeCompliantProfile(s.url, b)
      must(await submit(s.url, a, 'CustomerProfiles', approved), 200, 'submit')
      must(await submit(s.url, b, 'CustomerProfiles', rejected), 200, 'submit')
      must(await http(s.url, 'GET', '/admin/v1/Reviews', { auth: rita }), 200, 'queue')
      must(await http(s.url, 'GET', `/admin/v1/Reviews/${approved}`, { auth: rita }), 200, 'review detail')
      for (const sid of [approved, rejected])
        must(await http(s.url, 'POST', `/admin/v1/Reviews/${sid}/Claim`, { auth: rita }), 200, 'claim')
      must(
        await http(s.url, 'POST', `/admin/v1/Reviews/${approved}/Claim`, { auth: operator }),
        409,
        'claimed by someone else',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviews/${approved}/Approve`, {
          auth: rita,
          json: { OverrideReason: 'The fixture representative has a fiction number' },
        }),
        200,
        'approve',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Reviews/${rejected}/Reject`, {
          auth: rita,
          json: { Errors: [18601], Reason: 'Use the company domain' },
        }),
        200,
        'reject',
      )
      must(await setStatus(s.url, rejected, 'draft'), 200, 'operator status change')
      must(await http(s.url, 'GET', '/admin/v1/Metrics', { auth: rita }), 200, 'metrics')
      must(await http(s.url, 'GET', '/admin/v1/Events?PageSize=5', { auth: operator }), 200, 'audit log')
      must(await http(s.url, 'GET', '/admin/v1/Platform', { auth: operator }), 200, 'platform')
      must(await http(s.url, 'GET', '/admin/v1/calls/analytics?window=24h', { auth: operator }), 200, 'analytics')
      must(await http(s.url, 'GET', '/admin/v1/calls/analytics?window=1y', { auth: operator }), 400, 'a bad window')
      must(await http(s.url, 'POST', '/admin/v1/Accounts', { auth: operator, json: {} }), 400, 'account without a name')
      must(await http(s.url, 'POST', '/admin/v1/Accounts', { json: { FriendlyName: 'x' } }), 401, 'no operator token')
      checkSeen()
    })

    it('/stir: signing, attestation, verification, the verify-front policy and stats, with ATIS errors', async () => {
      const a = await newAccount(s.url, 'Caller Co')
      const stir = (method: string, path: string, json?: unknown, auth: Creds | { bearer: string } = a) =>
        http(s.url, method, `/stir/v1${path}`, { auth, json })
      const iat = Math.floor(Date.now() / 1000)
      const signed = must(
        await stir('POST', '/signing', {
          signingRequest: {
            attest: 'A',
            dest: { tn: ['12125551212'] },
            iat,
            orig: { tn: '12025550123' },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        }),
        200,
        'sign',
      )
      must(
        await stir('POST', '/signing', {
          signingRequest: {
            attest: 'A',
            dest: { tn: ['442071838750'] },
            iat,
            orig: { tn: '12025550123' },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        }),
        200,
        'not signed: non-US',
      )
      must(await stir('GET', '/attestation?from=%2B12025550123&to=%2B12125551212'), 200, 'explain')
      must(await stir('POST', '/attestation/batch', { numbers: ['+12025550123', 'nope'] }), 200, 'explain a batch')
      const identity = signed.signingResponse.identity as string
      must(
        await stir('POST', '/verification', {
          verificationRequest: { from: { tn: '12025550123' }, to: { tn: ['12125551212'] }, time: iat, identity },
        }),
        200,
        'verify',
      )
      // A div header beside the call's own: reported in `diversion` (here unreadable, so every member is null-able).
      const forwarded = must(
        await stir('POST', '/verification', {
          verificationRequest: {
            from: { tn: '12025550123' },
            to: { tn: ['12125551212'] },
            time: iat,
            identity: `${identity}, e30.e30.e30;info=<https://x.example/a.pem>;ppt=div`,
            div: { tn: ['12125551212'] },
          },
        }),
        200,
        'verify with a div',
      )
      assert.equal(forwarded.verificationResponse.diversion[0].status, 'unreadable')
      must(
        await stir('POST', '/verification', {
          verificationRequest: { from: { tn: '12025550199' }, to: { tn: ['12125551212'] }, time: iat, identity },
        }),
        200,
        'verify, wrong number',
      )
      must(await stir('GET', '/verification/policy'), 200, 'policy')
      must(await stir('POST', '/verification/policy', { failureAction: 'reject' }), 200, 'set policy')
      must(await stir('GET', '/verification/stats'), 200, 'stats')
      must(await stir('GET', '/calls/analytics?window=30d'), 200, 'analytics')
      must(await stir('GET', '/calls/analytics?window=week'), 400, 'analytics, a bad window')
      // The call records of the calls above (written every 500 ms: polled, never flushed).
      let calls: any[] = []
      for (let i = 0; i < 100 && calls.length < 4; i++) {
        calls = must(await stir('GET', '/calls?PageSize=10'), 200, 'call records').calls
        if (calls.length < 4) await new Promise((r) => setTimeout(r, 50))
      }
      assert.ok(
        calls.some((c) => c.kind === 'signed') && calls.some((c) => c.kind === 'verified'),
        JSON.stringify(calls),
      )
      for (const c of calls) must(await stir('GET', `/calls/${c.sid}`), 200, 'a call record')
      const csv = await fetch(`${s.url}/stir/v1/calls?kind=signed`, {
        headers: {
          accept: 'text/csv',
          authorization: `Basic ${Buffer.from(`${a.sid}:${a.token}`).toString('base64')}`,
        },
      })
      assert.equal(csv.status, 200)
      must(await stir('GET', '/calls?attest=Z'), 400, 'a bad filter')
      must(await stir('GET', `/calls/CL${'0'.repeat(32)}`), 404, 'an unknown call record')
      must(await http(s.url, 'GET', `/admin/v1/calls?account=${a.sid}`, { auth: operator }), 200, 'operator search')
      must(await http(s.url, 'GET', `/admin/v1/calls/${calls[0].sid}`, { auth: operator }), 200, 'operator fetch')
      must(await http(s.url, 'GET', '/admin/v1/calls?since=soon', { auth: operator }), 400, 'operator bad filter')
      must(await http(s.url, 'GET', `/admin/v1/calls/CL${'0'.repeat(32)}`, { auth: operator }), 404, 'unknown')
      const opsCsv = await fetch(`${s.url}/admin/v1/calls`, {
        headers: { accept: 'text/csv', authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      assert.equal(opsCsv.status, 200)
      must(await stir('POST', '/signing', { signingRequest: { attest: 'A' } }), 400, 'missing members')
      must(await stir('POST', '/signing', { signingRequest: {} }, operator), 400, 'operator without X-Account-Sid')
      must(await stir('GET', '/verification/policy', undefined, { sid: a.sid, token: 'wrong' }), 401, 'wrong token')
      const x5u = /;info=<([^>]+)>/.exec(identity)![1]!
      must(await http(s.url, 'GET', new URL(x5u).pathname), 200, 'certificate chain')
      must(await http(s.url, 'GET', `/certs/CR${'0'.repeat(32)}.pem`), 404, 'unknown certificate')
      must(await http(s.url, 'GET', '/certs/crl'), 200, 'dev CRL')
      await s.running.ctx.calls.flush()
      const traced = must(
        await http(s.url, 'POST', '/admin/v1/traceback', { auth: operator, json: { identity } }),
        200,
        'traceback',
      )
      assert.equal(traced.found, true)
      must(
        await http(s.url, 'POST', '/admin/v1/traceback', {
          auth: operator,
          form: { origid: traced.claims.origid, orig: '12025550123', dest: '12125551212', time: String(iat) },
        }),
        200,
        'traceback by origid',
      )
      const [h, p, sig] = identity.split(';')[0]!.split('.')
      must(
        await http(s.url, 'POST', '/admin/v1/traceback', {
          auth: operator,
          json: { identity: `${h}.${p}.${sig === 'A' ? 'B' : 'A'}${sig!.slice(1)}` },
        }),
        200,
        'traceback: not signed by this platform',
      )
      must(await http(s.url, 'POST', '/admin/v1/traceback', { auth: operator, json: {} }), 400, 'traceback: no query')
      checkSeen()
    })

    it('console session, allowed values, stats, sub-accounts; ops routes', async () => {
      const a = await newAccount(s.url, 'Console Co')
      await newSubAccount(s.url, a)
      const signIn = await fetch(`${s.url}/console/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Username: a.sid, Password: a.token }),
      })
      assert.equal(signIn.status, 201)
      const csrf = ((await signIn.json()) as { csrf_token: string }).csrf_token
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ')
      must(await http(s.url, 'GET', '/console/api/session', { headers: { cookie } }), 200, 'session')
      must(await http(s.url, 'GET', '/console/api/session'), 401, 'no session')
      must(await http(s.url, 'DELETE', '/console/api/session', { headers: { cookie } }), 403, 'sign-out without CSRF')
      must(
        await http(s.url, 'DELETE', '/console/api/session', { headers: { cookie, 'x-csrf-token': csrf } }),
        204,
        'sign out',
      )
      must(
        await http(s.url, 'POST', '/console/api/session', { form: { Token: ADMIN_TOKEN } }),
        415,
        'sign-in from a form (login CSRF)',
      )
      const staff = must(
        await http(s.url, 'POST', '/console/api/session', { json: { Token: ADMIN_TOKEN } }),
        201,
        'operator sign-in',
      )
      assert.equal(staff.kind, 'admin')
      await addUser(s, a.sid, 'openapi@console.example', 'owner')
      const person = await userSignIn(s.url, 'openapi@console.example')
      must(person.res, 201, 'user sign-in')
      must(await http(s.url, 'GET', '/console/api/session', { headers: as(person) }), 200, 'user session')
      const second = await userSignIn(s.url, 'openapi@console.example')
      const sessions = must(await http(s.url, 'GET', '/console/api/sessions', { headers: as(person) }), 200, 'sessions')
      const other = sessions.sessions.find((x: { current: boolean }) => !x.current).sid
      must(await http(s.url, 'DELETE', `/console/api/sessions/${other}`, { headers: as(person) }), 204, 'revoke')
      must(await http(s.url, 'DELETE', `/console/api/sessions/${other}`, { headers: as(person) }), 404, 'revoked')
      must(await http(s.url, 'GET', '/console/api/sessions', { headers: as(second) }), 401, 'revoked session')
      // Invitations, users, resets.
      const mailTo = async (to: string, n = 1) => {
        for (let i = 0; i < 100 && smtp.to(to).length < n; i++) await new Promise((r) => setTimeout(r, 20))
        return tokenIn(smtp.to(to)[n - 1]!)
      }
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
          auth: operator,
          json: { Email: 'first@openapi.example' },
        }),
        201,
        'operator invitation',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
          auth: operator,
          json: { Email: 'first@openapi.example', Role: 'king' },
        }),
        400,
        'operator invitation, a bad role',
      )
      const firstToken = await mailTo('first@openapi.example')
      const accepted = must(
        await http(s.url, 'POST', '/console/api/accept-invitation', {
          json: { Token: firstToken, Password: 'openapi passphrase' },
        }),
        201,
        'accept',
      )
      must(
        await http(s.url, 'POST', '/console/api/accept-invitation', {
          json: { Token: firstToken, Password: 'openapi passphrase' },
        }),
        400,
        'accept twice',
      )
      must(
        await http(s.url, 'POST', '/console/api/invitations', {
          headers: as(person),
          json: { Email: 'second@openapi.example', Role: 'developer' },
        }),
        201,
        'owner invitation',
      )
      must(await http(s.url, 'GET', '/console/api/users', { headers: as(person) }), 200, 'users')
      must(
        await http(s.url, 'POST', `/console/api/users/${accepted.user.sid}`, {
          headers: as(person),
          json: { Role: 'read-only' },
        }),
        200,
        'change a role',
      )
      must(
        await http(s.url, 'POST', `/console/api/users/${person.res.body.user.sid}`, {
          headers: as(person),
          json: { Role: 'read-only' },
        }),
        409,
        'the last owner',
      )
      must(
        await http(s.url, 'POST', '/console/api/password-reset', { json: { Email: 'first@openapi.example' } }),
        202,
        'reset',
      )
      const resetToken = await mailTo('first@openapi.example', 2)
      must(
        await http(s.url, 'POST', '/console/api/password-reset/complete', {
          json: { Token: resetToken, Password: 'another openapi passphrase' },
        }),
        204,
        'complete a reset',
      )
      must(
        await http(s.url, 'POST', '/console/api/password-reset/complete', {
          json: { Token: resetToken, Password: 'another openapi passphrase' },
        }),
        400,
        'a reset link twice',
      )
      must(
        await http(s.url, 'DELETE', `/console/api/users/${accepted.user.sid}`, { headers: as(person) }),
        204,
        'remove a user',
      )
      const enrol = must(await http(s.url, 'POST', '/console/api/two-factor', { headers: as(person) }), 200, 'enrol')
      must(
        await http(s.url, 'POST', '/console/api/two-factor/confirm', { headers: as(person), json: { Code: 'abc' } }),
        400,
        'confirm, a wrong code',
      )
      must(
        await http(s.url, 'POST', '/console/api/two-factor/confirm', {
          headers: as(person),
          json: { Code: codeFor(enrol.secret, Date.now()) },
        }),
        200,
        'confirm',
      )
      must(await http(s.url, 'GET', '/console/api/account-security', { headers: as(person) }), 200, 'security')
      must(
        await http(s.url, 'POST', '/console/api/account-security', {
          headers: as(person),
          json: { RequireTwoFactor: true },
        }),
        200,
        'require two-factor',
      )
      must(await http(s.url, 'DELETE', '/console/api/two-factor', { headers: as(person) }), 409, 'required')
      must(
        await http(s.url, 'POST', '/console/api/account-security', {
          headers: as(person),
          json: { RequireTwoFactor: false },
        }),
        200,
        'two-factor optional',
      )
      must(await http(s.url, 'DELETE', '/console/api/two-factor', { headers: as(person) }), 204, 'two-factor off')
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Sso`, {
          auth: operator,
          json: { Domain: 'sso.example', Issuer: idp.issuer, ClientId: idp.clientId, ClientSecret: idp.clientSecret },
        }),
        200,
        'single sign-on',
      )
      must(
        await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Sso`, {
          auth: operator,
          json: { Domain: 'not a domain', Issuer: idp.issuer, ClientId: 'x', ClientSecret: 'y' },
        }),
        400,
        'single sign-on, a bad domain',
      )
      must(
        await http(s.url, 'POST', '/console/api/sso/start', { json: { Email: 'kai@sso.example' } }),
        200,
        'sso start',
      )
      must(
        await http(s.url, 'POST', '/admin/v1/Invitations', {
          auth: operator,
          json: { Email: 'staff@openapi.example', Role: 'reviewer' },
        }),
        201,
        'staff invitation',
      )
      must(await http(s.url, 'POST', '/console/api/sso/start', { json: { Email: 'kai@nosso.example' } }), 400, 'no sso')
      must(await http(s.url, 'GET', '/console/api/allowed'), 200, 'allowed values')
      must(await http(s.url, 'GET', '/console/api/stats?Hours=24', { auth: a }), 200, 'stats')
      must(
        await http(s.url, 'GET', `/console/api/stats?Accounts=AC${'0'.repeat(32)}`, { auth: a }),
        404,
        'stats of another account',
      )
      must(await http(s.url, 'GET', '/console/api/sub-accounts?Search=Sub', { auth: a }), 200, 'sub-accounts')
      must(await http(s.url, 'GET', '/healthz'), 200, 'healthz')
      must(await http(s.url, 'GET', '/readyz'), 200, 'readyz')
      must(await http(s.url, 'GET', '/metrics', { auth: operator }), 200, 'metrics')
      must(await http(s.url, 'GET', '/metrics'), 401, 'metrics without a token')
      checkSeen()
    })

    it('CNAM: the operator feed and a lookup of a number on an approved CNAM trust product', async () => {
      const a = await newAccount(s.url, 'Caller Name Co')
      const ready = await readyToBrand(s.url, a)
      const pn = ready.pn
      const tp = (await brandingProduct(s.url, a, ready, 'cnam', { cnam_display_name: 'CALLER NAME' })).sid
      must(await submit(s.url, a, 'TrustProducts', tp), 200, 'submit CNAM')
      must(await setStatus(s.url, tp, 'twilio-approved'), 200, 'approve CNAM')
      await saveApprovedBrand(s.running.ctx.store.db, {
        bundle_sid: tp,
        account_sid: a.sid,
        kind: 'cnam',
        display_name: 'CALLER NAME',
        logo_url: null,
        logo_digest: null,
        call_reasons: '[]',
        approved_at: new Date().toISOString(),
      })
      const phone = must(
        await http(s.url, 'GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: a }),
        200,
        'number',
      ).phone_number
      must(await http(s.url, 'GET', '/admin/v1/cnam.csv', { auth: operator }), 200, 'CNAM feed')
      must(await http(s.url, 'GET', `/v1/cnam/${encodeURIComponent(phone)}`, { auth: a }), 200, 'CNAM lookup')
      must(
        await http(s.url, 'GET', `/v1/cnam/${encodeURIComponent(phone)}`, { auth: operator }),
        200,
        'operator lookup',
      )
      must(await http(s.url, 'GET', '/v1/cnam/%2B12025550100', { auth: a }), 404, 'no CNAM')
      must(await http(s.url, 'GET', '/v1/cnam/12', { auth: a }), 400, 'not a number')
      must(await http(s.url, 'GET', '/v1/cnam/%2B12025550100'), 401, 'no credentials')
      must(await http(s.url, 'GET', '/admin/v1/cnam.csv'), 401, 'feed without a token')
      checkSeen()
    })

    it('every operation of the document answered with success at least once above', () => {
      const succeeded = new Set(
        recorder.seen.filter((x) => x.status < 300).map((x) => check.operationOf(x.method, x.path)),
      )
      assert.deepEqual(
        check.operations().filter((o) => !succeeded.has(o)),
        [],
      )
    })
  })
}
