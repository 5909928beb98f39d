/**
 * A hosted-number order's review as staff see it: the queue row, the order with its
 * letter-of-authorization fields, what the checks compare it with (its address, the approved
 * primary profile's representative and addresses, as of now), history and audit events.
 */
import type { Executor } from '../store/db.js'
import { latestQueueRow, OPEN_STATUSES, reviewsOf, type ReviewRow } from '../store/reviews.repo.js'
import { runOrderChecks } from '../domain/hosted-number-checks.js'
import { findOrderForStaff } from '../store/hosted-numbers.repo.js'
import { eventsOf } from '../store/events.repo.js'
import { toV1Date } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { presentEvent, presentReview } from './review-view.js'
import { gatherOrderFacts } from './order-review.js'

const json = (s: string | null) => (s === null ? null : JSON.parse(s))

const historyItem = (r: ReviewRow) => ({
  submission: r.submission,
  status: r.status,
  submitted_at: toV1Date(r.submitted_at),
  due_at: toV1Date(r.due_at),
  claimed_by: r.claimed_by?.replace(/^reviewer:/, '') ?? null,
  decided_by: r.decided_by?.replace(/^reviewer:/, '') ?? null,
  decided_at: toV1Date(r.decided_at),
  errors: json(r.errors),
  reason: r.reason,
  checks: json(r.checks),
})

/** The full review of order `sid` (404 when there is none, or the order was withdrawn). */
export async function orderReviewDetail(db: Executor, sid: string, now: string) {
  const row = await latestQueueRow(db, sid)
  const order = row && (await findOrderForStaff(db, sid))
  if (!row || !order) throw errors.notFound(`/admin/v1/Reviews/${sid}`)
  const facts = await gatherOrderFacts(db, order, now)
  const open = (OPEN_STATUSES as readonly string[]).includes(row.status)
  return {
    ...presentReview(row, now),
    current_checks: open ? runOrderChecks(facts) : null,
    order: {
      sid: order.sid,
      account_sid: order.account_sid,
      phone_number: order.phone_number,
      friendly_name: order.friendly_name,
      status: order.status,
      failure_reason: order.failure_reason,
      email: order.email,
      cc_emails: json(order.cc_emails),
      contact_name: order.contact_name,
      contact_title: order.contact_title,
      contact_phone_number: order.contact_phone_number,
      current_carrier: order.current_carrier,
      carrier_account_number: order.carrier_account_number,
      sms_capability: order.sms_capability === 1,
      address_sid: order.address_sid,
      signing_document_sid: order.signing_document_sid,
      incoming_phone_number_sid: order.incoming_phone_number_sid,
      date_created: toV1Date(order.date_created),
    },
    address: facts.address,
    profile: facts.profile,
    history: (await reviewsOf(db, sid)).map(historyItem),
    events: (await eventsOf(db, sid)).map(presentEvent),
  }
}
