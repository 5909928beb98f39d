/**
 * Fuzz: PASSporT / JWS decoding (RFC 7515 compact form, RFC 8225, RFC 8588, RFC 8946 div) and
 * the STI-VS pipeline over it. Mutated headers and claims are signed again with the
 * certificate's key, so the cases reach every check up to the signature and the diversion
 * chain, not only the base64 splitter. No decoder throws; a verification always ends in a
 * reason of the closed list, and never through a check that threw (the verifier turns a throw
 * into identity_malformed, which would hide a decoder bug).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import fc from 'fast-check'
import {
  decodeClaims,
  decodeDivClaims,
  decodeHeader,
  readCanonicalClaims,
  splitReceived,
} from '../../src/stir/vs/passport-decode.js'
import { signPassport, splitJws, verifyJwsSignature, es256SignatureTextProblem } from '../../src/stir/passport/index.js'
import { createVerifier } from '../../src/stir/vs/verifier.js'
import { REASONS } from '../../src/stir/vs/reasons.js'
import { fuzzParams, mutateJson, mutatedFrom, mutatedJsonText, mutateText, sometimesMutated } from '../helpers/fuzz.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from '../helpers/passport-forge.js'

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const X5U = 'https://cr.example.net/certs/sp.pem'
const IAT = 1_767_225_600
const CLAIMS = shakenClaims(IAT)
const DIV_CLAIMS = { dest: { tn: ['12025550199'] }, div: { tn: '12025550143' }, iat: IAT, orig: { tn: '12155550121' } }
const DIV_HEADER = { ...shakenHeader(X5U), ppt: 'div' }
const GOOD = signPassport(
  { key: privateKey, x5u: X5U },
  { attest: 'A', orig: '12155550121', dest: ['12025550143'], iat: IAT, origid: '123e4567-e89b-12d3-a456-426655440000' },
)
const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64url')

describe('fuzz: JWS / PASSporT decoding', () => {
  it('splitReceived never throws; what it accepts has three non-empty parts and the received signing input', () => {
    fc.assert(
      fc.property(sometimesMutated(GOOD, 5), fc.boolean(), (jws, flagged) => {
        const r = splitReceived(jws, flagged && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws))
        if (!r.ok) {
          assert.equal(r.reason, 'identity_malformed')
          return
        }
        assert.ok(r.value.header && r.value.payload && r.value.signature)
        assert.equal(r.value.signingInput, `${r.value.header}.${r.value.payload}`)
        assert.equal(`${r.value.signingInput}.${r.value.signature}`, jws)
      }),
      fuzzParams(10_000),
    )
  })

  it('decodeHeader never throws; what it accepts holds four strings', () => {
    const part = fc.oneof(mutatedJsonText(shakenHeader(X5U)).map(b64u), sometimesMutated(GOOD.split('.')[0]!, 4))
    fc.assert(
      fc.property(part, (p) => {
        const h = decodeHeader(p)
        if (!h.ok) {
          assert.ok(h.reason === 'header_malformed' || h.reason === 'header_claim_missing', h.reason)
          return
        }
        for (const k of ['alg', 'ppt', 'typ', 'x5u'] as const) assert.equal(typeof h.value[k], 'string')
      }),
      fuzzParams(10_000),
    )
  })

  it('decodeClaims never throws; accepted claims are typed and canonical, and the fast reader agrees with JSON.parse', () => {
    fc.assert(
      fc.property(mutatedJsonText(CLAIMS), fc.integer({ min: 1, max: 40 }), (text, maxTn) => {
        const c = decodeClaims(b64u(text), maxTn)
        if (!c.ok) {
          assert.equal(c.reason, 'claims_invalid')
          return
        }
        assert.match(c.value.orig, /^[0-9]+$/)
        assert.ok(c.value.orig.length <= maxTn)
        assert.ok(c.value.dest.length > 0 && c.value.dest.every((d) => /^[0-9]+$/.test(d) && d.length <= maxTn))
        assert.ok(Number.isSafeInteger(c.value.iat) && c.value.iat >= 0)
        assert.match(c.value.origid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
        const fast = readCanonicalClaims(text, maxTn)
        if (fast) {
          const j = JSON.parse(text)
          assert.deepEqual(
            [fast.attest, fast.orig, [...fast.dest], fast.iat, fast.origid],
            [j.attest, j.orig.tn, j.dest.tn, j.iat, j.origid],
          )
        }
      }),
      fuzzParams(10_000),
    )
  })

  it('decodeDivClaims never throws; accepted div claims are canonical', () => {
    fc.assert(
      fc.property(mutatedJsonText(DIV_CLAIMS), (text) => {
        const c = decodeDivClaims(b64u(text))
        if (!c.ok) {
          assert.equal(c.reason, 'claims_invalid')
          return
        }
        assert.match([c.value.orig, c.value.div, ...c.value.dest].join(''), /^[0-9]+$/)
      }),
      fuzzParams(10_000),
    )
  })

  it('a signature verifies only over the exact bytes signed, and no mutation makes verification throw', () => {
    fc.assert(
      fc.property(sometimesMutated(GOOD, 3), (jws) => {
        const ok = verifyJwsSignature(jws, publicKey)
        if (ok) assert.equal(jws, GOOD)
        const p = splitJws(jws)
        if (p) es256SignatureTextProblem(p.signature)
      }),
      fuzzParams(10_000),
    )
  })
})

/** The reasons a verification may end in, and whether the last check failed by throwing. */
const REASON_SET = new Set<string>(REASONS)
const threw = (v: { reason: string; detail?: string; checks: readonly { check: string }[] }) =>
  v.reason === 'identity_malformed' && v.detail?.startsWith(`${v.checks.at(-1)?.check}: `)

describe('fuzz: STI-VS pipeline over mutated, re-signed PASSporTs', () => {
  const verifier = createVerifier({
    clock: () => new Date((IAT + 5) * 1000),
    certs: {
      // Two certificates: the signer's and one that signed nothing here; anything else cannot be fetched.
      get: async (url) =>
        url === X5U
          ? { ok: true, key: publicKey, spc: 'TEST', cache: 'miss' }
          : url.endsWith('/other.pem')
            ? { ok: true, key: createPublicKey(other.privateKey), cache: 'miss' }
            : { ok: false, reason: 'x5u_fetch_failed', detail: 'not in the fuzz double', cache: 'miss' },
    },
  })
  const key = fc.constantFrom(privateKey, privateKey, other.privateKey)
  /** Mostly one part mutated at a time, so that cases get past the header to the claims, the signature and the diversions. */
  const part = (base: unknown) =>
    fc.oneof({ weight: 1, arbitrary: fc.constant(base) }, { weight: 1, arbitrary: mutateJson(base, 2) })
  const shaken = fc.tuple(part(shakenHeader(X5U)), part(CLAIMS), key).map(([h, c, k]) => ({
    jws: forgeJws(h ?? '', c ?? '', k),
    info: typeof (h as any)?.x5u === 'string' ? (h as any).x5u : X5U,
  }))
  const div = fc.tuple(part(DIV_HEADER), part(DIV_CLAIMS), key).map(([h, c, k]) => forgeJws(h ?? '', c ?? '', k))
  const header = fc
    .oneof(
      { weight: 3, arbitrary: shaken.map((s) => identityOf(s.jws, s.info)) },
      {
        weight: 2,
        arbitrary: fc.tuple(shaken, div).map(([s, d]) => [identityOf(s.jws, s.info), identityOf(d, X5U, ';ppt=div')]),
      },
      {
        weight: 2,
        arbitrary: mutatedFrom(
          [identityOf(GOOD, X5U), identityOf(forgeJws(DIV_HEADER, DIV_CLAIMS, privateKey), X5U, ';ppt=div')],
          4,
        ),
      },
    )
    .map((h) => [h].flat())
  const tn = (base: string) =>
    fc.oneof({ weight: 4, arbitrary: fc.constant(base) }, { weight: 1, arbitrary: mutateText(base, 2) })

  it('every verification ends in a listed reason, and no check throws', async () => {
    let passed = 0
    await fc.assert(
      fc.asyncProperty(
        header,
        tn('12155550121'),
        fc.array(fc.constantFrom('12025550143', '12025550199', '+1 202 555 0199'), { minLength: 1, maxLength: 2 }),
        fc.option(fc.integer({ min: IAT - 100, max: IAT + 100 })),
        async (identity, from, to, time) => {
          const v = await verifier.verify({ identity, from, to, time: time ?? undefined })
          assert.ok(REASON_SET.has(v.reason), v.reason)
          assert.ok(!threw(v), `check ${v.checks.at(-1)?.check} threw: ${v.detail}`)
          if (v.reason === 'passed') passed++
        },
      ),
      fuzzParams(10_000),
    )
    assert.ok(passed > 0, 'some cases are valid calls that pass: the mutators keep valid inputs in the mix')
  })
})
