import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { listCertificates } from '../src/store/certificates.repo.js'
import { isServable, provisionDevCertificate, RETIRED_GRACE_SECONDS, Signer } from '../src/stir/cert/signer.js'
import { signIdentity } from '../src/stir/passport/identity.js'
import { lintCertificate } from '../src/stir/cert/profile-lint.js'
import { createDevRoot, issueSpCert } from '../src/stir/cert/dev-ca.js'
import { AppError } from '../src/domain/errors.js'

for (const dialect of DIALECTS) {
  describe(`certificates, signer and STI-CR (${dialect})`, () => {
    let s: TestServer
    let offset = 0
    const clock = () => new Date(Date.now() + offset)
    before(async () => {
      s = await startServer(dialect, { clock })
    })
    after(async () => {
      await s?.stop()
    })

    it('boots with a dev certificate and serves its chain publicly at the x5u', async () => {
      const signer = s.running.ctx.signer
      assert.match(signer.certId, /^CR[0-9a-f]{32}$/)
      assert.equal(signer.x5u, `${s.url}/certs/${signer.certId}.pem`)
      assert.equal(signer.spc, '1234')
      const r = await fetch(signer.x5u)
      assert.equal(r.status, 200)
      assert.equal(r.headers.get('content-type'), 'application/x-pem-file')
      assert.match(r.headers.get('cache-control') ?? '', /^public, max-age=\d+$/)
      const pem = await r.text()
      assert.match(pem, /^-----BEGIN CERTIFICATE-----/)
      assert.doesNotMatch(pem, /PRIVATE KEY/)
      const leaf = new X509Certificate(pem)
      assert.equal(lintCertificate(pem, { strict: true }).ok, true)
      // A PASSporT signed through ctx.signer verifies with the served certificate (jose).
      const { passport, identity } = signIdentity(signer, {
        attest: 'A',
        orig: '12155550121',
        dest: '12155550131',
        origid: '123e4567-e89b-12d3-a456-426655440000',
      })
      assert.ok(identity.endsWith(`;info=<${signer.x5u}>;alg=ES256;ppt=shaken`))
      const v = await compactVerify(passport, leaf.publicKey, { algorithms: ['ES256'] })
      assert.equal(v.protectedHeader.x5u, signer.x5u)
    })

    it('serves the dev CA CRL named by the certificate, signed by the dev root (openssl verifies)', async () => {
      const r = await fetch(`${s.url}/certs/crl`)
      assert.equal(r.status, 200)
      assert.equal(r.headers.get('content-type'), 'application/pkix-crl')
      const file = path.join(s.dataDir, 'dev.crl')
      fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()))
      const v = spawnSync(
        'openssl',
        ['crl', '-inform', 'DER', '-in', file, '-CAfile', path.join(s.dataDir, 'dev-ca', 'root.pem'), '-noout'],
        { encoding: 'utf8' },
      )
      assert.equal(v.status, 0)
      assert.match(v.stderr + v.stdout, /verify OK/)
      const leaf = new X509Certificate(await (await fetch(s.running.ctx.signer.x5u)).text())
      assert.match(
        execFileSync('openssl', ['x509', '-noout', '-ext', 'crlDistributionPoints'], {
          input: leaf.toString(),
          encoding: 'utf8',
        }),
        new RegExp(`URI:${s.url}/certs/crl`),
      )
    })

    it('stores the key sealed, never in the clear', async () => {
      const rows = await listCertificates(s.running.ctx.store.db)
      assert.equal(rows.length, 1)
      assert.match(rows[0]!.key_sealed, /^v1\./)
      // The private scalar, in any text form, appears nowhere in the row.
      const d = s.running.ctx.signer.key.export({ format: 'jwk' }).d!
      const stored = JSON.stringify(rows)
      assert.doesNotMatch(stored, /PRIVATE KEY/)
      for (const form of [
        d,
        Buffer.from(d, 'base64url').toString('hex'),
        Buffer.from(d, 'base64url').toString('base64'),
      ])
        assert.ok(!stored.includes(form))
    })

    it('answers 404 in the API error format for unknown or malformed ids', async () => {
      for (const p of ['/certs/CR00000000000000000000000000000000.pem', '/certs/nope.pem', '/certs/..%2Fmaster.key']) {
        const r = await http(s.url, 'GET', p)
        assert.equal(r.status, 404, p)
        assert.equal(r.body.code, 20404)
      }
    })

    it('rotation keeps the old x5u served until no PASSporT signed with it can be fresh', async () => {
      const signer = s.running.ctx.signer
      const oldUrl = signer.x5u
      const root = await createDevRoot(clock())
      const next = await issueSpCert(root, { spc: '5678', publicUrl: s.url, now: clock() })
      await signer.rotate(next.certPem, next.keyPem)
      assert.notEqual(signer.x5u, oldUrl)
      assert.equal(signer.spc, '5678')
      assert.equal((await fetch(signer.x5u)).status, 200)
      const old = await fetch(oldUrl)
      assert.equal(old.status, 200)
      const maxAge = Number(/max-age=(\d+)/.exec(old.headers.get('cache-control') ?? '')?.[1])
      assert.ok(maxAge <= RETIRED_GRACE_SECONDS, `retired max-age ${maxAge}`)
      // Another process (a fresh signer over the same store) loads the new active one.
      const other = new Signer({ db: s.running.ctx.store.db, sealer: s.running.ctx.sealer, publicUrl: s.url, clock })
      assert.equal(await other.load(), true)
      assert.equal(other.certId, signer.certId)
      // ... and a running one follows a rotation made elsewhere (e.g. `stirhub cert import`).
      const third = await issueSpCert(root, { spc: '9999', publicUrl: s.url, now: clock() })
      const stop = other.startRefresh(20)
      try {
        await signer.rotate(third.certPem, third.keyPem)
        for (let i = 0; i < 250 && other.certId !== signer.certId; i++) await new Promise((r) => setTimeout(r, 20))
        assert.equal(other.certId, signer.certId)
        assert.equal(other.spc, '9999')
      } finally {
        stop()
      }
      offset = (RETIRED_GRACE_SECONDS + 1) * 1000
      assert.equal((await fetch(oldUrl)).status, 404)
      assert.equal((await fetch(signer.x5u)).status, 200)
      offset = 0
      const rows = await listCertificates(s.running.ctx.store.db)
      assert.deepEqual(rows.map((r) => r.status).sort(), ['active', 'retired', 'retired'])
      // Each activation is in the audit log: which certificate, its SPC, the one it retired.
      const events = await http(s.url, 'GET', '/admin/v1/Events?Type=certificate.activated', {
        auth: { bearer: ADMIN_TOKEN },
      })
      assert.equal(events.status, 200)
      const active = rows.find((r) => r.status === 'active')!
      const newest = events.body.results[0]
      assert.equal(newest.resource_sid, active.id)
      assert.deepEqual({ spc: newest.data.spc, actor: newest.actor }, { spc: '9999', actor: 'system' })
      assert.equal(events.body.results.length, 3)
      assert.deepEqual(
        events.body.results.map((e: { data: { retired: string | null } }) => e.data.retired === null),
        [false, false, true],
      )
    })

    it('refuses an import whose key does not match or whose leaf fails the profile', async () => {
      const signer = s.running.ctx.signer
      const root = await createDevRoot(clock())
      const a = await issueSpCert(root, { spc: '1111', publicUrl: s.url, now: clock() })
      const b = await issueSpCert(root, { spc: '2222', publicUrl: s.url, now: clock() })
      await assert.rejects(
        signer.rotate(a.certPem, b.keyPem),
        (e: unknown) => e instanceof AppError && /does not match/.test(e.message),
      )
      await assert.rejects(
        signer.rotate(root.certPem, root.keyPem),
        (e: unknown) => e instanceof AppError && /end-entity|profile/.test(e.message),
      )
      await assert.rejects(
        signer.rotate('garbage', a.keyPem),
        (e: unknown) => e instanceof AppError && e.status === 400,
      )
    })

    it('a store with no certificate has no signer until one is provisioned', async () => {
      const db = s.running.ctx.store.db
      await db.deleteFrom('certificates').execute()
      const empty = new Signer({ db, sealer: s.running.ctx.sealer, publicUrl: s.url, clock })
      assert.equal(await empty.load(), false)
      assert.throws(
        () => empty.key,
        (e: unknown) => e instanceof AppError && e.status === 503,
      )
      await provisionDevCertificate(empty, { dataDir: s.dataDir, publicUrl: s.url, clock })
      assert.equal(empty.loaded, true)
      assert.equal((await fetch(empty.x5u)).status, 200)
    })
  })
}

describe('isServable', () => {
  it('serves active, and retired only within the grace', () => {
    const t = new Date('2026-01-01T00:00:00Z')
    assert.equal(isServable({ status: 'active', retired_at: null }, t), true)
    assert.equal(
      isServable({ status: 'retired', retired_at: '2026-01-01T00:00:00.000Z' }, new Date(t.getTime() + 1000)),
      true,
    )
    assert.equal(
      isServable(
        { status: 'retired', retired_at: '2026-01-01T00:00:00.000Z' },
        new Date(t.getTime() + RETIRED_GRACE_SECONDS * 1000),
      ),
      false,
    )
  })
})
