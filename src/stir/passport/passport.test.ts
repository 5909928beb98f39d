import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { compactVerify, decodeProtectedHeader } from 'jose'
import { canonicalJson } from './canonical-json.js'
import { canonicalTn, tryCanonicalTn } from './tn.js'
import {
  divPayloadJson,
  encodeHeader,
  payloadJson,
  shakenClaims,
  signingInput,
  signPassport,
  splitJws,
  verifyJwsSignature,
  type DivClaims,
} from './passport.js'
import { identityHeader, signDivIdentity, signIdentity } from './identity.js'
import { AppError } from '../../domain/errors.js'

const RFC8588_HEADER =
  'eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0LmV4YW1wbGUub3JnL3Bhc3Nwb3J0LmNlciJ9'
const RFC8588_PAYLOAD =
  'eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIxMjE1NTU1MDEzMSJdfSwiaWF0IjoxNDQzMjA4MzQ1LCJvcmlnIjp7InRuIjoiMTIxNTU1NTAxMjEifSwib3JpZ2lkIjoiMTIzZTQ1NjctZTg5Yi0xMmQzLWE0NTYtNDI2NjU1NDQwMDAwIn0'
const X5U = 'https://cert.example.org/passport.cer'
const rfcClaims = () =>
  shakenClaims({
    attest: 'A',
    orig: '+1 (215) 555-0121',
    dest: '12155550131',
    iat: 1443208345,
    origid: '123e4567-e89b-12d3-a456-426655440000',
  })
const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' })

describe('canonical JSON (RFC 8225 §9)', () => {
  it('sorts keys recursively and drops whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: undefined }),
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    )
  })
  it('refuses non-finite numbers', () => {
    assert.throws(() => canonicalJson({ a: Number.NaN }), TypeError)
  })
})

describe('canonical TN (RFC 8224 §8.3)', () => {
  it('strips +, spaces and separators', () => {
    assert.equal(canonicalTn('+1 (215) 555-0121'), '12155550121')
    assert.equal(canonicalTn('tel:+1-215-555-0121;phone-context=x'), '12155550121')
    assert.equal(canonicalTn('1.215.555.0121'), '12155550121')
  })
  it('rejects garbage and over-long numbers, with a configurable maximum', () => {
    for (const bad of ['', '+', 'abc', '1215x5550121', '++12155550121', '12+155', null, 42]) {
      assert.equal(tryCanonicalTn(bad), undefined, String(bad))
    }
    assert.equal(tryCanonicalTn('1234567890123456'), undefined)
    assert.equal(tryCanonicalTn('1234567890123456', { maxLength: 20 }), '1234567890123456')
    assert.throws(
      () => canonicalTn('Bob', { param: 'orig' }),
      (e: unknown) => e instanceof AppError && e.status === 400 && /orig/.test(e.message),
    )
  })
})

describe('PASSporT encoding', () => {
  it('reproduces the RFC 8588 §6 signing input byte for byte', () => {
    assert.equal(encodeHeader(X5U), RFC8588_HEADER)
    assert.equal(signingInput(X5U, rfcClaims()), `${RFC8588_HEADER}.${RFC8588_PAYLOAD}`)
  })
  it('reproduces the RFC 8225 Appendix A header and payload bytes with the generic encoder', () => {
    const h = canonicalJson({ x5u: X5U, typ: 'passport', alg: 'ES256' })
    const p = canonicalJson({ orig: { tn: '12155551212' }, iat: 1471375418, dest: { uri: ['sip:alice@example.com'] } })
    assert.equal(h, '{"alg":"ES256","typ":"passport","x5u":"https://cert.example.org/passport.cer"}')
    assert.equal(p, '{"dest":{"uri":["sip:alice@example.com"]},"iat":1471375418,"orig":{"tn":"12155551212"}}')
  })
  it('fast payload path equals the generic canonical JSON', () => {
    const c = shakenClaims({
      attest: 'B',
      orig: '12155550121',
      dest: ['12155550131', '+44 20 7946 0000'],
      iat: 1,
      origid: randomUUID(),
    })
    assert.equal(payloadJson(c), canonicalJson(c as never))
  })
  it('validates claims, naming the bad one', () => {
    const base = { attest: 'A' as const, orig: '12155550121', dest: '12155550131', iat: 1, origid: randomUUID() }
    const bad = (over: object, param: string) =>
      assert.throws(
        () => shakenClaims({ ...base, ...over } as never),
        (e: unknown) => e instanceof AppError && e.details?.param === param,
      )
    bad({ attest: 'D' }, 'attest')
    bad({ dest: [] }, 'dest')
    bad({ dest: ['Alice'] }, 'dest')
    bad({ orig: 'Bob' }, 'orig')
    bad({ iat: '1443208345' }, 'iat')
    bad({ iat: 1.5 }, 'iat')
    bad({ origid: 'ref' }, 'origid')
  })
  it('refuses hand-built claims that are not canonical (no JSON injection into the payload)', () => {
    const c = rfcClaims()
    const evil = { ...c, orig: { tn: '1","attest":"A' } }
    assert.throws(() => payloadJson(evil), AppError)
    assert.throws(() => signPassport({ key: keys().privateKey, x5u: X5U }, { ...c, dest: { tn: [] } }), AppError)
  })
  it('takes iat from the injected clock', () => {
    const c = shakenClaims(
      { attest: 'C', orig: '1', dest: '2', origid: randomUUID() },
      { now: () => new Date(1_700_000_000_500) },
    )
    assert.equal(c.iat, 1_700_000_000)
  })
})

describe('PASSporT signing verifies with independent implementations', () => {
  const { privateKey, publicKey } = keys()
  const signer = { key: privateKey, x5u: X5U }

  it('jose compactVerify accepts our JWS, header and payload as encoded', async () => {
    const jws = signPassport(signer, rfcClaims())
    assert.ok(jws.startsWith(`${RFC8588_HEADER}.${RFC8588_PAYLOAD}.`))
    const { payload, protectedHeader } = await compactVerify(jws, publicKey, { algorithms: ['ES256'] })
    assert.deepEqual(protectedHeader, { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: X5U })
    assert.equal(
      Buffer.from(payload).toString('utf8'),
      '{"attest":"A","dest":{"tn":["12155550131"]},"iat":1443208345,"orig":{"tn":"12155550121"},"origid":"123e4567-e89b-12d3-a456-426655440000"}',
    )
    assert.equal(decodeProtectedHeader(jws).x5u, X5U)
    assert.equal(verifyJwsSignature(jws, publicKey), true)
  })

  it('a tampered payload or another key does not verify', () => {
    const jws = signPassport(signer, rfcClaims())
    const p = splitJws(jws)!
    const other = signingInput(
      X5U,
      shakenClaims({
        attest: 'A',
        orig: '12155550122',
        dest: '12155550131',
        iat: 1443208345,
        origid: '123e4567-e89b-12d3-a456-426655440000',
      }),
    )
    assert.equal(verifyJwsSignature(`${other}.${p.signature}`, publicKey), false)
    assert.equal(verifyJwsSignature(jws, keys().publicKey), false)
    assert.equal(verifyJwsSignature('..' + p.signature, publicKey), false)
  })

  it('builds the Identity header value', () => {
    const { passport, identity } = signIdentity(signer, {
      attest: 'B',
      orig: '12155550121',
      dest: '12155550131',
      origid: randomUUID(),
    })
    assert.equal(identity, `${passport};info=<${X5U}>;alg=ES256;ppt=shaken`)
    assert.equal(identityHeader('a.b.c', 'https://x/y.pem'), 'a.b.c;info=<https://x/y.pem>;alg=ES256;ppt=shaken')
    // Only URI characters: anything else could end `<…>` early or need escaping in JSON (signingAnswerJson).
    for (const x5u of [
      'https://x/y>.pem',
      'https://x/"y".pem',
      'https://x/y .pem',
      'https://x/\\y.pem',
      'https://x/y\n.pem',
      'https://x/\u00e9.pem',
      '',
    ]) {
      assert.throws(() => identityHeader('a.b.c', x5u), /URI/, JSON.stringify(x5u))
    }
    assert.equal(
      identityHeader('a.b.c', 'https://u@x:8443/a;b/c%20d.pem?q=1&r=(2)#f'),
      'a.b.c;info=<https://u@x:8443/a;b/c%20d.pem?q=1&r=(2)#f>;alg=ES256;ppt=shaken',
    )
  })

  it('secsipidx -check accepts our Identity header', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-secsipidx-'))
    try {
      const { identity } = signIdentity(signer, {
        attest: 'A',
        orig: '+1 215 555 0121',
        dest: '12155550131',
        origid: randomUUID(),
      })
      fs.writeFileSync(path.join(dir, 'id.txt'), identity)
      fs.writeFileSync(path.join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }))
      const out = execFileSync(
        'secsipidx',
        ['-check', '-fidentity', path.join(dir, 'id.txt'), '-fpubkey', path.join(dir, 'pub.pem'), '-expire', '300'],
        { encoding: 'utf8' },
      )
      assert.equal(out.trim(), 'ok')
      // The same header with one flipped signature character must fail, so the check is real.
      const bad = identity.replace(
        /\.([A-Za-z0-9_-])([A-Za-z0-9_-]*);/,
        (_m, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest};`,
      )
      fs.writeFileSync(path.join(dir, 'bad.txt'), bad)
      assert.throws(() =>
        execFileSync(
          'secsipidx',
          ['-check', '-fidentity', path.join(dir, 'bad.txt'), '-fpubkey', path.join(dir, 'pub.pem'), '-expire', '300'],
          { stdio: 'pipe' },
        ),
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('div PASSporT (RFC 8946)', () => {
  const div: DivClaims = {
    dest: { tn: ['12155550199'] },
    div: { tn: '12155550131' },
    iat: 1443208345,
    orig: { tn: '12155550121' },
  }

  it('encodes canonical claims under a ppt=div header, and verifies with jose', async () => {
    assert.equal(divPayloadJson(div), canonicalJson(div as unknown as Parameters<typeof canonicalJson>[0]))
    const { privateKey, publicKey } = keys()
    const { passport, identity } = signDivIdentity({ key: privateKey, x5u: X5U }, div)
    assert.equal(identity, `${passport};info=<${X5U}>;alg=ES256;ppt=div`)
    assert.deepEqual(decodeProtectedHeader(passport), { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: X5U })
    const { payload } = await compactVerify(passport, publicKey)
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString()), div)
  })

  it('refuses claims that could break out of the JSON or are not integers', () => {
    for (const bad of [
      { ...div, div: { tn: '1215"}' } },
      { ...div, orig: { tn: '+12155550121' } },
      { ...div, dest: { tn: [] } },
      { ...div, dest: { tn: ['1', 'x'] } },
      { ...div, iat: 1.5 },
      { ...div, iat: -1 },
    ])
      assert.throws(
        () => divPayloadJson(bad),
        (e: unknown) => e instanceof AppError && e.status === 400,
        JSON.stringify(bad),
      )
  })
})

describe('Rich Call Data claims (RFC 9795)', () => {
  it('encodes crn, rcd and rcdi in canonical order, UTF-8 text escaped as JSON, and verifies with jose', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const claims = {
      ...shakenClaims({ attest: 'A', orig: '12025550143', dest: '12125551212', iat: 1796580000, origid: randomUUID() }),
      crn: 'Rx "ready" \\ today',
      rcd: { icn: 'https://acme.example/logo.png', nam: 'Café Ünïcode 😀' },
      rcdi: { '/icn': 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
    }
    assert.equal(payloadJson(claims), canonicalJson(claims))
    const jws = signPassport({ key: privateKey, x5u: 'https://cert.example/x.pem' }, claims)
    const { payload } = await compactVerify(jws, publicKey)
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString('utf8')), JSON.parse(canonicalJson(claims)))
    // A claim object signed again gives the same bytes (its JSON is kept with it).
    assert.equal(payloadJson({ ...claims, iat: 1796580001 }), canonicalJson({ ...claims, iat: 1796580001 }))
  })
})
