/**
 * POST /admin/v1/traceback on SQLite and PostgreSQL: from a real Identity header the server
 * signed over REST it names the account (and an ISV's parent), the approved business profile
 * with its representative and address, the trust product, the number's origin (bought from the
 * inventory, or hosted with its LOA) and the decision with its reasons as recorded; a header
 * signed with another key or certificate, or altered after signing, is "not signed by this
 * platform"; origid + orig + dest + time finds the same call; an origid with no record still
 * names its account; malformed bodies are 400 naming the field; only the operator may ask.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import {
  addNumber,
  assignNumber,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  randomUsNumber,
  submitAndApprove,
} from './helpers/onboarding.js'
import { fileOrder } from './helpers/hosted-numbers.js'
import { act, newReviewer } from './helpers/vetting.js'
import { buildWorld } from './helpers/attestation-world.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { buildTestPki } from './helpers/test-pki.js'
import { provisionDevCertificate } from '../src/stir/cert/signer.js'
import { pruneCallRecords } from '../src/store/call-records.repo.js'

const operator = { bearer: ADMIN_TOKEN }
const DEST = '+12025550143'

for (const dialect of DIALECTS) {
  describe(`POST /admin/v1/traceback [${dialect}]`, () => {
    let s: TestServer
    let c: Creds
    let profile: string
    let tp: string
    let bought: { sid: string; phone: string }
    let hosted: { sid: string; phone: string; order: string }
    before(async () => {
      s = await startServer(dialect)
      c = await newAccount(s.url, 'Traceback Co')
      profile = await makeApprovedPrimaryProfile(s.url, c)
      const pn = await addNumber(s.url, c)
      const phone = (
        await http(s.url, 'GET', `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: c })
      ).body.phone_number as string
      bought = { sid: pn, phone }
      await assignNumber(s.url, c, 'CustomerProfiles', profile, pn)
      tp = await makeTrustProduct(s.url, c, profile, [pn])
      await submitAndApprove(s.url, c, 'TrustProducts', tp)
      // A hosted number: an order whose LOA matches the profile, reviewed and approved.
      const ad = (
        await http(s.url, 'POST', `/2010-04-01/Accounts/${c.sid}/Addresses.json`, {
          auth: c,
          form: {
            CustomerName: 'Acme Inc',
            Street: '1 Main Street',
            City: 'san francisco',
            Region: 'CA',
            PostalCode: '94105-1234',
            IsoCountry: 'US',
          },
        })
      ).body.sid
      const hostedPhone = randomUsNumber()
      const order = (await fileOrder(s.url, c, hostedPhone, ad)).body.sid as string
      const rita = await newReviewer(s.url)
      assert.equal((await act(s.url, rita, order, 'Claim')).status, 200)
      const approved = await act(s.url, rita, order, 'Approve')
      assert.equal(approved.status, 200, JSON.stringify(approved.body))
      const hostedPn = (await http(s.url, 'GET', `/v2/HostedNumber/Orders/${order}`, { auth: c })).body
        .incoming_phone_number_sid as string
      await assignNumber(s.url, c, 'CustomerProfiles', profile, hostedPn)
      await assignNumber(s.url, c, 'TrustProducts', tp, hostedPn)
      hosted = { sid: hostedPn, phone: hostedPhone, order }
    })
    after(async () => {
      await s.stop()
    })

    /** Signs a call over REST as `who` and writes the records now; returns the Identity header. */
    async function sign(who: Creds, from: string, iat = Math.floor(Date.now() / 1000)): Promise<string> {
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: who,
        json: { signingRequest: { attest: 'A', dest: { tn: [DEST] }, iat, orig: { tn: from }, origid: randomUUID() } },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      await s.running.ctx.calls.flush()
      return r.body.signingResponse.identity
    }
    const trace = (body: Record<string, unknown>, form = false, auth: Creds | { bearer: string } = operator) =>
      http(
        s.url,
        'POST',
        '/admin/v1/traceback',
        form ? { auth, form: body as Record<string, string> } : { auth, json: body },
      )
    const claimsOf = (identity: string) => JSON.parse(Buffer.from(identity.split('.')[1]!, 'base64url').toString())

    it('from an Identity header signed over REST: the account, business, trust product, inventory number and the decision as recorded', async () => {
      const identity = await sign(c, bought.phone)
      const r = await trace({ identity })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const t = r.body
      assert.equal(t.signed_by_this_platform, true)
      assert.equal(t.found, true)
      assert.equal(t.note, null)
      assert.equal(t.signature.certificate_status, 'active')
      assert.equal(t.calls.length, 1)
      assert.match(t.calls[0].sid, /^CL[0-9a-f]{32}$/)
      assert.equal(t.calls[0].kind, 'signed')
      assert.equal(t.calls[0].attest, 'A')
      assert.equal(t.calls[0].identity_hash, t.signature.identity_hash)
      assert.deepEqual(t.account, { sid: c.sid, friendly_name: 'Traceback Co', status: 'active' })
      assert.equal(t.parent_account, null)
      const p = t.business_profile
      assert.equal(p.sid, profile)
      assert.equal(p.status, 'twilio-approved')
      assert.equal(p.legal_name, 'Acme Inc')
      assert.equal(p.registration_number, '12-3456789')
      assert.equal(p.registration_type, 'EIN')
      assert.equal(p.contact_email, 'ops@acme.example.com')
      assert.deepEqual(
        p.addresses.map((a: any) => [a.street, a.city, a.region, a.postal_code]),
        [['1 Main St', 'San Francisco', 'CA', '94105']],
      )
      assert.deepEqual(
        p.authorized_representatives.map((x: any) => [x.first_name, x.last_name, x.email, x.business_title]),
        [['Jane', 'Doe', 'jane@acme.example.com', 'CEO']],
      )
      assert.equal(t.trust_product.sid, tp)
      assert.equal(t.trust_product.status, 'twilio-approved')
      assert.ok(Date.parse(t.trust_product.valid_until) > Date.now())
      assert.equal(t.number.phone_number, bought.phone)
      assert.equal(t.number.origin_as_recorded, 'inventory')
      assert.deepEqual([t.number.held.sid, t.number.held.origin], [bought.sid, 'inventory'])
      assert.equal(t.number.hosted_number_order, null)
      // The decision and its reasons, exactly as the engine explains them for this number.
      const explained = (
        await http(
          s.url,
          'GET',
          `/stir/v1/attestation?from=${encodeURIComponent(bought.phone)}&to=${encodeURIComponent(DEST)}`,
          { auth: c },
        )
      ).body
      assert.equal(t.decision.attest, 'A')
      assert.equal(t.decision.rule, explained.rule)
      assert.deepEqual(t.decision.reasons, explained.reasons)
      assert.equal(t.decision.profile_sid, profile)
      assert.equal(t.decision.trust_product_sid, tp)
      assert.equal(t.decision.number_origin, 'inventory')
      assert.deepEqual(t.calls[0].decision, {
        rule: t.decision.rule,
        reasons: t.decision.reasons,
        profile_sid: profile,
        trust_product_sid: tp,
        number_origin: 'inventory',
      })
      // As pasted from a SIP trace: the field name, other spacing; and as a form.
      const pasted = await trace({ identity: `Identity: ${identity.replaceAll(';', ' ; ')}` })
      assert.equal(pasted.status, 200)
      assert.equal(pasted.body.calls[0]?.sid, t.calls[0].sid)
      const form = await trace({ identity }, true)
      assert.equal(form.body.calls[0]?.sid, t.calls[0].sid)
    })

    it('a hosted number: its order (the LOA) and the LOA address', async () => {
      const t = (await trace({ identity: await sign(c, hosted.phone) })).body
      assert.equal(t.found, true)
      assert.equal(t.decision.attest, 'A')
      assert.equal(t.number.origin_as_recorded, 'hosted')
      assert.deepEqual([t.number.held.sid, t.number.held.origin], [hosted.sid, 'hosted'])
      const o = t.number.hosted_number_order
      assert.equal(o.sid, hosted.order)
      assert.equal(o.status, 'completed')
      assert.equal(o.contact_name, 'Jane Doe')
      assert.equal(o.email, 'jane@acme.example.com')
      assert.equal(o.current_carrier, 'Old Telco')
      assert.equal(t.number.loa_address.street, '1 Main Street')
    })

    it("an ISV's sub-account: the parent is named", async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'isv-sub')
      const t = (await trace({ identity: await sign(w.caller, w.number.phone) })).body
      assert.equal(t.account.sid, w.caller.sid)
      assert.equal(t.parent_account.sid, w.top.sid)
      assert.equal(t.parent_account.friendly_name, 'top isv-sub')
      assert.equal(t.business_profile.sid, w.profileSid)
      assert.equal(t.trust_product.sid, w.trustSid)
    })

    it('not signed by this platform: another key under our x5u, another certificate, an altered payload', async () => {
      const identity = await sign(c, bought.phone)
      const x5u = /;info=<([^>]+)>/.exec(identity)![1]!
      const claims = claimsOf(identity)
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      const forged = identityOf(forgeJws(shakenHeader(x5u), claims, other), x5u)
      const a = await trace({ identity: forged })
      assert.equal(a.status, 200)
      assert.equal(a.body.signed_by_this_platform, false)
      assert.match(
        a.body.reason,
        /names our certificate CR[0-9a-f]{32}.*altered after signing or signed with another key/,
      )
      assert.deepEqual(Object.keys(a.body).sort(), ['reason', 'signed_by_this_platform'])

      const pki = await buildTestPki(new Date(), 'https://cr.example.com')
      const theirs = 'https://cr.example.com/sp.pem'
      const b = await trace({
        identity: identityOf(forgeJws(shakenHeader(theirs), shakenClaims(claims.iat), pki.leaves.good.key), theirs),
      })
      assert.equal(b.body.signed_by_this_platform, false)
      assert.match(
        b.body.reason,
        /does not verify with any of this platform's \d+ signing certificates?.*x5u https:\/\/cr\.example\.com\/sp\.pem is not one of ours/,
      )

      // Our signature over other claims: the payload swapped for one calling from another number.
      const [h, , sig] = identity.split(';')[0]!.split('.')
      const altered = Buffer.from(JSON.stringify({ ...claims, orig: { tn: '12125550100' } })).toString('base64url')
      const c2 = await trace({ identity: `${h}.${altered}.${sig};info=<${x5u}>;alg=ES256;ppt=shaken` })
      assert.equal(c2.body.signed_by_this_platform, false)
      assert.match(c2.body.reason, /altered after signing/)
    })

    it('origid + orig + dest + time (ISO 8601 or NumericDate, JSON or form) finds the call', async () => {
      const iat = Math.floor(Date.now() / 1000)
      const identity = await sign(c, bought.phone, iat)
      const want = (await trace({ identity })).body.calls[0].sid
      const { origid } = claimsOf(identity)
      const byIso = await trace({
        origid,
        orig: bought.phone,
        dest: '(202) 555-0143',
        time: new Date((iat + 20) * 1000).toISOString(),
      })
      assert.equal(byIso.status, 200, JSON.stringify(byIso.body))
      assert.equal(byIso.body.signed_by_this_platform, null)
      assert.ok(byIso.body.calls.some((x: any) => x.sid === want))
      assert.equal(byIso.body.account.sid, c.sid)
      assert.equal(byIso.body.business_profile.legal_name, 'Acme Inc')
      assert.equal(byIso.body.signature, null)
      const byNumeric = await trace({ origid, orig: bought.phone.slice(1), dest: DEST, time: String(iat) }, true)
      assert.ok(byNumeric.body.calls.some((x: any) => x.sid === want))
      const json = await trace({ origid: origid.toUpperCase(), orig: bought.phone, dest: DEST, time: iat })
      assert.ok(json.body.calls.some((x: any) => x.sid === want))
      // Another called number: not this call.
      const elsewhere = await trace({ origid, orig: bought.phone, dest: '+12125550199', time: iat })
      assert.equal(elsewhere.body.calls.length, 0)
    })

    it('an origid with no record left still names its account; an unknown origid names none', async () => {
      const { origid } = claimsOf(await sign(c, bought.phone))
      const dayBefore = new Date(Date.now() - 86_400_000).toISOString()
      const r = await trace({ origid, orig: bought.phone, dest: DEST, time: dayBefore })
      assert.equal(r.status, 200)
      assert.equal(r.body.found, false)
      assert.deepEqual(r.body.calls, [])
      assert.equal(r.body.account.sid, c.sid)
      assert.match(r.body.note, new RegExp(`no call record was found.*account ${c.sid}'s`))
      assert.equal(r.body.decision, null)
      const unknown = await trace({ origid: randomUUID(), orig: bought.phone, dest: DEST, time: dayBefore })
      assert.equal(unknown.body.found, false)
      assert.equal(unknown.body.account, null)
      assert.match(unknown.body.note, /no account of this platform has this origid/)
    })

    it('malformed bodies are 400 naming the field', async () => {
      const origid = randomUUID()
      const base = { origid, orig: bought.phone, dest: DEST, time: '2026-12-06T17:00:00Z' }
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'identity'],
        [{ identity: '' }, 'identity'],
        [{ identity: 'not a header' }, 'identity'],
        [{ identity: 'a.b;info=<https://x.example/c.pem>' }, 'identity'],
        [{ identity: 'x', origid }, 'identity'],
        [{ ...base, origid: 'nope' }, 'origid'],
        [{ ...base, origid: undefined }, 'origid'],
        [{ ...base, orig: 'banana' }, 'orig'],
        [{ ...base, dest: undefined }, 'dest'],
        [{ ...base, time: 'yesterday' }, 'time'],
        [{ ...base, time: '2026-12-06T17:00:00' }, 'time'],
        [{ ...base, time: '2026-02-31T17:00:00Z' }, 'time'],
        [{ ...base, time: '2026-12-06T24:00:00Z' }, 'time'],
        [{ ...base, time: 1_765_000_000_000_000 }, 'time'],
        [{ ...base, time: -5 }, 'time'],
        [{ ...base, time: undefined }, 'time'],
      ]
      for (const [body, field] of cases) {
        const r = await trace(body)
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`)
        assert.equal(r.body.code, 20001)
        assert.match(r.body.message, new RegExp(`\\b${field}\\b`), JSON.stringify(body))
      }
      const notJson = await http(s.url, 'POST', '/admin/v1/traceback', {
        auth: operator,
        headers: { 'content-type': 'application/json' },
        raw: '{',
      })
      assert.equal(notJson.status, 400)
    })

    it('only the operator: a customer credential and a reviewer token are refused', async () => {
      const identity = await sign(c, bought.phone)
      assert.equal((await trace({ identity }, false, c)).status, 401)
      const rita = await newReviewer(s.url, 'Tracy Reviewer')
      assert.equal((await trace({ identity }, false, { bearer: rita.token })).status, 401)
      assert.equal((await http(s.url, 'POST', '/admin/v1/traceback', { json: { identity } })).status, 401)
    })

    it('a call signed with a certificate since retired still traces to us', async () => {
      const identity = await sign(c, bought.phone)
      await provisionDevCertificate(s.running.ctx.signer, {
        dataDir: s.dataDir,
        publicUrl: s.url,
        clock: () => new Date(),
      })
      const t = (await trace({ identity })).body
      assert.equal(t.signed_by_this_platform, true)
      assert.equal(t.signature.certificate_status, 'retired')
      assert.equal(t.account.sid, c.sid)
    })

    it('a header we signed whose records are gone (retention): not found, its origid names the account', async () => {
      const identity = await sign(c, bought.phone)
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
      await pruneCallRecords(s.running.ctx.store.db, `${tomorrow}T00:00:00.000Z`)
      const t = (await trace({ identity })).body
      assert.equal(t.signed_by_this_platform, true)
      assert.equal(t.found, false)
      assert.deepEqual(t.calls, [])
      assert.equal(t.account.sid, c.sid)
      assert.equal(t.claims.orig, bought.phone.slice(1))
      assert.match(t.note, /no call record was found \(retention passed, recording was off/)
      assert.equal(t.decision, null)
      assert.equal(t.number.phone_number, bought.phone)
    })
  })
}
