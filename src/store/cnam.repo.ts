/**
 * The CNAM names in force: each number assigned (ChannelEndpointAssignments) to a CNAM trust
 * product that is approved and not expired, with the caller name pinned at its approval
 * (approved_brands, kind `cnam`), of an active account under an active parent. Read by the
 * operator's CSV feed and the CNAM lookup.
 */
import type { Executor } from './db.js'
import { inList } from './in-list.js'

/** One number's CNAM entry. */
export interface CnamEntry {
  readonly phone_number: string
  readonly caller_name: string
  readonly account_sid: string
  readonly bundle_sid: string
  readonly approved_at: string
}

/** The entries in force at `now` (ISO), as a query the callers narrow. */
function inForce(db: Executor, now: string) {
  return (
    db
      .selectFrom('approved_brands as ab')
      .innerJoin('bundles as b', 'b.sid', 'ab.bundle_sid')
      .innerJoin('channel_endpoint_assignments as ca', 'ca.bundle_sid', 'ab.bundle_sid')
      .innerJoin('phone_numbers as pn', 'pn.sid', 'ca.channel_endpoint_sid')
      .innerJoin('accounts as a', 'a.sid', 'b.account_sid')
      .leftJoin('accounts as pa', 'pa.sid', 'a.parent_sid')
      .select([
        'pn.phone_number as phone_number',
        'ab.display_name as caller_name',
        'b.account_sid as account_sid',
        'ab.bundle_sid as bundle_sid',
        'ab.approved_at as approved_at',
      ])
      .where('ab.kind', '=', 'cnam')
      .where('b.status', '=', 'twilio-approved')
      .where((eb) => eb.or([eb('b.valid_until', 'is', null), eb('b.valid_until', '>', now)]))
      // A suspended or closed account (or one under such a parent) publishes no name.
      .where('a.status', '=', 'active')
      .where((eb) => eb.or([eb('pa.sid', 'is', null), eb('pa.status', '=', 'active')]))
  )
}

/**
 * One page of the feed, ordered by number: the entries after number `after` (the last one of
 * the previous page), at most `limit`. A number sits on at most one CNAM trust product (its
 * assignment slot is the policy), so the number alone orders the feed. Keyset paging over the
 * numbers' index: a page costs the same wherever it falls in a feed of millions.
 */
export async function cnamFeedPage(db: Executor, now: string, limit: number, after?: string): Promise<CnamEntry[]> {
  let q = inForce(db, now)
  if (after !== undefined) q = q.where('pn.phone_number', '>', after)
  return q.orderBy('pn.phone_number').limit(limit).execute()
}

/**
 * The entry of `phoneNumber` (E.164) in force at `now`; with `accounts`, only when the number
 * is held by one of them (a customer's lookup: its own account and sub-accounts).
 */
export async function cnamOf(
  db: Executor,
  phoneNumber: string,
  now: string,
  accounts?: readonly string[],
): Promise<CnamEntry | undefined> {
  let q = inForce(db, now).where('pn.phone_number', '=', phoneNumber)
  if (accounts) q = q.where(inList(db, 'pn.account_sid', accounts))
  return q.orderBy('ab.approved_at', 'desc').limit(1).executeTakeFirst()
}
