/**
 * Call-record upkeep, run by the worker's timers at most once an hour across all instances
 * (a store lease of its own): the day partitions for today and the next two days are made
 * ahead of the calls that need them (PostgreSQL), and the records older than
 * `STIRHUB_CALL_RETENTION_DAYS` are dropped — whole day partitions on PostgreSQL, bounded
 * batches of rows on SQLite.
 */
import type { AppContext } from '../../runtime/context.js'
import { ensureCallPartitions, pruneCallRecords, type Pruned } from '../../store/call-records.repo.js'
import { takeLease } from '../../store/leases.repo.js'

/** The store lease the upkeep runs under. */
export const RETENTION_LEASE = 'calls.retention'
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** Days whose partition is made ahead, today included. */
const DAYS_AHEAD = 3

const isoOf = (ms: number) => new Date(ms).toISOString()
const dayOf = (ms: number) => isoOf(ms).slice(0, 10)

/**
 * The first instant kept: the start of the day `days` days before `nowMs`, so a record is
 * kept at least `days` days (and at most one more: a day goes as a whole).
 */
export const retentionCutoff = (nowMs: number, days: number): string => `${dayOf(nowMs - days * DAY_MS)}T00:00:00.000Z`

export interface Upkeep {
  /** Day partitions made ahead (PostgreSQL). */
  readonly made: readonly string[]
  readonly pruned: Pruned
  readonly cutoff: string
}

/**
 * Runs the upkeep when its hourly lease is free (undefined when another pass had it this
 * hour). `holder` names the instance, as for the worker's other timers.
 */
export async function keepCallRecords(ctx: AppContext, holder: string): Promise<Upkeep | undefined> {
  const now = ctx.clock().getTime()
  const db = ctx.store.db
  if (!(await takeLease(db, RETENTION_LEASE, holder, isoOf(now), isoOf(now + HOUR_MS)))) return undefined
  const made = await ensureCallPartitions(
    db,
    Array.from({ length: DAYS_AHEAD }, (_, i) => dayOf(now + i * DAY_MS)),
  )
  const cutoff = retentionCutoff(now, ctx.config.callRetentionDays)
  const pruned = await pruneCallRecords(db, cutoff)
  if (pruned.partitions.length > 0 || pruned.rows > 0)
    ctx.log.info(
      { partitions: pruned.partitions, rows: pruned.rows, before: cutoff },
      `call records: dropped ${pruned.partitions.length} day partitions and ${pruned.rows} rows older than ${ctx.config.callRetentionDays} days`,
    )
  return { made, pruned, cutoff }
}
