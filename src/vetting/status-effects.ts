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
import {
  claimReview,
  closeReview,
  insertReview,
  latestReview,
  OPEN_STATUSES,
  type ReviewRow,
  unclaimReview,
} from '../store/reviews.repo.js'
import { runChecks } from '../domain/vetting-checks.js'
import { evaluate, evaluationFacts, type SubmittedEvaluation } from '../domain/evaluation.js'
import { findPolicy } from '../domain/policies.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import { dueAt } from '../domain/vetting-rules.js'
import { APPROVED, DRAFT, IN_REVIEW, PENDING_REVIEW, REJECTED, type StatusChange } from '../domain/bundle.js'
import { callbackParams } from './callback-signature.js'
import { gatherFacts } from './facts.js'
import { sideOf } from './revision-view.js'

/** Settings the effects read; the SLA defaults apply when a caller passes no config. */
export type EffectsConfig = Partial<
  Pick<Config, 'slaProfileHours' | 'slaTrustProductHours' | 'reviewClaimMinutes' | 'logoAllow'>
>

/** Normalises who acted: `account:AC…`, `reviewer:RV…`, `operator` or `system`. */
function actorOf(actor: string, bundle: Pick<BundleRow, 'account_sid'>): string {
  if (actor === 'customer') return `account:${bundle.account_sid}`
  if (/^RV[0-9a-f]{32}$/i.test(actor)) return `reviewer:${actor}`
  return actor
}

/** The audit event type of a transition. */
function transitionEvent(from: string, to: string): string {
  if (to === PENDING_REVIEW) return from === IN_REVIEW ? 'review.released' : 'bundle.submitted'
  if (to === IN_REVIEW) return 'review.claimed'
  if (to === APPROVED) return 'review.approved'
  if (to === REJECTED) return 'review.rejected'
  return 'bundle.status-changed'
}

/** Inserts a new, unclaimed review of a bundle or an order, due after its kind's SLA. */
export async function insertPendingReview(
  db: Executor,
  r: Pick<ReviewRow, 'bundle_sid' | 'account_sid' | 'kind' | 'submission' | 'checks' | 'evaluation'> &
    Partial<Pick<ReviewRow, 'snapshot'>>,
  now: string,
  config: EffectsConfig,
): Promise<void> {
  await insertReview(db, {
    ...r,
    snapshot: r.snapshot ?? null,
    sid: randomUUID(),
    status: PENDING_REVIEW,
    submitted_at: now,
    due_at: dueAt(r.kind, now, {
      profileHours: config.slaProfileHours ?? 24,
      trustProductHours: config.slaTrustProductHours ?? 72,
    }),
    claimed_by: null,
    claimed_at: null,
    claim_expires_at: null,
    decided_by: null,
    decided_at: null,
    errors: null,
    reason: null,
    valid_until: null,
    date_created: now,
    date_updated: now,
  })
}

/**
 * Opens the review of a submission with its automated checks and the evaluation it was judged
 * by: the customer's (taken in the submitting transaction), or, when the operator set the
 * status, one taken now from the same snapshot the checks read.
 */
async function openReview(
  db: Executor,
  bundle: BundleRow,
  now: string,
  config: EffectsConfig,
  submitted?: SubmittedEvaluation,
  logos?: StatusChange['logos'],
): Promise<number> {
  const prev = await latestReview(db, bundle.sid)
  if (prev && (OPEN_STATUSES as readonly string[]).includes(prev.status))
    await closeReview(db, prev.sid, 'system', { status: 'withdrawn' }, now)
  const rows = await attachmentsOf(db, bundle)
  const attachments = toSnapshot(rows)
  const policy = findPolicy(bundle.policy_sid)
  const evaluation =
    submitted ??
    (policy && {
      sid: null,
      date_created: now,
      ...evaluate(evaluationFacts(policy, attachments, bundle.account_sid, new Date(now))),
    })
  const checks = runChecks({ ...(await gatherFacts(db, bundle, now, attachments, logos)), evaluation })
  const submission = (prev?.submission ?? 0) + 1
  await insertPendingReview(
    db,
    {
      bundle_sid: bundle.sid,
      account_sid: bundle.account_sid,
      kind: bundle.kind,
      submission,
      checks: JSON.stringify(checks),
      evaluation: evaluation ? JSON.stringify(evaluation) : null,
      snapshot: JSON.stringify(sideOf(rows)),
    },
    now,
    config,
  )
  return submission
}

/**
 * Keeps the open review in step with a change made around the reviewer flow (the operator's
 * override route): a claim by the operator, a return to the queue, a decision or a withdrawal.
 * A no-op when the reviewer flow already moved the review (its conditional UPDATEs ran first).
 */
async function syncOnOverride(
  db: Executor,
  after: BundleRow,
  actor: string,
  now: string,
  config: EffectsConfig,
): Promise<void> {
  const open = await latestReview(db, after.sid)
  if (!open || !(OPEN_STATUSES as readonly string[]).includes(open.status)) return
  if (after.status === IN_REVIEW && open.status === PENDING_REVIEW) {
    const expires = new Date(Date.parse(now) + (config.reviewClaimMinutes ?? 60) * 60_000).toISOString()
    await claimReview(db, open.sid, actor, now, expires)
  } else if (after.status === PENDING_REVIEW && open.status === IN_REVIEW) {
    await unclaimReview(db, open.sid, now)
  } else if (after.status === APPROVED || after.status === REJECTED) {
    await closeReview(
      db,
      open.sid,
      actor,
      { status: after.status, errors: after.errors, reason: after.failure_reason, validUntil: after.valid_until },
      now,
    )
  } else if (after.status === DRAFT) {
    await closeReview(db, open.sid, actor, { status: 'withdrawn' }, now)
  }
}

/**
 * Records a status change of `before` → `after` made by `change.actor`. Run inside the transaction
 * that updated the bundle, so the change, its history, audit event and callback commit together.
 */
export async function recordStatusChange(
  db: Executor,
  before: BundleRow,
  after: BundleRow,
  change: StatusChange,
  now: string,
  config: EffectsConfig = {},
): Promise<void> {
  const who = actorOf(change.actor, before)
  let submission: number | undefined
  if (after.status === PENDING_REVIEW && before.status !== IN_REVIEW)
    submission = await openReview(db, after, now, config, change.evaluation, change.logos)
  else await syncOnOverride(db, after, who, now, config)
  await appendEvent(
    db,
    {
      accountSid: after.account_sid,
      resourceSid: after.sid,
      type: transitionEvent(before.status, after.status),
      actor: who,
      data: {
        from: before.status,
        to: after.status,
        errors: after.errors ? JSON.parse(after.errors) : null,
        failure_reason: after.failure_reason,
        valid_until: after.valid_until,
        ...(submission ? { submission } : {}),
        ...(change.override ? { override: change.override } : {}),
      },
    },
    now,
  )
  if (after.status_callback) {
    await enqueueCallback(
      db,
      {
        accountSid: after.account_sid,
        bundleSid: after.sid,
        url: after.status_callback,
        params: callbackParams(after),
      },
      now,
    )
  }
}
