import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'
import { createDevRoot, issueSpCert } from '../cert/dev-ca.js'
import { signDivIdentity, signIdentity } from '../passport/index.js'
import type { CertificateRow } from '../../store/certificates.repo.js'
import { checkOwnSignature, NotAnIdentityHeader } from './own-signature.js'

const BASE = 'https://sti.example.net'
const ORIGID = '3f1c2b9e-8d4a-4c1e-9a7b-2e5f6d7c8b9a'

/** A certificate row of ours with its key, as `certificates` holds them (the key unsealed). */
async function ours(id: string, status: 'active' | 'retired') {
  const now = new Date()
  const sp = await issueSpCert(await createDevRoot(now), { spc: '1234', publicUrl: BASE, now })
  const row: CertificateRow = {
    id,
    chain_pem: sp.certPem,
    key_sealed: '',
    spc: '1234',
    not_before: now.toISOString(),
    not_after: now.toISOString(),
    status,
    retired_at: null,
    date_created: now.toISOString(),
  }
  return { row, signer: { key: createPrivateKey(sp.keyPem), x5u: `${BASE}/certs/${id}.pem` } }
}

describe('checkOwnSignature', () => {
  const A = `CR${'a'.repeat(32)}`
  const B = `CR${'b'.repeat(32)}`
  let a: Awaited<ReturnType<typeof ours>>
  let b: Awaited<ReturnType<typeof ours>>
  const claims = {
    attest: 'A' as const,
    orig: '12125550100',
    dest: ['12025550143'],
    iat: 1_765_000_000,
    origid: ORIGID,
  }
  before(async () => {
    a = await ours(A, 'active')
    b = await ours(B, 'retired')
  })

  it('verifies with the certificate its x5u names, and with a past one the x5u no longer matches', () => {
    const { identity } = signIdentity(a.signer, claims)
    const r = checkOwnSignature(identity, [b.row, a.row])
    assert.ok(r.ok)
    assert.equal(r.certificate.id, A)
    assert.deepEqual(r.claims, { ppt: 'shaken', ...claims })
    // Signed by B's key under an x5u that names A (the public URL or the id changed): still ours, B's.
    const moved = signIdentity({ key: b.signer.key, x5u: a.signer.x5u }, claims).identity
    const m = checkOwnSignature(moved, [a.row, b.row])
    assert.ok(m.ok)
    assert.equal(m.certificate.id, B)
  })

  it('not ours: another key under our x5u, an x5u elsewhere, no certificate at all', () => {
    const { identity } = signIdentity(a.signer, claims)
    const r = checkOwnSignature(identity, [b.row])
    assert.deepEqual(r, {
      ok: false,
      reason: `the signature does not verify with any of this platform's 1 signing certificate (current and past); its x5u ${a.signer.x5u} is not one of ours`,
    })
    const named = checkOwnSignature(signIdentity({ key: b.signer.key, x5u: a.signer.x5u }, claims).identity, [a.row])
    assert.ok(!named.ok)
    assert.match(named.reason, new RegExp(`names our certificate ${A}, so the PASSporT was altered after signing`))
    const none = checkOwnSignature(identity, [])
    assert.ok(!none.ok)
    assert.match(none.reason, /no signing certificate/)
  })

  it('takes what an operator pastes: the field name, several instances (the SHAKEN one), a div PASSporT', () => {
    const shaken = signIdentity(a.signer, claims).identity
    const div = signDivIdentity(a.signer, {
      orig: { tn: '12125550100' },
      dest: { tn: ['13035550100'] },
      div: { tn: '12025550143' },
      iat: claims.iat,
    }).identity
    const both = checkOwnSignature(`Identity: ${div}, ${shaken}`, [a.row])
    assert.ok(both.ok)
    assert.equal(both.claims.ppt, 'shaken')
    assert.equal(both.identity, shaken)
    const d = checkOwnSignature(div, [a.row])
    assert.ok(d.ok)
    assert.deepEqual(d.claims, {
      ppt: 'div',
      orig: '12125550100',
      dest: ['13035550100'],
      iat: claims.iat,
      div: '12025550143',
    })
  })

  it('refuses text that is no Identity header', () => {
    for (const text of ['', 'hello', 'a.b;info=<x>', '..c2ln;info=<https://x/c.pem>'])
      assert.throws(() => checkOwnSignature(text, [a.row]), NotAnIdentityHeader, JSON.stringify(text))
  })
})
