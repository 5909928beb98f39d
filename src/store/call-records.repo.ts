/**
 * Call records: batched inserts, day partitions (PostgreSQL) and retention. Writes come only
 * from the recorder (stir/calls/call-recorder.ts), one batch per statement or transaction.
 */
import { sql } from 'kysely'
import type { Executor } from './db.js'
import { atomically } from './executor.js'
import { capabilitiesOf } from './dialect.js'
import type { CallRecordsTable } from './tables/call-records.table.js'

export type CallRecordRow = CallRecordsTable

/** The columns in the order the SQLite inserts bind them. */
export const CALL_COLUMNS = [
  'sid',
  'date_created',
  'kind',
  'ppt',
  'account_sid',
  'parent_sid',
  'orig',
  'dest',
  'dests',
  'attest',
  'origid',
  'transport',
  'request_id',
  'identity_hash',
  'rule',
  'reasons',
  'profile_sid',
  'trust_product_sid',
  'origin',
  'spc',
  'cert_issuer',
  'cert_serial',
  'x5u_host',
  'verstat',
  'reason',
] as const satisfies readonly (keyof CallRecordRow)[]
const COLUMNS = CALL_COLUMNS

/** Rows per multi-row INSERT on PostgreSQL: 25 columns × 1,000 stays under its 65,535 bound values. */
const CHUNK = 1000

/** Bounds on a write: how long a statement may wait (for a lock, say) before it is given up. */
export interface WriteBound {
  /** PostgreSQL: the statement timeout of the write's transaction (ms); none when absent. */
  readonly timeoutMs?: number
}

/** PostgreSQL: bounds the statements of the transaction `trx` to `timeoutMs`. */
async function boundStatements(trx: Executor, o: WriteBound): Promise<void> {
  if (o.timeoutMs !== undefined && o.timeoutMs > 0)
    await sql.raw(`SET LOCAL statement_timeout = ${Math.round(o.timeoutMs)}`).execute(trx)
}

/**
 * Inserts a batch in one transaction: on SQLite one prepared row INSERT per record (faster there
 * than multi-row statements), elsewhere multi-row INSERTs of {@link CHUNK} rows, each waiting
 * at most `o.timeoutMs` (a table locked by someone else fails the batch instead of holding it).
 */
export async function insertCallRecords(
  db: Executor,
  rows: readonly CallRecordRow[],
  o: WriteBound = {},
): Promise<void> {
  if (rows.length === 0) return
  await atomically(db, async (trx) => {
    const sqlite = capabilitiesOf(trx).preparedRows
    if (sqlite) {
      const insert = sqlite.prepare(
        `INSERT INTO call_records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      )
      for (const r of rows) insert.run(COLUMNS.map((c) => r[c]))
      return
    }
    await boundStatements(trx, o)
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx
        .insertInto('call_records')
        .values(rows.slice(i, i + CHUNK) as CallRecordRow[])
        .execute()
  })
}

/** The parent of each account in `sids` (null for a top-level one); unknown SIDs are absent. */
export async function parentsOf(db: Executor, sids: readonly string[]): Promise<Map<string, string | null>> {
  if (sids.length === 0) return new Map()
  const rows = await db
    .selectFrom('accounts')
    .select(['sid', 'parent_sid'])
    .where('sid', 'in', sids as string[])
    .execute()
  return new Map(rows.map((r) => [r.sid, r.parent_sid]))
}

/** Most records one traceback lookup returns (a call signed again and again with one PASSporT is a replay). */
const TRACE_LIMIT = 50

/** Signed calls whose Identity header hashed to `hash` (`identityHash()`), newest first. */
export async function signedByIdentityHash(db: Executor, hash: string): Promise<CallRecordRow[]> {
  return db
    .selectFrom('call_records')
    .selectAll()
    .where('identity_hash', '=', hash)
    .where('kind', '=', 'signed')
    .orderBy('date_created', 'desc')
    .orderBy('sid', 'desc')
    .limit(TRACE_LIMIT)
    .execute()
}

/**
 * Signed SHAKEN calls of `origid` from `orig` between `since` and `until` (ISO times, both
 * included), newest first: one range of the (origid, date_created, sid) index.
 */
export async function signedByOrigid(
  db: Executor,
  q: { readonly origid: string; readonly orig: string; readonly since: string; readonly until: string },
): Promise<CallRecordRow[]> {
  return db
    .selectFrom('call_records')
    .selectAll()
    .where('origid', '=', q.origid)
    .where('date_created', '>=', q.since)
    .where('date_created', '<=', q.until)
    .where('kind', '=', 'signed')
    .where('orig', '=', q.orig)
    .orderBy('date_created', 'desc')
    .orderBy('sid', 'desc')
    .limit(TRACE_LIMIT)
    .execute()
}

/** The partition that holds day `day` (YYYY-MM-DD). */
const partitionOf = (day: string) => `call_records_${day.replaceAll('-', '')}`
const DAY = /^\d{4}-\d{2}-\d{2}$/
const nextDay = (day: string) => new Date(Date.parse(day + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10)

/** True on an engine whose call_records table is partitioned by day (PostgreSQL). */
const partitioned = (db: Executor) => capabilitiesOf(db).dayPartitions

/** PostgreSQL's codes for a statement cancelled by its timeout and a lock not had in time. */
const GAVE_UP = new Set(['57014', '55P03'])

/**
 * PostgreSQL: creates the day partitions of `days` (YYYY-MM-DD) that do not exist yet. Several
 * processes may race to create the same day: the loser's error is ignored, the partition
 * exists either way. A day whose rows already sit in the default partition cannot get its own
 * (PostgreSQL refuses): its rows stay there and retention deletes them by time. A creation
 * that waited longer than `o.timeoutMs` for the table's lock throws. No-op on SQLite.
 */
export async function ensureCallPartitions(
  db: Executor,
  days: readonly string[],
  o: WriteBound = {},
): Promise<string[]> {
  if (!partitioned(db)) return []
  const existing = new Set(await callPartitions(db))
  const made: string[] = []
  for (const day of days) {
    if (!DAY.test(day)) throw new Error(`bad day ${day}`)
    const name = partitionOf(day)
    if (existing.has(name)) continue
    try {
      await atomically(db, async (trx) => {
        await boundStatements(trx, o)
        await sql
          .raw(
            `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF call_records FOR VALUES FROM ('${day}') TO ('${nextDay(day)}')`,
          )
          .execute(trx)
      })
      made.push(name)
    } catch (e) {
      if (GAVE_UP.has((e as { code?: string }).code ?? '')) throw e
      // Created by another process meanwhile, or its rows are in the default partition.
    }
  }
  return made
}

/** PostgreSQL: the names of the day partitions in this schema, oldest first. */
export async function callPartitions(db: Executor): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT c.relname AS name FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'call_records' AND p.relnamespace = to_regnamespace(current_schema())::oid
        AND c.relname <> 'call_records_default'
      ORDER BY c.relname`.execute(db)
  return r.rows.map((x) => x.name)
}

export interface Pruned {
  /** Day partitions dropped whole (PostgreSQL). */
  readonly partitions: readonly string[]
  /** Rows deleted one batch at a time (SQLite, and PostgreSQL's default partition). */
  readonly rows: number
}

/** How long dropping a day partition waits for the table's lock before giving up until the next pass. */
const DROP_LOCK_WAIT_MS = 5000

/**
 * Drops the records older than `before` (an ISO time at a day's start): whole day partitions on
 * PostgreSQL, then rows in batches of `batch` (SQLite; PostgreSQL's default partition), oldest
 * first, each batch its own statement, so a large backlog never holds a long lock. Dropping a
 * partition locks the whole table: it waits at most {@link DROP_LOCK_WAIT_MS} for searches in
 * progress (and makes the recorder's writes wait as long), then throws and is retried later.
 */
export async function pruneCallRecords(db: Executor, before: string, batch = 5000): Promise<Pruned> {
  const partitions: string[] = []
  if (partitioned(db)) {
    const cutoff = partitionOf(before.slice(0, 10))
    for (const name of await callPartitions(db)) {
      if (name >= cutoff) break
      await atomically(db, async (trx) => {
        await sql.raw(`SET LOCAL lock_timeout = ${DROP_LOCK_WAIT_MS}`).execute(trx)
        await sql.raw(`DROP TABLE IF EXISTS ${name}`).execute(trx)
      })
      partitions.push(name)
    }
  }
  let rows = 0
  for (;;) {
    // By primary key, the oldest first: each batch reads only the rows it deletes.
    const r = await db
      .deleteFrom('call_records')
      .where((eb) =>
        eb(
          eb.refTuple('date_created', 'sid'),
          'in',
          eb
            .selectFrom('call_records')
            .select(['date_created', 'sid'])
            .where('date_created', '<', before)
            .orderBy('date_created')
            .limit(batch)
            .$asTuple('date_created', 'sid'),
        ),
      )
      .executeTakeFirst()
    const n = Number(r.numDeletedRows)
    rows += n
    if (n < batch) return { partitions, rows }
  }
}
