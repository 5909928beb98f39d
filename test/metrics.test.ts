/**
 * `GET /metrics` (Prometheus text format): operator token only, and figures that follow what
 * the server did — signings by level, verifications by reason, the review queue and the
 * callback backlog — on SQLite and PostgreSQL. (Several API processes: signing-revocation.test.ts.)
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { scrape } from './helpers/metrics.js'
import { es256Backend } from '../src/stir/passport/es256.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buildWorld } from './helpers/attestation-world.js'
import { makeCompliantProfile, submit } from './helpers/onboarding.js'
import { sql } from 'kysely'
import { enqueueCallback } from '../src/store/outbox.repo.js'

const sign = (url: string, who: Creds, from: string, to = '12125551212') =>
  http(url, 'POST', '/stir/v1/signing', {
    auth: who,
    json: {
      signingRequest: {
        attest: 'A',
        dest: { tn: [to] },
        iat: Math.floor(Date.now() / 1000),
        orig: { tn: from },
        origid: randomUUID(),
      },
    },
  })

for (const dialect of DIALECTS) {
  describe(`GET /metrics [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('answers the operator token only, in the error format otherwise', async () => {
      const a = await newAccount(s.url)
      for (const auth of [null, a, { bearer: 'not-the-token' }]) {
        const r = await http(s.url, 'GET', '/metrics', { auth })
        assert.equal(r.status, 401)
        assert.equal(r.body.code, 20003)
      }
      const m = await scrape(s.url)
      assert.equal(m.get('stirhub_processes'), 1)
      assert.equal(m.get('stirhub_store_up'), 1)
      assert.ok(m.get('process_cpu_seconds_total')! > 0)
      assert.ok(m.get('stirhub_signing_certificate_not_after_seconds')! > Date.now() / 1000)
      assert.equal(m.get('stirhub_es256_native'), es256Backend().native ? 1 : 0)
    })

    it('counts HTTP responses by status code, whatever answered them', async () => {
      const count = (m: Map<string, number>, status: number) =>
        m.get(`stirhub_http_responses_total{status="${status}"}`) ?? 0
      const before = await scrape(s.url)
      const a = await newAccount(s.url)
      for (let i = 0; i < 3; i++) assert.equal((await http(s.url, 'GET', '/v1/NoSuchThing', { auth: a })).status, 404)
      assert.equal((await http(s.url, 'POST', '/stir/v1/signing', { json: {} })).status, 401)
      assert.equal(
        (
          await http(s.url, 'POST', '/stir/v1/signing', {
            auth: a,
            headers: { 'content-type': 'text/plain' },
            raw: 'x',
          })
        ).status,
        415,
      )
      const after = await scrape(s.url)
      assert.equal(count(after, 404) - count(before, 404), 3)
      assert.equal(count(after, 401) - count(before, 401), 1)
      assert.equal(count(after, 415) - count(before, 415), 1)
      // newAccount's own calls and the first scrape: at least those answered 2xx.
      assert.ok(count(after, 200) + count(after, 201) - count(before, 200) - count(before, 201) >= 2)
    })

    it('times requests by route pattern, as a cumulative histogram', async () => {
      const name = 'stirhub_http_request_duration_seconds'
      const series = (m: Map<string, number>, route: string, suffix: string, le?: string) =>
        m.get(`${name}_${suffix}{${le !== undefined ? `le="${le}",` : ''}route="${route}"}`) ?? 0
      const before = await scrape(s.url)
      const a = await newAccount(s.url)
      for (let i = 0; i < 4; i++)
        assert.equal(
          (await http(s.url, 'GET', `/v1/CustomerProfiles/BU${'0'.repeat(31)}${i}`, { auth: a })).status,
          404,
        )
      assert.equal((await http(s.url, 'GET', '/v1/NoSuchThing', { auth: a })).status, 404)
      const after = await scrape(s.url)
      const route = '/v1/CustomerProfiles/:Sid'
      const delta = (suffix: string, r = route, le?: string) =>
        series(after, r, suffix, le) - series(before, r, suffix, le)
      assert.equal(delta('count'), 4)
      assert.equal(delta('bucket', route, '+Inf'), 4)
      assert.ok(delta('sum') > 0 && delta('sum') < 4 * 2.5)
      // Cumulative: each bucket holds at least the one below it, and the last finite one at most the count.
      const les = ['0.0005', '0.001', '0.002', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5']
      const counts = les.map((le) => series(after, route, 'bucket', le))
      counts.forEach((c, i) => assert.ok(i === 0 || c >= counts[i - 1]!, `bucket ${les[i]} is cumulative`))
      assert.ok(counts.at(-1)! <= series(after, route, 'count'))
      assert.equal(delta('count', 'unmatched'), 1)
    })

    it('counts signings by the level signed, and verifications by outcome', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const stranger = await newAccount(s.url)
      const before = await scrape(s.url)
      const level = (m: Map<string, number>, l: string) => m.get(`stirhub_signings_total{attest="${l}"}`) ?? 0
      const signed: string[] = []
      for (let i = 0; i < 3; i++) {
        const r = await sign(s.url, w.caller, w.number.phone)
        assert.equal(r.headers.get('x-attestation'), 'A')
        signed.push(r.body.signingResponse.identity)
      }
      assert.equal((await sign(s.url, stranger, '12025550100')).headers.get('x-attestation'), 'C')
      assert.equal((await sign(s.url, stranger, '12025550100', '442079460000')).status, 200)
      const verify = (identity: string, from: string) =>
        http(s.url, 'POST', '/stir/v1/verification', {
          auth: w.caller,
          json: {
            verificationRequest: {
              from: { tn: from },
              to: { tn: ['12125551212'] },
              time: Math.floor(Date.now() / 1000),
              identity,
            },
          },
        })
      assert.equal(
        (await verify(signed[0]!, w.number.phone.replace('+', ''))).body.verificationResponse.verstat,
        'TN-Validation-Passed',
      )
      await verify(signed[1]!, '12025550199')
      await verify(signed[2]!, '12025550199')
      const after = await scrape(s.url)
      assert.deepEqual(
        ['A', 'B', 'C', 'none'].map((l) => level(after, l) - level(before, l)),
        [3, 0, 1, 1],
      )
      const reason = (r: string) =>
        (after.get(`stirhub_verifications_total{reason="${r}"}`) ?? 0) -
        (before.get(`stirhub_verifications_total{reason="${r}"}`) ?? 0)
      assert.equal(reason('passed'), 1)
      assert.equal(reason('orig_mismatch'), 2)
      assert.ok(after.get('stirhub_attestation_index_entries{kind="numbers"}')! >= 1)
    })

    it('shows the review queue and the callbacks not delivered, read from the store', async () => {
      const before = await scrape(s.url)
      const a = await newAccount(s.url)
      const profile = await makeCompliantProfile(s.url, a)
      assert.equal((await submit(s.url, a, 'CustomerProfiles', profile)).status, 200)
      await enqueueCallback(
        s.running.ctx.store.db,
        { accountSid: a.sid, bundleSid: profile, url: 'https://cb.example.com/hook', params: { Status: 'x' } },
        '9999-01-01T00:00:00.000Z',
      )
      const after = await scrape(s.url)
      assert.equal(after.get('stirhub_review_queue_depth')! - before.get('stirhub_review_queue_depth')!, 1)
      assert.equal(
        after.get('stirhub_callbacks{state="pending"}')! - before.get('stirhub_callbacks{state="pending"}')!,
        1,
      )
      assert.equal(after.get('stirhub_callbacks{state="failed"}'), before.get('stirhub_callbacks{state="failed"}'))
    })

    it('still answers when the store does not, saying so with stirhub_store_up 0', async () => {
      const db = s.running.ctx.store.db
      await sql`ALTER TABLE outbox RENAME TO outbox_away`.execute(db)
      try {
        const m = await scrape(s.url)
        assert.equal(m.get('stirhub_store_up'), 0)
        assert.equal(m.get('stirhub_processes'), 1)
        assert.equal(m.has('stirhub_review_queue_depth'), false)
      } finally {
        await sql`ALTER TABLE outbox_away RENAME TO outbox`.execute(db)
      }
      assert.equal((await scrape(s.url)).get('stirhub_store_up'), 1)
    })
  })
}
