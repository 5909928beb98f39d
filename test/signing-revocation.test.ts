/**
 * DESIGN §4: "a rejection takes effect on the very next call". Two stirhub servers share one
 * database (same SQLite file, or same PostgreSQL schema); calls are signed on the second
 * server in a tight concurrent loop while the operator rejects the trust product on the first.
 * No call that started after the rejection committed may come out A. The same holds for
 * `stirhub serve` with several API processes on one port (STIRHUB_HTTP_WORKERS).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS, PG_URL, newSchemaName, pgAdmin } from './helpers/dialects.js'
import { ADMIN_TOKEN, freePort, twoServersOnOneStore } from './helpers/server.js'
import { startServe } from './helpers/cli.js'
import { openStore, type Store } from '../src/store/db.js'
import { http, newAccount } from './helpers/http.js'
import { addBundle, buildWorld } from './helpers/attestation-world.js'
import { POLICY } from '../src/domain/policies.js'
import { scrape, signingsTotal } from './helpers/metrics.js'
import { sipp } from './helpers/sipp.js'
import { useTrunk } from './helpers/sip-trunks.js'
import { signingRequest, signLoop } from './helpers/sign-loop.js'

/** Rejects an A caller's trust product through `adminUrl` while `signUrl` signs its calls. */
async function revokeWhileSigning(adminUrl: string, store: Store, signUrl: string): Promise<void> {
  const w = await buildWorld(adminUrl, store.db, 'direct')
  const loop = signLoop(signUrl, w.caller, w.number.phone, 4)
  for (let i = 0; i < 200 && !loop.samples.some((x) => x.level === 'A'); i++)
    await new Promise((r) => setTimeout(r, 50))
  const rej = await http(adminUrl, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, {
    auth: { bearer: ADMIN_TOKEN },
    json: { Status: 'twilio-rejected', Errors: [18601], FailureReason: 'revoked' },
  })
  // The response comes after the commit: every call started from here on must see it.
  const committedAt = performance.now()
  assert.equal(rej.status, 200, JSON.stringify(rej.body))
  // Count-based, not time-based: the machine may be busy.
  for (let i = 0; i < 200 && loop.samples.filter((x) => x.startedAt > committedAt).length < 20; i++)
    await new Promise((r) => setTimeout(r, 50))
  await loop.stop()
  const before = loop.samples.filter((x) => x.startedAt < committedAt)
  const afterCommit = loop.samples.filter((x) => x.startedAt > committedAt)
  assert.ok(
    before.some((x) => x.level === 'A'),
    'signed A while approved',
  )
  assert.ok(afterCommit.length >= 20, `enough calls after the commit (${afterCommit.length})`)
  assert.deepEqual(
    afterCommit.filter((x) => x.level === 'A'),
    [],
    'no A after the revocation committed',
  )
  // Direct customer: the rejected trust product was also its B: C from now on.
  assert.ok(afterCommit.every((x) => x.level === 'C'))
}

/** `stirhub serve` as a user runs it, with two API processes; resolves once it listens. */
const startCluster = (env: Record<string, string>) => startServe('serve', env, /listening: .*\(2 API processes\)/)

/** Whether process `pid` holds the UDP socket bound to `port` (its inode, from /proc). */
function holdsUdpPort(pid: number, port: number): boolean {
  const hex = ':' + port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set(
    fs
      .readFileSync('/proc/net/udp', 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(hex))
      .map((f) => f[9]),
  )
  return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1])
    } catch {
      return false
    }
  })
}

/** The cluster's API processes: the primary's children running stirhub (not tsx's esbuild service, which a cold cache starts). */
function workerPids(primary: number): number[] {
  const r = spawnSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' })
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('stirhub')
      } catch {
        return false
      }
    })
}

for (const dialect of DIALECTS) {
  // Its own database on PostgreSQL: `serve` takes no schema setting.
  describe(`revocation while signing, serve with two API processes [${dialect}]`, () => {
    let dir: string
    let url: string
    let sipPort: number
    let server: { child: ChildProcess; output: () => string }
    let store: Store
    let database: string | undefined
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-cluster-'))
      const port = await freePort()
      sipPort = await freePort()
      url = `http://127.0.0.1:${port}`
      let dbUrl = `sqlite:${path.join(dir, 'stirhub.db')}`
      if (dialect === 'postgres') {
        database = newSchemaName()
        await pgAdmin(`CREATE DATABASE ${database}`)
        dbUrl = PG_URL.replace(/\/[^/]*$/, `/${database}`)
      }
      server = await startCluster({
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        STIRHUB_DATA_DIR: dir,
        DATABASE_URL: dbUrl,
        STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
        STIRHUB_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
        STIRHUB_ROLES: 'api,sip,worker',
        STIRHUB_HTTP_WORKERS: '2',
        LOG_LEVEL: 'warn',
        SIP_SIGN_PORT: String(sipPort),
        SIP_VERIFY_PORT: String(await freePort()),
      })
      store = await openStore(dbUrl)
    })
    after(async () => {
      await store?.close()
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGKILL')
        await new Promise((r) => server.child.once('exit', r))
      }
      if (database) await pgAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      fs.rmSync(dir, { recursive: true, force: true })
    })

    it('no A is signed after the rejection committed, whichever process signs', async () => {
      assert.equal(workerPids(server.child.pid!).length, 2)
      await revokeWhileSigning(url, store, url)
    })

    it('concurrent approvals through different processes all land (no lost transaction)', async () => {
      // Each approval reads the bundle, then writes it: on SQLite a transaction that read
      // before another process committed must still get to write.
      const w = await buildWorld(url, store.db, 'direct')
      const bundles = await Promise.all(
        Array.from({ length: 8 }, () => addBundle(store.db, w.top.sid, POLICY.SHAKEN_STIR, 'pending-review')),
      )
      const statuses: number[] = []
      await Promise.all(
        bundles.map(async (sid) => {
          for (let i = 0; i < 15; i++) {
            const r = await http(url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
              auth: { bearer: ADMIN_TOKEN },
              json: { Status: i % 2 ? 'in-review' : 'twilio-approved' },
            })
            statuses.push(r.status)
          }
        }),
      )
      assert.deepEqual(
        statuses.filter((st) => st !== 200),
        [],
      )
    })

    it('/metrics on any process sums every process: the primary and both API workers', async () => {
      const before = await scrape(url)
      assert.equal(before.get('stirhub_processes'), 3)
      const caller = await newAccount(url)
      // A new connection per call: the cluster hands connections to its workers in turn.
      const auth = 'Basic ' + Buffer.from(`${caller.sid}:${caller.token}`).toString('base64')
      for (let i = 0; i < 12; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const r = httpRequest(
            `${url}/stir/v1/signing`,
            { method: 'POST', agent: false, headers: { authorization: auth, 'content-type': 'application/json' } },
            (res) => {
              res.resume()
              resolve(res.statusCode!)
            },
          )
          r.on('error', reject)
          r.end(JSON.stringify(signingRequest('12025550100')))
        })
        assert.equal(status, 200)
      }
      for (let i = 0; i < 4; i++) {
        const m = await scrape(url)
        assert.equal(m.get('stirhub_processes'), 3)
        assert.equal(signingsTotal(m) - signingsTotal(before), 12)
      }
    })

    it('the primary serves the SIP signing front beside the API workers: INVITEs over UDP and TCP get 302 with Identity', async () => {
      // One process holds the socket: a socket shared by a cluster wakes every process per datagram.
      assert.deepEqual(
        [server.child.pid!, ...workerPids(server.child.pid!)].map((pid) => holdsUdpPort(pid, sipPort)),
        [true, false, false],
      )
      const w = await buildWorld(url, store.db, 'direct')
      // The SIP front signs for the account of the trunk an INVITE arrives on (sipp on 127.0.0.1).
      await useTrunk(url, w.caller.sid)
      for (const t of ['u1', 't1'] as const) {
        for (let i = 0; i < 4; i++) {
          const r = await sipp(sipPort, dir, 'sign-302', t, {
            orig: w.number.phone,
            dest: '+12125551212',
            acct: w.caller.sid,
          })
          assert.equal(r.code, 0, r.out + r.log)
          const payload = /IDENTITY [\w-]+\.([\w-]+)\.[\w-]+;info=/.exec(r.log)?.[1]
          assert.ok(payload, r.log)
          assert.equal(JSON.parse(Buffer.from(payload, 'base64url').toString()).attest, 'A')
        }
      }
    })

    it('a worker that dies is replaced; SIGTERM stops them all', async () => {
      const [victim] = workerPids(server.child.pid!)
      process.kill(victim!, 'SIGKILL')
      let pids: number[] = []
      for (let i = 0; i < 600 && !(pids.length === 2 && !pids.includes(victim!)); i++) {
        await new Promise((r) => setTimeout(r, 100))
        pids = workerPids(server.child.pid!)
      }
      assert.equal(pids.length, 2, server.output())
      assert.ok(!pids.includes(victim!))
      // Wait until the replacement listens: then every request is answered.
      for (let i = 0; i < 600 && !/API worker died: starting a replacement/.test(server.output()); i++)
        await new Promise((r) => setTimeout(r, 100))
      const caller = await newAccount(url)
      for (let i = 0; i < 10; i++) assert.equal((await http(url, 'GET', '/v1/Policies', { auth: caller })).status, 200)
      server.child.kill('SIGTERM')
      const code = await new Promise((r) => server.child.once('exit', r))
      assert.equal(code, 0)
      for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} still running`)
    })
  })

  describe(`revocation while signing, two servers on one database [${dialect}]`, () => {
    const pair = twoServersOnOneStore(dialect)

    it('no A is signed after the rejection committed', async () => {
      const { a, b } = pair
      await revokeWhileSigning(a.url, a.running.ctx.store, b.url)
    })

    it('approval on one server shows on the other at the next call', async () => {
      const { a, b } = pair
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const first = await http(b.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: signingRequest(w.number.phone),
      })
      assert.equal(first.headers.get('x-attestation'), 'A')
      await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { Status: 'twilio-rejected', Errors: [18601] },
      })
      assert.equal(
        (
          await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signingRequest(w.number.phone) })
        ).headers.get('x-attestation'),
        'C',
      )
      await http(a.url, 'POST', `/admin/v1/Bundles/${w.trustSid}/Status`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { Status: 'twilio-approved' },
      })
      assert.equal(
        (
          await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signingRequest(w.number.phone) })
        ).headers.get('x-attestation'),
        'A',
      )
    })
  })
}
