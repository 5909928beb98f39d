/**
 * Interop fixtures (test/fixtures/interop, see its README): libstirshaken's PASSporTs verify with
 * an injected clock and fetcher, its malformed ones are refused with 438, wrongsp.pem fails
 * path validation, and strict mode names the profile defects (the lint is the certificate
 * module's; this checks the verifier's use of it).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { createGuardedFetcher, type GuardedFetcher } from '../src/security/guarded-fetch.js'
import { CrlStore } from '../src/stir/trust/crl-store.js'
import { trustStoreOf } from '../src/stir/trust/trust-store.js'
import { validatePath } from '../src/stir/trust/path-validation.js'
import { CertCache, type X5uFetcher } from '../src/stir/x5u/cert-cache.js'
import { createVerifier } from '../src/stir/vs/verifier.js'
import { profileCheck, x5uRules } from '../src/stir/vs/sti-vs.js'
import { certsFromPem } from '../src/stir/trust/trust-store.js'
import { startCertServer, type CertServer } from './helpers/test-pki.js'
import { FIXTURES } from './helpers/fixtures.js'

const LIB = path.join(FIXTURES, 'libstirshaken')
const ZLINT = path.join(FIXTURES, 'zlint-shaken')
const read = (f: string) => fs.readFileSync(f, 'utf8')
const passports = JSON.parse(read(path.join(LIB, 'passports.json'))) as Record<
  string,
  { jws: string; header: { x5u: string }; payload: { iat: number; orig: unknown; dest: unknown } }
>
const REAL_X5U = 'https://shaken.signalwire.cloud/sp.pem'

let srv: CertServer
let guarded: GuardedFetcher
/** Maps the fixtures' real x5u host to the loopback server: nothing leaves this machine. */
let fetcher: X5uFetcher

before(async () => {
  srv = await startCertServer()
  srv.routes.set('/sp.pem', { body: read(path.join(LIB, 'sp.pem')) })
  srv.routes.set('/wrongsp.pem', { body: read(path.join(LIB, 'wrongsp.pem')) })
  guarded = createGuardedFetcher(x5uRules([new URL(srv.base).host]))
  fetcher = (u) => guarded.fetch(u.replace(/^https?:\/\/shaken\.signalwire\.cloud/, srv.base))
})
after(async () => {
  await guarded.close()
  await srv.close()
})

function verifierAt(iat: number, strict = false, f = () => fetcher) {
  const clock = () => new Date((iat + 5) * 1000)
  const certs = new CertCache({
    fetcher: (u) => f()(u),
    trust: trustStoreOf(certsFromPem(read(path.join(LIB, 'ca.pem')))),
    crl: new CrlStore(),
    clock,
    profile: profileCheck(strict),
  })
  return createVerifier({ certs, clock })
}

const identity = (jws: string, x5u = REAL_X5U) => `${jws};info=<${x5u}>;alg=ES256;ppt=shaken`

describe('libstirshaken fixtures', () => {
  for (const name of ['readme_passport_B', 'readme_identity_B']) {
    it(`${name} verifies as TN-Validation-Passed (lenient profile)`, async () => {
      const p = passports[name]!
      const v = await verifierAt(p.payload.iat).verify({
        identity: [identity(p.jws)],
        from: '01256500600',
        to: ['01256700800'],
      })
      assert.equal(v.reason, 'passed', v.detail)
      assert.equal(v.verstat, 'TN-Validation-Passed')
      assert.equal(v.attest, 'B')
      assert.equal(v.origid, 'e32f4189-cb86-460f-bb92-bd3acb89f29c')
    })
  }
  it('readme_passport_B is stale with the real clock (403) and mismatched for other numbers (438)', async () => {
    const p = passports.readme_passport_B!
    const now = createVerifier({
      certs: {
        get: async () => {
          throw new Error('must not fetch')
        },
      },
    })
    assert.equal(
      (await now.verify({ identity: [identity(p.jws)], from: '01256500600', to: ['01256700800'] })).reason,
      'iat_stale',
    )
    const v = await verifierAt(p.payload.iat).verify({
      identity: [identity(p.jws)],
      from: '01256500601',
      to: ['01256700800'],
    })
    assert.equal(v.reason, 'orig_mismatch')
  })
  it('refuses the Bob/Alice PASSporT with 438 (claims are not telephone numbers)', async () => {
    const p = passports.readme_jwtcheck_bob_alice!
    const v = await verifierAt(p.payload.iat).verify({ identity: [identity(p.jws)], from: 'Bob', to: ['Alice'] })
    assert.equal(v.reason, 'claims_invalid')
    assert.equal(v.sipCode, 438)
    assert.equal(v.verstat, 'No-TN-Validation')
  })
  it('refuses passport.txt (JSON-encoded strings, origid "ref") with 438, no crash', async () => {
    const p = passports.passport_txt_malformed!
    const v = await verifierAt(p.payload.iat).verify({
      identity: [identity(p.jws, p.header.x5u)],
      from: '01256789999',
      to: ['01256500600'],
    })
    assert.equal(v.sipCode, 438)
    assert.equal(v.reason, 'claims_invalid')
  })
  it('wrongsp.pem fails path validation to ca.pem, as a verdict too (437 TN-Validation-Failed)', async () => {
    const trust = trustStoreOf(certsFromPem(read(path.join(LIB, 'ca.pem'))))
    const r = validatePath(certsFromPem(read(path.join(LIB, 'wrongsp.pem'))), trust)
    assert.equal(r.ok, false)
    assert.equal(validatePath(certsFromPem(read(path.join(LIB, 'sp.pem'))), trust).ok, true)
    const p = passports.readme_passport_B!
    const wrong: X5uFetcher = (u) =>
      guarded.fetch(u.replace(/^https:\/\/shaken\.signalwire\.cloud\/sp\.pem/, `${srv.base}/wrongsp.pem`))
    const v = await verifierAt(p.payload.iat, false, () => wrong).verify({
      identity: [identity(p.jws)],
      from: '01256500600',
      to: ['01256700800'],
    })
    assert.equal(v.reason, 'cert_untrusted')
    assert.equal(v.sipCode, 437)
    assert.equal(v.verstat, 'TN-Validation-Failed')
  })
  it('strict mode refuses sp.pem naming each deviation (bare-string TNAuthList, no policy, no CRLDP)', async () => {
    const p = passports.readme_passport_B!
    const v = await verifierAt(p.payload.iat, true).verify({
      identity: [identity(p.jws)],
      from: '01256500600',
      to: ['01256700800'],
    })
    assert.equal(v.reason, 'cert_profile')
    assert.equal(v.verstat, 'TN-Validation-Failed')
    for (const id of ['tn_auth_list', 'certificate_policies_missing', 'crl_distribution_point'])
      assert.match(v.detail ?? '', new RegExp(id), v.detail)
  })
})

describe("zlint SHAKEN certificates through the verifier's strict profile check", () => {
  const GOOD = new Set(['shakenCert.pem', 'shakenCa.pem', 'shakenRoot.pem', 'shakenRootNoAKI.pem'])
  // Good only for version-dependent checks, or defects only a network fetch can see (see the lint's tests).
  const SKIP = new Set([
    'shakenCP1_1Cert.pem',
    'shakenCP1_2Cert.pem',
    'shakenCP1_3Cert.pem',
    'shakenCP1_4Cert.pem',
    'shakenCRLPointGet.pem',
    'shakenCRLPointUnreachable.pem',
    'shakenCaKeyUsageCertSignCRLSignDigSign.pem',
    'shakenCaKeyUsageCertSignDigSign.pem',
    'shakenCaSubject.pem',
    'shakenSubject.pem',
    'shakenSubjectWithoutSerialNumber.pem',
  ])
  const strict = profileCheck(true)
  const lenient = profileCheck(false)
  const files = fs.readdirSync(ZLINT).filter((f) => f.endsWith('.pem'))
  it('names no defect for the good certificates', () => {
    for (const f of GOOD) {
      const c = new X509Certificate(read(path.join(ZLINT, f)).slice(read(path.join(ZLINT, f)).indexOf('-----BEGIN')))
      assert.deepEqual(strict(c, [c, c]), [], f)
    }
  })
  it('names at least one defect for every defective certificate; lenient keeps only hard ones', () => {
    let checked = 0
    for (const f of files.filter((x) => !GOOD.has(x) && !SKIP.has(x))) {
      const text = read(path.join(ZLINT, f))
      const c = new X509Certificate(text.slice(text.indexOf('-----BEGIN')))
      const found = strict(c, [c, c])
      assert.ok(found.length > 0, `${f}: no finding`)
      assert.ok(lenient(c, [c, c]).length <= found.length, f)
      checked++
    }
    assert.ok(checked >= 55, `only ${checked} checked`)
  })
})
