/**
 * Interop both ways with the Debian package `secsipidx` (kamailio's Go library): its
 * `-sign-full` Identity headers verify as TN-Validation-Passed and fail with 438 /
 * TN-Validation-Failed after one byte of the signature changes; stirhub's own signed
 * Identity verifies here and with `secsipidx -check`.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { createGuardedFetcher, type GuardedFetcher } from '../src/security/guarded-fetch.js'
import { CrlStore } from '../src/stir/trust/crl-store.js'
import { trustStoreOf } from '../src/stir/trust/trust-store.js'
import { CertCache } from '../src/stir/x5u/cert-cache.js'
import { createVerifier, type Verifier } from '../src/stir/vs/verifier.js'
import { profileCheck, x5uRules } from '../src/stir/vs/sti-vs.js'
import { signIdentity } from '../src/stir/passport/index.js'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'

let srv: CertServer
let pki: TestPki
let fetcher: GuardedFetcher
let vs: Verifier
let dir: string
let keyFile: string
let pubFile: string

before(async () => {
  srv = await startCertServer()
  pki = await buildTestPki(new Date(), srv.base)
  srv.routes.set('/sp.pem', { body: pki.chainPem('good') })
  fetcher = createGuardedFetcher(x5uRules([new URL(srv.base).host]))
  const certs = new CertCache({
    fetcher: (u) => fetcher.fetch(u),
    trust: trustStoreOf([new X509Certificate(pki.root.pem)]),
    crl: new CrlStore(),
    clock: () => new Date(),
    profile: profileCheck(false),
  })
  vs = createVerifier({ certs })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secsipidx-'))
  keyFile = path.join(dir, 'sp.key')
  pubFile = path.join(dir, 'sp.pub')
  fs.writeFileSync(keyFile, pki.leaves.good.key.export({ type: 'sec1', format: 'pem' }))
  fs.writeFileSync(pubFile, new X509Certificate(pki.leaves.good.pem).publicKey.export({ type: 'spki', format: 'pem' }))
})
after(async () => {
  await fetcher.close()
  await srv.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Changes one character in the middle of the signature part. */
function flipSignatureByte(identity: string): string {
  const semi = identity.indexOf(';')
  const jws = identity.slice(0, semi)
  const i = jws.lastIndexOf('.') + 20
  return jws.slice(0, i) + (jws[i] === 'A' ? 'B' : 'A') + jws.slice(i + 1) + identity.slice(semi)
}

const call = (identity: string) => vs.verify({ identity: [identity], from: '12155550121', to: ['12025550143'] })

describe('secsipidx interop', () => {
  it('verifies secsipidx -sign-full as passed; one changed byte gives 438 TN-Validation-Failed', async () => {
    const identity = execFileSync(
      'secsipidx',
      [
        '-sign-full',
        '-k',
        keyFile,
        '-o',
        '12155550121',
        '-d',
        '12025550143',
        '-a',
        'A',
        '-x5u',
        `${srv.base}/sp.pem`,
        '-orig-id',
        '123e4567-e89b-12d3-a456-426655440000',
      ],
      { encoding: 'utf8' },
    ).trim()
    assert.match(identity, /;info=<http:\/\/127\.0\.0\.1:\d+\/sp\.pem>;alg=ES256;ppt=shaken$/)
    const ok = await call(identity)
    assert.equal(ok.reason, 'passed', ok.detail)
    assert.equal(ok.verstat, 'TN-Validation-Passed')
    const bad = await call(flipSignatureByte(identity))
    assert.equal(bad.sipCode, 438)
    assert.equal(bad.verstat, 'TN-Validation-Failed')
  })

  it('stirhub-signed Identity verifies here and with secsipidx -check', async () => {
    const { identity } = signIdentity(
      { key: pki.leaves.good.key, x5u: `${srv.base}/sp.pem` },
      { attest: 'B', orig: '+1 215 555 0121', dest: ['12025550143'], origid: '123e4567-e89b-12d3-a456-426655440000' },
    )
    assert.equal((await call(identity)).reason, 'passed')
    // secsipidx's -expire defaults to 0 s: a check in the next second would fail as expired.
    const check = (id: string) =>
      spawnSync('secsipidx', ['-check', '-identity', id, '-p', pubFile, '-expire', '60'], { encoding: 'utf8' })
    const good = check(identity)
    assert.equal(good.status, 0, good.stdout + good.stderr)
    // Exit status is secsipidx's return code mod 256: -251 (signature invalid) is 5.
    assert.equal(check(flipSignatureByte(identity)).status, 5)
  })
})
