/**
 * The call records' store failing under signing (PostgreSQL): the table locked by someone else
 * for longer than the recorder's write may wait, the connection writing a batch terminated, the
 * whole pool's connections terminated. Every call is still answered at once and at its level,
 * the lost records are counted on /metrics, and recording resumes by itself.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { DIALECTS, PG_URL, pgAdmin } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { scrape } from './helpers/metrics.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('call records when their store fails [postgres]', {
  skip: !DIALECTS.includes('postgres') && 'PostgreSQL not under test',
}, () => {
  let server: TestServer
  let w: World
  before(async () => {
    server = await startServer('postgres')
    w = await buildWorld(server.url, server.running.ctx.store.db, 'direct')
  })
  after(async () => {
    await server?.stop()
  })

  const signed = (dest: string) => ({
    signingRequest: {
      attest: 'A',
      dest: { tn: [dest] },
      iat: Math.floor(Date.now() / 1000),
      orig: { tn: w.number.phone },
      origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    },
  })

  /** Signs to `dest` in `workers` loops until stopped; each call's status, level and time taken. */
  function signing(dest: string, workers = 4) {
    const calls: { status: number; level: string | null; ms: number }[] = []
    let running = true
    const loops = Array.from({ length: workers }, async () => {
      while (running) {
        const t0 = performance.now()
        const r = await http(server.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signed(dest) })
        calls.push({ status: r.status, level: r.headers.get('x-attestation'), ms: performance.now() - t0 })
      }
    })
    return {
      calls,
      stop: async () => {
        running = false
        await Promise.all(loops)
        return calls
      },
    }
  }

  /** Every call answered 200 at A, none slower than `ms`. */
  function allAnswered(calls: ReadonlyArray<{ status: number; level: string | null; ms: number }>, ms: number) {
    assert.ok(calls.length >= 20, `calls were made (${calls.length})`)
    assert.deepEqual(
      calls.filter((c) => c.status !== 200 || c.level !== 'A'),
      [],
    )
    const slowest = Math.max(...calls.map((c) => c.ms))
    assert.ok(slowest < ms, `slowest call ${slowest.toFixed(0)} ms (bound ${ms} ms)`)
  }

  const recordsTo = async (dest: string) =>
    Number(
      (
        await server.running.ctx.store.db
          .selectFrom('call_records')
          .select((eb) => eb.fn.countAll().as('n'))
          // Stored as the canonical TN, whatever the request's spelling.
          .where('dest', 'in', [dest, dest.replace(/^\+/, '')])
          .executeTakeFirstOrThrow()
      ).n,
    )
  const dropped = async () => (await scrape(server.url)).get('stirhub_call_records_dropped_total') ?? 0

  /** Signs `n` calls to `dest` and waits (no explicit flush) until their records are written. */
  async function recordedByThemselves(dest: string, n = 5) {
    for (let i = 0; i < n; i++) {
      const r = await http(server.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: signed(dest) })
      assert.equal(r.status, 200)
    }
    for (let i = 0; i < 40 && (await recordsTo(dest)) < n; i++) await sleep(100)
    assert.equal(await recordsTo(dest), n, 'recorded within 4 s, by the recorder alone')
  }

  /** Another connection holding call_records in ACCESS EXCLUSIVE mode until released. */
  async function lockTable() {
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${server.schema}` })
    await c.connect()
    await c.query('BEGIN')
    await c.query('LOCK TABLE call_records IN ACCESS EXCLUSIVE MODE')
    return {
      release: async () => {
        await c.query('ROLLBACK')
        await c.end()
      },
    }
  }

  /** The backends (this server's, by the table they wait on) waiting for the lock on call_records. */
  async function waitingOnTheTable(): Promise<number[]> {
    const c = new pg.Client({ connectionString: PG_URL })
    await c.connect()
    try {
      const r = await c.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE NOT granted AND relation = to_regclass($1)`,
        [`${server.schema}.call_records`],
      )
      return r.rows.map((x) => x.pid)
    } finally {
      await c.end()
    }
  }

  it('the table locked past the write timeout: signing answers at once, the batch is dropped and counted, recording resumes', async () => {
    await recordedByThemselves('+12125550001')
    const before = await dropped()
    const lock = await lockTable()
    const loop = signing('+12125550002')
    let calls: Awaited<ReturnType<typeof loop.stop>>
    try {
      // Held for twice the recorder's write timeout (2 s): at least one batch gives up.
      await sleep(4500)
      // One write at a time: a write waiting on the store holds back the next, never runs beside it.
      assert.equal((await waitingOnTheTable()).length, 1, "the recorder's one write waits on the table")
    } finally {
      await lock.release()
      await sleep(500)
      calls = await loop.stop()
    }
    // No call waited for the lock (held 4.5 s) nor for the write (2 s).
    allAnswered(calls, 1500)
    const lost = (await dropped()) - before
    assert.ok(lost > 0, 'the records of the locked period are counted as dropped')
    await server.running.ctx.calls.flush()
    assert.equal(
      (await recordsTo('+12125550002')) + lost,
      calls.length,
      'every call is either recorded or counted as dropped',
    )
    await recordedByThemselves('+12125550003')
  })

  it('the connection writing a batch is terminated: the batch is dropped and counted, calls are answered, the next batch is written', async () => {
    const before = await dropped()
    const lock = await lockTable()
    const loop = signing('+12125550004')
    let killed: number[] = []
    let calls: Awaited<ReturnType<typeof loop.stop>>
    try {
      // The recorder's write, stuck behind the lock: terminate its backend, as a failover would.
      for (let i = 0; i < 30 && killed.length === 0; i++) {
        await sleep(100)
        killed = await waitingOnTheTable()
      }
      assert.equal(killed.length, 1, "the recorder's write waits on the table")
      await pgAdmin(`SELECT pg_terminate_backend(${killed[0]})`)
      await sleep(300)
    } finally {
      await lock.release()
      await sleep(500)
      calls = await loop.stop()
    }
    allAnswered(calls, 1500)
    assert.ok((await dropped()) > before, 'the terminated batch is counted as dropped')
    await recordedByThemselves('+12125550005')
  })

  it('every pooled connection terminated: calls signed after it are recorded, with no restart', async () => {
    await recordedByThemselves('+12125550006')
    const pool = server.running.ctx.store.pool!
    const clients = await Promise.all(Array.from({ length: pool.totalCount || 1 }, () => pool.connect()))
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    )
    for (const c of clients) c.release()
    await pgAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (${pids.join(',')})`)
    // Let the termination notices reach the idle clients.
    await sleep(200)
    await recordedByThemselves('+12125550007')
  })
})
