/**
 * Buying and releasing numbers, as on Twilio (DESIGN §2: customers never invent a number). A
 * purchase takes a free number from the operator's inventory: the number is inserted on the
 * account first (the platform-wide unique index decides between two buyers), then its inventory
 * row moves from available to held, in one transaction, so exactly one buyer wins and a number
 * outside the inventory is never held by a purchase. Releasing returns an inventory number to
 * the inventory; a placed or hosted one simply stops being held.
 */
import type { Db, Executor } from '../store/db.js'
import { AVAILABLE, claimInventory, findInventory, listInventory, markInventory } from '../store/inventory.repo.js'
import { insertFreeNumbers, releaseNumber, type PhoneNumberRow } from '../store/numbers.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { parseE164 } from '../domain/e164.js'
import type { InventoryKind } from '../domain/inventory-number.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import { numberEvent } from './number-events.js'

export interface Purchase {
  readonly accountSid: string
  /** Who buys: `account:AC…` (the credentials' account, perhaps the parent of `accountSid`). */
  readonly actor: string
  /** The number to buy; or else `areaCode`, and the first free number there is taken. */
  readonly phoneNumber?: string
  readonly areaCode?: string
  /** `IncomingPhoneNumbers/Local.json` and `/TollFree.json` buy only that kind. */
  readonly kind?: InventoryKind
  readonly friendlyName?: string
  readonly statusCallback?: string
}

/** How many free numbers of an area code a purchase tries before it gives up (others bought them first). */
const AREA_TRIES = 20

const unavailable = (e164: string, why: string) =>
  new AppError('NUMBER_NOT_AVAILABLE', `The phone number ${e164} is not available: ${why}`, { param: 'PhoneNumber' })

/** Buys one number (21421 when malformed, 21422 when not for sale, 21452 when the area code has none free). */
export async function buyNumber(db: Db, clock: Clock, p: Purchase): Promise<PhoneNumberRow> {
  if (p.phoneNumber) {
    const r = parseE164(p.phoneNumber)
    if (!r.ok)
      throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter PhoneNumber: ${r.reason}`, { param: 'PhoneNumber' })
    return db.transaction().execute((trx) => buyExact(trx, clock, p, r.e164, r.national))
  }
  if (!p.areaCode) throw errors.missing('PhoneNumber or AreaCode')
  const free = await listInventory(
    db,
    { areaCode: p.areaCode, status: AVAILABLE, kind: p.kind },
    { pageSize: AREA_TRIES, page: 0 },
  )
  for (const n of free.rows) {
    try {
      return await db.transaction().execute((trx) => buyExact(trx, clock, p, n.phone_number, national(n.phone_number)))
    } catch (e) {
      // Bought by someone else since the search: take the next one.
      if (!(e instanceof AppError && e.key === 'NUMBER_NOT_AVAILABLE')) throw e
    }
  }
  throw new AppError(
    'NO_NUMBERS_IN_AREA',
    `No ${p.kind ?? 'local or toll-free'} phone numbers are available in area code ${p.areaCode}`,
    { param: 'AreaCode' },
  )
}

const national = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`

/** The purchase of `e164` inside `trx`; throws 21422 (rolling back) when it is not for sale. */
async function buyExact(
  trx: Executor,
  clock: Clock,
  p: Purchase,
  e164: string,
  friendly: string,
): Promise<PhoneNumberRow> {
  const inv = await findInventory(trx, e164)
  if (!inv)
    throw unavailable(e164, "it is not in this platform's inventory (buy one found through AvailablePhoneNumbers)")
  if (p.kind && inv.kind !== p.kind) throw unavailable(e164, `it is a ${inv.kind} number`)
  const now = isoNow(clock)
  const row: PhoneNumberRow = {
    sid: newSid('PN'),
    account_sid: p.accountSid,
    phone_number: e164,
    friendly_name: p.friendlyName || friendly,
    status_callback: p.statusCallback || null,
    origin: 'inventory',
    date_created: now,
    date_updated: now,
  }
  // The unique index first (as bulk placement does, so both take their locks in one order).
  if (!(await insertFreeNumbers(trx, [row])).has(e164)) throw unavailable(e164, 'it is held by an account')
  if (!(await claimInventory(trx, e164, now))) throw unavailable(e164, 'it is held by an account')
  await appendEvent(trx, numberEvent('number.purchased', row, p.actor), now)
  return row
}

/**
 * Releases `row` (its bundle assignments go with it); an inventory number becomes available
 * again. False when the number was released concurrently.
 */
export async function releaseHeldNumber(db: Db, clock: Clock, row: PhoneNumberRow, actor: string): Promise<boolean> {
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    if (!(await releaseNumber(trx, row.account_sid, row.sid))) return false
    await markInventory(trx, [row.phone_number], AVAILABLE, now)
    await appendEvent(trx, numberEvent('number.released', row, actor), now)
    return true
  })
}
