/**
 * PostgreSQL LISTEN/NOTIFY for the store versions (store/version-listener.ts): a change
 * committed through one server moves another server's attestation index with no call to it,
 * and a listener whose connection is lost listens again.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS, PG_URL, dropSchema, newSchemaName, pgAdmin } from './helpers/dialects.js'
import { ADMIN_TOKEN, twoServersOnOneStore } from './helpers/server.js'
import { http } from './helpers/http.js'
import { scrape } from './helpers/metrics.js'
import { buildWorld } from './helpers/attestation-world.js'
import { migrate, openStore } from '../src/store/db.js'
import { bumpVersions, readVersions } from '../src/store/decision-version.repo.js'
import { listenForVersions } from '../src/store/version-listener.js'

/** Waits until `done()` holds, failing with `what` after `ms`. */
async function until(what: string, done: () => boolean, ms = 5000): Promise<void> {
  for (const t0 = Date.now(); !done(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - t0 > ms) assert.fail(`${what}: not within ${ms} ms`)
  }
}

const signing = (from: string) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: ['12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
})

describe('store version notifications [postgres]', {
  skip: !DIALECTS.includes('postgres') && 'PostgreSQL not in STIRHUB_TEST_DIALECTS',
}, () => {
  const pair = twoServersOnOneStore('postgres')

  it("a rejection committed through one server moves the other's index before its next call", async () => {
    const { a, b } = pair
    const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
    const first = await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signing(w.number.phone) })
    assert.equal(first.headers.get('x-attestation'), 'A')
    const index = b.running.ctx.stiAs.index
    const before = index.version
    await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Status: 'twilio-rejected', Errors: [18601] },
    })
    const now = (await readVersions(a.running.ctx.store.db)).decisions
    assert.ok(now > before)
    // Nothing calls b meanwhile: only the notification can move its index.
    await until("b's index at the new version", () => index.version === now)
    const next = await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signing(w.number.phone) })
    assert.equal(next.headers.get('x-attestation'), 'C')
    assert.equal((await scrape(b.url)).get('stirhub_version_notifications_listening'), 1)
  })

  it('listens again after its connection is lost, and hears only its own schema', async () => {
    const schema = newSchemaName()
    const other = newSchemaName()
    const store = await openStore(PG_URL, { schema })
    const elsewhere = await openStore(PG_URL, { schema: other })
    let moves = 0
    const listener = listenForVersions(store, () => {
      moves++
    })!
    try {
      await migrate(store)
      await migrate(elsewhere)
      await until('listening', () => listener.listening)
      const bump = async () => {
        const m = moves
        await store.db.transaction().execute((tx) => bumpVersions(tx))
        await until('told of the bump', () => moves > m)
      }
      await bump()
      // A bump in another schema of the same database is not this store's.
      const m = moves
      await elsewhere.db.transaction().execute((tx) => bumpVersions(tx))
      await store.db.transaction().execute((tx) => bumpVersions(tx, { kinds: ['credentials'] }))
      await until('told of its own credentials bump', () => moves > m)
      // Notifications arrive in commit order: had the other schema's counted, it would be here by now.
      await new Promise((r) => setTimeout(r, 200))
      assert.equal(moves, m + 1, "told of the other schema's bump")
      await pgAdmin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stirhub-versions ${schema}'`,
      )
      await until('noticed the lost connection', () => !listener.listening)
      await until('listening again', () => listener.listening, 10_000)
      await bump()
    } finally {
      await listener.close()
      await store.close()
      await elsewhere.close()
      await dropSchema(schema)
      await dropSchema(other)
    }
  })
})
