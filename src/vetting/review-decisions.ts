/**
 * Reviewer actions on a submitted bundle: claim, approve, reject, and the worker's release of
 * claims that ran out. Each runs in one transaction; the race between two reviewers is decided
 * by the conditional UPDATEs of reviews.repo (rows affected), never by a read-then-write.
 */
import type { Transaction } from 'kysely'
import type { AppContext } from '../runtime/context.js'
import type { Executor } from '../store/db.js'
import type { Database } from '../store/database.js'
import { atomically } from '../store/executor.js'
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
  updateReviewChecks,
  type ReviewRow,
} from '../store/reviews.repo.js'
import { changeBundleStatus } from './bundle-status.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../domain/bundle.js'
import { ORDER_REVIEW_KIND } from '../domain/hosted-number.js'
import { releaseOrderClaim } from './order-review.js'
import { checksNow, type FetchedLogos } from './facts.js'
import { fetchLogosOf } from './logo-fetch.js'
import { findPolicy } from '../domain/policies.js'
import { approvalOverride, LINKED_PROFILE_CHECK } from '../domain/review-gate.js'
import type { BundleFacts, CheckResult } from '../domain/vetting-checks.js'
import { queueDecisionMail } from '../mail/notices.js'

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

/** pending-review → in-review for `who` inside `trx`, with the checks run again; returns the claimed rows (409 when someone else won). */
async function claimIn(
  trx: Transaction<Database>,
  ctx: Ctx,
  who: Acting,
  bundle: BundleRow,
  review: ReviewRow,
  logos?: FetchedLogos,
): Promise<{ bundle: BundleRow; review: ReviewRow }> {
  if (review.status === IN_REVIEW)
    throw conflict(`Review of ${bundle.sid} is already claimed by ${shown(review.claimed_by)}`)
  if (review.status !== PENDING_REVIEW || bundle.status !== PENDING_REVIEW)
    throw errors.state(`Bundle ${bundle.sid} is ${bundle.status}; only a pending-review bundle can be claimed`)
  const now = isoNow(ctx.clock)
  const expires = new Date(ctx.clock().getTime() + ctx.config.reviewClaimMinutes * 60_000).toISOString()
  if (!(await claimReview(trx, review.sid, who.actor, now, expires)))
    throw conflict(`Review of ${bundle.sid} was claimed by someone else`)
  const claimed = await changeBundleStatus(trx, ctx, bundle, IN_REVIEW, { actor: who.actor })
  // The claiming reviewer (and the queue) see the checks as of the claim, as for an order.
  await updateReviewChecks(trx, review.sid, JSON.stringify((await checksNow(trx, claimed, now, logos)).checks), now)
  return { bundle: claimed, review: { ...review, status: IN_REVIEW, claimed_by: who.actor } }
}

/** pending-review → in-review for the acting reviewer; a second claim is refused with 409. */
export async function claim(ctx: Ctx, who: Acting, bundleSid: string): Promise<void> {
  const logos = await logosFor(ctx, bundleSid)
  await atomically(ctx.store.db, async (trx) => {
    const { bundle, review } = await loadForReview(trx, bundleSid)
    await claimIn(trx, ctx, who, bundle, review, logos)
  })
}

/** A branding product's logos, fetched before the deciding transaction (none for other bundles). */
async function logosFor(ctx: Ctx, bundleSid: string): Promise<FetchedLogos | undefined> {
  const bundle = await findBundleForOperator(ctx.store.db, bundleSid)
  return bundle ? fetchLogosOf(ctx.config, ctx.store.db, bundle) : undefined
}

/**
 * The rows to decide on, held by `who`: an unclaimed review is claimed for `who` first (in the
 * deciding transaction, so a refused decision leaves it unclaimed); one claimed by someone else
 * is refused with 409, one no longer open with 400.
 */
async function holdForDecision(
  trx: Transaction<Database>,
  ctx: Ctx,
  who: Acting,
  bundleSid: string,
  logos?: FetchedLogos,
): Promise<{ bundle: BundleRow; review: ReviewRow }> {
  const { bundle, review } = await loadForReview(trx, bundleSid)
  if (review.status === PENDING_REVIEW && bundle.status === PENDING_REVIEW)
    return claimIn(trx, ctx, who, bundle, review, logos)
  if (review.status !== IN_REVIEW || bundle.status !== IN_REVIEW)
    throw errors.state(`Bundle ${bundle.sid} is ${bundle.status}, not in review`)
  if (review.claimed_by !== who.actor)
    throw conflict(`Review of ${bundle.sid} is claimed by ${shown(review.claimed_by)}`)
  return { bundle, review }
}

/**
 * A trust product is never approved over its linked customer profile: refused, whatever the
 * override, unless the profile is approved and unexpired now.
 */
function assertProfileApproved(bundle: BundleRow, checks: readonly CheckResult[], linked: BundleFacts['linked']) {
  const c = checks.find((x) => x.name === LINKED_PROFILE_CHECK)
  if (!c || c.passed) return
  const profile = linked.find((l) => findPolicy(l.policy_sid)?.kind === 'customer-profile')
  throw new AppError(
    'LINKED_PROFILE_NOT_APPROVED',
    `Trust product ${bundle.sid} cannot be approved: its customer profile ${profile ? `${profile.sid} is ${profile.status}${profile.status === APPROVED ? ' but its approval ran out' : ''}` : 'is missing'}; decide the profile first`,
    { profile_sid: profile?.sid ?? null, profile_status: profile?.status ?? null },
  )
}

/** What an approval may carry besides the decision. */
export interface ApproveOptions {
  /** ISO end of the approval (default one year; a past date, or one past STIRHUB_MAX_APPROVAL_DAYS, is refused). */
  readonly validUntil?: string
  /** The reviewer's stated reason to approve although a check fails (kept in the audit event). */
  readonly overrideReason?: string
}

/**
 * in-review (or pending-review, claimed here) → twilio-approved. The checks run again against
 * the facts now and are kept on the review; a failed one refuses the approval unless an
 * override reason is given; a trust product's unapproved profile refuses it in any case.
 */
export async function approve(ctx: Ctx, who: Acting, bundleSid: string, o: ApproveOptions = {}): Promise<void> {
  const validUntil = approvalValidUntil(o.validUntil, ctx.clock(), ctx.config.maxApprovalDays)
  // Fetched again for the approval: the logo bytes judged by these checks are the bytes pinned.
  const logos = await logosFor(ctx, bundleSid)
  await atomically(ctx.store.db, async (trx) => {
    const { bundle, review } = await holdForDecision(trx, ctx, who, bundleSid, logos)
    const now = isoNow(ctx.clock)
    const { checks, facts } = await checksNow(trx, bundle, now, logos)
    assertProfileApproved(bundle, checks, facts.linked)
    const override = approvalOverride(bundleSid, checks, o.overrideReason)
    await updateReviewChecks(trx, review.sid, JSON.stringify(checks), now)
    const won = await decideReview(
      trx,
      review.sid,
      who.actor,
      { status: APPROVED, errors: null, reason: null, validUntil },
      now,
    )
    if (!won) throw conflict(`Review of ${bundleSid} was decided by someone else`)
    await changeBundleStatus(trx, ctx, bundle, APPROVED, { actor: who.actor, validUntil, override, logos })
    await queueDecisionMail(ctx, trx, bundle, { approved: true, reviewSid: review.sid, validUntil }, now)
  })
}

/** in-review (or pending-review, claimed here) → twilio-rejected with rejection codes 18601–18609 and a reason the customer can act on. */
export async function reject(
  ctx: Ctx,
  who: Acting,
  bundleSid: string,
  rawCodes: unknown,
  reason: string | undefined,
): Promise<void> {
  const codes = parseRejectionCodes(rawCodes)
  if (!reason || !reason.trim()) throw errors.missing('Reason')
  // A rejection of an unclaimed review claims it, which records the checks: with the logo fetched.
  const logos = await logosFor(ctx, bundleSid)
  await atomically(ctx.store.db, async (trx) => {
    const { bundle, review } = await holdForDecision(trx, ctx, who, bundleSid, logos)
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
    await queueDecisionMail(
      ctx,
      trx,
      bundle,
      { approved: false, reviewSid: review.sid, codes, reason: reason.trim() },
      isoNow(ctx.clock),
    )
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
