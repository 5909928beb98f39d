/**
 * What every bundle status change does besides the UPDATE, in the same transaction
 * (DESIGN §3): opens a review (with the automated checks) on submission, closes an open one
 * on an operator override, appends the audit event and writes the status-callback outbox row.
 * Called from `changeBundleStatus`, so no path can change a status without these.
 */
import { randomUUID } from 'node:crypto'
import type { Executor } from '../store/db.js'
import type { BundleRow } from '../store/bundles.repo.js'
import type { Config } from '../config/config.js'
import { appendEvent } from '../store/events.repo.js'
import { enqueueCallback } from '../store/outbox.repo.js'
import { claimReview, closeReview, insertReview, latestReview, OPEN_STATUSES, unclaimReview } from '../store/reviews.repo.js'
import { runChecks } from '../domain/vetting-checks.js'
import { dueAt } from '../domain/vetting-rules.js'
import { callbackParams } from './callback-signature.js'
import { gatherFacts } from './facts.js'

/** Settings the effects read; the SLA defaults apply when a caller passes no config. */
export type EffectsConfig = Partial<Pick<Config, 'slaProfileHours' | 'slaTrustProductHours' | 'reviewClaimMinutes'>>

/** Normalises who acted: `account:AC…`, `reviewer:RV…`, `operator` or `system`. */
export function actorOf(actor: string, bundle: Pick<BundleRow, 'account_sid'>): string {
  if (actor === 'customer') return `account:${bundle.account_sid}`
  if (/^RV[0-9a-f]{32}$/i.test(actor)) return `reviewer:${actor}`
  return actor
}

/** The audit event type of a transition. */
export function transitionEvent(from: string, to: string): string {
  if (to === 'pending-review') return from === 'in-review' ? 'review.released' : 'bundle.submitted'
  if (to === 'in-review') return 'review.claimed'
  if (to === 'twilio-approved') return 'review.approved'
  if (to === 'twilio-rejected') return 'review.rejected'
  return 'bundle.status-changed'
}

async function openReview(db: Executor, bundle: BundleRow, now: string, config: EffectsConfig): Promise<number> {
  const prev = await latestReview(db, bundle.sid)
  if (prev && (OPEN_STATUSES as readonly string[]).includes(prev.status)) await closeReview(db, prev.sid, 'system', { status: 'withdrawn' }, now)
  const checks = runChecks(await gatherFacts(db, bundle, now))
  const submission = (prev?.submission ?? 0) + 1
  await insertReview(db, {
    sid: randomUUID(), bundle_sid: bundle.sid, account_sid: bundle.account_sid, kind: bundle.kind, submission,
    status: 'pending-review', submitted_at: now,
    due_at: dueAt(bundle.kind, now, { profileHours: config.slaProfileHours ?? 24, trustProductHours: config.slaTrustProductHours ?? 72 }),
    claimed_by: null, claimed_at: null, claim_expires_at: null, decided_by: null, decided_at: null,
    errors: null, reason: null, valid_until: null, checks: JSON.stringify(checks), date_created: now, date_updated: now,
  })
  return submission
}

/**
 * Keeps the open review in step with a change made around the reviewer flow (the operator's
 * override route): a claim by the operator, a return to the queue, a decision or a withdrawal.
 * A no-op when the reviewer flow already moved the review (its conditional UPDATEs ran first).
 */
async function syncOnOverride(db: Executor, after: BundleRow, actor: string, now: string, config: EffectsConfig): Promise<void> {
  const open = await latestReview(db, after.sid)
  if (!open || !(OPEN_STATUSES as readonly string[]).includes(open.status)) return
  if (after.status === 'in-review' && open.status === 'pending-review') {
    const expires = new Date(Date.parse(now) + (config.reviewClaimMinutes ?? 60) * 60_000).toISOString()
    await claimReview(db, open.sid, actor, now, expires)
  } else if (after.status === 'pending-review' && open.status === 'in-review') {
    await unclaimReview(db, open.sid, now)
  } else if (after.status === 'twilio-approved' || after.status === 'twilio-rejected') {
    await closeReview(db, open.sid, actor, { status: after.status, errors: after.errors, reason: after.failure_reason, validUntil: after.valid_until }, now)
  } else if (after.status === 'draft') {
    await closeReview(db, open.sid, actor, { status: 'withdrawn' }, now)
  }
}

/**
 * Records a status change of `before` → `after` made by `actor`. Run inside the transaction
 * that updated the bundle, so the change, its history, audit event and callback commit together.
 */
export async function recordStatusChange(db: Executor, before: BundleRow, after: BundleRow, actor: string, now: string, config: EffectsConfig = {}): Promise<void> {
  const who = actorOf(actor, before)
  let submission: number | undefined
  if (after.status === 'pending-review' && before.status !== 'in-review') submission = await openReview(db, after, now, config)
  else await syncOnOverride(db, after, who, now, config)
  await appendEvent(db, {
    accountSid: after.account_sid, resourceSid: after.sid, type: transitionEvent(before.status, after.status), actor: who,
    data: { from: before.status, to: after.status, errors: after.errors ? JSON.parse(after.errors) : null, failure_reason: after.failure_reason, valid_until: after.valid_until, ...(submission ? { submission } : {}) },
  }, now)
  if (after.status_callback) {
    await enqueueCallback(db, { accountSid: after.account_sid, bundleSid: after.sid, url: after.status_callback, params: callbackParams(after) }, now)
  }
}
