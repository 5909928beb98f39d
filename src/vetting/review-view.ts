/** How reviews appear on the admin API: queue rows and the full detail a reviewer decides on. */
import type { Executor } from '../store/db.js'
import type { QueueRow, ReviewRow } from '../store/reviews.repo.js'
import { reviewsOf, OPEN_STATUSES } from '../store/reviews.repo.js'
import { eventsOf, type EventRow } from '../store/events.repo.js'
import { toV1Date } from '../domain/time.js'
import { errors } from '../domain/errors.js'

const json = (s: string | null) => (s === null ? null : JSON.parse(s))
/** Actor as shown to staff: the reviewer SID, `operator` or `system`. */
export const shownActor = (a: string | null) => a?.replace(/^reviewer:/, '') ?? null

/** One queue row (the exact shape plus decision fields). */
export function presentReview(r: QueueRow, now: string) {
  const open = (OPEN_STATUSES as readonly string[]).includes(r.status)
  return {
    bundle_sid: r.bundle_sid, kind: r.kind, account_sid: r.account_sid, parent_account_sid: r.parent_account_sid,
    friendly_name: r.friendly_name, status: r.status, submission: r.submission,
    submitted_at: toV1Date(r.submitted_at), due_at: toV1Date(r.due_at), overdue: open && r.due_at < now,
    claimed_by: shownActor(r.claimed_by), claim_expires_at: toV1Date(r.claim_expires_at),
    decided_by: shownActor(r.decided_by), decided_at: toV1Date(r.decided_at),
    errors: json(r.errors), reason: r.reason, valid_until: toV1Date(r.valid_until),
    checks: json(r.checks),
  }
}

const historyItem = (r: ReviewRow) => ({
  submission: r.submission, status: r.status, submitted_at: toV1Date(r.submitted_at), due_at: toV1Date(r.due_at),
  claimed_by: shownActor(r.claimed_by), decided_by: shownActor(r.decided_by), decided_at: toV1Date(r.decided_at),
  errors: json(r.errors), reason: r.reason, valid_until: toV1Date(r.valid_until), checks: json(r.checks),
})

/** An audit event as staff see it. */
export const presentEvent = (e: EventRow) => ({
  sid: e.sid, account_sid: e.account_sid, resource_sid: e.resource_sid, type: e.type, actor: shownActor(e.actor),
  data: JSON.parse(e.data), date_created: toV1Date(e.date_created),
})

async function attachments(db: Executor, bundleSid: string) {
  const sids = (await db.selectFrom('entity_assignments').select('object_sid').where('bundle_sid', '=', bundleSid).execute()).map((r) => r.object_sid)
  const of = (p: string) => sids.filter((s) => s.startsWith(p))
  const endUsers = of('IT').length ? await db.selectFrom('end_users').selectAll().where('sid', 'in', of('IT')).execute() : []
  const docs = of('RD').length ? await db.selectFrom('supporting_documents').selectAll().where('sid', 'in', of('RD')).execute() : []
  const addrSids = docs.flatMap((d) => { const v = JSON.parse(d.attributes).address_sids; return (Array.isArray(v) ? v : String(v ?? '').split(',')).map((s: string) => String(s).trim()).filter(Boolean) })
  const addresses = addrSids.length ? await db.selectFrom('addresses').selectAll().where('sid', 'in', addrSids).execute() : []
  const linked = of('BU').length ? await db.selectFrom('bundles').select(['sid', 'kind', 'policy_sid', 'status', 'valid_until', 'account_sid']).where('sid', 'in', of('BU')).execute() : []
  return {
    end_users: endUsers.map((e) => ({ sid: e.sid, type: e.type, friendly_name: e.friendly_name, attributes: JSON.parse(e.attributes) })),
    supporting_documents: docs.map((d) => ({ sid: d.sid, type: d.type, friendly_name: d.friendly_name, status: d.status, attributes: JSON.parse(d.attributes) })),
    addresses: addresses.map((a) => ({ sid: a.sid, customer_name: a.customer_name, street: a.street, city: a.city, region: a.region, postal_code: a.postal_code, iso_country: a.iso_country })),
    linked_bundles: linked.map((b) => ({ ...b, valid_until: toV1Date(b.valid_until) })),
  }
}

/** The full review of a bundle: latest submission, the bundle, what is attached, evaluation and history. */
export async function reviewDetail(db: Executor, bundleSid: string, now: string) {
  const row = await db.selectFrom('reviews')
    .innerJoin('bundles', 'bundles.sid', 'reviews.bundle_sid').innerJoin('accounts', 'accounts.sid', 'reviews.account_sid')
    .selectAll('reviews').select(['bundles.friendly_name', 'bundles.status as bundle_status', 'accounts.parent_sid as parent_account_sid'])
    .where('reviews.bundle_sid', '=', bundleSid).orderBy('reviews.submission', 'desc').limit(1).executeTakeFirst()
  if (!row) throw errors.notFound(`/admin/v1/Reviews/${bundleSid}`)
  const bundle = await db.selectFrom('bundles').selectAll().where('sid', '=', bundleSid).executeTakeFirstOrThrow()
  const evaluation = await db.selectFrom('evaluations').selectAll().where('bundle_sid', '=', bundleSid).orderBy('date_created', 'desc').limit(1).executeTakeFirst()
  return {
    ...presentReview(row as QueueRow, now),
    bundle: {
      sid: bundle.sid, policy_sid: bundle.policy_sid, status: bundle.status, email: bundle.email, status_callback: bundle.status_callback,
      valid_until: toV1Date(bundle.valid_until), errors: json(bundle.errors), failure_reason: bundle.failure_reason,
    },
    ...(await attachments(db, bundleSid)),
    evaluation: evaluation ? { sid: evaluation.sid, status: evaluation.status, results: JSON.parse(evaluation.results), date_created: toV1Date(evaluation.date_created) } : null,
    history: (await reviewsOf(db, bundleSid)).map(historyItem),
    events: (await eventsOf(db, bundleSid)).map(presentEvent),
  }
}
