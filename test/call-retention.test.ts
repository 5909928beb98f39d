/**
 * Call-record retention, run by the worker's timers on both stores: records older than
 * STIRHUB_CALL_RETENTION_DAYS go (whole day partitions on PostgreSQL, rows on SQLite), newer
 * ones stay, the coming days' partitions are made ahead, the upkeep runs at most hourly across
 * workers, and a large backlog is deleted in bounded batches.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely'
import { DIALECTS, type Dialect } from './helpers/dialects.js'
import { startServer } from './helpers/server.js'
import { startWorker } from '../src/vetting/worker.js'
import { callPartitions, insertCallRecords, pruneCallRecords } from '../src/store/call-records.repo.js'
import { findLease } from '../src/store/leases.repo.js'
import { RETENTION_LEASE, retentionCutoff } from '../src/stir/calls/call-retention.js'
import type { AppContext } from '../src/runtime/context.js'
import type { Db } from '../src/store/db.js'

const DAY = 86_400_000
const ACCOUNT = 'AC' + 'c'.repeat(32)
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const partition = (ms: number) => `call_records_${day(ms).replaceAll('-', '')}`

/** A server whose clock the test moves; the worker runs in the test, one pass at a time. */
async function server(dialect: Dialect, env: Record<string, string> = {}) {
  let now = Date.now()
  const s = await startServer(dialect, { clock: () => new Date(now), env })
  const ctx = s.running.ctx
  return {
    s,
    ctx,
    get now() {
      return now
    },
    advance(ms: number) {
      now += ms
    },
    /** Records one signed call made at `at`, written at once. */
    async call(at: number, orig: string) {
      ctx.calls.record({
        kind: 'signed',
        at,
        accountSid: ACCOUNT,
        result: {
          orig,
          dest: ['+13035550100'],
          decision: {
            attest: 'C',
            rule: 'gateway-attestation',
            reasons: ['test'],
            origid: '7b3b0b7e-3c3c-4c4c-8d8d-0e0e0e0e0e0e',
            missingForA: [],
            missingForB: [],
          },
          attest: 'C',
          notes: [],
        },
      })
      await ctx.calls.flush()
    },
    /** One worker pass (a fresh worker: its timers are due at once), then the worker stops. */
    async pass() {
      const w = startWorker(ctx)
      await w.tick()
      await w.stop()
    },
    async days(): Promise<string[]> {
      const rows = await ctx.store.db.selectFrom('call_records').select('date_created').execute()
      return rows.map((r) => r.date_created.slice(0, 10)).sort()
    },
  }
}

/** The tables named `names` that exist in the server's schema (PostgreSQL). */
async function tablesIn(ctx: AppContext, names: readonly string[]): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = to_regnamespace(current_schema())::oid AND c.relname IN (${sql.join(names)})`.execute(
    ctx.store.db,
  )
  return r.rows.map((x) => x.name).sort()
}

/** The store, counting each DELETE statement's deleted rows. */
function countingDeletes(db: Db): { db: Db; deletes: number[] } {
  const deletes: number[] = []
  const kinds = new WeakMap<QueryId, string>()
  const plugin: KyselyPlugin = {
    transformQuery: (a: { node: RootOperationNode; queryId: QueryId }) => {
      kinds.set(a.queryId, a.node.kind)
      return a.node
    },
    transformResult: async (a) => {
      if (kinds.get(a.queryId) === 'DeleteQueryNode') deletes.push(Number(a.result.numAffectedRows ?? 0))
      return a.result
    },
  }
  return { db: db.withPlugin(plugin), deletes }
}

for (const dialect of DIALECTS) {
  describe(`call record retention [${dialect}]`, () => {
    let t: Awaited<ReturnType<typeof server>>
    let short: Awaited<ReturnType<typeof server>>
    before(async () => {
      t = await server(dialect)
      short = await server(dialect, { STIRHUB_CALL_RETENTION_DAYS: '1' })
    })
    after(async () => {
      await t?.s.stop()
      await short?.s.stop()
    })

    it("the worker's pass drops records past 90 days, keeps yesterday's and makes the coming days' partitions", async () => {
      const old = t.now - 100 * DAY
      const yesterday = t.now - DAY
      await t.call(old, '+12125550100')
      await t.call(old + 60_000, '+12125550101')
      await t.call(yesterday, '+12125550102')
      if (dialect === 'postgres')
        assert.deepEqual(await callPartitions(t.ctx.store.db), [partition(old), partition(yesterday)])
      await t.pass()
      assert.deepEqual(await t.days(), [day(yesterday)])
      if (dialect === 'postgres') {
        const ahead = [t.now, t.now + DAY, t.now + 2 * DAY].map(partition)
        assert.deepEqual(await callPartitions(t.ctx.store.db), [partition(yesterday), ...ahead])
        // The old day's table itself is gone, not only its rows.
        assert.deepEqual(await tablesIn(t.ctx, [partition(old), partition(yesterday)]), [partition(yesterday)])
      }
      assert.equal((await findLease(t.ctx.store.db, RETENTION_LEASE))?.runs, 1)

      // Within the hour another pass (say, another instance's) leaves the upkeep alone …
      await t.call(old, '+12125550103')
      t.advance(10 * 60_000)
      await t.pass()
      assert.deepEqual(await t.days(), [day(old), day(yesterday)])
      // … and the next hour's pass drops what has come due.
      t.advance(60 * 60_000)
      await t.pass()
      assert.deepEqual(await t.days(), [day(yesterday)])
      assert.equal((await findLease(t.ctx.store.db, RETENTION_LEASE))?.runs, 2)
    })

    it('STIRHUB_CALL_RETENTION_DAYS=1 keeps one whole day: records from three days ago go, yesterday stays', async () => {
      assert.equal(short.ctx.config.callRetentionDays, 1)
      await short.call(short.now - 3 * DAY, '+12125550110')
      await short.call(short.now - DAY, '+12125550111')
      await short.pass()
      assert.deepEqual(await short.days(), [day(short.now - DAY)])
      if (dialect === 'postgres') assert.equal((await tablesIn(short.ctx, [partition(short.now - 3 * DAY)])).length, 0)
    })

    it('a large backlog is deleted in batches of the bound, each its own statement, oldest first', async () => {
      const total = 12_345
      // PostgreSQL: a day with no partition of its own, so the rows sit in the default
      // partition, the part of the table retention deletes row by row there too.
      const at = Date.parse('2020-01-01T00:00:00.000Z')
      const rows = Array.from({ length: total }, (_, i) => ({
        sid: 'CL' + i.toString(16).padStart(32, '0'),
        date_created: new Date(at + i * 1000).toISOString(),
        kind: 'signed',
        ppt: 'shaken',
        account_sid: ACCOUNT,
        parent_sid: null,
        orig: '+12125550120',
        dest: '+13035550100',
        dests: '["+13035550100"]',
        attest: 'C',
        origid: null,
        transport: 'rest',
        request_id: null,
        identity_hash: null,
        rule: 'gateway-attestation',
        reasons: '[]',
        profile_sid: null,
        trust_product_sid: null,
        origin: null,
        spc: null,
        cert_issuer: null,
        cert_serial: null,
        x5u_host: null,
        verstat: null,
        reason: null,
      }))
      await insertCallRecords(t.ctx.store.db, rows)
      const keptAt = new Date(t.now - DAY).toISOString().slice(0, 10)
      const counted = countingDeletes(t.ctx.store.db)
      const pruned = await pruneCallRecords(counted.db, retentionCutoff(t.now, 90), 5000)
      assert.equal(pruned.rows, total)
      assert.deepEqual(counted.deletes, [5000, 5000, 2345])
      assert.deepEqual(await t.days(), [keptAt])
    })
  })
}
