/**
 * Branded Calls and CNAM trust products over HTTP on both stores (docs/branding.md): the
 * catalogue as the twilio SDK reads it, evaluation of what they rest on, every vetting check
 * with good and bad inputs (logos served by a real local server: forbidden addresses,
 * redirects, oversized and non-image bodies, a server that never answers), the pin written at
 * approval, and a copy that changes the name and logo re-pinning the original at ReplaceItems.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { sdk } from './helpers/twilio-sdk.js'
import { addNumber, assign, assignNumber, createBundle, setStatus, submit } from './helpers/onboarding.js'
import { act, newReviewer, review, type Reviewer } from './helpers/vetting.js'
import { png } from './helpers/images.js'
import {
  BRANDED_POLICY,
  CNAM_POLICY,
  brandingProduct,
  checksOf,
  readyToBrand,
  setAttributes,
  startLogoServer,
  type LogoServer,
} from './helpers/branding.js'
import { approvedBrandsOf } from '../src/store/brands.repo.js'
import { OpenApiCheck } from './helpers/openapi-check.js'

const sha = (b: Buffer) => `sha256-${createHash('sha256').update(b).digest('base64')}`

for (const dialect of DIALECTS) {
  describe(`branding trust products [${dialect}]`, () => {
    let s: TestServer
    let logos: LogoServer
    let rita: Reviewer
    before(async () => {
      logos = await startLogoServer()
      s = await startServer(dialect, { env: { STIRHUB_LOGO_ALLOW: logos.host } })
      rita = await newReviewer(s.url, 'Rita Reviewer')
    })
    after(async () => {
      await s.stop()
      await logos.stop()
    })

    it('the catalogue lists both policies and their end-user types in Twilio shapes (SDK)', async () => {
      const a = await newAccount(s.url, 'Catalogue')
      const client = sdk(s.url, a)
      const branded = await client.trusthub.v1.policies(BRANDED_POLICY).fetch()
      assert.equal(branded.friendlyName, 'Branded Calls Trust Product')
      const req = branded.requirements as any
      assert.deepEqual(
        req.end_user.map((e: any) => [e.type, e.fields]),
        [
          [
            'branded_calls_information',
            ['branded_calls_display_name', 'branded_calls_logo_url', 'branded_calls_call_reason', 'doing_business_as'],
          ],
        ],
      )
      assert.deepEqual(
        req.supporting_customer_profiles.map((p: any) => p.type),
        ['primary_customer_profile_type_business', 'secondary_customer_profile_type_business'],
      )
      assert.deepEqual(req.supporting_trust_products, [
        {
          type: 'shaken_stir_trust_product',
          name: 'SHAKEN/STIR Trust Product',
          requirement_name: 'shaken_stir_trust_product',
        },
      ])
      const cnam = await client.trusthub.v1.policies(CNAM_POLICY).fetch()
      assert.deepEqual(
        (cnam.requirements as any).end_user.map((e: any) => e.type),
        ['cnam_information'],
      )
      const types = await client.trusthub.v1.endUserTypes.list()
      const cnamType = types.find((t) => t.machineName === 'cnam_information')
      assert.deepEqual(
        (cnamType?.fields as any[]).map((f) => f.machine_name),
        ['cnam_display_name', 'doing_business_as'],
      )
    })

    it('evaluation names what a branding product rests on: an approved profile and SHAKEN/STIR product of that profile', async () => {
      const a = await newAccount(s.url, 'Evaluated')
      const b = await readyToBrand(s.url, a)
      const client = sdk(s.url, a)
      // Made with the SDK as Twilio's CNAM guide makes its product.
      const made = await client.trusthub.v1.trustProducts.create({
        friendlyName: 'Acme brand',
        email: 'ops@acme.example.com',
        policySid: BRANDED_POLICY,
      })
      const tp = made.sid
      assert.equal(made.policySid, BRANDED_POLICY)
      const eu = await client.trusthub.v1.endUsers.create({
        friendlyName: 'Acme brand info',
        type: 'branded_calls_information',
        attributes: { branded_calls_display_name: 'Acme' },
      })
      await client.trusthub.v1.trustProducts(tp).trustProductsEntityAssignments.create({ objectSid: eu.sid })
      await client.trusthub.v1.trustProducts(tp).trustProductsEntityAssignments.create({ objectSid: b.profile })
      let ev = await client.trusthub.v1.trustProducts(tp).trustProductsEvaluations.create({ policySid: BRANDED_POLICY })
      assert.equal(ev.status, 'noncompliant')
      const missing = (ev.results as any[]).find((r) => r.requirement_name === 'shaken_stir_trust_product')
      assert.equal(missing.passed, false)
      assert.equal(missing.error_code, 22216)
      assert.match(missing.failure_reason, /SHAKEN\/STIR Trust Product is missing/)
      // A SHAKEN/STIR product that is not approved (a draft of the same profile) fails by name.
      const draft = await createBundle(s.url, a, 'TrustProducts', 'RN7a97559effdf62d00f4298208492a5ea', 'draft shaken')
      await assign(s.url, a, 'TrustProducts', draft, b.profile)
      await assign(s.url, a, 'TrustProducts', tp, draft)
      ev = await client.trusthub.v1.trustProducts(tp).trustProductsEvaluations.create({ policySid: BRANDED_POLICY })
      const item = (ev.results as any[]).find((r) => r.requirement_name === 'shaken_stir_trust_product')
      assert.match(item.failure_reason, new RegExp(`${draft} is draft; it must be twilio-approved`))
      const refused = await submit(s.url, a, 'TrustProducts', tp)
      assert.equal(refused.status, 400)
      assert.equal(refused.body.code, 22214)
      // Only one SHAKEN/STIR product per branding product.
      const second = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/EntityAssignments`, {
        auth: a,
        form: { ObjectSid: b.shaken },
      })
      assert.equal(second.status, 400)
      assert.match(second.body.message, /already links/)
      await http(
        s.url,
        'DELETE',
        `/v1/TrustProducts/${tp}/EntityAssignments/${(await http(s.url, 'GET', `/v1/TrustProducts/${tp}/EntityAssignments`, { auth: a })).body.results.find((r: any) => r.object_sid === draft).sid}`,
        { auth: a },
      )
      await assign(s.url, a, 'TrustProducts', tp, b.shaken)
      ev = await client.trusthub.v1.trustProducts(tp).trustProductsEvaluations.create({ policySid: BRANDED_POLICY })
      assert.equal(ev.status, 'compliant', JSON.stringify(ev.results))
    })

    it('numbers of a branding product must be on its SHAKEN/STIR product first', async () => {
      const a = await newAccount(s.url, 'Numbers')
      const b = await readyToBrand(s.url, a)
      const { sid } = await brandingProduct(s.url, a, b, 'cnam', { cnam_display_name: 'ACME' })
      const other = (await http(s.url, 'GET', `/v1/TrustProducts/${b.shaken}/ChannelEndpointAssignments`, { auth: a }))
        .body
      assert.equal(other.results.length, 1)
      const pn2 = await addNumber(s.url, a)
      await assignNumber(s.url, a, 'CustomerProfiles', b.profile, pn2)
      const r = await http(s.url, 'POST', `/v1/TrustProducts/${sid}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pn2 },
      })
      assert.equal(r.status, 400)
      assert.match(
        r.body.message,
        new RegExp(`must first be assigned to the linked SHAKEN/STIR Trust Product ${b.shaken}`),
      )
    })

    it('the logo check fetches through the guard: good, forbidden, redirected, oversized, non-image, unsafe SVG and slow logos', async () => {
      const a = await newAccount(s.url, 'Logos')
      const b = await readyToBrand(s.url, a)
      const attrs = (logo: string) => ({
        branded_calls_display_name: 'Acme',
        branded_calls_logo_url: logo,
        branded_calls_call_reason: ['Appointment reminder'],
      })
      const { sid, endUser: eu } = await brandingProduct(s.url, a, b, 'branded_calls', attrs(`${logos.base}/logo.png`))
      let c = await checksOf(s.url, a, sid)
      const served = (logos.routes.get('/logo.png') as { body: Buffer }).body
      assert.equal(c.byName.get('brand_logo')?.passed, true, c.byName.get('brand_logo')?.evidence)
      assert.match(
        c.byName.get('brand_logo')!.evidence,
        new RegExp(`PNG 128×128 px, ${served.length} bytes, ${sha(served).replace(/[+/]/g, '\\$&')}`),
      )
      assert.equal(c.body.brand.logo.digest, sha(served))
      assert.equal(c.body.brand.logo.data_uri, `data:image/png;base64,${served.toString('base64')}`)
      logos.routes.set('/elsewhere', { redirect: 'http://127.0.0.2:9/logo.png' })
      const bad: [string, RegExp][] = [
        ['https://169.254.169.254/logo.png', /could not be fetched: .*(address|forbidden)/],
        ['https://10.0.0.1/logo.png', /could not be fetched: .*(address|forbidden)/],
        [`http://127.0.0.1:1/logo.png`, /could not be fetched: .*http: not allowed/],
        ['https://example.com:8080/logo.png', /could not be fetched: port 8080 not allowed/],
        [`${logos.base}/elsewhere`, /could not be fetched: redirect to another host/],
        [`${logos.base}/big.png`, /could not be fetched: .*over 1048576/],
        [`${logos.base}/page.html`, /not a PNG, JPEG or SVG image/],
        [`${logos.base}/small.png`, /at least 64/],
        [`${logos.base}/evil.svg`, /<script>/],
        [`${logos.base}/missing.png`, /could not be fetched: HTTP 404/],
      ]
      for (const [url, why] of bad) {
        await setAttributes(s.url, a, eu, attrs(url))
        c = await checksOf(s.url, a, sid)
        const check = c.byName.get('brand_logo')!
        assert.equal(check.passed, false, url)
        assert.match(check.evidence, why, url)
      }
      const t0 = Date.now()
      await setAttributes(s.url, a, eu, attrs(`${logos.base}/slow.png`))
      c = await checksOf(s.url, a, sid)
      assert.match(c.byName.get('brand_logo')!.evidence, /no complete answer within 5000 ms/)
      assert.ok(Date.now() - t0 < 15_000, 'a slow server is cut off by the deadline')
    })

    it('the name is compared with the legal name (distance shown), a DBA, and other accounts’ approved brands, homoglyphs folded', async () => {
      const acme = await newAccount(s.url, 'Acme Bank')
      const ab = await readyToBrand(s.url, acme, { business_name: 'Acme Bank, Inc.' })
      const { sid: acmeBrand } = await brandingProduct(s.url, acme, ab, 'branded_calls', {
        branded_calls_display_name: 'ACME BANK',
      })
      let c = await checksOf(s.url, acme, acmeBrand)
      const match = c.byName.get('brand_name_matches_business')!
      assert.equal(match.passed, true, match.evidence)
      assert.match(match.evidence, /legal name "Acme Bank, Inc." \(normalised "acme bank", distance 0\)/)
      assert.equal(c.body.brand.comparison.distance, 0)
      must200(await submit(s.url, acme, 'TrustProducts', acmeBrand))
      must200(await act(s.url, rita, acmeBrand, 'Approve'))

      const mallory = await newAccount(s.url, 'Mallory')
      const mb = await readyToBrand(s.url, mallory, { business_name: 'Acme Bank LLC' })
      const { sid: lookalike, endUser: eu } = await brandingProduct(s.url, mallory, mb, 'branded_calls', {
        branded_calls_display_name: 'Асme Bаnk', // Cyrillic А, с and а
      })
      c = await checksOf(s.url, mallory, lookalike)
      const unique = c.byName.get('brand_name_not_confusable')!
      assert.equal(unique.passed, false)
      assert.equal(
        unique.evidence,
        'the name looks like a brand already approved on another account',
        'the dry run names no other account',
      )
      await setAttributes(s.url, mallory, eu, { branded_calls_display_name: 'Acme Bank Widgets' })
      c = await checksOf(s.url, mallory, lookalike)
      assert.equal(c.byName.get('brand_name_matches_business')!.passed, false)
      assert.match(c.byName.get('brand_name_matches_business')!.evidence, /distance 8/)
      assert.equal(c.byName.get('brand_name_not_confusable')!.passed, true)
      await setAttributes(s.url, mallory, eu, { branded_calls_display_name: 'Widgets', doing_business_as: ['Widgets'] })
      c = await checksOf(s.url, mallory, lookalike)
      assert.match(c.byName.get('brand_name_matches_business')!.evidence, /matches the DBA/)
      // A reviewer sees who already has the name.
      await setAttributes(s.url, mallory, eu, { branded_calls_display_name: 'ACME BANK' })
      must200(await submit(s.url, mallory, 'TrustProducts', lookalike))
      const d = await review(s.url, rita, lookalike)
      const clash = d.body.current_checks.find((x: any) => x.name === 'brand_name_not_confusable')
      assert.match(clash.evidence, new RegExp(`"ACME BANK" of ${acmeBrand} \\(account ${acme.sid}`))
      const refused = await act(s.url, rita, lookalike, 'Approve')
      assert.equal(refused.status, 400, 'a failed check needs an override reason')
    })

    it('control characters and bad CNAM names fail the evaluation, naming the field', async () => {
      const a = await newAccount(s.url, 'Texts')
      const b = await readyToBrand(s.url, a)
      const { sid, endUser: eu } = await brandingProduct(s.url, a, b, 'branded_calls', {
        branded_calls_display_name: 'Acme\u0007Bank',
      })
      const client = sdk(s.url, a)
      const ev = await client.trusthub.v1
        .trustProducts(sid)
        .trustProductsEvaluations.create({ policySid: BRANDED_POLICY })
      const item = (ev.results as any[]).find((r) => r.object_type === 'branded_calls_information')
      assert.equal(item.invalid[0].object_field, 'branded_calls_display_name')
      assert.match(item.invalid[0].failure_reason, /control or invisible/)
      await setAttributes(s.url, a, eu, {
        branded_calls_display_name: 'Acme',
        branded_calls_call_reason: ['Reminder\u202e'],
      })
      assert.match((await submit(s.url, a, 'TrustProducts', sid)).body.message, /call reason .*control or invisible/)

      const { sid: cnam, endUser: ceu } = await brandingProduct(s.url, a, b, 'cnam', {
        cnam_display_name: 'ACME INCORPORATED',
      })
      let r = await submit(s.url, a, 'TrustProducts', cnam)
      assert.equal(r.status, 400)
      assert.match(
        r.body.message,
        /CNAM Display Name is not acceptable: the caller name has 17 characters; CNAM holds at most 15/,
      )
      await setAttributes(s.url, a, ceu, { cnam_display_name: 'ACME*INC' })
      r = await submit(s.url, a, 'TrustProducts', cnam)
      assert.match(r.body.message, /contains "\*"/)
      await setAttributes(s.url, a, ceu, { cnam_display_name: 'ACME INC' })
      const c = await checksOf(s.url, a, cnam)
      assert.equal(c.byName.get('cnam_characters')!.passed, true)
      assert.equal(c.byName.has('brand_logo'), false, 'CNAM has no logo')
      must200(await submit(s.url, a, 'TrustProducts', cnam))
    })

    it('approval pins the brand with the digest of the bytes fetched at approval; a copy re-pins it at ReplaceItems', async () => {
      const a = await newAccount(s.url, 'Pinned')
      const b = await readyToBrand(s.url, a)
      logos.routes.set('/pinned.png', { body: png(100, 100), type: 'image/png' })
      const { sid } = await brandingProduct(s.url, a, b, 'branded_calls', {
        branded_calls_display_name: 'Acme',
        branded_calls_logo_url: `${logos.base}/pinned.png`,
        branded_calls_call_reason: ['Appointment reminder', 'Delivery update'],
      })
      must200(await submit(s.url, a, 'TrustProducts', sid))
      // The logo changes between submission and approval: the approval pins what it fetched.
      const approvedBytes = png(120, 120)
      logos.routes.set('/pinned.png', { body: approvedBytes, type: 'image/png' })
      must200(await act(s.url, rita, sid, 'Approve'))
      const db = s.running.ctx.store.db
      let row = (await approvedBrandsOf(db, [sid])).get(sid)!
      assert.equal(row.kind, 'branded_calls')
      assert.equal(row.display_name, 'Acme')
      assert.equal(row.logo_url, `${logos.base}/pinned.png`)
      assert.equal(row.logo_digest, sha(approvedBytes))
      assert.deepEqual(JSON.parse(row.call_reasons), ['Appointment reminder', 'Delivery update'])
      const d = await review(s.url, rita, sid)
      assert.equal(d.body.brand.pinned.logo_digest, sha(approvedBytes))

      // Change name and logo through a copy: reviewed, approved, then it replaces the items.
      const copy = (
        await http(s.url, 'POST', `/v1/TrustProducts/${sid}/Copies`, { auth: a, form: { FriendlyName: 'Acme 2' } })
      ).body
      assert.equal(copy.status, 'draft')
      const items = (await http(s.url, 'GET', `/v1/TrustProducts/${copy.sid}/EntityAssignments`, { auth: a })).body
        .results
      const copiedEu = items.map((x: any) => x.object_sid).find((o: string) => o.startsWith('IT'))
      const newBytes = png(80, 80)
      logos.routes.set('/new.png', { body: newBytes, type: 'image/png' })
      await setAttributes(s.url, a, copiedEu, {
        branded_calls_display_name: 'Acme Inc',
        branded_calls_logo_url: `${logos.base}/new.png`,
      })
      must200(await submit(s.url, a, 'TrustProducts', copy.sid))
      assert.equal(
        (await approvedBrandsOf(db, [sid])).get(sid)!.display_name,
        'Acme',
        'the original keeps its brand while the copy is reviewed',
      )
      must200(await act(s.url, rita, copy.sid, 'Approve'))
      const replaced = await http(s.url, 'POST', `/v1/TrustProducts/${sid}/ReplaceItems`, {
        auth: a,
        form: { FromBundleSid: copy.sid },
      })
      assert.equal(replaced.status, 201, JSON.stringify(replaced.body))
      row = (await approvedBrandsOf(db, [sid])).get(sid)!
      assert.equal(row.display_name, 'Acme Inc')
      assert.equal(row.logo_digest, sha(newBytes))
      assert.equal(row.call_reasons, '[]')

      // Both views of a brand answer as the OpenAPI document says (brand non-null, pinned and fetched).
      const check = new OpenApiCheck((await http(s.url, 'GET', '/openapi.json')).body)
      const answers: [string, { status: number; body: any }][] = [
        [`/v1/TrustProducts/${sid}/Checks`, await http(s.url, 'GET', `/v1/TrustProducts/${sid}/Checks`, { auth: a })],
        [`/admin/v1/Reviews/${sid}`, await review(s.url, rita, sid)],
      ]
      for (const [path, r] of answers) {
        assert.ok(r.body.brand?.pinned && r.body.brand?.logo?.digest, path)
        const x = {
          method: 'GET',
          path,
          status: r.status,
          contentType: 'application/json',
          body: JSON.stringify(r.body),
        }
        assert.deepEqual(check.problems(x), [], path)
      }

      // Leaving twilio-approved removes the pin.
      must200(await setStatus(s.url, sid, 'twilio-rejected', { Errors: [18601], FailureReason: 'brand withdrawn' }))
      assert.equal((await approvedBrandsOf(db, [sid])).has(sid), false)
    })

    it('an approval without the logo bytes is refused whatever the override', async () => {
      const a = await newAccount(s.url, 'Gone')
      const b = await readyToBrand(s.url, a)
      logos.routes.set('/gone.png', { body: png(100, 100), type: 'image/png' })
      const { sid } = await brandingProduct(s.url, a, b, 'branded_calls', {
        branded_calls_display_name: 'Acme',
        branded_calls_logo_url: `${logos.base}/gone.png`,
      })
      must200(await submit(s.url, a, 'TrustProducts', sid))
      logos.routes.delete('/gone.png')
      const r = await act(s.url, rita, sid, 'Approve', { OverrideReason: 'checked by phone' })
      assert.equal(r.status, 400)
      assert.match(
        r.body.message,
        /could not be fetched \(HTTP 404\), so there are no bytes whose digest could be pinned/,
      )
      const op = await setStatus(s.url, sid, 'twilio-approved')
      assert.equal(op.status, 400, 'the operator route pins too, so it refuses the same')
    })
  })
}

function must200(r: { status: number; body: any }) {
  assert.equal(r.status, 200, JSON.stringify(r.body))
}
