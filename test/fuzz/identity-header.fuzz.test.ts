/**
 * Fuzz: SIP Identity header values (RFC 8224 §4.1) as strangers send them to the verify front,
 * the ATIS verification route and the signing front (which reads what a call already carries).
 * parseIdentity answers a value or a named reason for any input, never throws; the splitter
 * and the carried-identity reader never throw; what identityHeader builds parses back.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import fc from 'fast-check'
import { parseIdentity, splitIdentityInstances, MAX_IDENTITY_LENGTH } from '../../src/stir/vs/identity-header.js'
import { identityHeader, signPassport } from '../../src/stir/passport/index.js'
import { carriedIdentity } from '../../src/stir/as/diversion.js'
import { fuzzParams, mutatedFrom, nastyText, weirdValue } from '../helpers/fuzz.js'
import { forgeJws, identityOf } from '../helpers/passport-forge.js'

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const X5U = 'https://cr.example.net/certs/sp.pem'
const IAT = 1_767_225_600
const shaken = signPassport(
  { key: privateKey, x5u: X5U },
  { attest: 'A', orig: '12155550121', dest: ['12025550143'], iat: IAT, origid: '123e4567-e89b-12d3-a456-426655440000' },
)
const div = forgeJws(
  { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: X5U },
  { dest: { tn: ['12025550199'] }, div: { tn: '12025550143' }, iat: IAT, orig: { tn: '12155550121' } },
  privateKey,
)

/** Real header values: what signers send, what RFC 8224 allows, and what peers get wrong. */
const BASES: readonly string[] = [
  identityHeader(shaken, X5U),
  identityOf(shaken, X5U, ''),
  `${shaken};info=${X5U};alg=ES256;ppt="shaken"`,
  `${shaken} ; info=<${X5U}> ; alg=ES256 ; ppt=shaken ; x-extra="a;b,c\\"d"`,
  `${identityHeader(shaken, X5U)},${identityHeader(div, X5U, 'div')}`,
  `..${shaken.split('.')[2]};info=<${X5U}>`,
  `${shaken.replace(/-/g, '+').replace(/_/g, '/')}==;info=<${X5U}>;alg=ES256;ppt=shaken`,
]

const REASONS = new Set(['identity_malformed', 'compact_form'])

function checkParse(raw: unknown) {
  const r = parseIdentity(raw)
  if (!r.ok) {
    assert.ok(REASONS.has(r.reason), `unexpected reason ${r.reason}`)
    return
  }
  assert.equal(typeof raw, 'string')
  assert.ok((raw as string).length <= MAX_IDENTITY_LENGTH)
  assert.ok((raw as string).includes(r.value.jws), 'the digest is kept as received')
  assert.match(r.value.jws, /^[A-Za-z0-9_\-+/=]+\.[A-Za-z0-9_\-+/=]+\.[A-Za-z0-9_\-+/=]+$/)
  for (const [k] of r.value.params) assert.match(k, /^[a-z0-9\-.!%*_+`'~]+$/)
}

/** Headers around the length cap: a real one padded with a parameter to just under, at or over it. */
const nearLimit = fc.tuple(fc.constantFrom(...BASES), fc.integer({ min: -2, max: 2 })).map(([b, d]) => {
  const pad = Math.max(0, MAX_IDENTITY_LENGTH + d - b.length - 3)
  return `${b};x=${'a'.repeat(pad)}`
})

describe('fuzz: Identity header', () => {
  it('parseIdentity answers a value or a named reason for mutated real headers', () => {
    fc.assert(
      fc.property(mutatedFrom(BASES, 5), (raw) => {
        checkParse(raw)
      }),
      fuzzParams(20_000),
    )
  })

  it('parseIdentity answers for any value at all (wrong types, huge, random text)', () => {
    fc.assert(
      fc.property(fc.oneof(weirdValue, fc.string({ unit: 'binary', maxLength: 400 }), nearLimit), (raw) => {
        checkParse(raw)
      }),
      fuzzParams(10_000),
    )
  })

  it('splitIdentityInstances never throws and yields non-empty trimmed instances', () => {
    fc.assert(
      fc.property(mutatedFrom(BASES, 5), (raw) => {
        for (const part of splitIdentityInstances(raw)) {
          assert.ok(part.length > 0)
          assert.equal(part, part.trim())
        }
      }),
      fuzzParams(10_000),
    )
  })

  it('the carried identity of a call is read without throwing (signing front)', () => {
    const kinds = new Set(['none', 'unreadable', 'same-target', 'retargeted'])
    fc.assert(
      fc.property(
        mutatedFrom(BASES, 5),
        fc.constantFrom('12025550143', '12025550199', '1'),
        fc.integer({ min: 1, max: 40 }),
        (raw, dest, maxTn) => {
          const c = carriedIdentity(raw, dest, maxTn)
          assert.ok(kinds.has(c.kind), c.kind)
          if (c.kind === 'retargeted') assert.match(c.orig + c.div, /^[0-9]+$/)
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('identityHeader refuses an x5u a URI cannot hold, and what it builds parses back', () => {
    const x5u = fc.oneof(
      fc.constantFrom(X5U, 'https://a.example/x.pem?v=1;x=2', 'https://a.example/a,b>c', 'https://[::1]:8443/x'),
      nastyText.map((s) => X5U + s),
      fc.string({ unit: 'binary', maxLength: 60 }),
    )
    fc.assert(
      fc.property(x5u, fc.constantFrom('shaken', 'div'), (url, ppt) => {
        let header: string
        try {
          header = identityHeader(shaken, url, ppt)
        } catch (e) {
          assert.match((e as Error).message, /holds characters a URI cannot/)
          return
        }
        const r = parseIdentity(header)
        assert.ok(r.ok, `${header} does not parse: ${!r.ok && r.reason}`)
        assert.equal(r.value.jws, shaken)
        assert.equal(r.value.info, url)
        assert.equal(r.value.ppt, ppt)
      }),
      fuzzParams(10_000),
    )
  })
})
