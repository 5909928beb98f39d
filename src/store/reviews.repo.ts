/**
 * Reviews: one row per submission of a bundle, or per hosted-number order (`kind`
 * `hosted-number-order`, `bundle_sid` holding the order's HR… SID). State changes are conditional UPDATEs whose
 * affected-row count says who won, so two reviewers racing for a claim or a decision cannot
 * both succeed on either engine.
 */
import type { Executor } from './db.js'
import type { ReviewsTable } from './tables/vetting.table.js'
import type { Cursor, Page, PageRequest } from './paging.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../domain/bundle.js'

export type ReviewRow = ReviewsTable

/** Statuses of a review still waiting for a decision. */
export const OPEN_STATUSES = [PENDING_REVIEW, IN_REVIEW] as const

export async function insertReview(db: Executor, row: ReviewRow): Promise<void> {
  await db.insertInto('reviews').values(row).execute()
}

/** The latest submission of a bundle. */
export async function latestReview(db: Executor, bundleSid: string): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('reviews')
    .selectAll()
    .where('bundle_sid', '=', bundleSid)
    .orderBy('submission', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Every submission of a bundle, first to last. */
export async function reviewsOf(db: Executor, bundleSid: string): Promise<ReviewRow[]> {
  return db.selectFrom('reviews').selectAll().where('bundle_sid', '=', bundleSid).orderBy('submission').execute()
}

/** Review `sid` moves only while its status is one of `from`: the conditional UPDATE behind every state change. */
function transition(db: Executor, sid: string, from: readonly string[], set: Partial<ReviewRow>) {
  return db
    .updateTable('reviews')
    .set(set)
    .where('sid', '=', sid)
    .where('status', 'in', [...from])
}

/** Runs a transition; true when this call made the change, false when another got there first. */
async function won(q: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> }): Promise<boolean> {
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1
}

/** pending-review → in-review for `actor`; false when someone else got there first. */
export async function claimReview(
  db: Executor,
  sid: string,
  actor: string,
  now: string,
  expiresAt: string,
): Promise<boolean> {
  return won(
    transition(db, sid, [PENDING_REVIEW], {
      status: IN_REVIEW,
      claimed_by: actor,
      claimed_at: now,
      claim_expires_at: expiresAt,
      date_updated: now,
    }),
  )
}

export interface Decision {
  readonly status: typeof APPROVED | typeof REJECTED
  readonly errors: string | null
  readonly reason: string | null
  readonly validUntil: string | null
}

/** The columns a decision (or a withdrawal, which has no codes, reason or validity) writes. */
function decided(actor: string, d: Decision | { status: 'withdrawn' }, now: string): Partial<ReviewRow> {
  const x = d as Partial<Decision>
  return {
    status: d.status,
    decided_by: actor,
    decided_at: now,
    errors: x.errors ?? null,
    reason: x.reason ?? null,
    valid_until: x.validUntil ?? null,
    date_updated: now,
  }
}

/** in-review → decided, only by the actor holding the claim; false when it lost the race. */
export async function decideReview(
  db: Executor,
  sid: string,
  actor: string,
  d: Decision,
  now: string,
): Promise<boolean> {
  return won(transition(db, sid, [IN_REVIEW], decided(actor, d, now)).where('claimed_by', '=', actor))
}

/** Closes an open review without a claim (operator override, withdrawal). */
export async function closeReview(
  db: Executor,
  sid: string,
  actor: string,
  d: Decision | { status: 'withdrawn' },
  now: string,
): Promise<boolean> {
  return won(transition(db, sid, OPEN_STATUSES, decided(actor, d, now)))
}

/** Replaces a review's automated-check results (an order's checks run again when it is claimed). */
export async function updateReviewChecks(db: Executor, sid: string, checks: string, now: string): Promise<void> {
  await db.updateTable('reviews').set({ checks, date_updated: now }).where('sid', '=', sid).execute()
}

/** Claims whose time ran out (the worker returns them to the queue). */
export async function expiredClaims(db: Executor, now: string, limit = 100): Promise<ReviewRow[]> {
  return db
    .selectFrom('reviews')
    .selectAll()
    .where('status', '=', IN_REVIEW)
    .where('claim_expires_at', '<', now)
    .limit(limit)
    .execute()
}

/** Back to pending-review with no claim. */
const unclaimed = (now: string): Partial<ReviewRow> => ({
  status: PENDING_REVIEW,
  claimed_by: null,
  claimed_at: null,
  claim_expires_at: null,
  date_updated: now,
})

/** in-review → pending-review when the claim has expired; false when it was decided meanwhile. */
export async function releaseClaim(db: Executor, sid: string, now: string): Promise<boolean> {
  return won(transition(db, sid, [IN_REVIEW], unclaimed(now)).where('claim_expires_at', '<', now))
}

/** in-review → pending-review whatever the claim's time (an operator sending it back to the queue). */
export async function unclaimReview(db: Executor, sid: string, now: string): Promise<boolean> {
  return won(transition(db, sid, [IN_REVIEW], unclaimed(now)))
}

export interface QueueFilter {
  readonly statuses: readonly string[]
  readonly kind?: string
  /** Only reviews past their due time (as of this ISO instant). */
  readonly overdueAt?: string
}

/**
 * A queue row: the review with its subject's name and status (the bundle's, or the order's with
 * its number) and its account's parent. A withdrawn order is gone: its name reads as ''.
 */
export type QueueRow = ReviewRow & {
  friendly_name: string
  bundle_status: string | null
  phone_number: string | null
  parent_account_sid: string | null
}

/** Reviews joined with what they review (a bundle or a hosted-number order) and the account. */
function queueQuery(db: Executor) {
  return db
    .selectFrom('reviews')
    .leftJoin('bundles', 'bundles.sid', 'reviews.bundle_sid')
    .leftJoin('hosted_number_orders as o', 'o.sid', 'reviews.bundle_sid')
    .innerJoin('accounts', 'accounts.sid', 'reviews.account_sid')
    .selectAll('reviews')
    .select((eb) => [
      eb.fn.coalesce('bundles.friendly_name', 'o.friendly_name', eb.val('')).as('friendly_name'),
      eb.fn.coalesce('bundles.status', 'o.status').as('bundle_status'),
      'o.phone_number',
      'accounts.parent_sid as parent_account_sid',
    ])
}

/** The queue row of a bundle's (or an order's) latest submission. */
export async function latestQueueRow(db: Executor, bundleSid: string): Promise<QueueRow | undefined> {
  return queueQuery(db)
    .where('reviews.bundle_sid', '=', bundleSid)
    .orderBy('reviews.submission', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<QueueRow | undefined>
}

/** The queue, oldest submission first, keyset-paged on (submitted_at, sid). */
export async function listQueue(db: Executor, f: QueueFilter, req: PageRequest): Promise<Page<QueueRow>> {
  let q = queueQuery(db).where('reviews.status', 'in', [...f.statuses])
  if (f.kind) q = q.where('reviews.kind', '=', f.kind)
  if (f.overdueAt) q = q.where('reviews.due_at', '<', f.overdueAt)
  q = q
    .orderBy('reviews.submitted_at')
    .orderBy('reviews.sid')
    .limit(req.pageSize + 1)
  if (req.after) {
    const a: Cursor = req.after
    q = q.where((eb) => eb(eb.refTuple('reviews.submitted_at', 'reviews.sid'), '>', eb.tuple(a.d, a.s)))
  } else if (req.page > 0) q = q.offset(req.page * req.pageSize)
  const rows = (await q.execute()) as QueueRow[]
  if (rows.length <= req.pageSize) return { rows }
  rows.pop()
  const last = rows[rows.length - 1]!
  return { rows, next: { d: last.submitted_at, s: last.sid } }
}

/** Queue figures for metrics: open depth, oldest submission, overdue count, decisions per actor. */
export async function queueFigures(db: Executor, now: string) {
  const open = await db
    .selectFrom('reviews')
    .where('status', 'in', [...OPEN_STATUSES])
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min<string>('submitted_at').as('oldest')])
    .executeTakeFirstOrThrow()
  const overdue = await db
    .selectFrom('reviews')
    .where('status', 'in', [...OPEN_STATUSES])
    .where('due_at', '<', now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const decisions = await db
    .selectFrom('reviews')
    .where('decided_by', 'is not', null)
    .where('status', 'in', [APPROVED, REJECTED])
    .select(['decided_by', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['decided_by', 'status'])
    .execute()
  return { depth: Number(open.depth), oldest: open.oldest ?? null, overdue: Number(overdue.n), decisions }
}
