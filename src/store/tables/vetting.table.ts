/** Vetting back-office tables: reviewers, review history, the audit log and the callback outbox. */

/** Compliance reviewers (RV…): staff who claim and decide bundle reviews. */
export interface ReviewersTable {
  sid: string
  name: string
  email: string
  /** SHA-256 of the bearer token (128-bit random, shown once). */
  token_hash: string
  /** active | disabled (a disabled reviewer's token is refused). */
  status: string
  date_created: string
  date_updated: string
}

/**
 * One row per submission of a bundle (its review): kept forever, so the history of every
 * submission and decision survives resubmission.
 */
export interface ReviewsTable {
  sid: string
  bundle_sid: string
  account_sid: string
  /** customer-profile | trust-product */
  kind: string
  /** 1 for the first submission, then 2, 3… */
  submission: number
  /** pending-review | in-review | twilio-approved | twilio-rejected | withdrawn */
  status: string
  submitted_at: string
  /** SLA due time: submitted_at + the kind's SLA hours. */
  due_at: string
  /** Actor holding the claim (`reviewer:RV…` or `operator`), null when unclaimed. */
  claimed_by: string | null
  claimed_at: string | null
  claim_expires_at: string | null
  decided_by: string | null
  decided_at: string | null
  /** JSON array of {code} (rejection codes), or null. */
  errors: string | null
  reason: string | null
  valid_until: string | null
  /** JSON array of automated check results {name, passed, evidence}. */
  checks: string
  /** JSON {sid, status, results, date_created} of the evaluation the submission was judged by; null before it was kept. */
  evaluation: string | null
  /** JSON of what the submission attached (revision-view's DiffSide); null for orders and reviews before it was kept. */
  snapshot: string | null
  date_created: string
  date_updated: string
}

/** The audit log (EV…): append-only; the repo offers no update or delete. */
export interface EventsTable {
  sid: string
  /** The account the event concerns (null for staff-only events such as reviewer creation). */
  account_sid: string | null
  resource_sid: string | null
  /** e.g. bundle.submitted, review.claimed, review.approved, callback.attempt */
  type: string
  /** `account:AC…`, `reviewer:RV…`, `operator` or `system`. */
  actor: string
  /** JSON object. */
  data: string
  /** Set for events that must happen once (expiry notices); unique when present. */
  dedupe_key: string | null
  date_created: string
}

/** Transactional outbox of status callbacks, written with the status change it reports. */
export interface OutboxTable {
  /** UUID; also the idempotency token the receiver sees on every attempt. */
  id: string
  account_sid: string
  bundle_sid: string
  url: string
  /** JSON object of the form parameters. */
  payload: string
  /** pending | delivered | failed */
  status: string
  attempts: number
  next_attempt_at: string
  /** Lease of the worker delivering it; an expired lease (crash) makes it claimable again. */
  locked_until: string | null
  locked_by: string | null
  last_error: string | null
  delivered_at: string | null
  date_created: string
  date_updated: string
}
