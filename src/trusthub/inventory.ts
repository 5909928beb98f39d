/**
 * The operator's inventory (DESIGN §2): the numbers customers buy through Twilio's
 * AvailablePhoneNumbers search. Imported in bulk (up to 10,000 per call, one transaction: the
 * answer counts what was added, what was already present and what was refused, with reasons);
 * a free number may be removed, a held one not (409). Both are audit events.
 */
import type { Db } from '../store/db.js'
import {
  AVAILABLE,
  deleteInventory,
  findInventory,
  HELD,
  insertInventory,
  type InventoryRow,
} from '../store/inventory.repo.js'
import { holdersOf } from '../store/numbers.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { inventoryNumber } from '../domain/inventory-number.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import type { Refusal } from './numbers.js'

export interface ImportResult {
  readonly added: number
  readonly already_present: number
  readonly refused: Refusal[]
}

/** Judges and de-duplicates the input: what the inventory does not take is refused with 21421. */
function judgeAll(input: readonly string[], now: string): { rows: Map<string, InventoryRow>; refused: Refusal[] } {
  const rows = new Map<string, InventoryRow>()
  const refused: Refusal[] = []
  for (const raw of input) {
    const r = inventoryNumber(String(raw))
    if (!r.ok) refused.push({ phone_number: String(raw), code: 21421, reason: r.reason })
    else if (!rows.has(r.e164))
      rows.set(r.e164, {
        phone_number: r.e164,
        area_code: r.areaCode,
        kind: r.kind,
        status: AVAILABLE,
        date_created: now,
        date_updated: now,
      })
  }
  return { rows, refused }
}

/**
 * Adds `input` (E.164 strings) to the inventory in one transaction. A number an account
 * already holds (placed by the operator before it was imported) enters as held.
 */
export async function importInventory(
  db: Db,
  clock: Clock,
  input: readonly string[],
  actor: string,
): Promise<ImportResult> {
  const now = isoNow(clock)
  const { rows, refused } = judgeAll(input, now)
  return db.transaction().execute(async (trx) => {
    for (const e164 of (await holdersOf(trx, [...rows.keys()])).keys()) rows.get(e164)!.status = HELD
    const inserted = await insertInventory(trx, [...rows.values()])
    const res = { added: inserted.size, already_present: rows.size - inserted.size, refused }
    await appendEvent(
      trx,
      {
        accountSid: null,
        resourceSid: null,
        type: 'inventory.imported',
        actor,
        data: { added: res.added, already_present: res.already_present, refused: refused.length },
      },
      now,
    )
    return res
  })
}

/** Removes a free number from the inventory (404 when absent, 409 while an account holds it). */
export async function removeFromInventory(
  db: Db,
  clock: Clock,
  e164: string,
  path: string,
  actor: string,
): Promise<void> {
  const now = isoNow(clock)
  await db.transaction().execute(async (trx) => {
    if (await deleteInventory(trx, e164)) {
      await appendEvent(
        trx,
        { accountSid: null, resourceSid: null, type: 'inventory.removed', actor, data: { phone_number: e164 } },
        now,
      )
      return
    }
    if (!(await findInventory(trx, e164))) throw errors.notFound(path)
    throw new AppError('CONFLICT', `${e164} is held by an account: it leaves the inventory only once released`)
  })
}
