/** Hosted numbers: Twilio's numbers v2 HostedNumber Orders (HR…) and AuthorizationDocuments (PX…). */

/**
 * One account's request to hold an outside number with origin `hosted`, carrying the letter of
 * authorization's fields; reviewed in the queue (reviews.kind `hosted-number-order`).
 */
export interface HostedNumberOrdersTable {
  sid: string
  account_sid: string
  /** E.164 as given (a non-US number is kept so the check can say why it fails). */
  phone_number: string
  friendly_name: string
  /** Twilio's HostedNumberOrder status (src/domain/hosted-number.ts maps reviews onto it). */
  status: string
  /** The reviewer's reason when `failed`. */
  failure_reason: string | null
  /** The LOA's service address (AD…). */
  address_sid: string
  /** The LOA signer's email. */
  email: string
  /** JSON array of emails. */
  cc_emails: string
  /** The signer's name (extension: Twilio's order has none; compared with the profile's representative). */
  contact_name: string | null
  contact_title: string | null
  contact_phone_number: string
  /** The carrier the number is with today (extension). */
  current_carrier: string | null
  /** The account number at that carrier (extension). */
  carrier_account_number: string | null
  /** 0 or 1. */
  sms_capability: number
  /** The AuthorizationDocument (PX…) that covers this order, if any. */
  signing_document_sid: string | null
  /** The IncomingPhoneNumber (PN…) an approval created. */
  incoming_phone_number_sid: string | null
  date_created: string
  date_updated: string
}

/** A letter of authorization covering one or more of an account's orders. */
export interface AuthorizationDocumentsTable {
  sid: string
  account_sid: string
  address_sid: string
  email: string
  /** JSON array of emails. */
  cc_emails: string
  contact_title: string | null
  contact_phone_number: string
  /** opened | signed | failed | canceled (derived from its orders: src/domain/hosted-number.ts). */
  status: string
  date_created: string
  date_updated: string
}
