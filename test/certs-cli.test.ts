import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDevRoot, issueSpCert } from '../src/stir/cert/dev-ca.js'
import { lintCertificate } from '../src/stir/cert/profile-lint.js'

import { runCli } from './helpers/cli.js'
import { FIXTURES } from './helpers/fixtures.js'

const cli = (args: readonly string[], env: Record<string, string> = {}) => runCli(['cert', ...args], env)

// The store-backed commands run on SQLite: each CLI run costs a tsx boot, and the same repo
// and signer code runs on both engines in certs.test.ts.
describe('stirhub cert (CLI)', { concurrency: true }, () => {
  let dir: string
  let env: Record<string, string>
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-certcli-'))
    env = {
      STIRHUB_DATA_DIR: dir,
      STIRHUB_MASTER_KEY: 'cli-test-master-key-0123456789abcdef',
      PUBLIC_URL: 'https://sti.example.net',
    }
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('lint checks every certificate of a bundle, names findings and exits 1 on errors', async () => {
    const bundle = path.join(dir, 'bundle.pem')
    fs.writeFileSync(
      bundle,
      fs.readFileSync(path.join(FIXTURES, 'zlint-shaken/shakenCert.pem'), 'utf8') +
        fs.readFileSync(path.join(FIXTURES, 'libstirshaken/sp.pem'), 'utf8'),
    )
    const r = await cli(['lint', bundle, '--strict'])
    assert.equal(r.code, 1, r.err)
    assert.match(r.out, /#1: ee SPC 6628: ok/)
    assert.match(r.out, /#2: ee: FAILS the STI profile/)
    assert.match(r.out, /error\s+tn_auth_list_invalid/)
    assert.match(r.out, /error\s+certificate_policies_missing/)
  })

  it('csr writes a 0600 P-256 key and a CSR carrying TNAuthList', async () => {
    const out = path.join(dir, 'csr')
    const r = await cli(['csr', '--spc', '709J', '--out', out])
    assert.equal(r.code, 0, r.err)
    assert.equal(fs.statSync(path.join(out, 'sti.key')).mode & 0o777, 0o600)
    const csr = fs.readFileSync(path.join(out, 'sti.csr'), 'utf8')
    const der = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    // The extension request holds OID 1.3.6.1.5.5.7.1.26 with SEQUENCE { [0] IA5String "709J" }.
    assert.ok(der.includes(Buffer.from('06082b0601050507011a', 'hex')))
    assert.ok(der.includes(Buffer.from('3008a00616043730394a', 'hex')))
  })

  it('dev, import, show: a dev certificate, then an issued chain; show never prints a key', async () => {
    const dev = await cli(['dev', '--spc', '4321'], env)
    assert.equal(dev.code, 0, dev.err)
    assert.match(dev.out, /Certificate\s+CR[0-9a-f]{32}\s+\(active, SPC 4321\)/)
    assert.match(dev.out, /x5u\s+https:\/\/sti\.example\.net\/certs\/CR[0-9a-f]{32}\.pem/)
    assert.equal(
      lintCertificate(fs.readFileSync(path.join(dir, 'dev-ca', 'root.pem'), 'utf8'), { strict: true }).role,
      'root',
    )

    const root = await createDevRoot(new Date())
    const sp = await issueSpCert(root, { spc: '777A', publicUrl: 'https://sti.example.net', now: new Date() })
    fs.writeFileSync(path.join(dir, 'chain.pem'), sp.certPem)
    fs.writeFileSync(path.join(dir, 'sp.key'), sp.keyPem)
    const imp = await cli(['import', '--chain', path.join(dir, 'chain.pem'), '--key', path.join(dir, 'sp.key')], env)
    assert.equal(imp.code, 0, imp.err)
    assert.match(imp.out, /SPC 777A/)

    const list = await cli(['show'], env)
    assert.equal(list.code, 0, list.err)
    const lines = list.out.trim().split('\n')
    assert.equal(lines.length, 2)
    assert.match(lines[0]!, /active\s+SPC 777A/)
    assert.match(lines[1]!, /retired\s+SPC 4321/)
    const one = await cli(['show', lines[0]!.split(/\s+/)[0]!], env)
    assert.equal(one.code, 0, one.err)
    assert.doesNotMatch(one.out, /PRIVATE KEY/)
    const pem = one.out.slice(one.out.indexOf('-----BEGIN CERTIFICATE-----'))
    assert.match(new X509Certificate(pem).subject, /CN=SHAKEN 777A/)
  })
})
