import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import twilio from 'twilio'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { makeCompliantProfile, submit } from './helpers/onboarding.js'
import {
  act,
  eventually,
  newReviewer,
  setCallback,
  startReceiver,
  type Received,
  type Reviewer,
} from './helpers/vetting.js'
import { ADMIN_TOKEN } from './helpers/server.js'
import { enqueueCallback } from '../src/store/outbox.repo.js'

const FAST = {
  STIRHUB_ROLES: 'api,worker',
  STIRHUB_CALLBACK_ALLOW: '127.0.0.1',
  STIRHUB_WORKER_POLL_MS: '50',
  STIRHUB_CALLBACK_BACKOFF_MS: '50',
  STIRHUB_CALLBACK_BACKOFF_MAX_MS: '200',
  STIRHUB_CALLBACK_TIMEOUT_MS: '3000',
}

const valid = (creds: Creds, url: string, r: Received) =>
  twilio.validateRequest(creds.token, String(r.headers['x-twilio-signature']), url, r.params)

for (const dialect of DIALECTS) {
  describe(`status callbacks [${dialect}]`, () => {
    let s: TestServer
    let rita: Reviewer
    before(async () => {
      s = await startServer(dialect, { env: FAST })
      rita = await newReviewer(s.url)
    })
    after(async () => {
      await s.stop()
    })

    it('every status change reaches a real receiver, signed so twilio.validateRequest accepts it', async () => {
      const rx = await startReceiver()
      try {
        const acct = await newAccount(s.url, 'Callback Co')
        const bu = await makeCompliantProfile(s.url, acct)
        const cb = `${rx.url}/hooks/bundles?tenant=42`
        await setCallback(s.url, acct, 'CustomerProfiles', bu, cb)
        await submit(s.url, acct, 'CustomerProfiles', bu)
        await act(s.url, rita, bu, 'Claim')
        await act(s.url, rita, bu, 'Reject', {
          Errors: [18601, 18606],
          Reason: 'Email domain differs from the website',
        })
        await eventually(() => rx.received.length >= 3, 10_000, 'three callbacks')
        const byStatus = (st: string) => rx.received.find((r) => r.params.Status === st)!
        assert.deepEqual(rx.received.map((r) => r.params.Status).sort(), [
          'in-review',
          'pending-review',
          'twilio-rejected',
        ])
        for (const r of rx.received) {
          assert.equal(r.path, '/hooks/bundles?tenant=42')
          assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded')
          assert.deepEqual(Object.keys(r.params).sort(), [
            'AccountSid',
            'BundleSid',
            'Errors',
            'FailureReason',
            'Status',
            'ValidUntil',
          ])
          assert.equal(r.params.AccountSid, acct.sid)
          assert.equal(r.params.BundleSid, bu)
          assert.equal(valid(acct, cb, r), true, `signature of ${r.params.Status}`)
          assert.equal(
            twilio.validateRequest('f'.repeat(32), String(r.headers['x-twilio-signature']), cb, r.params),
            false,
          )
          assert.match(String(r.headers['i-twilio-idempotency-token']), /^[0-9a-f-]{36}$/)
        }
        assert.equal(new Set(rx.received.map((r) => r.headers['i-twilio-idempotency-token'])).size, 3)
        assert.equal(byStatus('twilio-rejected').params.Errors, '18601,18606')
        assert.equal(byStatus('twilio-rejected').params.FailureReason, 'Email domain differs from the website')

        const before = rx.received.length
        await submit(s.url, acct, 'CustomerProfiles', bu)
        await act(s.url, rita, bu, 'Claim')
        await act(s.url, rita, bu, 'Approve', { OverrideReason: 'The fixture representative has a fiction number' })
        await eventually(() => rx.received.length >= before + 3, 10_000, 'approval callbacks')
        const approved = rx.received.find((r) => r.params.Status === 'twilio-approved')!
        assert.match(String(approved.params.ValidUntil), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        assert.equal(approved.params.Errors, '')
        assert.equal(valid(acct, cb, approved), true)
        const ev = await eventually(
          async () => {
            const r = await http(s.url, 'GET', `/v1/Events?ResourceSid=${bu}&PageSize=100`, { auth: acct })
            const delivered = r.body.results.filter((e: any) => e.type === 'callback.delivered')
            return delivered.length === 6 ? delivered : undefined
          },
          10_000,
          'delivery events',
        )
        assert.ok(ev.every((e: any) => e.data.status_code === 200 && e.data.attempt === 1))
      } finally {
        await rx.close()
      }
    })

    it('a receiver failing the first attempts still gets the callback after retries, same idempotency token', async () => {
      const rx = await startReceiver((n) => (n <= 2 ? 503 : 200))
      try {
        const acct = await newAccount(s.url, 'Flaky Co')
        const bu = await makeCompliantProfile(s.url, acct)
        await setCallback(s.url, acct, 'CustomerProfiles', bu, `${rx.url}/cb`)
        await submit(s.url, acct, 'CustomerProfiles', bu)
        await eventually(() => rx.received.length >= 3, 10_000, 'third attempt')
        assert.equal(new Set(rx.received.map((r) => r.headers['i-twilio-idempotency-token'])).size, 1)
        assert.ok(rx.received.every((r) => valid(acct, `${rx.url}/cb`, r)))
        const types = await eventually(
          async () => {
            const r = await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${bu}`, { auth: { bearer: ADMIN_TOKEN } })
            const t = r.body.results.map((e: any) => e.type).reverse()
            return t.includes('callback.delivered') ? r.body.results.reverse() : undefined
          },
          10_000,
          'delivered event',
        )
        const attempts = types.filter((e: any) => e.type.startsWith('callback.'))
        assert.deepEqual(
          attempts.map((e: any) => [e.type, e.data.attempt, e.data.status_code]),
          [
            ['callback.retrying', 1, 503],
            ['callback.retrying', 2, 503],
            ['callback.delivered', 3, 200],
          ],
        )
        assert.ok(attempts[0].data.next_attempt_at)
        assert.equal(rx.received.length, 3, 'no delivery after success')
      } finally {
        await rx.close()
      }
    })

    it('a callback URL at a link-local or private address is refused unless allowed: when set, and again at delivery', async () => {
      const acct = await newAccount(s.url, 'SSRF Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await assert.rejects(
        setCallback(s.url, acct, 'CustomerProfiles', bu, 'http://169.254.169.254/latest/meta-data'),
        /400.*address 169\.254\.169\.254 not allowed/,
      )
      // Delivery checks again, whatever the URL passed when set (a name that resolves there
      // now, an allow-list entry since removed, a row older than the check): queued directly.
      await enqueueCallback(
        s.running.ctx.store.db,
        {
          accountSid: acct.sid,
          bundleSid: bu,
          url: 'http://169.254.169.254/latest/meta-data',
          params: { Status: 'pending-review' },
        },
        new Date().toISOString(),
      )
      const failed = await eventually(
        async () => {
          const r = await http(s.url, 'GET', `/v1/Events?ResourceSid=${bu}`, { auth: acct })
          return r.body.results.find((e: any) => e.type === 'callback.failed')
        },
        10_000,
        'refusal',
      )
      assert.match(failed.data.error, /^address/)
      assert.equal(failed.data.next_attempt_at, null, 'a refused address is not retried')
    })
  })
}
