/**
 * Operator bulk placement of numbers on an account (up to 10,000 per call), in one transaction:
 * the answer counts what was added, what the account already held and what was refused, with
 * the reason for each. A placed number's right to use comes from the operator (origin
 * `operator`); one that is in the inventory is held there from then on. Each placement is an
 * audit event. Callable without HTTP; the admin API (and the CLI through it) drive it.
 */
import type { Db, Executor } from '../store/db.js'
import type { AccountRow } from '../store/accounts.repo.js'
import { holdersOf, insertFreeNumbers, type PhoneNumberRow } from '../store/numbers.repo.js'
import { HELD, markInventory } from '../store/inventory.repo.js'
import { appendEvents } from '../store/events.repo.js'
import { numberEvent } from './number-events.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { parseE164 } from '../domain/e164.js'

/** Most numbers one call may carry (the CLI sends 5,000). */
export const MAX_BULK = 10_000

export interface Refusal {
  readonly phone_number: string
  readonly code: number
  readonly reason: string
}
export interface BulkResult {
  readonly added: number
  readonly already_held: number
  readonly refused: Refusal[]
}

/** Parses and de-duplicates the input; what does not parse is refused with 21421. */
function parseAll(input: readonly string[]): { valid: Map<string, string>; refused: Refusal[] } {
  const valid = new Map<string, string>()
  const refused: Refusal[] = []
  for (const raw of input) {
    const r = parseE164(String(raw))
    if (r.ok) {
      if (!valid.has(r.e164)) valid.set(r.e164, r.national)
    } else refused.push({ phone_number: String(raw), code: 21421, reason: r.reason })
  }
  return { valid, refused }
}

/**
 * Places the parsed numbers on `accountSid` inside one transaction `trx`: inserts those no
 * account holds (the unique index decides, in the same statement), then looks up who holds
 * the rest, usually none, to tell the account's own from another's.
 */
async function placeAll(trx: Executor, accountSid: string, valid: Map<string, string>, now: string) {
  const rows: PhoneNumberRow[] = []
  for (const [e164, national] of valid)
    rows.push({
      sid: newSid('PN'),
      account_sid: accountSid,
      phone_number: e164,
      friendly_name: national,
      status_callback: null,
      origin: 'operator',
      date_created: now,
      date_updated: now,
    })
  const inserted = await insertFreeNumbers(trx, rows)
  if (inserted.size) {
    await markInventory(trx, [...inserted], HELD, now)
    await appendEvents(
      trx,
      rows.filter((r) => inserted.has(r.phone_number)).map((r) => numberEvent('number.placed', r, 'operator')),
      now,
    )
  }
  const holders = await holdersOf(
    trx,
    [...valid.keys()].filter((n) => !inserted.has(n)),
  )
  const refused: Refusal[] = []
  let alreadyHeld = 0
  for (const [e164, holder] of holders) {
    if (holder === accountSid) alreadyHeld++
    else refused.push({ phone_number: e164, code: 21422, reason: `${e164} is already held by another account` })
  }
  // Skipped by the insert, then released by its holder before the look-up (on PostgreSQL each
  // statement reads its own snapshot): it was held when the insert ran; the caller may retry.
  for (const e164 of valid.keys())
    if (!inserted.has(e164) && !holders.has(e164))
      refused.push({ phone_number: e164, code: 21422, reason: `${e164} was held by another account; try again` })
  return { added: inserted.size, already_held: alreadyHeld, refused }
}

/** Numbers go only on an account that is not closed (400 otherwise). */
export function requireOpenAccount(acct: Pick<AccountRow, 'sid' | 'status'>): void {
  if (acct.status === 'closed') throw errors.invalid('AccountSid', `${acct.sid} is closed`)
}

/** Places `input` (E.164 strings) on `accountSid` in one transaction. */
export async function placeNumbers(
  db: Db,
  clock: Clock,
  accountSid: string,
  input: readonly string[],
): Promise<BulkResult> {
  const { valid, refused } = parseAll(input)
  const now = isoNow(clock)
  const res = await db.transaction().execute((trx) => placeAll(trx, accountSid, valid, now))
  return { added: res.added, already_held: res.already_held, refused: [...refused, ...res.refused] }
}
