/**
 * DESIGN §4: "a rejection takes effect on the very next call". Two stirhub servers share one
 * database (same SQLite file, or same PostgreSQL schema); calls are signed on the second
 * server in a tight concurrent loop while the operator rejects the trust product on the first.
 * No call that started after the rejection committed may come out A.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, type Creds } from './helpers/http.js'
import { buildWorld } from './helpers/attestation-world.js'

const req = (from: string) => ({
  signingRequest: { attest: 'A', dest: { tn: ['+12125551212'] }, iat: Math.floor(Date.now() / 1000), orig: { tn: from }, origid: 'de305d54-75b4-431b-adb2-eb6b9e546014' },
})

interface Sample { readonly startedAt: number; readonly level: string }

/** Signs in `workers` concurrent loops until `stop()` says so. */
function signLoop(url: string, caller: Creds, from: string, workers: number) {
  const samples: Sample[] = []
  let running = true
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const startedAt = performance.now()
      const r = await http(url, 'POST', '/stir/v1/signing', { auth: caller, json: req(from) })
      if (r.status !== 200) throw new Error(`signing failed ${r.status} ${JSON.stringify(r.body)}`)
      samples.push({ startedAt, level: r.headers.get('x-attestation') ?? 'none' })
    }
  })
  return { samples, stop: async () => { running = false; await Promise.all(loops) } }
}

for (const dialect of DIALECTS) {
  describe(`revocation while signing, two servers on one database [${dialect}]`, () => {
    let a: TestServer
    let b: TestServer
    before(async () => {
      a = await startServer(dialect)
      b = await startServer(dialect, { shareWith: a })
    })
    after(async () => {
      await b.stop()
      await a.stop()
    })

    it('no A is signed after the rejection committed', async () => {
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const loop = signLoop(b.url, w.caller, w.number.phone, 4)
      for (let i = 0; i < 200 && !loop.samples.some((x) => x.level === 'A'); i++) await new Promise((r) => setTimeout(r, 50))
      const rej = await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, { auth: { bearer: ADMIN_TOKEN }, json: { Status: 'twilio-rejected', Errors: [18601], FailureReason: 'revoked' } })
      // The response comes after the commit: every call started from here on must see it.
      const committedAt = performance.now()
      assert.equal(rej.status, 200, JSON.stringify(rej.body))
      // Count-based, not time-based: the machine may be busy.
      for (let i = 0; i < 200 && loop.samples.filter((x) => x.startedAt > committedAt).length < 20; i++) await new Promise((r) => setTimeout(r, 50))
      await loop.stop()
      const before = loop.samples.filter((x) => x.startedAt < committedAt)
      const afterCommit = loop.samples.filter((x) => x.startedAt > committedAt)
      assert.ok(before.some((x) => x.level === 'A'), 'signed A while approved')
      assert.ok(afterCommit.length >= 20, `enough calls after the commit (${afterCommit.length})`)
      assert.deepEqual(afterCommit.filter((x) => x.level === 'A'), [], 'no A after the revocation committed')
      // Direct customer: the rejected trust product was also its B: C from now on.
      assert.ok(afterCommit.every((x) => x.level === 'C'))
    })

    it('approval on one server shows on the other at the next call', async () => {
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const first = await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: req(w.number.phone) })
      assert.equal(first.headers.get('x-attestation'), 'A')
      await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, { auth: { bearer: ADMIN_TOKEN }, json: { Status: 'twilio-rejected', Errors: [18601] } })
      assert.equal((await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: req(w.number.phone) })).headers.get('x-attestation'), 'C')
      await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, { auth: { bearer: ADMIN_TOKEN }, json: { Status: 'twilio-approved' } })
      assert.equal((await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: req(w.number.phone) })).headers.get('x-attestation'), 'A')
    })
  })
}
