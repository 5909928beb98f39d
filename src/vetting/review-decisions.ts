/**
 * Reviewer actions on a submitted bundle: claim, approve, reject, and the worker's release of
 * claims that ran out. Each runs in one transaction; the race between two reviewers is decided
 * by the conditional UPDATEs of reviews.repo (rows affected), never by a read-then-write.
 */
import type { AppContext } from '../runtime/context.js'
import type { Executor } from '../store/db.js'
import { findBundleForOperator, type BundleRow } from '../store/bundles.repo.js'
import { AppError, errors } from '../domain/errors.js'
import { isoNow } from '../domain/time.js'
import { approvalValidUntil, parseRejectionCodes } from '../domain/vetting-rules.js'
import {
  claimReview,
  decideReview,
  expiredClaims,
  latestReview,
  releaseClaim,
  type ReviewRow,
} from '../store/reviews.repo.js'
import { changeBundleStatus } from './bundle-status.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../domain/bundle.js'
import { ORDER_REVIEW_KIND } from '../domain/hosted-number.js'
import { releaseOrderClaim } from './order-review.js'

type Ctx = Pick<AppContext, 'store' | 'clock' | 'config'>

/** Actor string of the staff member acting (`operator` or `reviewer:RV…`). */
export interface Acting {
  readonly actor: string
}

const shown = (actor: string | null) => actor?.replace(/^reviewer:/, '') ?? null
const conflict = (why: string) => new AppError('CONFLICT', why)

async function loadForReview(db: Executor, bundleSid: string): Promise<{ bundle: BundleRow; review: ReviewRow }> {
  const bundle = await findBundleForOperator(db, bundleSid)
  const review = bundle ? await latestReview(db, bundleSid) : undefined
  if (!bundle || !review) throw errors.notFound(`/admin/v1/Reviews/${bundleSid}`)
  return { bundle, review }
}

/** pending-review → in-review for the acting reviewer; a second claim is refused with 409. */
export async function claim(ctx: Ctx, who: Acting, bundleSid: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const { bundle, review } = await loadForReview(trx, bundleSid)
    if (review.status === IN_REVIEW)
      throw conflict(`Review of ${bundleSid} is already claimed by ${shown(review.claimed_by)}`)
    if (review.status !== PENDING_REVIEW || bundle.status !== PENDING_REVIEW)
      throw errors.state(`Bundle ${bundleSid} is ${bundle.status}; only a pending-review bundle can be claimed`)
    const now = isoNow(ctx.clock)
    const expires = new Date(ctx.clock().getTime() + ctx.config.reviewClaimMinutes * 60_000).toISOString()
    if (!(await claimReview(trx, review.sid, who.actor, now, expires)))
      throw conflict(`Review of ${bundleSid} was claimed by someone else`)
    await changeBundleStatus(trx, ctx, bundle, IN_REVIEW, { actor: who.actor })
  })
}

/** Checks that `who` holds the claim of an in-review bundle (else 400 or 409, no change). */
function assertDecidable(bundle: BundleRow, review: ReviewRow, who: Acting): void {
  if (review.status === PENDING_REVIEW)
    throw errors.state(`Bundle ${bundle.sid} is pending-review: claim it before deciding`)
  if (review.status !== IN_REVIEW || bundle.status !== IN_REVIEW)
    throw errors.state(`Bundle ${bundle.sid} is ${bundle.status}, not in review`)
  if (review.claimed_by !== who.actor)
    throw conflict(`Review of ${bundle.sid} is claimed by ${shown(review.claimed_by)}`)
}

/** in-review → twilio-approved with `valid_until` (default one year; a past date, or one past STIRHUB_MAX_APPROVAL_DAYS, is refused). */
export async function approve(ctx: Ctx, who: Acting, bundleSid: string, validUntilRaw?: string): Promise<void> {
  const validUntil = approvalValidUntil(validUntilRaw, ctx.clock(), ctx.config.maxApprovalDays)
  await ctx.store.db.transaction().execute(async (trx) => {
    const { bundle, review } = await loadForReview(trx, bundleSid)
    assertDecidable(bundle, review, who)
    const won = await decideReview(
      trx,
      review.sid,
      who.actor,
      { status: APPROVED, errors: null, reason: null, validUntil },
      isoNow(ctx.clock),
    )
    if (!won) throw conflict(`Review of ${bundleSid} was decided by someone else`)
    await changeBundleStatus(trx, ctx, bundle, APPROVED, { actor: who.actor, validUntil })
  })
}

/** in-review → twilio-rejected with rejection codes 18601–18609 and a reason the customer can act on. */
export async function reject(
  ctx: Ctx,
  who: Acting,
  bundleSid: string,
  rawCodes: unknown,
  reason: string | undefined,
): Promise<void> {
  const codes = parseRejectionCodes(rawCodes)
  if (!reason || !reason.trim()) throw errors.missing('Reason')
  await ctx.store.db.transaction().execute(async (trx) => {
    const { bundle, review } = await loadForReview(trx, bundleSid)
    assertDecidable(bundle, review, who)
    const errs = JSON.stringify(codes.map((code) => ({ code })))
    const won = await decideReview(
      trx,
      review.sid,
      who.actor,
      { status: REJECTED, errors: errs, reason: reason.trim(), validUntil: null },
      isoNow(ctx.clock),
    )
    if (!won) throw conflict(`Review of ${bundleSid} was decided by someone else`)
    await changeBundleStatus(trx, ctx, bundle, REJECTED, {
      actor: who.actor,
      errors: codes,
      failureReason: reason.trim(),
    })
  })
}

/** Returns claims that ran out to the queue (worker timer), of bundles and hosted-number orders; returns how many. */
export async function releaseExpiredClaims(ctx: Ctx): Promise<number> {
  let n = 0
  for (const r of await expiredClaims(ctx.store.db, isoNow(ctx.clock))) {
    await ctx.store.db.transaction().execute(async (trx) => {
      if (!(await releaseClaim(trx, r.sid, isoNow(ctx.clock)))) return
      n++
      if (r.kind === ORDER_REVIEW_KIND) return releaseOrderClaim(trx, r, isoNow(ctx.clock))
      const bundle = await findBundleForOperator(trx, r.bundle_sid)
      if (bundle?.status === IN_REVIEW) await changeBundleStatus(trx, ctx, bundle, PENDING_REVIEW, { actor: 'system' })
    })
  }
  return n
}
