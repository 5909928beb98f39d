/** How reviews appear on the admin API: queue rows and the full detail a reviewer decides on. */
import type { Executor } from '../store/db.js'
import type { QueueRow, ReviewRow } from '../store/reviews.repo.js'
import { latestQueueRow, reviewsOf, OPEN_STATUSES } from '../store/reviews.repo.js'
import { findBundleForOperator, latestEvaluation } from '../store/bundles.repo.js'
import { attachmentsOf, type AttachmentRows } from '../store/attachments.repo.js'
import { resubmissionOf, revisionOf } from './revision-view.js'
import { checksNow } from './facts.js'
import { brandView } from './brand-view.js'
import { fetchLogosOf, type LogoConfig } from './logo-fetch.js'
import { numbersOfBundle } from '../store/assignments.repo.js'
import { eventsOf, type EventRow } from '../store/events.repo.js'
import { toV1Date } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import type { SubmittedEvaluation } from '../domain/evaluation.js'

const json = (s: string | null) => (s === null ? null : JSON.parse(s))
/** Actor as shown to staff: the reviewer SID, `operator` or `system`. */
const shownActor = (a: string | null) => a?.replace(/^reviewer:/, '') ?? null

/**
 * One queue row. `bundle_sid` is what is reviewed: a bundle (BU…) or a hosted-number order
 * (HR…, kind `hosted-number-order`, whose number is `phone_number`).
 */
export function presentReview(r: QueueRow, now: string) {
  const open = (OPEN_STATUSES as readonly string[]).includes(r.status)
  return {
    bundle_sid: r.bundle_sid,
    kind: r.kind,
    account_sid: r.account_sid,
    parent_account_sid: r.parent_account_sid,
    friendly_name: r.friendly_name,
    phone_number: r.phone_number ?? null,
    status: r.status,
    submission: r.submission,
    submitted_at: toV1Date(r.submitted_at),
    due_at: toV1Date(r.due_at),
    overdue: open && r.due_at < now,
    claimed_by: shownActor(r.claimed_by),
    claim_expires_at: toV1Date(r.claim_expires_at),
    decided_by: shownActor(r.decided_by),
    decided_at: toV1Date(r.decided_at),
    errors: json(r.errors),
    reason: r.reason,
    valid_until: toV1Date(r.valid_until),
    checks: json(r.checks),
  }
}

const historyItem = (r: ReviewRow) => ({
  submission: r.submission,
  status: r.status,
  submitted_at: toV1Date(r.submitted_at),
  due_at: toV1Date(r.due_at),
  claimed_by: shownActor(r.claimed_by),
  decided_by: shownActor(r.decided_by),
  decided_at: toV1Date(r.decided_at),
  errors: json(r.errors),
  reason: r.reason,
  valid_until: toV1Date(r.valid_until),
  checks: json(r.checks),
})

/** An audit event as staff see it. */
export const presentEvent = (e: EventRow) => ({
  sid: e.sid,
  account_sid: e.account_sid,
  resource_sid: e.resource_sid,
  type: e.type,
  actor: shownActor(e.actor),
  data: JSON.parse(e.data),
  date_created: toV1Date(e.date_created),
})

/** What is attached, as staff see it. */
function presentAttachments({ endUsers, documents, addresses, linked }: AttachmentRows) {
  return {
    end_users: endUsers.map((e) => ({
      sid: e.sid,
      type: e.type,
      friendly_name: e.friendly_name,
      attributes: JSON.parse(e.attributes),
    })),
    supporting_documents: documents.map((d) => ({
      sid: d.sid,
      type: d.type,
      friendly_name: d.friendly_name,
      status: d.status,
      attributes: JSON.parse(d.attributes),
    })),
    addresses: addresses.map((a) => ({
      sid: a.sid,
      customer_name: a.customer_name,
      street: a.street,
      city: a.city,
      region: a.region,
      postal_code: a.postal_code,
      iso_country: a.iso_country,
    })),
    linked_bundles: linked.map((b) => ({
      sid: b.sid,
      friendly_name: b.friendly_name,
      kind: b.kind,
      policy_sid: b.policy_sid,
      status: b.status,
      valid_until: toV1Date(b.valid_until),
      account_sid: b.account_sid,
    })),
  }
}

/**
 * The full review of a bundle: latest submission, the bundle, what is attached (for a copy: what
 * it changes), its phone numbers, the checks as of now (while open), the submission's evaluation
 * and history.
 */
export async function reviewDetail(db: Executor, bundleSid: string, now: string, config: LogoConfig = {}) {
  const row = await latestQueueRow(db, bundleSid)
  const bundle = row && (await findBundleForOperator(db, bundleSid))
  if (!row || !bundle) throw errors.notFound(`/admin/v1/Reviews/${bundleSid}`)
  // The evaluation the submission was judged by; reviews opened before it was kept show the latest one.
  const kept = json(row.evaluation) as SubmittedEvaluation | null
  const evaluation = kept ? undefined : await latestEvaluation(db, bundleSid)
  const attachments = await attachmentsOf(db, bundle)
  const open = (OPEN_STATUSES as readonly string[]).includes(row.status)
  const reviews = await reviewsOf(db, bundleSid)
  // A branding product's logo is fetched for the view: the reviewer sees the image and its digest.
  const logos = await fetchLogosOf(config, db, bundle)
  return {
    ...presentReview(row, now),
    // The checks against the facts as of now (an approval is judged by these), for an open review.
    current_checks: open ? (await checksNow(db, bundle, now, logos)).checks : null,
    brand: await brandView(db, bundle, logos),
    bundle: {
      sid: bundle.sid,
      policy_sid: bundle.policy_sid,
      status: bundle.status,
      email: bundle.email,
      status_callback: bundle.status_callback,
      valid_until: toV1Date(bundle.valid_until),
      errors: json(bundle.errors),
      failure_reason: bundle.failure_reason,
    },
    ...presentAttachments(attachments),
    phone_numbers: await numbersOfBundle(db, bundle),
    ...(await revisionOf(db, bundle, attachments)),
    ...resubmissionOf(reviews, attachments),
    evaluation: kept
      ? { sid: kept.sid, status: kept.status, results: kept.results, date_created: toV1Date(kept.date_created) }
      : evaluation
        ? {
            sid: evaluation.sid,
            status: evaluation.status,
            results: JSON.parse(evaluation.results),
            date_created: toV1Date(evaluation.date_created),
          }
        : null,
    history: reviews.map(historyItem),
    events: (await eventsOf(db, bundleSid)).map(presentEvent),
  }
}
