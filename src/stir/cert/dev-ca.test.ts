import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createDevRoot, issueSpCert, loadOrCreateDevRoot } from './dev-ca.js'
import { lintCertificate } from './profile-lint.js'

describe('dev STI-CA', () => {
  const now = new Date()
  it('creates a root and an SP certificate that lint clean in strict mode and chain', async () => {
    const root = await createDevRoot(now)
    const sp = await issueSpCert(root, { spc: '1234', publicUrl: 'http://localhost:3000', now })
    const r = lintCertificate(root.certPem, { strict: true })
    assert.equal(r.role, 'root')
    assert.deepEqual(r.findings, [])
    const e = lintCertificate(sp.certPem, { strict: true })
    assert.equal(e.role, 'ee')
    assert.equal(e.spc, '1234')
    assert.deepEqual(e.findings, [])
    const leaf = new X509Certificate(sp.certPem)
    const ca = new X509Certificate(root.certPem)
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey))
    assert.match(leaf.subject, /CN=SHAKEN 1234/)
    // openssl agrees on the chain and reads the extensions (an independent parser).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-devca-'))
    try {
      fs.writeFileSync(path.join(dir, 'root.pem'), root.certPem)
      fs.writeFileSync(path.join(dir, 'sp.pem'), sp.certPem)
      assert.match(
        execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'root.pem'), path.join(dir, 'sp.pem')], {
          encoding: 'utf8',
        }),
        /OK/,
      )
      const text = execFileSync('openssl', ['x509', '-in', path.join(dir, 'sp.pem'), '-noout', '-text'], {
        encoding: 'utf8',
      })
      assert.match(text, /2\.16\.840\.1\.114569\.1\.1\.3/)
      assert.match(text, /URI:http:\/\/localhost:3000\/certs\/crl/)
      assert.match(text, /CRL Issuer:\s+DirName:/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
  it('refuses a malformed SPC', async () => {
    const root = await createDevRoot(now)
    await assert.rejects(issueSpCert(root, { spc: 'ab 1', publicUrl: 'http://x', now }), RangeError)
  })
  it('keeps the root under <dataDir>/dev-ca and reuses it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-devca-'))
    try {
      const a = await loadOrCreateDevRoot(dir, now)
      const b = await loadOrCreateDevRoot(dir, now)
      assert.equal(a.certPem, b.certPem)
      assert.equal(fs.statSync(path.join(dir, 'dev-ca', 'root.key')).mode & 0o777, 0o600)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
