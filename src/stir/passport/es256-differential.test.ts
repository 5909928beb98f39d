/**
 * The native ES256 signer against node:crypto, as the condition of using it: over many random
 * keys and inputs every signature the addon makes verifies with node:crypto, in its raw r‖s
 * form (JOSE, RFC 7518 §3.4) and as the DER form it converts to; node:crypto's own DER
 * signatures convert to r‖s that verifies; and a signature never verifies for another key or
 * another input. Then the fallback: a process whose addon is not there signs with node:crypto
 * and says so.
 */
import { strict as assert } from 'node:assert'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes, randomInt, sign, verify, type KeyObject } from 'node:crypto'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadEs256Addon } from './native/addon.js'

const addon = loadEs256Addon().addon
/** The order n of P-256 (FIPS 186-4 D.1.2.3): r and s lie in [1, n-1]. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n

/** DER INTEGER body of a big-endian unsigned value: no leading zeros, one 0x00 if the top bit is set. */
function derInt(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  const v = b.subarray(i)
  return v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v
}

/** r‖s (64 bytes) → ECDSA-Sig-Value DER (SEQUENCE of two INTEGERs; short lengths always suffice). */
function p1363ToDer(sig: Buffer): Buffer {
  const r = derInt(sig.subarray(0, 32))
  const s = derInt(sig.subarray(32))
  return Buffer.concat([
    Buffer.from([0x30, 4 + r.length + s.length, 0x02, r.length]),
    r,
    Buffer.from([0x02, s.length]),
    s,
  ])
}

/** ECDSA-Sig-Value DER → r‖s, each left-padded to 32 bytes; throws on anything but that shape. */
function derToP1363(der: Buffer): Buffer {
  assert.equal(der[0], 0x30)
  assert.equal(der[1], der.length - 2)
  const parts: Buffer[] = []
  let at = 2
  for (let k = 0; k < 2; k++) {
    assert.equal(der[at], 0x02)
    const len = der[at + 1]!
    const v = der.subarray(at + 2, at + 2 + len)
    assert.ok(
      len >= 1 && len <= 33 && !(v[0]! & 0x80) && !(len > 1 && v[0] === 0 && !(v[1]! & 0x80)),
      'minimal positive INTEGER',
    )
    parts.push(Buffer.concat([Buffer.alloc(32), v.subarray(len === 33 ? 1 : 0)]).subarray(-32))
    at += 2 + len
  }
  assert.equal(at, der.length)
  return Buffer.concat(parts)
}

const p1363 = (key: KeyObject) => ({ key, dsaEncoding: 'ieee-p1363' as const })
const der = (key: KeyObject) => ({ key, dsaEncoding: 'der' as const })
const bytes = (input: string) => Buffer.from(input, 'latin1')
const big = (b: Buffer) => BigInt('0x' + b.toString('hex'))

/** A JWS signing input (base64url text) or any latin1 text, of a random length up to 4 KiB. */
function randomInput(i: number): string {
  const len = i % 5 === 0 ? i % 3 : randomInt(0, 4097)
  if (i % 2) return randomBytes(len).toString('base64url').slice(0, len)
  return randomBytes(len).toString('latin1')
}

describe('native ES256 against node:crypto', { skip: !addon && 'addon not built here' }, () => {
  it('200 random keys x 10 random inputs: every native signature verifies, as r||s and as DER, and only for its key and input', () => {
    const a = addon!
    let signatures = 0
    for (let k = 0; k < 200; k++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
      const handle = a.create(privateKey.export({ format: 'der', type: 'pkcs8' }))
      for (let i = 0; i < 10; i++) {
        const input = randomInput(k * 10 + i)
        const text = a.sign(handle, input)
        const sig = Buffer.from(text, 'base64url')
        const why = `key ${k} input ${i} (${input.length} chars): ${text}`
        assert.equal(text, sig.toString('base64url'), `canonical base64url: ${why}`)
        assert.equal(sig.length, 64, why)
        for (const half of [sig.subarray(0, 32), sig.subarray(32)])
          assert.ok(big(half) >= 1n && big(half) < N, `r, s in [1, n-1]: ${why}`)
        assert.ok(verify('sha256', bytes(input), p1363(publicKey), sig), `native r||s verifies: ${why}`)
        const asDer = p1363ToDer(sig)
        assert.ok(verify('sha256', bytes(input), der(publicKey), asDer), `native as DER verifies: ${why}`)
        assert.deepEqual(derToP1363(asDer), sig, `DER back to r||s: ${why}`)
        assert.ok(!verify('sha256', bytes(input), p1363(other), sig), `not for another key: ${why}`)
        assert.ok(!verify('sha256', bytes(input + 'x'), p1363(publicKey), sig), `not for another input: ${why}`)
        // The other direction: node:crypto's DER signature converts to r||s that verifies.
        const nodeDer = sign('sha256', bytes(input), der(privateKey))
        assert.ok(
          verify('sha256', bytes(input), p1363(publicKey), derToP1363(nodeDer)),
          `node:crypto DER as r||s: ${why}`,
        )
        assert.deepEqual(p1363ToDer(derToP1363(nodeDer)), nodeDer, `node:crypto DER round trip: ${why}`)
        signatures++
      }
    }
    assert.equal(signatures, 2000)
  })

  it("signs the same bytes node:crypto does for any JS string: each UTF-16 unit's low byte (latin1)", () => {
    const a = addon!
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const handle = a.create(privateKey.export({ format: 'der', type: 'pkcs8' }))
    for (const input of ['\u00ff\u0000\u0080', 'caf\u00e9', '\u0101\u20ac', '\ud83d\ude00']) {
      assert.ok(
        verify('sha256', bytes(input), p1363(publicKey), Buffer.from(a.sign(handle, input), 'base64url')),
        JSON.stringify(input),
      )
    }
  })
})

describe('without the addon', () => {
  it('a process whose addon file is not there signs with node:crypto, says why, and never loads build/es256.node', () => {
    const here = path.dirname(fileURLToPath(import.meta.url))
    const script = `
      import { generateKeyPairSync, verify } from 'node:crypto'
      import { createRequire } from 'node:module'
      import { es256Backend, es256Sign, useEs256AddonFile, useNativeEs256 } from ${JSON.stringify(pathToFileURL(path.join(here, 'es256.ts')).href)}
      import { signPassport, verifyJwsSignature } from ${JSON.stringify(pathToFileURL(path.join(here, 'passport.ts')).href)}
      useEs256AddonFile('/nonexistent/build/es256.node')
      useNativeEs256(true)
      let verified = 0
      for (let i = 0; i < 50; i++) {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        const input = 'eyJhbGciOiJFUzI1NiJ9.' + 'x'.repeat(i)
        if (verify('sha256', Buffer.from(input, 'latin1'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(es256Sign(input, privateKey), 'base64url'))) verified++
        const jws = signPassport({ key: privateKey, x5u: 'https://cr.example.org/sp.pem' },
          { attest: 'A', dest: '+12025550143', orig: '+12155550121', origid: '123e4567-e89b-12d3-a456-426614174000' })
        if (verifyJwsSignature(jws, publicKey)) verified++
      }
      const natives = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.endsWith('.node'))
      console.log(JSON.stringify({ verified, backend: es256Backend(), natives }))
    `
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    assert.equal(r.status, 0, r.stderr)
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!)
    assert.equal(out.verified, 100)
    assert.equal(out.backend.native, false)
    assert.match(
      out.backend.detail,
      /^node:crypto \(native signer unavailable: \/nonexistent\/build\/es256\.node is not built/,
    )
    assert.deepEqual(out.natives, [], 'the real addon was never loaded')
  })
})
