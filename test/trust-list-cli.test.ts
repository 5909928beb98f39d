/**
 * The STI-PA trust list as an operator uses it: `stirhub trust-list import` the CA list the
 * STI-PA API returned (signer fetched from its x5u on loopback), `trust-list show` it, then
 * `stirhub verify` with the list as the only source of trusted STI-CAs.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { runCli } from './helpers/cli.js'

const nowSec = () => Math.floor(Date.now() / 1000)

describe('stirhub trust-list (CLI)', () => {
  let srv: CertServer
  let pki: TestPki
  let dir: string
  let env: Record<string, string>
  const file = (name: string) => path.join(dir, name)
  // The test PKI's otherRoot plays the STI-PA root, and its wrongCa leaf the STI-PA's list signer.
  const caList = (trustList: string[], key = pki.leaves.wrongCa.key) =>
    JSON.stringify({
      status: 'success',
      caList: forgeJws(
        { alg: 'ES256', typ: 'JWT', x5u: `${srv.base}/sti-pa.crt` },
        { version: '1', sequence: 3, exp: nowSec() + 86_400, trustList },
        key,
      ),
    })
  const der64 = (pem: string) => Buffer.from(new X509Certificate(pem).raw).toString('base64')

  before(async () => {
    srv = await startCertServer()
    pki = await buildTestPki(new Date(), srv.base)
    srv.routes.set('/sti-pa.crt', { body: pki.leaves.wrongCa.pem })
    srv.routes.set('/sp.pem', { body: pki.chainPem('good') })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-trustlist-cli-'))
    fs.writeFileSync(file('sti-pa-root.pem'), pki.otherRoot.pem)
    env = {
      STIRHUB_DATA_DIR: dir,
      STIRHUB_STI_PA_ROOTS: file('sti-pa-root.pem'),
      STIRHUB_X5U_ALLOW: new URL(srv.base).host,
    }
  })
  after(async () => {
    await srv.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('imports the STI-PA CA list, shows it, and the verifier trusts its STI-CAs', async () => {
    fs.writeFileSync(file('ca-list.json'), caList([der64(pki.root.pem)]))
    const imp = await runCli(['trust-list', 'import', file('ca-list.json'), '--out', file('trust-list.txt')], env)
    assert.equal(imp.code, 0, imp.err + imp.out)
    assert.match(imp.out, /STI-CA roots: 1/)
    assert.match(imp.out, /Test SHAKEN Root/)
    assert.equal(srv.hits.get('/sti-pa.crt'), 1)
    const show = await runCli(['trust-list', 'show', file('trust-list.txt')], env)
    assert.equal(show.code, 0, show.err)
    assert.match(show.out, /Sequence: 3, version: 1/)

    const x5u = `${srv.base}/sp.pem`
    const identity = identityOf(forgeJws(shakenHeader(x5u), shakenClaims(nowSec()), pki.leaves.good.key), x5u)
    const args = ['verify', '--identity', identity, '--from', '12155550121', '--to', '12025550143']
    const passed = await runCli([...args, '--trust-list', file('trust-list.txt')], env)
    assert.equal(passed.code, 0, passed.err + passed.out)
    assert.match(passed.out, /TN-Validation-Passed/)
    // Without the list nothing vouches for the STI-CA.
    const untrusted = await runCli(args, env)
    assert.equal(untrusted.code, 1)
    assert.match(untrusted.out, /cert_untrusted/)
  })

  it('refuses a list the STI-PA did not sign and leaves the file in use alone', async () => {
    const before = fs.readFileSync(file('trust-list.txt'), 'utf8')
    fs.writeFileSync(file('forged.json'), caList([der64(pki.otherRoot.pem)], pki.leaves.good.key))
    const r = await runCli(['trust-list', 'import', file('forged.json'), '--out', file('trust-list.txt')], env)
    assert.equal(r.code, 1)
    assert.match(r.err, /signature does not verify/)
    assert.equal(fs.readFileSync(file('trust-list.txt'), 'utf8'), before)
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    )
    const noRoots = await runCli(['trust-list', 'show', file('trust-list.txt')], { STIRHUB_DATA_DIR: dir })
    assert.equal(noRoots.code, 2)
    assert.match(noRoots.err, /STIRHUB_STI_PA_ROOTS/)
  })
})
