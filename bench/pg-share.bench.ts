/**
 * Two `stirhub serve` instances (api and worker roles, one API process each) on one fresh
 * PostgreSQL database, signing over HTTP through both: what each signing costs PostgreSQL
 * (transactions and rows read, from `pg_stat_database`) and how many connections each
 * instance holds. The figures to size a shared PostgreSQL by (docs/scaling.md); the rate
 * itself is this machine's, not a capacity figure. BENCH_PG_URL names the server (default
 * postgres://postgres@127.0.0.1:5432/test); the database is created and dropped.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openStore } from '../src/store/db.js'
import { buildWorld } from '../test/helpers/attestation-world.js'
import { ADMIN_TOKEN } from '../test/helpers/server.js'
import { serveStirhub, type Served } from './serve.js'

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const SECONDS = 8
const LOOPS = 16

async function admin<T extends pg.QueryResultRow>(url: string, q: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<T>(q)).rows
  } finally {
    await c.end()
  }
}

interface DbStats {
  readonly xacts: number
  readonly returned: number
  readonly fetched: number
  readonly written: number
}

async function dbStats(database: string): Promise<DbStats> {
  const [r] = await admin<Record<string, string>>(
    PG_URL,
    `select xact_commit + xact_rollback as x, tup_returned as r, tup_fetched as f,
            tup_inserted + tup_updated + tup_deleted as w
       from pg_stat_database where datname = '${database}'`,
  )
  return { xacts: Number(r!.x), returned: Number(r!.r), fetched: Number(r!.f), written: Number(r!.w) }
}

/** Backends stop reporting to pg_stat_database for up to 10 s when idle: wait them out. */
const flushed = () => new Promise((r) => setTimeout(r, 11_000))

export async function run(print: (line: string) => void): Promise<void> {
  const database = 'bench_' + randomBytes(5).toString('hex')
  await admin(PG_URL, `CREATE DATABASE ${database}`)
  const dbUrl = PG_URL.replace(/\/[^/]*$/, `/${database}`)
  const dirs: string[] = []
  const served: Served[] = []
  try {
    for (let i = 0; i < 2; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-pgshare-'))
      dirs.push(dir)
      served.push(
        await serveStirhub({
          DATABASE_URL: dbUrl,
          STIRHUB_DATA_DIR: dir,
          STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
          STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
          STIRHUB_ROLES: 'api,worker',
          STIRHUB_HTTP_WORKERS: '1',
        }),
      )
    }
    const urls = served.map((s) => `http://127.0.0.1:${s.port}`)
    const store = await openStore(dbUrl)
    const w = await buildWorld(urls[0]!, store.db, 'direct')
    await store.close()
    const auth = 'Basic ' + Buffer.from(`${w.caller.sid}:${w.caller.token}`).toString('base64')
    const sign = (url: string) =>
      fetch(`${url}/stir/v1/signing`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          signingRequest: {
            attest: 'A',
            dest: { tn: ['+12125551212'] },
            iat: Math.floor(Date.now() / 1000),
            orig: { tn: w.number.phone },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        }),
      }).then(async (r) => {
        if (r.status !== 200) throw new Error(`signing ${r.status}`)
        await r.arrayBuffer()
      })
    // Warm both instances' indexes, then let the idle statistics settle.
    for (const u of urls) await sign(u)
    await flushed()
    const idle0 = await dbStats(database)
    await flushed()
    const idle1 = await dbStats(database)
    const idlePerSecond = (idle1.xacts - idle0.xacts) / 11
    const connections = await admin<{ app: string; n: string }>(
      PG_URL,
      `select coalesce(nullif(application_name, ''), 'pool') as app, count(*) as n
         from pg_stat_activity where datname = '${database}' group by 1 order by 1`,
    )
    let signed = 0
    const before = await dbStats(database)
    const end = performance.now() + SECONDS * 1000
    await Promise.all(
      Array.from({ length: LOOPS }, async (_, i) => {
        while (performance.now() < end) {
          await sign(urls[i % urls.length]!)
          signed++
        }
      }),
    )
    const connectionsLoaded = await admin<{ n: string }>(
      PG_URL,
      `select count(*) as n from pg_stat_activity where datname = '${database}'`,
    )
    await flushed()
    const after = await dbStats(database)
    const idleShare = idlePerSecond * (SECONDS + 11)
    const per = (a: number, b: number) => ((a - b) / signed).toFixed(3)
    print(`signings through 2 instances: ${signed} in ${SECONDS} s (${Math.round(signed / SECONDS)}/s on this machine)`)
    print(`idle load of 2 instances: ${idlePerSecond.toFixed(1)} PostgreSQL transactions/s (worker polls, timers)`)
    print(
      `per signing: ${per(after.xacts - idleShare, before.xacts)} transactions, ${per(after.returned, before.returned)} rows scanned, ${per(after.fetched, before.fetched)} rows fetched, ${per(after.written, before.written)} rows written`,
    )
    print(
      `connections idle: ${connections.map((c) => `${c.app} ${c.n}`).join(', ')}; under load: ${connectionsLoaded[0]!.n} (2 instances)`,
    )
  } finally {
    for (const s of served) await s.stop()
    await admin(PG_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}
