import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { sql } from 'kysely'
import twilio from 'twilio'
import { DIALECTS, PG_URL } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { newAccount } from './helpers/http.js'
import { makeCompliantProfile, submit } from './helpers/onboarding.js'
import { eventually, setCallback, startReceiver } from './helpers/vetting.js'
import { callbacksOf, enqueueCallback } from '../src/store/outbox.repo.js'
import { callbackFetcher, deliverDue } from '../src/vetting/callback-delivery.js'
import { startWorker } from '../src/vetting/worker.js'

const MASTER_KEY = 'crash-test-master-key-0123456789abcdef012345'
const BIN = path.resolve('bin/stirhub.mjs')

/** Starts a real `stirhub serve --roles worker` process on the same store as the test server. */
function spawnWorker(s: TestServer, databaseUrl: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      STIRHUB_ROLES: 'worker',
      STIRHUB_DATA_DIR: s.dataDir,
      PORT: '0',
      STIRHUB_MASTER_KEY: MASTER_KEY,
      STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      STIRHUB_CALLBACK_ALLOW: '127.0.0.1',
      STIRHUB_CALLBACK_LEASE_MS: '1500',
      STIRHUB_WORKER_POLL_MS: '100',
      STIRHUB_CALLBACK_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
  )

for (const dialect of DIALECTS) {
  describe(`status callbacks survive a worker crash [${dialect}]`, () => {
    let s: TestServer
    let dbUrl: string
    const children: ChildProcess[] = []
    before(async () => {
      s = await startServer(dialect, { env: { STIRHUB_MASTER_KEY: MASTER_KEY, STIRHUB_CALLBACK_ALLOW: '127.0.0.1' } })
      if (dialect === 'sqlite') dbUrl = `sqlite:${path.join(s.dataDir, 'stirhub.db')}`
      else {
        const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(s.running.ctx.store.db)).rows[0]!
          .s
        dbUrl = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
      }
    })
    after(async () => {
      for (const c of children)
        if (c.exitCode === null && c.signalCode === null) {
          c.kill('SIGTERM')
          await exited(c)
        }
      await s.stop()
    })

    it('workers delivering at the same time never deliver a callback twice', async () => {
      const rx = await startReceiver()
      const ctx = s.running.ctx
      const fetcher = callbackFetcher({ ...ctx.config, callbackAllow: ['127.0.0.1'] })
      try {
        const acct = await newAccount(s.url, 'Busy Co')
        const now = new Date().toISOString()
        for (let i = 0; i < 24; i++) {
          await enqueueCallback(
            ctx.store.db,
            {
              accountSid: acct.sid,
              bundleSid: 'BU' + String(i).padStart(32, '0'),
              url: `${rx.url}/n${i}`,
              params: { Status: 'in-review', BundleSid: String(i) },
            },
            now,
          )
        }
        const drain = async (worker: string) => {
          while ((await deliverDue(ctx, { fetcher, worker, batch: 3 })) > 0) {
            /* next batch */
          }
        }
        await Promise.all([drain('w1'), drain('w2'), drain('w3')])
        assert.equal(rx.received.length, 24)
        assert.equal(new Set(rx.received.map((r) => r.headers['i-twilio-idempotency-token'])).size, 24)
        const rows = await ctx.store.db
          .selectFrom('outbox')
          .select(['status', 'attempts'])
          .where('account_sid', '=', acct.sid)
          .execute()
        assert.ok(rows.every((r) => r.status === 'delivered' && Number(r.attempts) === 1))
      } finally {
        await fetcher.close()
        await rx.close()
      }
    })

    it('a worker killed with SIGKILL mid-delivery loses nothing: the next worker delivers it', async () => {
      const rx = await startReceiver((n) => (n === 1 ? 'hang' : 200))
      try {
        const acct = await newAccount(s.url, 'Crash Co')
        const bu = await makeCompliantProfile(s.url, acct)
        const cb = `${rx.url}/status`
        await setCallback(s.url, acct, 'CustomerProfiles', bu, cb)
        await submit(s.url, acct, 'CustomerProfiles', bu)

        const first = spawnWorker(s, dbUrl)
        children.push(first)
        await eventually(() => rx.received.length >= 1, 30_000, 'first delivery attempt')
        first.kill('SIGKILL')
        await exited(first)
        assert.equal(first.signalCode, 'SIGKILL')
        const [row] = await callbacksOf(s.running.ctx.store.db, bu)
        assert.equal(row!.status, 'pending', 'still owed after the crash')
        assert.ok(row!.locked_by, 'the dead worker still holds its lease')

        // The restart: a fresh worker on the same store (in this process: a second CLI start
        // costs several CPU-seconds on this shared machine, and proves nothing the first did not).
        const second = startWorker({
          ...s.running.ctx,
          config: { ...s.running.ctx.config, callbackAllow: ['127.0.0.1'], workerPollMs: 100 },
        })
        await eventually(() => rx.received.length >= 2, 30_000, 'delivery after restart')
        const [a, b] = rx.received
        assert.equal(b!.headers['i-twilio-idempotency-token'], a!.headers['i-twilio-idempotency-token'])
        assert.equal(twilio.validateRequest(acct.token, String(b!.headers['x-twilio-signature']), cb, b!.params), true)
        assert.equal(b!.params.Status, 'pending-review')
        const done = await eventually(
          async () => {
            const [r] = await callbacksOf(s.running.ctx.store.db, bu)
            return r!.status === 'delivered' ? r : undefined
          },
          10_000,
          'delivered row',
        )
        assert.equal(done.locked_by, null)
        await second.stop()
      } finally {
        await rx.close()
      }
    })
  })
}
