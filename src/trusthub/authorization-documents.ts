/**
 * Authorization documents (Twilio's numbers v2 AuthorizationDocuments): one letter of
 * authorization covering some of an account's hosted-number orders. Its signer and address
 * become those orders' LOA fields, so the orders' automated checks run again on them; only
 * orders not yet claimed by a reviewer (`received`) and not covered by another document may be
 * listed. Its status follows its orders' (src/domain/hosted-number.ts).
 */
import type { Db } from '../store/db.js'
import { coverOrders, findOrder, insertDocument, type AuthorizationDocumentRow } from '../store/hosted-numbers.repo.js'
import { findAddress } from '../store/addresses.repo.js'
import { latestReview } from '../store/reviews.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { parseE164 } from '../domain/e164.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import { documentStatus, RECEIVED } from '../domain/hosted-number.js'
import { refreshOrderChecks } from '../vetting/order-review.js'

export interface NewDocument {
  /** The accounts the caller may see (orders and address are looked up among them). */
  readonly visible: readonly string[]
  readonly actor: string
  readonly addressSid: string
  readonly email: string
  readonly contactPhoneNumber: string
  readonly hostedNumberOrderSids: readonly string[]
  readonly contactTitle?: string
  readonly ccEmails?: readonly string[]
}

/** Creates a document over its orders (all of one account), in one transaction. */
export async function createDocument(db: Db, clock: Clock, d: NewDocument): Promise<AuthorizationDocumentRow> {
  const sids = [...new Set(d.hostedNumberOrderSids)]
  if (!sids.length) throw errors.missing('HostedNumberOrderSids')
  const contact = parseE164(d.contactPhoneNumber)
  if (!contact.ok)
    throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter ContactPhoneNumber: ${contact.reason}`, {
      param: 'ContactPhoneNumber',
    })
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    const orders = []
    for (const sid of sids) {
      const o = await findOrder(trx, d.visible, sid)
      if (!o) throw errors.invalid('HostedNumberOrderSids', `${sid} is not a hosted number order of this account`)
      if (o.status !== RECEIVED)
        throw errors.invalid(
          'HostedNumberOrderSids',
          `${sid} is ${o.status}: only received orders take a new authorization document`,
        )
      if (o.signing_document_sid)
        throw errors.invalid('HostedNumberOrderSids', `${sid} is covered by ${o.signing_document_sid} already`)
      orders.push(o)
    }
    const account = orders[0]!.account_sid
    if (orders.some((o) => o.account_sid !== account))
      throw errors.invalid('HostedNumberOrderSids', 'the orders belong to different accounts')
    if (!(await findAddress(trx, d.visible, d.addressSid)))
      throw errors.invalid('AddressSid', `${d.addressSid} is not an address of this account`)
    const row: AuthorizationDocumentRow = {
      sid: newSid('PX'),
      account_sid: account,
      address_sid: d.addressSid,
      email: d.email,
      cc_emails: JSON.stringify(d.ccEmails ?? []),
      contact_title: d.contactTitle || null,
      contact_phone_number: contact.e164,
      status: documentStatus(orders.map((o) => o.status)),
      date_created: now,
      date_updated: now,
    }
    await insertDocument(trx, row)
    // Conditional: an order claimed or covered meanwhile makes the whole document fail.
    if ((await coverOrders(trx, sids, [RECEIVED], row, now)) !== sids.length) {
      throw new AppError(
        'CONFLICT',
        'An order of the document was claimed by a reviewer or covered by another document meanwhile',
      )
    }
    for (const o of orders) {
      const review = await latestReview(trx, o.sid)
      const covered = {
        ...o,
        address_sid: row.address_sid,
        email: row.email,
        contact_title: row.contact_title,
        contact_phone_number: row.contact_phone_number,
      }
      if (review) await refreshOrderChecks(trx, covered, review.sid, now)
    }
    await appendEvent(
      trx,
      {
        accountSid: account,
        resourceSid: row.sid,
        type: 'authorization-document.created',
        actor: d.actor,
        data: { hosted_number_order_sids: sids },
      },
      now,
    )
    return row
  })
}
