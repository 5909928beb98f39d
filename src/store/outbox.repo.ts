/**
 * The status-callback outbox. Rows are written in the transaction of the status change they
 * report; workers claim due rows with a lease (`locked_until`), so a worker that dies
 * mid-delivery loses nothing: its lease runs out and the row is claimed again.
 */
import { randomUUID } from 'node:crypto'
import type { Executor } from './db.js'
import type { OutboxTable } from './tables/vetting.table.js'

export type OutboxRow = OutboxTable

export interface NewCallback {
  readonly accountSid: string
  readonly bundleSid: string
  readonly url: string
  readonly params: Readonly<Record<string, string>>
}

export async function enqueueCallback(db: Executor, c: NewCallback, now: string): Promise<OutboxRow> {
  const row: OutboxRow = {
    id: randomUUID(),
    account_sid: c.accountSid,
    bundle_sid: c.bundleSid,
    url: c.url,
    payload: JSON.stringify(c.params),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    locked_until: null,
    locked_by: null,
    last_error: null,
    delivered_at: null,
    date_created: now,
    date_updated: now,
  }
  await db.insertInto('outbox').values(row).execute()
  return row
}

export interface ClaimOptions {
  readonly now: string
  readonly leaseUntil: string
  readonly worker: string
  readonly limit: number
  /** Capability flag (store/dialect.ts): lets concurrent PostgreSQL workers skip each other's rows. */
  readonly skipLocked: boolean
}

/**
 * Claims up to `limit` due rows for `worker`. The outer WHERE repeats the "not leased"
 * condition, so even without SKIP LOCKED (SQLite) a row is leased by one worker only.
 */
export async function claimDue(db: Executor, o: ClaimOptions): Promise<OutboxRow[]> {
  const free = (eb: any) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', o.now)])
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', o.now)
    .where(free)
    .orderBy('next_attempt_at')
    .limit(o.limit)
    .$if(o.skipLocked, (q) => q.forUpdate().skipLocked())
  return db
    .updateTable('outbox')
    .set({ locked_until: o.leaseUntil, locked_by: o.worker })
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .where(free)
    .returningAll()
    .execute()
}

/** Records a delivered callback (only while this worker still holds the lease). */
export async function markDelivered(db: Executor, id: string, worker: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'delivered',
      attempts: eb('attempts', '+', 1),
      delivered_at: now,
      locked_until: null,
      locked_by: null,
      last_error: null,
      date_updated: now,
    }))
    .where('id', '=', id)
    .where('locked_by', '=', worker)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Records a failed attempt: schedules the next one, or gives up (`failed`) when `nextAt` is null. */
export async function markFailed(
  db: Executor,
  id: string,
  worker: string,
  error: string,
  nextAt: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      status: nextAt ? 'pending' : 'failed',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: nextAt ?? now,
      locked_until: null,
      locked_by: null,
      last_error: error.slice(0, 500),
      date_updated: now,
    }))
    .where('id', '=', id)
    .where('locked_by', '=', worker)
    .execute()
}

/** Callbacks of a bundle, oldest first (tests and the review detail). */
export async function callbacksOf(db: Executor, bundleSid: string): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('bundle_sid', '=', bundleSid)
    .orderBy('date_created')
    .orderBy('id')
    .execute()
}

/** Callbacks not delivered, by state: `pending` (due now or retried later) and `failed` (given up). */
export async function callbackBacklog(db: Executor): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('outbox')
    .where('status', 'in', ['pending', 'failed'])
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const out = { pending: 0, failed: 0 }
  for (const r of rows) if (r.status === 'pending' || r.status === 'failed') out[r.status] = Number(r.n)
  return out
}
