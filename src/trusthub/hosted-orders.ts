/**
 * Hosted-number orders (Twilio's numbers v2 HostedNumber Orders, DESIGN §2): an account asks to
 * hold a number the platform does not own, proving its right to use it with the fields of a
 * letter of authorization. Filing one opens its review (with automated checks) in the same
 * transaction; a number the platform owns (buy it instead) or an account holds is refused
 * (21422), as is a second open order of the account for the same number. The customer may
 * withdraw an order until it is approved; approval and rejection are the reviewer's
 * (src/vetting/order-decisions.ts).
 */
import type { Db } from '../store/db.js'
import { deleteOrder, insertOrder, ordersForNumber, type HostedNumberOrderRow } from '../store/hosted-numbers.repo.js'
import { findHeldNumber } from '../store/numbers.repo.js'
import { findInventory } from '../store/inventory.repo.js'
import { findAddress } from '../store/addresses.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { closeReview, latestReview, OPEN_STATUSES } from '../store/reviews.repo.js'
import { parseE164 } from '../domain/e164.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import { COMPLETED, FAILED, OPEN_ORDER_STATUSES, RECEIVED } from '../domain/hosted-number.js'
import { openOrderReview, orderEvent, refreshDocumentStatus } from '../vetting/order-review.js'
import type { EffectsConfig } from '../vetting/status-effects.js'

export interface NewOrder {
  /** The account the order is for (the caller's own, or a sub-account named by `AccountSid`). */
  readonly accountSid: string
  /** The accounts whose addresses the order may name (the caller may see them). */
  readonly visible: readonly string[]
  /** `account:AC…` of the credentials. */
  readonly actor: string
  readonly phoneNumber: string
  readonly contactPhoneNumber: string
  readonly addressSid: string
  readonly email: string
  readonly friendlyName?: string
  readonly ccEmails?: readonly string[]
  readonly contactTitle?: string
  readonly contactName?: string
  readonly currentCarrier?: string
  readonly carrierAccountNumber?: string
  readonly smsCapability?: boolean
}

const unavailable = (e164: string, why: string) =>
  new AppError('NUMBER_NOT_AVAILABLE', `The phone number ${e164} cannot be hosted: ${why}`, { param: 'PhoneNumber' })

/** Files an order and opens its review; returns the stored row. */
export async function createOrder(
  db: Db,
  clock: Clock,
  config: EffectsConfig,
  o: NewOrder,
): Promise<HostedNumberOrderRow> {
  const r = parseE164(o.phoneNumber)
  if (!r.ok)
    throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter PhoneNumber: ${r.reason}`, { param: 'PhoneNumber' })
  const contact = parseE164(o.contactPhoneNumber)
  if (!contact.ok)
    throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter ContactPhoneNumber: ${contact.reason}`, {
      param: 'ContactPhoneNumber',
    })
  const e164 = r.e164
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    if (!(await findAddress(trx, o.visible, o.addressSid)))
      throw errors.invalid('AddressSid', `${o.addressSid} is not an address of this account`)
    if (await findInventory(trx, e164))
      throw unavailable(e164, "it is in this platform's inventory (buy it through IncomingPhoneNumbers)")
    const held = await findHeldNumber(trx, e164)
    if (held)
      throw unavailable(
        e164,
        held.account_sid === o.accountSid ? 'this account already holds it' : 'it is held by an account',
      )
    if ((await ordersForNumber(trx, o.accountSid, e164, OPEN_ORDER_STATUSES)).length) {
      throw new AppError(
        'CONFLICT',
        `An open hosted-number order for ${e164} exists on this account: wait for its decision or withdraw it`,
      )
    }
    const row: HostedNumberOrderRow = {
      sid: newSid('HR'),
      account_sid: o.accountSid,
      phone_number: e164,
      friendly_name: o.friendlyName || e164,
      status: RECEIVED,
      failure_reason: null,
      address_sid: o.addressSid,
      email: o.email,
      cc_emails: JSON.stringify(o.ccEmails ?? []),
      contact_name: o.contactName || null,
      contact_title: o.contactTitle || null,
      contact_phone_number: contact.e164,
      current_carrier: o.currentCarrier || null,
      carrier_account_number: o.carrierAccountNumber || null,
      sms_capability: o.smsCapability ? 1 : 0,
      signing_document_sid: null,
      incoming_phone_number_sid: null,
      date_created: now,
      date_updated: now,
    }
    await insertOrder(trx, row)
    const checks = await openOrderReview(trx, row, now, config)
    await appendEvent(
      trx,
      orderEvent('hosted-number-order.created', row, o.actor, {
        failed_checks: checks.filter((c) => !c.passed).map((c) => c.name),
      }),
      now,
    )
    return row
  })
}

/**
 * Withdraws `order` (Twilio's DELETE): the order goes, its open review closes as withdrawn, and
 * the audit log keeps both. A completed order is refused: its number is released instead.
 */
export async function withdrawOrder(db: Db, clock: Clock, order: HostedNumberOrderRow, actor: string): Promise<void> {
  const now = isoNow(clock)
  const withdrawable = [...OPEN_ORDER_STATUSES, FAILED]
  await db.transaction().execute(async (trx) => {
    if (!(await deleteOrder(trx, order.sid, withdrawable))) {
      throw errors.state(
        `Hosted number order ${order.sid} is ${COMPLETED}: release the number (DELETE its IncomingPhoneNumber) instead`,
      )
    }
    const review = await latestReview(trx, order.sid)
    if (review && (OPEN_STATUSES as readonly string[]).includes(review.status))
      await closeReview(trx, review.sid, actor, { status: 'withdrawn' }, now)
    await appendEvent(trx, orderEvent('hosted-number-order.withdrawn', order, actor, { from: order.status }), now)
    await refreshDocumentStatus(trx, order.signing_document_sid, now)
  })
}
