import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadOrCreateDevRoot, issueSpCert } from '../cert/dev-ca.js'
import { certsFromPem, loadTrustStore } from './trust-store.js'
import { validatePath } from './path-validation.js'

describe('trust store', () => {
  it('trusts the dev CA root of the data dir, and a PEM bundle; an SP cert of the dev CA validates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-trust-'))
    try {
      assert.equal(loadTrustStore({ devDataDir: dir }).anchors.length, 0)
      const root = await loadOrCreateDevRoot(dir, new Date())
      const store = loadTrustStore({ devDataDir: dir })
      assert.equal(store.anchors.length, 1)
      const sp = await issueSpCert(root, { spc: '709J', publicUrl: 'https://sti.example.net', now: new Date() })
      const r = validatePath(certsFromPem(sp.certPem), store)
      assert.ok(r.ok)
      assert.equal(r.chain.spc, '709J')
      assert.deepEqual(r.chain.crlUrls, ['https://sti.example.net/certs/crl'])
      fs.writeFileSync(path.join(dir, 'bundle.pem'), root.certPem + sp.certPem)
      // Only CA certificates of a bundle become anchors.
      assert.equal(loadTrustStore({ bundlePath: path.join(dir, 'bundle.pem') }).anchors.length, 1)
      assert.equal(validatePath(certsFromPem(sp.certPem), loadTrustStore({})).ok, false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
