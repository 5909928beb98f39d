/**
 * Notification mail (mail/notices.ts): rows written in the transaction of what they report,
 * one per recipient, sent by the worker. A row is taken by one worker at a time with a
 * conditional UPDATE (`locked_until`), so two workers never send it twice at once.
 */
import { randomUUID } from 'node:crypto'
import type { Executor } from './db.js'

export interface NewMail {
  readonly dedupeKey: string
  readonly to: string
  readonly subject: string
  readonly body: string
}

/** Queues mails; one whose dedupe key was queued before is skipped. */
export async function enqueueMail(db: Executor, mails: readonly NewMail[], now: string): Promise<void> {
  for (const m of mails)
    await db
      .insertInto('mail_outbox')
      .values({
        id: randomUUID(),
        dedupe_key: m.dedupeKey,
        to_address: m.to,
        subject: m.subject,
        body: m.body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        last_error: null,
        sent_at: null,
        date_created: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute()
}

/** Emails of the active users of `accounts` with one of `roles`. */
export async function accountUserEmails(
  db: Executor,
  accounts: readonly string[],
  roles: readonly string[],
): Promise<string[]> {
  if (accounts.length === 0) return []
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('account_sid', 'in', accounts)
    .where('role', 'in', roles)
    .where('status', '=', 'active')
    .orderBy('email')
    .execute()
  return rows.map((r) => r.email)
}

/** Emails of the active staff users (no account) with one of `roles`. */
export async function staffEmails(db: Executor, roles: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('account_sid', 'is', null)
    .where('role', 'in', roles)
    .where('status', '=', 'active')
    .orderBy('email')
    .execute()
  return rows.map((r) => r.email)
}

/** Open bundle reviews past their SLA due time. */
export async function overdueReviews(db: Executor, now: string, limit: number) {
  return db
    .selectFrom('reviews')
    .innerJoin('bundles', 'bundles.sid', 'reviews.bundle_sid')
    .select([
      'reviews.sid as review_sid',
      'reviews.bundle_sid',
      'reviews.account_sid',
      'reviews.kind',
      'reviews.submitted_at',
      'reviews.due_at',
      'bundles.friendly_name',
    ])
    .where('reviews.status', 'in', ['pending-review', 'in-review'])
    .where('reviews.due_at', '<', now)
    .orderBy('reviews.due_at')
    .limit(limit)
    .execute()
}

/** Due pending mails (not held by a worker). */
export async function dueMail(db: Executor, now: string, limit: number) {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute()
}

/** Takes one mail for sending until `until`; false when another worker holds it or it was sent. */
export async function takeMail(db: Executor, id: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ locked_until: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function markMailSent(db: Executor, id: string, now: string): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sent', sent_at: now, locked_until: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

/** A failed attempt: tried again at `retryAt`, or given up (`failed`) when it is null. */
export async function markMailFailed(db: Executor, id: string, error: string, retryAt: string | null): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({
      status: retryAt ? 'pending' : 'failed',
      next_attempt_at: retryAt ?? eb.ref('next_attempt_at'),
      locked_until: null,
      last_error: error.slice(0, 500),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}
