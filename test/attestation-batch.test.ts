/**
 * `POST /stir/v1/attestation/batch` on both stores: the level and the why of many calling
 * numbers at once, each with the bundles holding it, scoped to the caller's accounts.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { addNumberRow, buildWorld } from './helpers/attestation-world.js'

for (const dialect of DIALECTS) {
  describe(`attestation batch [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s?.stop()
    })

    it('answers each number: level, steps to A and to B, the bundles holding it; junk is named, not fatal', async () => {
      const db = s.running.ctx.store.db
      const w = await buildWorld(s.url, db, 'isv-sub')
      const loose = await addNumberRow(db, w.caller.sid)
      const foreign = await buildWorld(s.url, db, 'direct')
      const r = await http(s.url, 'POST', '/stir/v1/attestation/batch', {
        auth: w.caller,
        json: { numbers: [w.number.phone, loose.phone.slice(2), 'nope', foreign.number.phone] },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const [a, b, junk, other] = r.body.results
      assert.equal(a.level, 'A')
      assert.deepEqual(a.missing_for_a, [])
      assert.deepEqual(a.assigned_to.map((x: any) => x.sid).sort(), [w.profileSid, w.trustSid].sort())
      assert.equal(b.number, loose.phone.slice(2))
      assert.equal(b.from, loose.phone.slice(1))
      assert.equal(b.level, 'B')
      assert.ok(b.missing_for_a.length > 0)
      assert.deepEqual(b.missing_for_b, [])
      assert.deepEqual(b.assigned_to, [])
      assert.equal(junk.number, 'nope')
      assert.match(junk.error, /not/)
      // Another tenant's number: decided as a number not the caller's, its bundles not shown.
      assert.equal(other.level, 'B')
      assert.deepEqual(other.assigned_to, [])
      assert.match(other.reasons.join(' '), /belongs to another account/)
      // The parent sees its sub-account's number and the bundles holding it.
      const parent = await http(s.url, 'POST', '/stir/v1/attestation/batch', {
        auth: w.top,
        json: { numbers: [w.number.phone] },
      })
      assert.equal(parent.body.results[0].assigned_to.length, 2)
    })

    it('refuses an empty list, more than 1,000 numbers, and a body that is not JSON', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const post = (json: unknown) => http(s.url, 'POST', '/stir/v1/attestation/batch', { auth: w.caller, json })
      assert.equal((await post({ numbers: [] })).status, 400)
      assert.equal((await post({ numbers: Array.from({ length: 1001 }, () => w.number.phone) })).status, 400)
      const text = await http(s.url, 'POST', '/stir/v1/attestation/batch', {
        auth: w.caller,
        raw: 'numbers=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(text.status, 415)
    })
  })
}
