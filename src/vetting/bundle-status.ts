/**
 * The one place a bundle's status changes (customer submission, operator or reviewer
 * decisions). Callers pass a transaction: history, audit and the status-callback outbox are
 * to be written here, in the same transaction, so a change and its side effects commit
 * together (DESIGN §3).
 */
import type { Transaction } from 'kysely'
import type { Database } from '../store/database.js'
import type { BundleRow } from '../store/bundles.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { recordStatusChange, type EffectsConfig } from './status-effects.js'
import { bumpDecisionVersion, scope } from '../store/decision-version.repo.js'

/** Twilio's five bundle status values (kept on the wire as-is). */
export const BUNDLE_STATUSES = ['draft', 'pending-review', 'in-review', 'twilio-rejected', 'twilio-approved'] as const
export type BundleStatus = (typeof BUNDLE_STATUSES)[number]

export const isBundleStatus = (s: string): s is BundleStatus => (BUNDLE_STATUSES as readonly string[]).includes(s)

/** Statuses in which the customer may edit what is attached (and submit). */
export const EDITABLE: readonly string[] = ['draft', 'twilio-rejected']

/** Default validity of an approval (DESIGN §3: one year). */
export const APPROVAL_VALIDITY_MS = 365 * 24 * 3600 * 1000

export interface StatusChange {
  /** Who made the change: 'customer', 'operator', or a reviewer's id. */
  readonly actor: string
  /** Rejection codes (Twilio 18601–18609), kept as `errors: [{code}]`. */
  readonly errors?: readonly number[]
  readonly failureReason?: string
  /** ISO time an approval runs out; defaults to one year from now. */
  readonly validUntil?: string
}

/**
 * The customer may only submit (`pending-review`) from draft or twilio-rejected; every other
 * value is the vetting back-office's (spec §4). Throws a 400 saying why; the caller checks
 * compliance before calling `changeBundleStatus`.
 */
export function assertCustomerMayRequest(bundle: Pick<BundleRow, 'sid' | 'status'>, to: string): asserts to is 'pending-review' {
  if (!isBundleStatus(to)) throw errors.invalid('Status', `must be one of ${BUNDLE_STATUSES.join(', ')}`)
  if (to !== 'pending-review') {
    throw errors.state(`Status ${to} cannot be set by the customer: submit with Status=pending-review; ${to === 'draft' ? 'a bundle returns to draft only through review' : 'in-review and twilio-* are set by the vetting team'}`)
  }
  if (!EDITABLE.includes(bundle.status)) {
    throw errors.state(`Bundle ${bundle.sid} is ${bundle.status}; only a draft or twilio-rejected bundle can be submitted`)
  }
}

/** Moves `bundle` to `to` inside `trx` and returns the updated row. */
export async function changeBundleStatus(trx: Transaction<Database>, ctx: { readonly clock: Clock; readonly config?: EffectsConfig }, bundle: BundleRow, to: BundleStatus, change: StatusChange): Promise<BundleRow> {
  const now = isoNow(ctx.clock)
  const patch: Partial<BundleRow> = { status: to, date_updated: now }
  if (to === 'pending-review') {
    patch.submitted_at = now
    patch.errors = null
    patch.failure_reason = null
  } else if (to === 'twilio-approved') {
    patch.valid_until = change.validUntil ?? new Date(ctx.clock().getTime() + APPROVAL_VALIDITY_MS).toISOString()
    patch.errors = null
    patch.failure_reason = null
  } else if (to === 'twilio-rejected') {
    patch.valid_until = null
    patch.errors = change.errors && change.errors.length ? JSON.stringify(change.errors.map((code) => ({ code }))) : null
    patch.failure_reason = change.failureReason ?? null
  } else if (to === 'draft') {
    patch.valid_until = null
  }
  if (change.failureReason !== undefined && to !== 'twilio-rejected') patch.failure_reason = change.failureReason
  await trx.updateTable('bundles').set(patch).where('sid', '=', bundle.sid).execute()
  // Signers drop what they hold of this bundle on the next call (DESIGN §4); the family scope
  // covers a bundle entering or leaving the owner's approved set.
  await bumpDecisionVersion(trx, [scope.bundle(bundle.sid), scope.family(bundle.account_sid)])
  const after = { ...bundle, ...patch }
  // Review history, audit event and status-callback outbox row, in this same transaction.
  await recordStatusChange(trx, bundle, after, change.actor, now, ctx.config)
  return after
}
