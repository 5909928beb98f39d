/**
 * Reviewer actions on a hosted-number order, through the same queue and routes as bundles:
 * claim (the checks run again, so the deciding reviewer sees what holds now), approve (the
 * number becomes the account's with origin `hosted`, with the invariants of a purchase: refused
 * while the platform owns it or an account holds it), reject with a reason. Each runs in one
 * transaction; races are decided by conditional UPDATEs (reviews and orders), never by a
 * read-then-write.
 */
import type { AppContext } from '../runtime/context.js'
import type { Executor } from '../store/db.js'
import { atomically } from '../store/executor.js'
import { approvalOverride } from '../domain/review-gate.js'
import { findOrderForStaff, moveOrder, type HostedNumberOrderRow } from '../store/hosted-numbers.repo.js'
import { claimReview, decideReview, latestReview, type ReviewRow } from '../store/reviews.repo.js'
import { insertFreeNumbers, type PhoneNumberRow } from '../store/numbers.repo.js'
import { findInventory } from '../store/inventory.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { AppError, errors } from '../domain/errors.js'
import { isoNow } from '../domain/time.js'
import { newSid } from '../domain/ids.js'
import { parseRejectionCodes } from '../domain/vetting-rules.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../domain/bundle.js'
import { COMPLETED, FAILED, RECEIVED, VERIFYING } from '../domain/hosted-number.js'
import { numberEvent } from '../trusthub/number-events.js'
import { orderEvent, refreshDocumentStatus, refreshOrderChecks } from './order-review.js'
import type { Acting } from './review-decisions.js'

type Ctx = Pick<AppContext, 'store' | 'clock' | 'config'>

const shown = (actor: string | null) => actor?.replace(/^reviewer:/, '') ?? null
const conflict = (why: string) => new AppError('CONFLICT', why)

async function loadForReview(db: Executor, sid: string): Promise<{ order: HostedNumberOrderRow; review: ReviewRow }> {
  const order = await findOrderForStaff(db, sid)
  const review = order ? await latestReview(db, sid) : undefined
  if (!order || !review) throw errors.notFound(`/admin/v1/Reviews/${sid}`)
  return { order, review }
}

/** received → pending-verification for `who` inside `trx`, with the checks run again (409 when someone else won). */
async function claimOrderIn(
  trx: Executor,
  ctx: Ctx,
  who: Acting,
  order: HostedNumberOrderRow,
  review: ReviewRow,
): Promise<ReviewRow> {
  if (review.status === IN_REVIEW)
    throw conflict(`Review of ${order.sid} is already claimed by ${shown(review.claimed_by)}`)
  if (review.status !== PENDING_REVIEW)
    throw errors.state(`Hosted number order ${order.sid} is ${order.status}; only a received order can be claimed`)
  const now = isoNow(ctx.clock)
  const expires = new Date(ctx.clock().getTime() + ctx.config.reviewClaimMinutes * 60_000).toISOString()
  if (!(await claimReview(trx, review.sid, who.actor, now, expires)))
    throw conflict(`Review of ${order.sid} was claimed by someone else`)
  if (!(await moveOrder(trx, order.sid, [RECEIVED], { status: VERIFYING }, now)))
    throw conflict(`Hosted number order ${order.sid} changed meanwhile`)
  await refreshOrderChecks(trx, order, review.sid, now)
  await appendEvent(trx, orderEvent('review.claimed', order, who.actor, { from: RECEIVED, to: VERIFYING }), now)
  return { ...review, status: IN_REVIEW, claimed_by: who.actor }
}

/** received → pending-verification for the acting reviewer, with the checks run again; a second claim is refused with 409. */
export async function claimOrder(ctx: Ctx, who: Acting, sid: string): Promise<void> {
  await atomically(ctx.store.db, async (trx) => {
    const { order, review } = await loadForReview(trx, sid)
    await claimOrderIn(trx, ctx, who, order, review)
  })
}

/**
 * The order and review to decide on, held by `who`: an unclaimed one is claimed for `who` first,
 * in the deciding transaction; one claimed by someone else is refused with 409, a decided one with 400.
 */
async function holdForDecision(
  trx: Executor,
  ctx: Ctx,
  who: Acting,
  sid: string,
): Promise<{ order: HostedNumberOrderRow; review: ReviewRow }> {
  const { order, review } = await loadForReview(trx, sid)
  if (review.status === PENDING_REVIEW) return { order, review: await claimOrderIn(trx, ctx, who, order, review) }
  if (review.status !== IN_REVIEW)
    throw errors.state(`Hosted number order ${order.sid} is ${order.status}, not in review`)
  if (review.claimed_by !== who.actor)
    throw conflict(`Review of ${order.sid} is claimed by ${shown(review.claimed_by)}`)
  return { order, review }
}

/**
 * pending-verification (or received, claimed here) → completed: the order's account holds the number with origin `hosted`
 * (a new IncomingPhoneNumber, PN…). The checks run again first: a failed one refuses the approval
 * unless an override reason is given (kept in the audit event). Refused with 409, changing nothing, when the number is in
 * the operator's inventory or an account holds it (the unique index decides a race).
 */
export async function approveOrder(ctx: Ctx, who: Acting, sid: string, overrideReason?: string): Promise<void> {
  await atomically(ctx.store.db, async (trx) => {
    const { order, review } = await holdForDecision(trx, ctx, who, sid)
    const now = isoNow(ctx.clock)
    const override = approvalOverride(sid, await refreshOrderChecks(trx, order, review.sid, now), overrideReason)
    if (await findInventory(trx, order.phone_number))
      throw conflict(`${order.phone_number} is in the operator's inventory: it is bought, not hosted; reject the order`)
    const row: PhoneNumberRow = {
      sid: newSid('PN'),
      account_sid: order.account_sid,
      phone_number: order.phone_number,
      friendly_name: order.friendly_name,
      status_callback: null,
      origin: 'hosted',
      date_created: now,
      date_updated: now,
    }
    // Order first (a withdrawal racing this one loses or wins here), then the number's unique index.
    if (!(await moveOrder(trx, sid, [VERIFYING], { status: COMPLETED, incoming_phone_number_sid: row.sid }, now)))
      throw conflict(`Hosted number order ${sid} was withdrawn or decided meanwhile`)
    if (!(await insertFreeNumbers(trx, [row])).has(row.phone_number))
      throw conflict(`${order.phone_number} is held by an account: reject the order`)
    if (
      !(await decideReview(
        trx,
        review.sid,
        who.actor,
        { status: APPROVED, errors: null, reason: null, validUntil: null },
        now,
      ))
    )
      throw conflict(`Review of ${sid} was decided by someone else`)
    await appendEvent(
      trx,
      orderEvent('hosted-number-order.approved', order, who.actor, {
        from: VERIFYING,
        to: COMPLETED,
        incoming_phone_number_sid: row.sid,
        ...(override ? { override } : {}),
      }),
      now,
    )
    await appendEvent(trx, numberEvent('number.hosted', row, who.actor, { hosted_number_order_sid: sid }), now)
    await refreshDocumentStatus(trx, order.signing_document_sid, now)
  })
}

/**
 * pending-verification → failed with the reviewer's reason (shown as `failure_reason`); rejection
 * codes 18601–18609 are optional here (an LOA is not a bundle).
 */
export async function rejectOrder(
  ctx: Ctx,
  who: Acting,
  sid: string,
  rawCodes: unknown,
  reason: string | undefined,
): Promise<void> {
  const codes =
    rawCodes === undefined || rawCodes === null || (Array.isArray(rawCodes) && rawCodes.length === 0)
      ? []
      : parseRejectionCodes(rawCodes)
  if (!reason || !reason.trim()) throw errors.missing('Reason')
  await atomically(ctx.store.db, async (trx) => {
    const { order, review } = await holdForDecision(trx, ctx, who, sid)
    const now = isoNow(ctx.clock)
    if (!(await moveOrder(trx, sid, [VERIFYING], { status: FAILED, failure_reason: reason.trim() }, now)))
      throw conflict(`Hosted number order ${sid} was withdrawn or decided meanwhile`)
    const errs = codes.length ? JSON.stringify(codes.map((code) => ({ code }))) : null
    if (
      !(await decideReview(
        trx,
        review.sid,
        who.actor,
        { status: REJECTED, errors: errs, reason: reason.trim(), validUntil: null },
        now,
      ))
    )
      throw conflict(`Review of ${sid} was decided by someone else`)
    await appendEvent(
      trx,
      orderEvent('hosted-number-order.rejected', order, who.actor, {
        from: VERIFYING,
        to: FAILED,
        failure_reason: reason.trim(),
        errors: codes,
      }),
      now,
    )
    await refreshDocumentStatus(trx, order.signing_document_sid, now)
  })
}
