/**
 * The review of a hosted-number order (reviews.kind `hosted-number-order`): the facts its
 * automated checks read, opening the review when the order is filed, running the checks again
 * (a claim shows the deciding reviewer what holds now), the order's audit events and the
 * status of the authorization document covering it, and the return of an expired claim.
 */
import type { Executor } from '../store/db.js'
import type { HostedNumberOrderRow } from '../store/hosted-numbers.repo.js'
import { findOrderForStaff, moveOrder, orderStatusesOf, setDocumentStatus } from '../store/hosted-numbers.repo.js'
import { findAccount } from '../store/accounts.repo.js'
import { findAddress, type AddressRow } from '../store/addresses.repo.js'
import { findInventory } from '../store/inventory.repo.js'
import { findHeldNumber } from '../store/numbers.repo.js'
import { approvedPrimaryProfiles } from '../store/bundles.repo.js'
import { attachmentsOf } from '../store/attachments.repo.js'
import { updateReviewChecks, type ReviewRow } from '../store/reviews.repo.js'
import { appendEvent, type NewEvent } from '../store/events.repo.js'
import { documentStatus, ORDER_REVIEW_KIND, RECEIVED, VERIFYING } from '../domain/hosted-number.js'
import {
  runOrderChecks,
  type LoaAddress,
  type OrderFacts,
  type Representative,
} from '../domain/hosted-number-checks.js'
import type { CheckResult } from '../domain/vetting-checks.js'
import { insertPendingReview, type EffectsConfig } from './status-effects.js'

const loaAddress = (a: AddressRow): LoaAddress => ({
  sid: a.sid,
  street: a.street,
  street_secondary: a.street_secondary,
  city: a.city,
  region: a.region,
  postal_code: a.postal_code,
  iso_country: a.iso_country,
})

/** The accounts whose facts count for `accountSid`: itself, then its parent (an ISV's profile covers its sub-accounts). */
async function family(db: Executor, accountSid: string): Promise<string[]> {
  const parent = (await findAccount(db, accountSid))?.parent_sid
  return parent ? [accountSid, parent] : [accountSid]
}

/** The representative (authorized_representative_1) of a profile, as the signer check reads it. */
function representativeOf(endUsers: readonly { type: string; attributes: string }[]): Representative | null {
  const rep = endUsers.find((e) => e.type === 'authorized_representative_1')
  if (!rep) return null
  let a: Record<string, unknown> = {}
  try {
    a = JSON.parse(rep.attributes) ?? {}
  } catch {
    /* an unreadable one names nobody */
  }
  const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
  return { first_name: s(a.first_name), last_name: s(a.last_name), email: s(a.email) }
}

/**
 * What the checks of `order` read as of `now`: its address, the number's place in the
 * inventory and its holder, and the newest approved primary profile of the account (or of its
 * parent) with its representative and addresses.
 */
export async function gatherOrderFacts(db: Executor, order: HostedNumberOrderRow, now: string): Promise<OrderFacts> {
  const accounts = await family(db, order.account_sid)
  const address = await findAddress(db, accounts, order.address_sid)
  const inventory = await findInventory(db, order.phone_number)
  const holder = await findHeldNumber(db, order.phone_number)
  let profile: OrderFacts['profile'] = null
  for (const account of accounts) {
    const [p] = await approvedPrimaryProfiles(db, [account], now)
    if (!p) continue
    const a = await attachmentsOf(db, p)
    profile = {
      sid: p.sid,
      account_sid: p.account_sid,
      representative: representativeOf(a.endUsers),
      addresses: a.addresses.map(loaAddress),
    }
    break
  }
  return {
    phone_number: order.phone_number,
    email: order.email,
    contact_name: order.contact_name,
    current_carrier: order.current_carrier,
    carrier_account_number: order.carrier_account_number,
    address: address ? loaAddress(address) : null,
    inventory: inventory?.status ?? null,
    holder: holder?.account_sid ?? null,
    profile,
  }
}

/** The automated checks of `order` as of `now`. */
async function orderChecks(db: Executor, order: HostedNumberOrderRow, now: string): Promise<CheckResult[]> {
  return runOrderChecks(await gatherOrderFacts(db, order, now))
}

/** Opens the review of a new order, with its checks; due after the profile SLA. */
export async function openOrderReview(
  db: Executor,
  order: HostedNumberOrderRow,
  now: string,
  config: EffectsConfig = {},
): Promise<CheckResult[]> {
  const checks = await orderChecks(db, order, now)
  await insertPendingReview(
    db,
    {
      bundle_sid: order.sid,
      account_sid: order.account_sid,
      kind: ORDER_REVIEW_KIND,
      submission: 1,
      checks: JSON.stringify(checks),
      evaluation: null,
    },
    now,
    config,
  )
  return checks
}

/** Runs the checks of `order` again, keeps them on its review `reviewSid` and returns them. */
export async function refreshOrderChecks(
  db: Executor,
  order: HostedNumberOrderRow,
  reviewSid: string,
  now: string,
): Promise<CheckResult[]> {
  const checks = await orderChecks(db, order, now)
  await updateReviewChecks(db, reviewSid, JSON.stringify(checks), now)
  return checks
}

export type OrderEventType =
  | 'hosted-number-order.created'
  | 'hosted-number-order.approved'
  | 'hosted-number-order.rejected'
  | 'hosted-number-order.withdrawn'
  | 'review.claimed'
  | 'review.released'

/** The audit event of `type` on `order`, by `actor`. */
export function orderEvent(
  type: OrderEventType,
  order: Pick<HostedNumberOrderRow, 'sid' | 'account_sid' | 'phone_number'>,
  actor: string,
  extra: Record<string, unknown> = {},
): NewEvent {
  return {
    accountSid: order.account_sid,
    resourceSid: order.sid,
    type,
    actor,
    data: { phone_number: order.phone_number, ...extra },
  }
}

/** Sets the status of the document covering an order from its orders' statuses (no-op without one). */
export async function refreshDocumentStatus(db: Executor, documentSid: string | null, now: string): Promise<void> {
  if (documentSid) await setDocumentStatus(db, documentSid, documentStatus(await orderStatusesOf(db, documentSid)), now)
}

/** An order's review whose claim ran out goes back to the queue: the order is received again. */
export async function releaseOrderClaim(trx: Executor, review: ReviewRow, now: string): Promise<void> {
  const order = await findOrderForStaff(trx, review.bundle_sid)
  if (order && (await moveOrder(trx, order.sid, [VERIFYING], { status: RECEIVED }, now))) {
    await appendEvent(trx, orderEvent('review.released', order, 'system', { from: VERIFYING, to: RECEIVED }), now)
  }
}
