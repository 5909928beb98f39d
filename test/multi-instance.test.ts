/**
 * Several full instances on one PostgreSQL: each a separate `stirhub serve` process with every
 * role (api, sip, worker) and its own ports and data directory, as on separate machines,
 * sharing nothing but the database. A rejection through one applies to the next call on
 * another; a review is claimed by one reviewer only; the worker timers run once per period
 * across the instances; every status callback is answered exactly once while instances start,
 * stop and are killed (SIGKILL) in the middle of delivering.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { DIALECTS, PG_URL, newSchemaName, pgAdmin } from './helpers/dialects.js'
import { ADMIN_TOKEN, freePort } from './helpers/server.js'
import { startServe } from './helpers/cli.js'
import { http as call, newAccount } from './helpers/http.js'
import { buildWorld } from './helpers/attestation-world.js'
import { makeCompliantProfile, submit } from './helpers/onboarding.js'
import { act, eventually, newReviewer } from './helpers/vetting.js'
import { openStore, type Store } from '../src/store/db.js'
import { enqueueCallback } from '../src/store/outbox.repo.js'
import { findLease } from '../src/store/leases.repo.js'
import { TIMERS_LEASE } from '../src/vetting/worker.js'
import { buildTestPki, serveRepository, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { signLoop } from './helpers/sign-loop.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'

const MASTER_KEY = 'multi-instance-master-key-0123456789abcdef'
/** The worker polls every 100 ms, so its timers' period is 1 s (ten polls). */
const POLL_MS = 100
const TIMER_PERIOD_MS = 10 * POLL_MS
/** Longer than any delivery the receiver holds, so only a dead worker's claim runs out. */
const LEASE_MS = 12_000

interface Instance {
  readonly name: string
  readonly url: string
  readonly child: ChildProcess
  readonly pid: number
  output(): string
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
  )

/** Starts one full instance (`stirhub serve`, all roles) on `dbUrl`; resolves once it listens. */
async function startInstance(
  name: string,
  dbUrl: string,
  dirs: string[],
  extra: Record<string, string> = {},
): Promise<Instance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stirhub-${name}-`))
  dirs.push(dir)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const { child, output } = await startServe(
    name,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      STIRHUB_DATA_DIR: dir,
      DATABASE_URL: dbUrl,
      STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      STIRHUB_MASTER_KEY: MASTER_KEY,
      STIRHUB_ROLES: 'api,sip,worker',
      SIP_SIGN_PORT: String(await freePort()),
      SIP_VERIFY_PORT: String(await freePort()),
      STIRHUB_CALLBACK_ALLOW: '127.0.0.1',
      STIRHUB_CALLBACK_LEASE_MS: String(LEASE_MS),
      STIRHUB_CALLBACK_TIMEOUT_MS: '30000',
      STIRHUB_WORKER_POLL_MS: String(POLL_MS),
      LOG_LEVEL: 'warn',
      ...extra,
    },
    /stirhub listening/,
  )
  return { name, url, child, pid: child.pid!, output }
}

/**
 * A status-callback receiver that holds each request `holdMs` before answering 200, and can
 * be paused (requests wait until it resumes). It counts, per idempotency token, the requests
 * it answered and those whose sender went away first (a killed instance).
 */
async function slowReceiver(holdMs: number) {
  const answered = new Map<string, number>()
  const abandoned = new Map<string, number>()
  const inFlight = new Set<string>()
  let paused = false
  const waiting: Array<() => void> = []
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
  const server = http.createServer((req, res) => {
    const token = String(req.headers['i-twilio-idempotency-token'])
    inFlight.add(token)
    let done = false
    res.on('close', () => {
      inFlight.delete(token)
      if (!done) bump(abandoned, token)
    })
    req.resume()
    const answer = () => {
      if (paused) return void waiting.push(answer)
      if (res.destroyed || req.socket.destroyed) return
      done = true
      bump(answered, token)
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    }
    setTimeout(answer, holdMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered,
    abandoned,
    /** Tokens of the requests held now. */
    inFlight,
    total: (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0),
    pause() {
      paused = true
    },
    resume() {
      paused = false
      for (const w of waiting.splice(0)) w()
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

// It is about sharing one database: PostgreSQL only.
for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`several instances on one PostgreSQL [${dialect}]`, () => {
    const dirs: string[] = []
    const instances: Instance[] = []
    let database: string
    let dbUrl: string
    let store: Store
    let a: Instance
    let b: Instance
    let c: Instance
    // An STI certificate repository with its CRL, and the anchors every instance trusts.
    let certs: CertServer
    let pki: TestPki
    let trust: Record<string, string>

    before(async () => {
      certs = await startCertServer()
      pki = await buildTestPki(new Date(), certs.base)
      serveRepository(certs, pki)
      const anchors = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-anchors-')), 'anchors.pem')
      dirs.push(path.dirname(anchors))
      fs.writeFileSync(anchors, pki.root.pem)
      trust = { STIRHUB_X5U_ALLOW: new URL(certs.base).host, STIRHUB_TRUST_ANCHORS: anchors }
      database = newSchemaName()
      await pgAdmin(`CREATE DATABASE ${database}`)
      dbUrl = PG_URL.replace(/\/[^/]*$/, `/${database}`)
      // All three start together on the empty database: one migrates and bootstraps it.
      ;[a, b, c] = (await Promise.all(['a', 'b', 'c'].map((n) => startInstance(n, dbUrl, dirs, trust)))) as [
        Instance,
        Instance,
        Instance,
      ]
      instances.push(a, b, c)
      store = await openStore(dbUrl)
    })
    after(async () => {
      await store?.close()
      for (const i of instances)
        if (i.child.exitCode === null && i.child.signalCode === null) {
          i.child.kill('SIGKILL')
          await exited(i.child)
        }
      await certs?.close()
      if (database) await pgAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
    })

    it('instances started together on an empty database make one first start between them', async () => {
      const banners = instances.filter((i) => i.output().includes('Account SID'))
      assert.equal(banners.length, 1, instances.map((i) => `${i.name}:\n${i.output()}`).join('\n'))
      const first = await store.db
        .selectFrom('accounts')
        .select('sid')
        .where('friendly_name', '=', 'My first account')
        .execute()
      assert.equal(first.length, 1)
      assert.ok(banners[0]!.output().includes(first[0]!.sid))
    })

    it('a rejection through one instance applies to the next call on another', async () => {
      const w = await buildWorld(a.url, store.db, 'direct')
      const loop = signLoop(b.url, w.caller, w.number.phone, 3)
      await eventually(() => loop.samples.some((x) => x.level === 'A'), 30_000, 'an A call on b')
      const rej = await call(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { Status: 'twilio-rejected', Errors: [18601], FailureReason: 'revoked' },
      })
      // Answered after the commit: every call started on b from here on must see it.
      const committedAt = performance.now()
      assert.equal(rej.status, 200, JSON.stringify(rej.body))
      await eventually(
        () => loop.samples.filter((x) => x.startedAt > committedAt).length >= 15,
        30_000,
        'calls after the commit',
      )
      await loop.stop()
      const later = loop.samples.filter((x) => x.startedAt > committedAt)
      assert.deepEqual(
        later.filter((x) => x.level === 'A'),
        [],
        'no A on b after the rejection committed on a',
      )
    })

    it('two reviewers claiming one review on different instances: exactly one wins', async () => {
      const [rita, ralf] = await Promise.all([newReviewer(a.url, 'Rita Reviewer'), newReviewer(b.url, 'Ralf Reviewer')])
      for (let i = 0; i < 3; i++) {
        // One primary profile per account: each round is a new business.
        const acct = await newAccount(a.url, `Claimed Co ${i}`)
        const bu = await makeCompliantProfile(c.url, acct)
        assert.equal((await submit(c.url, acct, 'CustomerProfiles', bu)).status, 200)
        const [x, y] = await Promise.all([act(a.url, rita, bu, 'Claim'), act(b.url, ralf, bu, 'Claim')])
        assert.deepEqual([x.status, y.status].sort(), [200, 409], `one claim wins: ${JSON.stringify([x.body, y.body])}`)
        const claims = await store.db
          .selectFrom('events')
          .select('actor')
          .where('resource_sid', '=', bu)
          .where('type', '=', 'review.claimed')
          .execute()
        assert.equal(claims.length, 1, 'one claim recorded')
      }
    })

    it('the worker timers run once per period across the instances, and the expiry notice once', async () => {
      // An approval that expires within 30 days: the timers owe one notice.
      const acct = await newAccount(a.url, 'Expiring Co')
      const rita = await newReviewer(a.url, 'Rita Expiry')
      const bu = await makeCompliantProfile(a.url, acct)
      await submit(a.url, acct, 'CustomerProfiles', bu)
      assert.equal((await act(b.url, rita, bu, 'Claim')).status, 200)
      const validUntil = new Date(Date.now() + 10 * 86_400_000).toISOString()
      // The fixture's representative number is fictional (555-01XX): a check the reviewer overrides.
      const ok = await act(c.url, rita, bu, 'Approve', {
        ValidUntil: validUntil,
        OverrideReason: 'Test fixture: the representative number is fictional',
      })
      assert.equal(ok.status, 200, JSON.stringify(ok.body))

      const runs = async () => (await findLease(store.db, TIMERS_LEASE))?.runs ?? 0
      const first = await eventually(runs, 20_000, 'the timers ran')
      const t0 = performance.now()
      await eventually(async () => (await runs()) >= first + 4, 30_000, 'four more periods')
      const n = (await runs()) - first
      const elapsed = performance.now() - t0
      // Three instances polling every 100 ms: without the lease each would run them every period.
      assert.ok(
        n <= Math.ceil(elapsed / TIMER_PERIOD_MS) + 1,
        `${n} runs in ${Math.round(elapsed)} ms: once per ${TIMER_PERIOD_MS} ms period`,
      )
      const holder = (await findLease(store.db, TIMERS_LEASE))!.holder
      assert.ok(
        instances.some((i) => holder.includes(`:${i.pid}:`)),
        `held by one of the instances: ${holder}`,
      )
      const notices = await store.db
        .selectFrom('events')
        .select('sid')
        .where('resource_sid', '=', bu)
        .where('type', '=', 'bundle.expiring')
        .execute()
      assert.equal(notices.length, 1, 'one expiry notice')
    })

    it('a CRL one instance fetched revokes on an API-only process that cannot fetch it', async () => {
      const acct = await newAccount(a.url, 'Verifying Co')
      const identity = (file: string, leaf: 'good' | 'revoked') => {
        const x5u = `${certs.base}/${file}`
        return identityOf(
          forgeJws(shakenHeader(x5u), shakenClaims(Math.floor(Date.now() / 1000)), pki.leaves[leaf].key),
          x5u,
        )
      }
      const verify = async (url: string, leaf: 'good' | 'revoked') => {
        const r = await call(url, 'POST', '/stir/v1/verification', {
          auth: acct,
          json: {
            verificationRequest: {
              from: { tn: '12155550121' },
              to: { tn: ['12025550143'] },
              time: Math.floor(Date.now() / 1000),
              identity: identity(`${leaf === 'good' ? 'sp' : 'revoked'}.pem`, leaf),
            },
          },
        })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body.verificationResponse as { verstat: string; reasoncode?: number; reasondesc?: string }
      }
      // A verifies a call from the CA: it learns the CRL's URL, fetches it and stores it.
      assert.equal((await verify(a.url, 'good')).verstat, 'TN-Validation-Passed')
      await eventually(
        async () =>
          (await store.db.selectFrom('crls').select('url').execute()).some((r) => r.url === `${certs.base}/crl`),
        20_000,
        'the CRL stored',
      )
      // The CRL's server goes away: a process that has not fetched it cannot any more.
      certs.routes.delete('/crl')
      const e = await startInstance('e', dbUrl, dirs, { ...trust, STIRHUB_ROLES: 'api' })
      instances.push(e)
      // Its trust tick (every 10 s) loads the stored CRL, checked against the stored CA.
      const refused = await eventually(
        async () => {
          const v = await verify(e.url, 'revoked')
          return v.reasoncode === 437 ? v : undefined
        },
        30_000,
        'the revoked certificate refused on e',
      )
      assert.equal(refused.verstat, 'TN-Validation-Failed')
      assert.match(refused.reasondesc ?? '', /revoked/i)
      assert.equal((await verify(e.url, 'good')).verstat, 'TN-Validation-Passed')
      e.child.kill('SIGTERM')
      await exited(e.child)
    })

    it('every status callback is answered exactly once while instances start, stop and are killed mid-delivery', async () => {
      const rx = await slowReceiver(300)
      try {
        const acct = await newAccount(a.url, 'Callback Co')
        const enqueue = async (wave: number, n: number) => {
          const now = new Date().toISOString()
          for (let i = 0; i < n; i++)
            await enqueueCallback(
              store.db,
              {
                accountSid: acct.sid,
                bundleSid: 'BU' + String(wave * 1000 + i).padStart(32, '0'),
                url: `${rx.url}/w${wave}/${i}`,
                params: { Status: 'in-review', BundleSid: `${wave}.${i}` },
              },
              now,
            )
        }
        const live = () => instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null)
        /** Waits until every answer the receiver gave is recorded as delivered (none in limbo). */
        const settled = () =>
          eventually(
            async () => {
              const delivered = await store.db
                .selectFrom('outbox')
                .select(({ fn }) => fn.countAll<number>().as('n'))
                .where('account_sid', '=', acct.sid)
                .where('status', '=', 'delivered')
                .executeTakeFirstOrThrow()
              return Number(delivered.n) === rx.total(rx.answered)
            },
            20_000,
            'answers recorded',
          )
        /** A live instance with claimed rows the receiver holds now, and their ids. */
        const midDelivery = async () => {
          const rows = await store.db
            .selectFrom('outbox')
            .select(['id', 'locked_by'])
            .where('account_sid', '=', acct.sid)
            .where('status', '=', 'pending')
            .where('locked_by', 'is not', null)
            .execute()
          for (const i of live()) {
            // Its callback fetcher sends up to 8 at a time: the rest of its batch waits to be sent.
            const ids = rows
              .filter((r) => r.locked_by!.includes(`:${i.pid}:`) && rx.inFlight.has(r.id))
              .map((r) => r.id)
            if (ids.length) return { victim: i, ids }
          }
          return undefined
        }
        /**
         * Pauses the receiver (no answer is given, so none is lost between an answer and its
         * record), queues a wave of callbacks and stops an instance while its deliveries of them
         * are held; short, so the living instances' claims never run out meanwhile.
         */
        const stopMidDelivery = async (wave: number, signal: 'SIGKILL' | 'SIGTERM') => {
          rx.pause()
          await settled()
          await enqueue(wave, 30)
          const { victim, ids } = await eventually(midDelivery, 10_000, 'an instance delivering')
          victim.child.kill(signal)
          if (signal === 'SIGKILL') {
            await exited(victim.child)
            await eventually(() => ids.every((id) => rx.abandoned.has(id)), 10_000, 'its deliveries cut off')
            rx.resume()
            assert.equal(victim.child.signalCode, 'SIGKILL')
          } else {
            // A graceful stop finishes the deliveries it started before it exits.
            rx.resume()
            await exited(victim.child)
            assert.equal(victim.child.exitCode, 0, victim.output())
            assert.ok(ids.every((id) => rx.answered.get(id) === 1))
          }
        }

        await stopMidDelivery(1, 'SIGKILL')
        // A new instance joins while the rest deliver; then one is stopped mid-delivery.
        const joining = startInstance('d', dbUrl, dirs)
        await enqueue(2, 30)
        const d = await joining
        instances.push(d)
        await stopMidDelivery(3, 'SIGTERM')
        await stopMidDelivery(4, 'SIGKILL')
        assert.ok(live().length >= 1)

        // The dead instances' claims run out and the living deliver the rest.
        await eventually(
          async () => {
            const pending = await store.db
              .selectFrom('outbox')
              .select('id')
              .where('account_sid', '=', acct.sid)
              .where('status', '<>', 'delivered')
              .execute()
            return pending.length === 0
          },
          60_000,
          'every callback delivered',
        )
        const ids = (
          await store.db.selectFrom('outbox').select('id').where('account_sid', '=', acct.sid).execute()
        ).map((r) => r.id)
        assert.equal(ids.length, 120)
        assert.ok(rx.total(rx.abandoned) >= 2, 'deliveries were cut off by the kills')
        const twice = ids.filter((id) => rx.answered.get(id) !== 1)
        assert.deepEqual(twice, [], 'each callback answered exactly once')
        // A delivery cut off by a kill was made again with the same idempotency token.
        for (const id of rx.abandoned.keys()) assert.equal(rx.answered.get(id), 1, `cut-off ${id} delivered again`)
      } finally {
        await rx.close()
      }
    })
  })
}
