/**
 * Hosted-number orders (Twilio's numbers v2 HostedNumberOrders): an account proves its right to
 * use a number the platform does not own with a letter of authorization (LOA), which a reviewer
 * judges in the vetting queue. The order keeps Twilio's status values; the review's outcome
 * maps onto them (docs/hosted-numbers.md):
 *
 * | review           | order status           |
 * |------------------|------------------------|
 * | pending-review   | `received`             |
 * | in-review        | `pending-verification` |
 * | twilio-approved  | `completed` (the number is held with origin `hosted`) |
 * | twilio-rejected  | `failed` (with `failure_reason`) |
 * | withdrawn        | the order is deleted   |
 *
 * Twilio's other values (`twilio-processing`, `verified`, `pending-loa`, `carrier-processing`,
 * `testing`, `action-required`) are accepted as list filters and never set.
 */

/** The reviews.kind of an order's review. */
export const ORDER_REVIEW_KIND = 'hosted-number-order'

/** Every status value of Twilio's HostedNumberOrder. */
export const ORDER_STATUSES = [
  'twilio-processing',
  'received',
  'pending-verification',
  'verified',
  'pending-loa',
  'carrier-processing',
  'testing',
  'completed',
  'failed',
  'action-required',
] as const

export const RECEIVED = 'received'
export const VERIFYING = 'pending-verification'
export const COMPLETED = 'completed'
export const FAILED = 'failed'

/** Orders still waiting for a decision: the customer may withdraw them, the LOA may be replaced. */
export const OPEN_ORDER_STATUSES: readonly string[] = [RECEIVED, VERIFYING]

/** What the customer does next, per status (Twilio's `next_step`). */
export function nextStep(status: string): string | null {
  if (status === RECEIVED) return 'Wait for a compliance reviewer to verify the letter of authorization'
  if (status === VERIFYING) return 'A compliance reviewer is verifying the letter of authorization'
  if (status === COMPLETED)
    return 'Assign the number to an approved business profile and SHAKEN/STIR trust product to sign its calls with A'
  if (status === FAILED) return 'Fix what failure_reason says and file a new order'
  return null
}

/** Twilio's AuthorizationDocument status values. */
export const DOCUMENT_STATUSES = ['opened', 'signing', 'signed', 'canceled', 'failed'] as const

/**
 * An authorization document's status from its orders' statuses: `opened` while any is under
 * review, `failed` when one was rejected, `signed` when all were approved, `canceled` when every
 * order was withdrawn (`signing` is never set: no e-signature happens here).
 */
export function documentStatus(orderStatuses: readonly string[]): (typeof DOCUMENT_STATUSES)[number] {
  if (orderStatuses.length === 0) return 'canceled'
  if (orderStatuses.some((s) => OPEN_ORDER_STATUSES.includes(s))) return 'opened'
  if (orderStatuses.includes(FAILED)) return 'failed'
  return 'signed'
}
