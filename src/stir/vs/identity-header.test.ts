import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseIdentity, splitIdentityInstances } from './identity-header.js'
import { decodeClaims, decodeDivClaims, decodeHeader, readCanonicalClaims, splitReceived } from './passport-decode.js'

const JWS = 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln'

/** Deterministic pseudo-random bytes (xorshift), so a failing case can be replayed. */
function rng(seed: number) {
  let x = seed
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}

describe('Identity header parser', () => {
  it('keeps the JWS bytes and reads info, alg, ppt and extra params', () => {
    const r = parseIdentity(`${JWS};info=<https://cr.example.com/sp.pem>;alg=ES256;ppt=shaken;x="a;b,c"`)
    assert.ok(r.ok)
    assert.equal(r.value.jws, JWS)
    assert.equal(r.value.info, 'https://cr.example.com/sp.pem')
    assert.equal(r.value.alg, 'ES256')
    assert.equal(r.value.ppt, 'shaken')
    assert.deepEqual(r.value.params.at(-1), ['x', 'a;b,c'])
  })
  it('tells compact form (E4) from garbage, and refuses repeated info', () => {
    assert.deepEqual(parseIdentity('..c2ln;info=<https://x/y>'), { ok: false, reason: 'compact_form' })
    for (const bad of [
      '',
      'abc',
      'a.b',
      '<x>',
      `${JWS};info=<https://a>;info=<https://b>`,
      `${JWS};info=<unterminated`,
      `${JWS};"q`,
      42,
      null,
      {},
      [JWS],
    ]) {
      assert.equal(parseIdentity(bad).ok, false, String(bad))
    }
  })
  it('tells strict base64url digests from ones with the RFC 8224 base64 characters, which the decoder then refuses', () => {
    const strict = parseIdentity(`${JWS};info=<https://x/y>`)
    assert.ok(strict.ok && strict.value.base64url)
    const loose = parseIdentity('a+b.c/d.e=;info=<https://x/y>')
    assert.ok(loose.ok && !loose.value.base64url)
    assert.equal(splitReceived(loose.value.jws, loose.value.base64url).ok, false)
  })
  it('refuses a digest with an empty header or payload part, in either alphabet', () => {
    for (const jws of ['0..c2ln', '.eyJhIjoxfQ.c2ln', 'a+b..e=', '.c/d.e=']) {
      assert.deepEqual(parseIdentity(`${jws};info=<https://x/y>`), { ok: false, reason: 'identity_malformed' }, jws)
    }
  })
  it('answers the same for repeated parameters (memoised by text), long ones included', () => {
    const good = `;info=<https://cr.example.com/sp.pem>;alg=ES256;ppt=shaken`
    const first = parseIdentity(JWS + good)
    assert.deepEqual(parseIdentity(JWS + good), first)
    for (let i = 0; i < 2; i++) assert.equal(parseIdentity(`${JWS};info=<https://a>;info=<https://b>`).ok, false)
    const long = `;info=<https://cr.example.com/sp.pem>;x=${'y'.repeat(3000)}`
    for (let i = 0; i < 2; i++) {
      const r = parseIdentity(JWS + long)
      assert.ok(r.ok && r.value.info === 'https://cr.example.com/sp.pem' && r.value.params.length === 2)
    }
    // Shared answers cannot be changed by one caller for the next.
    assert.ok(first.ok && Object.isFrozen(first.value.params))
  })
  it('splits joined header instances only at a comma that starts a new JWS', () => {
    const a = `${JWS};info=<https://x/a,b>;ppt=shaken;q="1,2"`
    const b = `${JWS};info=<https://x/c>;ppt=div`
    assert.deepEqual(splitIdentityInstances(`${a},${b}`), [a, b])
    assert.deepEqual(splitIdentityInstances(` ${a} , ${b} `), [a, b])
  })
  it('never throws on random, truncated, huge or binary input', () => {
    const next = rng(0x5eed)
    const alphabet = 'abcAZ09-_.;=<>",\\ \t\u0000\u00ff☃'
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(next() * 300)
      let s = ''
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(next() * alphabet.length)]
      const r = parseIdentity(s)
      assert.ok(typeof r.ok === 'boolean')
      splitIdentityInstances(s)
    }
    assert.equal(parseIdentity('a.b.' + 'c'.repeat(100_000)).ok, false)
  })
})

describe('PASSporT decoding', () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
  it('splits full form only', () => {
    assert.equal(splitReceived(JWS).ok, true)
    for (const bad of ['a.b', 'a.b.c.d', '.b.c', 'a..c', 'a.b.', 'a+.b.c'])
      assert.equal(splitReceived(bad).ok, false, bad)
  })
  it('maps header problems to E9 or malformed, including type confusion and deep nesting', () => {
    assert.equal(decodeHeader(b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport' })).ok, false)
    const missing = decodeHeader(b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport' }))
    assert.ok(!missing.ok && missing.reason === 'header_claim_missing')
    for (const h of [
      { alg: ['ES256'], ppt: 'shaken', typ: 'passport', x5u: 'u' },
      { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: { a: 1 } },
      [1],
      'str',
      null,
      5,
    ]) {
      const d = decodeHeader(b64(h))
      assert.ok(!d.ok && d.reason === 'header_malformed', JSON.stringify(h))
    }
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    assert.equal(decodeHeader(b64(deep)).ok, false)
    assert.equal(decodeHeader(Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')).ok, false)
  })
  it('decodes claims strictly: integers for iat, arrays for dest.tn, canonical TNs, attest kept for E19', () => {
    const good = {
      attest: 'W',
      dest: { tn: ['+1 202 555 0143'] },
      iat: 1,
      orig: { tn: '12155550121' },
      origid: '123e4567-e89b-12d3-a456-426655440000',
    }
    const d = decodeClaims(b64(good))
    assert.ok(d.ok)
    assert.deepEqual(d.value.dest, ['12025550143'])
    assert.equal(d.value.attest, 'W')
    for (const over of [
      { iat: 1.5 },
      { iat: -1 },
      { iat: '1' },
      { dest: { tn: [] } },
      { dest: { uri: ['sip:a@b'] } },
      { orig: { tn: 12155550121 } },
      { origid: 7 },
      { dest: { tn: ['1'.repeat(16)] } },
    ]) {
      const r = decodeClaims(b64({ ...good, ...over }))
      assert.ok(!r.ok && r.reason === 'claims_invalid', JSON.stringify(over))
    }
  })
  it('reads canonical claims exactly as the general JSON path does (same values, same refusals)', () => {
    const next = rng(0xc1a1)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('')
    let fastReads = 0
    for (let i = 0; i < 2000; i++) {
      const claims = {
        attest: pick(['A', 'B', 'C', 'W', 'a', '']),
        dest: { tn: [pick([digits(11), digits(15), digits(16), digits(1), '+' + digits(11), ''])] },
        iat: pick([0, 1, 1764390000, 2 ** 53, 2 ** 53 - 1, 1.5, -1]),
        orig: { tn: pick([digits(11), digits(15), digits(16), '0' + digits(10)]) },
        origid: pick([
          'de305d54-75b4-431b-adb2-eb6b9e546014',
          'DE305D54-75B4-431B-ADB2-EB6B9E546014',
          'de305d54-75b4-431b-adb2-eb6b9e54601',
          'x',
        ]),
      }
      const maxTn = pick([15, 20])
      // Canonical text (the fast path when it matches) vs the same claims with whitespace (always the general path).
      const fast = decodeClaims(Buffer.from(JSON.stringify(claims)).toString('base64url'), maxTn)
      const general = decodeClaims(Buffer.from(JSON.stringify(claims, null, 1)).toString('base64url'), maxTn)
      assert.deepEqual(fast, general, JSON.stringify(claims))
      const direct = readCanonicalClaims(JSON.stringify(claims), maxTn)
      if (direct) {
        fastReads++
        assert.ok(general.ok)
        assert.deepEqual(direct, general.value)
      }
    }
    // The fast path did read the canonical ones (it is not the general path twice).
    assert.ok(fastReads > 100, `${fastReads}`)
    const one = {
      attest: 'B',
      dest: { tn: ['12025550143'] },
      iat: 7,
      orig: { tn: '12155550121' },
      origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    }
    assert.deepEqual(readCanonicalClaims(JSON.stringify(one), 15), {
      attest: 'B',
      dest: ['12025550143'],
      iat: 7,
      orig: '12155550121',
      origid: one.origid,
    })
    for (const text of [
      JSON.stringify(one, null, 1),
      JSON.stringify({ ...one, dest: { tn: ['1', '2'] } }),
      JSON.stringify({ ...one, iat: 2 ** 53 }),
      JSON.stringify({ ...one, x: 1 }),
    ]) {
      assert.equal(readCanonicalClaims(text, 15), undefined, text)
    }
  })
  it('decodes div claims (RFC 8946) as strictly, whatever type each member has', () => {
    const good = { dest: { tn: ['12025550199'] }, div: { tn: '+1 202 555 0143' }, iat: 1, orig: { tn: '12155550121' } }
    const d = decodeDivClaims(b64(good))
    assert.ok(d.ok)
    assert.deepEqual(d.value, { orig: '12155550121', dest: ['12025550199'], iat: 1, div: '12025550143' })
    const junk: unknown[] = [
      null,
      0,
      -1,
      1.5,
      '',
      'x',
      [],
      [null],
      {},
      { tn: null },
      { tn: ['1'] },
      { tn: {} },
      '1'.repeat(40),
      true,
    ]
    for (const k of ['dest', 'div', 'iat', 'orig'] as const) {
      for (const v of [...junk, undefined]) {
        const r = decodeDivClaims(b64({ ...good, [k]: v }))
        // Only a value of the right shape may pass: iat 0 is a NumericDate, and ['1'] a list of one TN.
        if (r.ok)
          assert.ok(
            (k === 'iat' && v === 0) || (k === 'dest' && JSON.stringify(v) === '{"tn":["1"]}'),
            `${k}=${JSON.stringify(v)}`,
          )
        else assert.equal(r.reason, 'claims_invalid')
      }
    }
    for (const bad of ['', 'e30', b64([good]), b64('x'.repeat(10_000)), '!!!'])
      assert.equal(decodeDivClaims(bad).ok, false, bad.slice(0, 20))
  })
})
