/**
 * The audit events of numbers: each placement, purchase, hosting (an approved order), release and confirmation of a number
 * is one event on the number (its PN… SID), in the account's log and the operator's.
 */
import type { NewEvent } from '../store/events.repo.js'
import type { PhoneNumberRow } from '../store/numbers.repo.js'

export type NumberEventType =
  | 'number.placed'
  | 'number.purchased'
  | 'number.released'
  | 'number.confirmed'
  | 'number.hosted'

/** The event of `type` on `row`, by `actor` (`operator`, `account:AC…`). */
export function numberEvent(
  type: NumberEventType,
  row: Pick<PhoneNumberRow, 'sid' | 'account_sid' | 'phone_number' | 'origin'>,
  actor: string,
  extra: Record<string, unknown> = {},
): NewEvent {
  return {
    accountSid: row.account_sid,
    resourceSid: row.sid,
    type,
    actor,
    data: { phone_number: row.phone_number, origin: row.origin, ...extra },
  }
}
