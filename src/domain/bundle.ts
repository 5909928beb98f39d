/**
 * The bundle (BU…: a Customer Profile or a Trust Product) as a domain concept: its five status
 * values, which moves the customer and the vetting back-office may make (DESIGN §3), when its
 * attachments may change, what "approved" means at a given instant, and the snapshot of what is
 * attached that the policy evaluation and the automated vetting checks both read. Pure: no I/O.
 */
import { errors } from './errors.js'
import type { SubmittedEvaluation } from './evaluation-result.js'
import type { BundleKind } from './policies.js'
import type { LogoEvidence } from './brand-checks.js'

/** What each kind of bundle is called: in messages (`noun`) and as Twilio's resource (`resource`). */
export const KIND_NAMES: Readonly<
  Record<BundleKind, { readonly noun: string; readonly resource: 'CustomerProfiles' | 'TrustProducts' }>
> = Object.freeze({
  'customer-profile': { noun: 'Customer Profile', resource: 'CustomerProfiles' },
  'trust-product': { noun: 'Trust Product', resource: 'TrustProducts' },
})

/** Twilio's five bundle status values (kept on the wire as-is). */
export const DRAFT = 'draft'
export const PENDING_REVIEW = 'pending-review'
export const IN_REVIEW = 'in-review'
export const REJECTED = 'twilio-rejected'
export const APPROVED = 'twilio-approved'

export const BUNDLE_STATUSES = [DRAFT, PENDING_REVIEW, IN_REVIEW, REJECTED, APPROVED] as const
export type BundleStatus = (typeof BUNDLE_STATUSES)[number]

export const isBundleStatus = (s: string): s is BundleStatus => (BUNDLE_STATUSES as readonly string[]).includes(s)

/** Statuses in which the customer may edit what is attached (and submit). */
export const EDITABLE: readonly string[] = [DRAFT, REJECTED]

/** Whether the customer may change what is attached to a bundle in `status`. */
export const isEditable = (status: string): boolean => EDITABLE.includes(status)

/**
 * Statuses whose attached facts are frozen (DESIGN §2): what a reviewer is reading or has
 * approved. Their end users, documents and addresses change only through a copy of the bundle
 * that is reviewed and then replaces the original's items.
 */
export const LOCKED: readonly string[] = [PENDING_REVIEW, IN_REVIEW, APPROVED]

/**
 * The state machine (DESIGN §3): the customer submits from draft or twilio-rejected (the editable
 * statuses: {@link assertCustomerMayRequest}); a reviewer claims a pending review, then approves,
 * rejects or lets the claim run out (back to the queue). The operator's override route may set
 * any status; it is not a move of this table.
 */
const TRANSITIONS: Readonly<Record<BundleStatus, readonly BundleStatus[]>> = Object.freeze({
  [DRAFT]: [PENDING_REVIEW],
  [REJECTED]: [PENDING_REVIEW],
  [PENDING_REVIEW]: [IN_REVIEW],
  [IN_REVIEW]: [APPROVED, REJECTED, PENDING_REVIEW],
  [APPROVED]: [],
})

/** Whether `from → to` is a move of the state machine. */
export const canTransition = (from: string, to: string): boolean =>
  isBundleStatus(from) && isBundleStatus(to) && TRANSITIONS[from].includes(to)

/** Default validity of an approval (DESIGN §3: one year). */
export const APPROVAL_VALIDITY_MS = 365 * 24 * 3600 * 1000

/** What a status change records besides the status. */
export interface StatusChange {
  /** Who made the change: 'customer', 'operator', or a reviewer's id. */
  readonly actor: string
  /** Rejection codes (Twilio 18601–18609), kept as `errors: [{code}]`. */
  readonly errors?: readonly number[]
  readonly failureReason?: string
  /** ISO time an approval runs out; defaults to one year from now. */
  readonly validUntil?: string
  /** A submission's evaluation, kept with the review it opens. */
  readonly evaluation?: SubmittedEvaluation
  /** An approval over failed checks: the reviewer's reason and the failed checks, kept in the audit event. */
  readonly override?: { readonly reason: string; readonly failed_checks: readonly string[] }
  /** Branding logos fetched before the change (the submission's checks, the approval's pin), by URL. */
  readonly logos?: ReadonlyMap<string, LogoEvidence>
}

/** The stored fields a move to `to` sets (`now` as ISO text): a submission or an approval clears the last rejection. */
export function statusPatch(to: BundleStatus, change: StatusChange, now: string) {
  const patch: {
    status: BundleStatus
    date_updated: string
    submitted_at?: string
    valid_until?: string | null
    errors?: string | null
    failure_reason?: string | null
  } = { status: to, date_updated: now }
  if (to === PENDING_REVIEW) {
    patch.submitted_at = now
    patch.errors = null
    patch.failure_reason = null
  } else if (to === APPROVED) {
    patch.valid_until = change.validUntil ?? new Date(Date.parse(now) + APPROVAL_VALIDITY_MS).toISOString()
    patch.errors = null
    patch.failure_reason = null
  } else if (to === REJECTED) {
    patch.valid_until = null
    patch.errors =
      change.errors && change.errors.length ? JSON.stringify(change.errors.map((code) => ({ code }))) : null
    patch.failure_reason = change.failureReason ?? null
  } else if (to === DRAFT) {
    patch.valid_until = null
  }
  if (change.failureReason !== undefined && to !== REJECTED) patch.failure_reason = change.failureReason
  return patch
}

/**
 * The customer may only submit (`pending-review`) from draft or twilio-rejected; every other
 * value is the vetting back-office's (spec §4). Throws a 400 saying why; the caller checks
 * compliance before changing the status.
 */
export function assertCustomerMayRequest(
  bundle: { readonly sid: string; readonly status: string },
  to: string,
): asserts to is typeof PENDING_REVIEW {
  if (!isBundleStatus(to)) throw errors.invalid('Status', `must be one of ${BUNDLE_STATUSES.join(', ')}`)
  if (to !== PENDING_REVIEW) {
    throw errors.state(
      `Status ${to} cannot be set by the customer: submit with Status=${PENDING_REVIEW}; ${to === DRAFT ? 'a bundle returns to draft only through review' : 'in-review and twilio-* are set by the vetting team'}`,
    )
  }
  if (!isEditable(bundle.status)) {
    throw errors.state(
      `Bundle ${bundle.sid} is ${bundle.status}; only a draft or twilio-rejected bundle can be submitted`,
    )
  }
}

/**
 * Approved and not past `validUntil` at `now` (DESIGN §3: an approval whose valid_until has
 * passed counts as not approved). `validUntil` is stored ISO text; null never runs out.
 */
export function isApproved(status: string, validUntil: string | null, now: Date): boolean {
  return status === APPROVED && (validUntil === null || Date.parse(validUntil) > now.getTime())
}

/** An attached end user or supporting document, its attributes parsed. */
export interface AttachedObject {
  readonly sid: string
  readonly type: string
  readonly attributes: Readonly<Record<string, unknown>>
}

/** A bundle attached as a supporting bundle (a trust product's profile, a secondary's primary). */
export interface LinkedBundle {
  readonly sid: string
  readonly policy_sid: string
  readonly status: string
  readonly valid_until: string | null
  /** `business_identity` of the linked bundle's business-information end user, if it has one. */
  readonly business_identity: string | null
  /** `business_name` of the linked bundle's business-information end user (its legal name). */
  readonly business_name?: string | null
  /** For a linked trust product: the customer profile it links. */
  readonly profile_sid?: string | null
}

/** An address named by an attached address document. */
interface AttachedAddress {
  readonly sid: string
  readonly account_sid: string
  readonly iso_country: string
  readonly region: string
  readonly postal_code: string
}

/**
 * What is attached to one bundle, in attachment order: the one snapshot the policy evaluation
 * and the vetting checks read (gathered by `store/attachments.repo.ts`).
 */
export interface Attachments {
  readonly endUsers: readonly AttachedObject[]
  readonly documents: readonly AttachedObject[]
  /** Addresses the documents name, of the bundle's account or its parent (the evaluation keeps the bundle's own). */
  readonly addresses: readonly AttachedAddress[]
  readonly linked: readonly LinkedBundle[]
}
