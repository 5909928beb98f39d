import { strict as assert } from 'node:assert'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { compactVerify, importSPKI } from 'jose'
import { es256Backend, es256Sign, useNativeEs256 } from './es256.js'
import { addonPath, loadEs256Addon, type Es256Addon } from './native/addon.js'
import { es256SignatureTextProblem } from './passport.js'

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' })
const verifies = (input: string, sig: string, pub: KeyObject) =>
  verify('sha256', Buffer.from(input, 'latin1'), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))
const b64u = (s: string) => Buffer.from(s).toString('base64url')

// Where the build has what it needs (a C compiler and Node's headers, as .ci/run installs),
// the addon must be there and in use: a silent fallback would hide a broken build.
const canBuild =
  spawnSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'ignore' }).status === 0 &&
  [path.resolve(process.execPath, '..', '..', 'include', 'node'), '/usr/include/node', '/usr/include/nodejs'].some(
    (d) => fs.existsSync(path.join(d, 'node_api.h')),
  )

describe('ES256 signing backends', () => {
  after(() => useNativeEs256(true))

  it('signs natively on a machine that can build the addon', {
    skip: !canBuild && 'no C compiler or Node headers here',
  }, () => {
    const { privateKey } = p256()
    es256Sign('warm', privateKey)
    assert.deepEqual({ native: es256Backend().native }, { native: true }, es256Backend().detail)
    assert.match(es256Backend().detail, /^native \(OpenSSL \d+\.\d+/)
  })

  for (const native of [true, false]) {
    it(`${native ? 'native' : 'node:crypto'}: JOSE ES256 that node:crypto and jose verify, for any input length, canonical base64url`, async () => {
      useNativeEs256(native)
      const { privateKey, publicKey } = p256()
      const jwk = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }) as string, 'ES256')
      for (const len of [0, 1, 2, 63, 64, 300, 2047, 2048, 2049, 10_000, 1 << 20]) {
        const input = randomBytes(len).toString('base64url').slice(0, len)
        const sig = es256Sign(input, privateKey)
        assert.equal(es256SignatureTextProblem(sig), undefined, `len ${len}`)
        assert.ok(verifies(input, sig, publicKey), `len ${len}`)
      }
      const header = b64u('{"alg":"ES256","typ":"passport"}')
      const payload = b64u('{"iat":1}')
      const jws = `${header}.${payload}`
      const sig = es256Sign(jws, privateKey)
      assert.equal(new TextDecoder().decode((await compactVerify(`${jws}.${sig}`, jwk)).payload), '{"iat":1}')
      // ECDSA with a fresh nonce: the same input never gives the same signature twice.
      assert.notEqual(es256Sign(jws, privateKey), sig)
      assert.equal(es256Backend().native, native)
    })
  }

  it('keeps a signer per key: interleaved keys each sign with their own', () => {
    const keys = [p256(), p256(), p256()]
    for (let i = 0; i < 30; i++) {
      const k = keys[i % 3]!
      assert.ok(verifies(`call-${i}`, es256Sign(`call-${i}`, k.privateKey), k.publicKey))
      assert.ok(!verifies(`call-${i}`, es256Sign(`call-${i}`, k.privateKey), keys[(i + 1) % 3]!.publicKey))
    }
  })

  it('signs the latin1 bytes of its input, as the node:crypto backend does', () => {
    const { privateKey, publicKey } = p256()
    for (const native of [true, false]) {
      useNativeEs256(native)
      assert.ok(verifies('caf\u00e9', es256Sign('caf\u00e9', privateKey), publicKey))
    }
  })
})

describe('the native addon refuses bad input without crashing', {
  skip: !loadEs256Addon().addon && 'addon not built here',
}, () => {
  const a = loadEs256Addon().addon as Es256Addon
  const { privateKey } = p256()
  const handle = a.create(privateKey.export({ format: 'der', type: 'pkcs8' }))

  it('create: only a PKCS#8 P-256 private key', () => {
    const pkcs8 = (k: KeyObject) => k.export({ format: 'der', type: 'pkcs8' })
    const rsa = pkcs8(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)
    const ed25519 = pkcs8(generateKeyPairSync('ed25519').privateKey)
    const p384 = pkcs8(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)
    for (const bad of [Buffer.alloc(0), Buffer.from('not a key'), rsa, ed25519, p384, Buffer.alloc(70_000)]) {
      assert.throws(
        () => a.create(bad),
        (e: NodeJS.ErrnoException) => e.code === 'ERR_ES256_KEY',
      )
    }
    for (const bad of [undefined, 'pem text', 42, {}]) {
      assert.throws(
        () => a.create(bad as unknown as Buffer),
        (e: NodeJS.ErrnoException) => e.code === 'ERR_ES256_ARGS',
      )
    }
    // Random and truncated DER: an error each time, never a crash.
    const der = privateKey.export({ format: 'der', type: 'pkcs8' })
    for (let i = 0; i < 2000; i++) {
      const junk =
        i % 2 ? randomBytes(1 + (i % 200)) : Buffer.concat([der.subarray(0, i % der.length), randomBytes(i % 7)])
      try {
        a.create(junk)
      } catch (e) {
        assert.equal((e as NodeJS.ErrnoException).code, 'ERR_ES256_KEY', String(e))
      }
    }
  })

  it('sign: a handle and a string', () => {
    for (const [h, input] of [
      [handle, Buffer.from('x')],
      [handle, 7],
      [{}, 'x'],
      ['handle', 'x'],
      [undefined, undefined],
    ] as const) {
      assert.throws(
        () => a.sign(h as object, input as string),
        (e: NodeJS.ErrnoException) => e.code === 'ERR_ES256_ARGS',
      )
    }
    assert.throws(
      () => (a.sign as (h: object) => string)(handle),
      (e: NodeJS.ErrnoException) => e.code === 'ERR_ES256_ARGS',
    )
  })

  it('says why when it cannot load, and the signer falls back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'es256-'))
    try {
      assert.match(
        String((loadEs256Addon(path.join(dir, 'missing.node')) as { problem: string }).problem),
        /is not built/,
      )
      fs.writeFileSync(path.join(dir, 'junk.node'), 'not a shared object')
      assert.match(String((loadEs256Addon(path.join(dir, 'junk.node')) as { problem: string }).problem), /did not load/)
      assert.equal(path.basename(addonPath()), 'es256.node')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
