import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  PRIMARY_POLICY,
  SECONDARY_POLICY,
  SHAKEN_POLICY,
  addNumber,
  assign,
  createBundle,
  makeApprovedPrimaryProfile,
  makeCompliantProfile,
  setStatus,
  submit,
} from './helpers/onboarding.js'

const BUNDLE_FIELDS = [
  'account_sid',
  'date_created',
  'date_updated',
  'email',
  'errors',
  'friendly_name',
  'links',
  'policy_sid',
  'sid',
  'status',
  'status_callback',
  'url',
  'valid_until',
]
const V1_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

for (const dialect of DIALECTS) {
  describe(`bundles [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    before(async () => {
      s = await startServer(dialect)
      a = await newAccount(s.url, 'Acme')
    })
    after(async () => {
      await s.stop()
    })

    it('refuses a StatusCallback that could never be delivered, when it is set', async () => {
      const form = (cb: string) => ({
        FriendlyName: 'Cb',
        Email: 'a@b.example.com',
        PolicySid: PRIMARY_POLICY,
        StatusCallback: cb,
      })
      for (const cb of [
        'http://127.0.0.1:8080/cb',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/cb',
        'https://user:pw@cb.example.com/x',
        'ftp://cb.example.com/x',
      ]) {
        const r = await http(s.url, 'POST', '/v1/CustomerProfiles', { auth: a, form: form(cb) })
        assert.equal(r.status, 400, cb)
        assert.equal(r.body.code, 20001)
        assert.match(r.body.message, /StatusCallback/)
      }
      const ok = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: a,
        form: form('https://cb.example.com/x?customer=1'),
      })
      assert.equal(ok.status, 201)
      const moved = await http(s.url, 'POST', `/v1/CustomerProfiles/${ok.body.sid}`, {
        auth: a,
        form: { StatusCallback: 'http://10.0.0.5/cb' },
      })
      assert.equal(moved.status, 400)
      assert.match(moved.body.message, /StatusCallback/)
    })

    it("creates, fetches, lists, updates and deletes both kinds with Twilio's shapes", async () => {
      for (const [path, policy, links] of [
        ['CustomerProfiles', PRIMARY_POLICY, 'customer_profiles'],
        ['TrustProducts', SHAKEN_POLICY, 'trust_products'],
      ] as const) {
        const c = await http(s.url, 'POST', `/v1/${path}`, {
          auth: a,
          form: {
            FriendlyName: 'Shape',
            Email: 'a@b.example.com',
            PolicySid: policy,
            StatusCallback: 'https://cb.example.com/x',
          },
        })
        assert.equal(c.status, 201)
        assert.deepEqual(Object.keys(c.body).sort(), BUNDLE_FIELDS)
        assert.match(c.body.sid, /^BU[0-9a-f]{32}$/)
        assert.equal(c.body.status, 'draft')
        assert.equal(c.body.valid_until, null)
        assert.equal(c.body.errors, null)
        assert.match(c.body.date_created, V1_DATE)
        assert.equal(c.body.url, `${s.url}/v1/${path}/${c.body.sid}`)
        assert.deepEqual(c.body.links, {
          [`${links}_entity_assignments`]: `${c.body.url}/EntityAssignments`,
          [`${links}_evaluations`]: `${c.body.url}/Evaluations`,
          [`${links}_channel_endpoint_assignment`]: `${c.body.url}/ChannelEndpointAssignments`,
        })
        const f = await http(s.url, 'GET', `/v1/${path}/${c.body.sid}`, { auth: a })
        assert.equal(f.status, 200)
        assert.deepEqual(f.body, c.body)
        const u = await http(s.url, 'POST', `/v1/${path}/${c.body.sid}`, {
          auth: a,
          form: { FriendlyName: 'Renamed', Email: 'new@b.example.com' },
        })
        assert.equal(u.status, 200)
        assert.equal(u.body.friendly_name, 'Renamed')
        assert.equal(u.body.email, 'new@b.example.com')
        assert.equal(u.body.status_callback, 'https://cb.example.com/x')
        const l = await http(s.url, 'GET', `/v1/${path}?FriendlyName=Renamed&PolicySid=${policy}&Status=draft`, {
          auth: a,
        })
        assert.equal(l.status, 200)
        assert.deepEqual(
          l.body.results.map((x: any) => x.sid),
          [c.body.sid],
        )
        assert.equal(l.body.meta.key, 'results')
        assert.match(l.body.meta.url, /Status=draft.*FriendlyName=Renamed.*PolicySid=RN/)
        // The other family's path does not know this SID.
        const otherPath = path === 'CustomerProfiles' ? 'TrustProducts' : 'CustomerProfiles'
        assert.equal((await http(s.url, 'GET', `/v1/${otherPath}/${c.body.sid}`, { auth: a })).status, 404)
        const d = await http(s.url, 'DELETE', `/v1/${path}/${c.body.sid}`, { auth: a })
        assert.equal(d.status, 204)
        assert.equal(d.body, null)
        assert.equal((await http(s.url, 'GET', `/v1/${path}/${c.body.sid}`, { auth: a })).body.code, 20404)
      }
    })

    it('refuses a missing parameter, an unknown policy and a policy of the other kind', async () => {
      const miss = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: a,
        form: { FriendlyName: 'x', PolicySid: PRIMARY_POLICY },
      })
      assert.equal(miss.status, 400)
      assert.match(miss.body.message, /Email/)
      const unknown = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: a,
        form: { FriendlyName: 'x', Email: 'a@b.example.com', PolicySid: 'RN' + '0'.repeat(32) },
      })
      assert.equal(unknown.status, 400)
      assert.match(unknown.body.message, /not a known policy/)
      const wrong = await http(s.url, 'POST', '/v1/TrustProducts', {
        auth: a,
        form: { FriendlyName: 'x', Email: 'a@b.example.com', PolicySid: PRIMARY_POLICY },
      })
      assert.equal(wrong.status, 400)
      assert.match(
        wrong.body.message,
        /Customer Profile policy, not a Trust Product policy: create it with POST \/v1\/CustomerProfiles/,
      )
      const wrong2 = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: a,
        form: { FriendlyName: 'x', Email: 'a@b.example.com', PolicySid: SHAKEN_POLICY },
      })
      assert.match(wrong2.body.message, /Trust Product policy/)
      const mail = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: a,
        form: { FriendlyName: 'x', Email: 'nope', PolicySid: PRIMARY_POLICY },
      })
      assert.equal(mail.status, 400)
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles/BUnot-a-sid', { auth: a })).status, 404)
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles', {})).status, 401)
    })

    it('submission needs a compliant evaluation; noncompliant answers 400 with the failures', async () => {
      const sid = await createBundle(s.url, a, 'CustomerProfiles', PRIMARY_POLICY)
      const r = await submit(s.url, a, 'CustomerProfiles', sid)
      assert.equal(r.status, 400)
      assert.equal(r.body.code, 22214)
      assert.match(r.body.message, /Business Information: .*end user is missing/)
      assert.match(r.body.message, /Physical Business Address/)
      assert.match(r.body.details.evaluation_sid, /^EL/)
      assert.ok(r.body.details.results.every((x: any) => x.passed === false))
      const evals = await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/Evaluations`, { auth: a })
      assert.deepEqual(
        evals.body.results.map((e: any) => e.sid),
        [r.body.details.evaluation_sid],
      )
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}`, { auth: a })).body.status, 'draft')
    })

    it('the customer may only submit; in-review and twilio-* are refused with a clear message', async () => {
      const sid = await makeCompliantProfile(s.url, a)
      for (const st of ['in-review', 'twilio-approved', 'twilio-rejected', 'draft']) {
        const r = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}`, { auth: a, form: { Status: st } })
        assert.equal(r.status, 400, st)
        assert.match(r.body.message, new RegExp(`Status ${st} cannot be set by the customer`))
      }
      assert.equal(
        (await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}`, { auth: a, form: { Status: 'approved' } })).status,
        400,
      )
      const ok = await submit(s.url, a, 'CustomerProfiles', sid)
      assert.equal(ok.status, 200)
      assert.equal(ok.body.status, 'pending-review')
      const row = await s.running.ctx.store.db
        .selectFrom('bundles')
        .selectAll()
        .where('sid', '=', sid)
        .executeTakeFirstOrThrow()
      assert.ok(row.submitted_at)
      const again = await submit(s.url, a, 'CustomerProfiles', sid)
      assert.equal(again.status, 400)
      assert.match(again.body.message, /is pending-review; only a draft or twilio-rejected bundle can be submitted/)
    })

    it("evaluations: 201 with Twilio's results, list and fetch; PolicySid must be the bundle's", async () => {
      const sid = await makeCompliantProfile(s.url, a)
      const bad = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/Evaluations`, {
        auth: a,
        form: { PolicySid: SECONDARY_POLICY },
      })
      assert.equal(bad.status, 400)
      const e = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/Evaluations`, {
        auth: a,
        form: { PolicySid: PRIMARY_POLICY },
      })
      assert.equal(e.status, 201)
      assert.deepEqual(Object.keys(e.body).sort(), [
        'account_sid',
        'customer_profile_sid',
        'date_created',
        'policy_sid',
        'results',
        'sid',
        'status',
        'url',
      ])
      assert.equal(e.body.status, 'compliant')
      assert.equal(e.body.customer_profile_sid, sid)
      assert.equal(e.body.url, `${s.url}/v1/CustomerProfiles/${sid}/Evaluations/${e.body.sid}`)
      assert.equal(e.body.results.length, 4)
      assert.deepEqual(Object.keys(e.body.results[0]).sort(), [
        'error_code',
        'failure_reason',
        'friendly_name',
        'invalid',
        'object_type',
        'passed',
        'requirement_friendly_name',
        'requirement_name',
        'valid',
      ])
      const f = await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/Evaluations/${e.body.sid}`, { auth: a })
      assert.deepEqual(f.body, e.body)
      assert.equal(
        (await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/Evaluations/EL${'0'.repeat(32)}`, { auth: a })).status,
        404,
      )
      const tp = await createBundle(s.url, a, 'TrustProducts', SHAKEN_POLICY)
      const te = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/Evaluations`, {
        auth: a,
        form: { PolicySid: SHAKEN_POLICY },
      })
      assert.equal(te.body.trust_product_sid, tp)
      assert.equal(te.body.status, 'noncompliant')
      // No profile linked: one failing item per type that would do, under one requirement_name.
      assert.deepEqual(
        te.body.results.map((r: any) => [r.requirement_name, r.object_type, r.passed, r.error_code]),
        [
          ['customer_profile', 'primary_customer_profile_type_business', false, 22216],
          ['customer_profile', 'secondary_customer_profile_type_business', false, 22216],
        ],
      )
    })

    it('operator status route: any status, approval sets valid_until (default one year), token required', async () => {
      const a = await newAccount(s.url, 'Status Co')
      const sid = await makeCompliantProfile(s.url, a)
      assert.equal(
        (await http(s.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, { json: { Status: 'twilio-approved' } })).status,
        401,
      )
      assert.equal(
        (await http(s.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, { auth: a, json: { Status: 'twilio-approved' } }))
          .status,
        401,
      )
      assert.equal((await setStatus(s.url, 'BU' + '0'.repeat(32), 'in-review')).status, 404)
      assert.equal((await setStatus(s.url, sid, 'approved')).status, 400)
      assert.equal((await setStatus(s.url, sid, 'twilio-rejected', { Errors: [17000] })).status, 400)
      assert.equal((await setStatus(s.url, sid, 'twilio-approved', { ValidUntil: 'soon' })).status, 400)
      const inReview = await setStatus(s.url, sid, 'in-review')
      assert.equal(inReview.status, 200)
      assert.equal(inReview.body.status, 'in-review')
      const approved = await setStatus(s.url, sid, 'twilio-approved')
      assert.equal(approved.body.status, 'twilio-approved')
      const days = (Date.parse(approved.body.valid_until) - Date.now()) / 86400000
      assert.ok(days > 364 && days < 366, `valid_until ${approved.body.valid_until}`)
      // Within STIRHUB_MAX_APPROVAL_DAYS (two years) from any day this test runs, or past (the operator may set that).
      const form = await http(s.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
        auth: { bearer: ADMIN_TOKEN },
        form: { Status: 'twilio-approved', ValidUntil: '2028-01-02T03:04:05Z' },
      })
      assert.equal(form.body.valid_until, '2028-01-02T03:04:05Z')
      const rejected = await setStatus(s.url, sid, 'twilio-rejected', {
        Errors: '18601,18606',
        FailureReason: 'email domain differs from website',
      })
      assert.deepEqual(rejected.body.errors, [{ code: 18601 }, { code: 18606 }])
      assert.equal(rejected.body.valid_until, null)
      const row = await s.running.ctx.store.db
        .selectFrom('bundles')
        .selectAll()
        .where('sid', '=', sid)
        .executeTakeFirstOrThrow()
      assert.equal(row.failure_reason, 'email domain differs from website')
      // A rejected bundle can be resubmitted; that clears the errors.
      const re = await submit(s.url, a, 'CustomerProfiles', sid)
      assert.equal(re.body.status, 'pending-review')
      assert.equal(re.body.errors, null)
    })

    it("secondary profiles: only for an ISV with an approved isv_reseller_or_partner primary, own or parent's", async () => {
      const direct = await newAccount(s.url, 'Direct')
      const none = await http(s.url, 'POST', '/v1/CustomerProfiles', {
        auth: direct,
        form: { FriendlyName: 'x', Email: 'a@b.example.com', PolicySid: SECONDARY_POLICY },
      })
      assert.equal(none.status, 400)
      assert.match(none.body.message, /business_identity isv_reseller_or_partner/)
      await makeApprovedPrimaryProfile(s.url, direct)
      assert.match(
        (
          await http(s.url, 'POST', '/v1/CustomerProfiles', {
            auth: direct,
            form: { FriendlyName: 'x', Email: 'a@b.example.com', PolicySid: SECONDARY_POLICY },
          })
        ).body.message,
        /ISV\/reseller/,
      )
      const isv = await newAccount(s.url, 'ISV')
      const primary = await makeApprovedPrimaryProfile(s.url, isv, { identity: 'isv_reseller_or_partner' })
      const customer = await newSubAccount(s.url, isv, 'ISV customer')
      const pn = await addNumber(s.url, customer)
      const sec = await makeCompliantProfile(s.url, customer, {
        policySid: SECONDARY_POLICY,
        primarySid: primary,
        numbers: [pn],
      })
      assert.equal((await submit(s.url, customer, 'CustomerProfiles', sec)).status, 200)
      // The parent's profile is reachable from the child, never the child's from the parent's bundles,
      // and an unrelated account's primary is not found at all.
      const otherIsv = await newAccount(s.url, 'Other ISV')
      const foreign = await makeApprovedPrimaryProfile(s.url, otherIsv, { identity: 'isv_reseller_or_partner' })
      const sec2 = await createBundle(s.url, customer, 'CustomerProfiles', SECONDARY_POLICY)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${sec2}/EntityAssignments`, {
            auth: customer,
            form: { ObjectSid: foreign },
          })
        ).status,
        400,
      )
      const isvTp = await createBundle(s.url, isv, 'TrustProducts', SHAKEN_POLICY)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/TrustProducts/${isvTp}/EntityAssignments`, {
            auth: isv,
            form: { ObjectSid: sec },
          })
        ).status,
        400,
      )
      // Once the ISV's primary is rejected, a new secondary's evaluation says why.
      await setStatus(s.url, primary, 'twilio-rejected')
      await assign(s.url, customer, 'CustomerProfiles', sec2, primary)
      const e = await http(s.url, 'POST', `/v1/CustomerProfiles/${sec2}/Evaluations`, {
        auth: customer,
        form: { PolicySid: SECONDARY_POLICY },
      })
      const req = e.body.results.find((x: any) => x.requirement_name === 'primary_customer_profile')
      assert.match(req.failure_reason, /twilio-rejected; it must be twilio-approved/)
    })

    it("tenancy: another account's bundle is 404; a parent sees and acts on its sub-account's, never the reverse", async () => {
      const parent = await newAccount(s.url, 'Parent')
      const child = await newSubAccount(s.url, parent, 'Child')
      const stranger = await newAccount(s.url, 'Stranger')
      const childBu = await createBundle(s.url, child, 'CustomerProfiles', PRIMARY_POLICY)
      const parentBu = await createBundle(s.url, parent, 'CustomerProfiles', PRIMARY_POLICY)
      const strangerRes = await http(s.url, 'GET', `/v1/CustomerProfiles/${childBu}`, { auth: stranger })
      const missingRes = await http(s.url, 'GET', `/v1/CustomerProfiles/BU${'0'.repeat(32)}`, { auth: stranger })
      assert.equal(strangerRes.status, 404)
      assert.equal(strangerRes.body.code, 20404)
      assert.deepEqual(Object.keys(strangerRes.body).sort(), Object.keys(missingRes.body).sort())
      for (const [method, path] of [
        ['GET', ''],
        ['POST', ''],
        ['DELETE', ''],
        ['GET', '/EntityAssignments'],
        ['GET', '/ChannelEndpointAssignments'],
        ['GET', '/Evaluations'],
      ] as const) {
        assert.equal(
          (
            await http(s.url, method, `/v1/CustomerProfiles/${childBu}${path}`, {
              auth: stranger,
              form: method === 'POST' ? { FriendlyName: 'hijack' } : undefined,
            })
          ).status,
          404,
          `${method} ${path}`,
        )
      }
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${parentBu}`, { auth: child })).status, 404)
      const seen = await http(s.url, 'GET', `/v1/CustomerProfiles/${childBu}`, { auth: parent })
      assert.equal(seen.status, 200)
      assert.equal(seen.body.account_sid, child.sid)
      const renamed = await http(s.url, 'POST', `/v1/CustomerProfiles/${childBu}`, {
        auth: parent,
        form: { FriendlyName: 'by parent' },
      })
      assert.equal(renamed.body.friendly_name, 'by parent')
      // Lists are per account: the parent's list holds its own; the parent's token as the child lists the child's.
      assert.deepEqual(
        (await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: parent })).body.results.map((x: any) => x.sid),
        [parentBu],
      )
      assert.deepEqual(
        (
          await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: { sid: child.sid, token: parent.token } })
        ).body.results.map((x: any) => x.sid),
        [childBu],
      )
      assert.equal((await http(s.url, 'DELETE', `/v1/CustomerProfiles/${childBu}`, { auth: parent })).status, 204)
    })

    it('delete cascades assignments and evaluations in one go', async () => {
      const pn = await addNumber(s.url, a)
      const sid = await makeCompliantProfile(s.url, a, { numbers: [pn] })
      await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/Evaluations`, {
        auth: a,
        form: { PolicySid: PRIMARY_POLICY },
      })
      assert.equal((await http(s.url, 'DELETE', `/v1/CustomerProfiles/${sid}`, { auth: a })).status, 204)
      const db = s.running.ctx.store.db
      for (const t of ['entity_assignments', 'channel_endpoint_assignments', 'evaluations'] as const) {
        assert.equal((await db.selectFrom(t).select('sid').where('bundle_sid', '=', sid).execute()).length, 0, t)
      }
      // The number is free for another profile now.
      await makeCompliantProfile(s.url, a, { numbers: [pn] })
    })

    it("GET …/Checks dry-runs the automated checks on the caller's own bundle: nothing stored, duplicates without SIDs", async () => {
      const number = `7${Math.floor(Math.random() * 10)}-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
      const original = await newAccount(s.url, 'Original Co')
      await makeApprovedPrimaryProfile(s.url, original, { business: { business_registration_number: number } })
      const copycat = await newAccount(s.url, 'Copycat Co')
      const draft = await makeCompliantProfile(s.url, copycat, { business: { business_registration_number: number } })
      const r = await http(s.url, 'GET', `/v1/CustomerProfiles/${draft}/Checks`, { auth: copycat })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.bundle_sid, draft)
      const by = Object.fromEntries(r.body.checks.map((c: any) => [c.name, c]))
      assert.equal(by.policy_requirements.passed, true)
      assert.equal(by.registration_number_format.passed, true)
      assert.equal(by.representative_phones.passed, false, 'a 555-01xx number is fictional')
      assert.deepEqual(by.duplicate_registration, {
        name: 'duplicate_registration',
        passed: false,
        evidence: 'the registration number is already approved on 1 other account',
      })
      assert.ok(!JSON.stringify(r.body).includes(original.sid), "another account's SID is never shown")
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${draft}`, { auth: copycat })).body.status, 'draft')
      const evals = await http(s.url, 'GET', `/v1/CustomerProfiles/${draft}/Evaluations`, { auth: copycat })
      assert.deepEqual(evals.body.results, [], 'nothing stored')
      const stranger = await newAccount(s.url, 'Stranger Co')
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${draft}/Checks`, { auth: stranger })).status, 404)
      assert.equal((await http(s.url, 'GET', `/v1/TrustProducts/${draft}/Checks`, { auth: copycat })).status, 404)
    })

    it('two submissions at once: exactly one wins, one evaluation each at most', async () => {
      const a = await newAccount(s.url, 'Race Co')
      const sid = await makeCompliantProfile(s.url, a)
      const res = await Promise.all([
        submit(s.url, a, 'CustomerProfiles', sid),
        submit(s.url, a, 'CustomerProfiles', sid),
        submit(s.url, a, 'CustomerProfiles', sid),
      ])
      assert.deepEqual(res.map((r) => r.status).sort(), [200, 400, 400])
      for (const r of res.filter((x) => x.status === 400))
        assert.match(r.body.message, /is pending-review; only a draft or twilio-rejected bundle can be submitted/)
      const evals = await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/Evaluations`, { auth: a })
      assert.equal(evals.body.results.length, 1)
    })
  })
}
