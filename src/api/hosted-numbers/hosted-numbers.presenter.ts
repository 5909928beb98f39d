/**
 * Twilio's numbers v2 shapes of hosted-number orders and authorization documents (every field
 * twilio-node's HostedNumberOrderInstance and AuthorizationDocumentInstance read), with ISO
 * dates as v2 sends them. Extensions, named in docs/hosted-numbers.md: an order's
 * `contact_name`, `current_carrier` and `carrier_account_number`; a document's `account_sid`,
 * `contact_title`, `contact_phone_number` and `hosted_number_order_sids`.
 */
import type { AuthorizationDocumentRow, HostedNumberOrderRow } from '../../store/hosted-numbers.repo.js'
import { nextStep } from '../../domain/hosted-number.js'
import { toV1Date } from '../../domain/time.js'

const list = (s: string): string[] => {
  try {
    const v = JSON.parse(s)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

export function presentOrder(base: string, o: HostedNumberOrderRow) {
  return {
    sid: o.sid,
    account_sid: o.account_sid,
    incoming_phone_number_sid: o.incoming_phone_number_sid,
    address_sid: o.address_sid,
    signing_document_sid: o.signing_document_sid,
    phone_number: o.phone_number,
    capabilities: { voice: true, sms: o.sms_capability === 1, mms: false, fax: false },
    friendly_name: o.friendly_name,
    status: o.status,
    failure_reason: o.failure_reason,
    date_created: toV1Date(o.date_created),
    date_updated: toV1Date(o.date_updated),
    email: o.email,
    cc_emails: list(o.cc_emails),
    url: `${base}/v2/HostedNumber/Orders/${o.sid}`,
    contact_title: o.contact_title,
    contact_phone_number: o.contact_phone_number,
    bulk_hosting_request_sid: null,
    next_step: nextStep(o.status),
    // Ownership is proven by the reviewed LOA, never by a verification call.
    verification_attempts: 0,
    verification_call_sids: [],
    verification_call_delay: 0,
    verification_call_extension: null,
    verification_code: null,
    verification_type: 'phone-call',
    contact_name: o.contact_name,
    current_carrier: o.current_carrier,
    carrier_account_number: o.carrier_account_number,
  }
}

export function presentDocument(base: string, d: AuthorizationDocumentRow, orderSids: readonly string[]) {
  const url = `${base}/v2/HostedNumber/AuthorizationDocuments/${d.sid}`
  return {
    sid: d.sid,
    address_sid: d.address_sid,
    status: d.status,
    email: d.email,
    cc_emails: list(d.cc_emails),
    date_created: toV1Date(d.date_created),
    date_updated: toV1Date(d.date_updated),
    url,
    links: { dependent_hosted_number_orders: `${url}/DependentHostedNumberOrders` },
    account_sid: d.account_sid,
    contact_title: d.contact_title,
    contact_phone_number: d.contact_phone_number,
    hosted_number_order_sids: orderSids,
  }
}
