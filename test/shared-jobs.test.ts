/**
 * What instances on one store share so that they agree and work runs once: the CRLs one
 * process fetched (every other process revokes the same certificates without fetching them)
 * and the leases periodic jobs run under. Two servers on one store, on both engines.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { startServer, type TestServer } from './helpers/server.js'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { eventually } from './helpers/vetting.js'
import { normSerial } from '../src/stir/trust/path-validation.js'
import { findLease, takeLease } from '../src/store/leases.repo.js'
import { crlDigests, findCrl, saveCrl } from '../src/store/crls.repo.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS, dropSchema, newSchemaName, PG_URL } from './helpers/dialects.js'
import { loadConfig } from '../src/config/config.js'
import { boot } from '../src/runtime/boot.js'
import { migrate, openStore } from '../src/store/db.js'
import { getSetting } from '../src/store/accounts.repo.js'
import { hashSecret } from '../src/security/secrets.js'

for (const dialect of DIALECTS) {
  describe(`state shared by instances on one store [${dialect}]`, () => {
    let srv: CertServer
    let pki: TestPki
    let a: TestServer
    let b: TestServer
    before(async () => {
      srv = await startCertServer()
      pki = await buildTestPki(new Date(), srv.base)
      srv.routes.set('/crl', { body: pki.crl, headers: { 'content-type': 'application/pkix-crl' } })
      const env = { STIRHUB_X5U_ALLOW: new URL(srv.base).host }
      a = await startServer(dialect, { env })
      b = await startServer(dialect, { env, shareWith: a })
    })
    after(async () => {
      await b?.stop()
      await a?.stop()
      await srv?.close()
    })

    it('a CRL one process fetched revokes on another that never fetched it nor saw its CA', async () => {
      const revoked = [
        { issuer: pki.intermediate.cert.subject, serial: normSerial(pki.leaves.revoked.cert.serialNumber) },
      ]
      const vsA = a.running.ctx.stiVs
      const vsB = b.running.ctx.stiVs
      // A validated a chain naming the CRL (what a verification does), then fetched it (now,
      // rather than a second later on its own: the fetches counted below are B's alone).
      vsA.crl.onNewUrl = undefined
      vsA.crl.learn([`${srv.base}/crl`], [new X509Certificate(pki.intermediate.pem)])
      const results = await vsA.refreshCrls()
      assert.deepEqual(
        results.map((r) => r.ok),
        [true],
      )
      assert.equal(vsA.crl.isRevoked(revoked), true)
      assert.equal(vsB.crl.isRevoked(revoked), false, 'B has not seen it yet')
      const fetches = srv.hits.get('/crl')
      // B's trust tick (every 10 s) loads it from the store, checked against the stored CA.
      await eventually(() => vsB.crl.isRevoked(revoked), 20_000, 'B revokes from the shared CRL')
      assert.equal(srv.hits.get('/crl'), fetches, 'B did not fetch the CRL itself')
      assert.deepEqual(vsB.crl.knownUrls(), [`${srv.base}/crl`], 'B refreshes it on its own schedule from now on')
    })

    it('an older CRL never replaces a newer one in the store', async () => {
      const db = a.running.ctx.store.db
      const [stored] = await crlDigests(db)
      const row = (await findCrl(db, stored!.url))!
      const older = { ...row, digest: 'f'.repeat(64), this_update: '2000-01-01T00:00:00.000Z' }
      assert.equal(await saveCrl(db, older), false)
      assert.equal((await findCrl(db, row.url))!.digest, row.digest)
      const newer = { ...row, digest: 'e'.repeat(64), this_update: '2999-01-01T00:00:00.000Z' }
      assert.equal(await saveCrl(db, newer), true)
      assert.equal((await findCrl(db, row.url))!.digest, newer.digest)
    })

    it('a lease is taken by one of two instances racing for it, and again once it runs out', async () => {
      const dbA = a.running.ctx.store.db
      const dbB = b.running.ctx.store.db
      const now = '2030-01-01T00:00:00.000Z'
      const until = '2030-01-01T00:00:01.000Z'
      for (let i = 0; i < 5; i++) {
        const name = `test.race.${i}`
        const won = await Promise.all([
          takeLease(dbA, name, 'a', now, until),
          takeLease(dbB, name, 'b', now, until),
          takeLease(dbA, name, 'a2', now, until),
        ])
        assert.equal(won.filter(Boolean).length, 1, `one winner (${won})`)
      }
      assert.equal(await takeLease(dbB, 'test.race.0', 'b', '2030-01-01T00:00:00.500Z', until), false, 'still held')
      const later = '2030-01-01T00:00:01.000Z'
      assert.equal(await takeLease(dbB, 'test.race.0', 'b', later, '2030-01-01T00:00:02.000Z'), true, 'ran out')
      const lease = await findLease(dbA, 'test.race.0')
      assert.deepEqual(lease, { holder: 'b', until: '2030-01-01T00:00:02.000Z', runs: 2 })
      // Another machine's clock a little behind does not take it from the holder…
      assert.equal(
        await takeLease(dbA, 'test.race.0', 'a', '2030-01-01T00:00:00.900Z', '2030-01-01T00:00:01.900Z'),
        false,
      )
      // … but a clock stepped back by more than a period does not leave it held until it catches up.
      assert.equal(
        await takeLease(dbA, 'test.race.0', 'a', '2029-01-01T00:00:00.000Z', '2029-01-01T00:00:01.000Z'),
        true,
      )
    })

    // PostgreSQL only: three SQLite connections in one process deadlock on the first start's
    // write transaction (better-sqlite3 waits for the lock synchronously); separate processes do not.
    it('instances booting together on an empty store make one first start between them', {
      skip: dialect === 'sqlite',
    }, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-boot-race-'))
      const schema = dialect === 'postgres' ? newSchemaName() : undefined
      const config = loadConfig({
        DATABASE_URL: dialect === 'postgres' ? PG_URL : `sqlite:${path.join(dir, 'stirhub.db')}`,
        STIRHUB_DATA_DIR: dir,
        STIRHUB_MASTER_KEY: 'boot-race-master-key-0123456789abcdef0123',
        LOG_LEVEL: 'silent',
      })
      // Migrated first, so the boots reach the first-start step together.
      const s = await openStore(config.databaseUrl, { schema })
      await migrate(s)
      try {
        const booted = await Promise.all([1, 2, 3].map(() => boot(config, { schema })))
        try {
          const shown = booted.flatMap((b) => (b.firstStart ? [b.firstStart] : []))
          assert.equal(shown.length, 1, 'one first start shown')
          const accounts = await s.db.selectFrom('accounts').select('sid').execute()
          assert.deepEqual(
            accounts.map((r) => r.sid),
            [shown[0]!.accountSid],
          )
          // The operator token shown is the one every instance accepts.
          assert.equal(await getSetting(s.db, 'operator_token_hash'), hashSecret(shown[0]!.operatorToken!))
        } finally {
          for (const b of booted) await b.close()
        }
      } finally {
        await s.close()
        if (schema) await dropSchema(schema)
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })
  })
}
