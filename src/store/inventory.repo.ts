/**
 * The operator's inventory (`phone_number_inventory`): the numbers customers may buy. A row is
 * `available` or `held`; every change of status is one conditional UPDATE, so two buyers of the
 * same number serialise on its row and exactly one of them moves it. Inventory is the
 * operator's: these reads and writes are not scoped to an account.
 */
import type { Executor } from './db.js'
import type { PhoneNumberInventoryTable } from './tables/numbers.table.js'
import type { Page, PageRequest } from './paging.js'
import { inList } from './in-list.js'

export type InventoryRow = PhoneNumberInventoryTable

export const AVAILABLE = 'available'
export const HELD = 'held'

/** Rows per multi-row INSERT or IN-list (7 columns: 7,000 parameters, under both engines' limits). */
const CHUNK = 1000

/** Inserts the rows whose number is not in the inventory yet; returns the numbers inserted. */
export async function insertInventory(db: Executor, rows: readonly InventoryRow[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  for (let i = 0; i < rows.length; i += CHUNK) {
    const done = await db
      .insertInto('phone_number_inventory')
      .values(rows.slice(i, i + CHUNK) as InventoryRow[])
      .onConflict((oc) => oc.column('phone_number').doNothing())
      .returning('phone_number')
      .execute()
    for (const r of done) inserted.add(r.phone_number)
  }
  return inserted
}

export async function findInventory(db: Executor, e164: string): Promise<InventoryRow | undefined> {
  return db.selectFrom('phone_number_inventory').selectAll().where('phone_number', '=', e164).executeTakeFirst()
}

export interface InventoryFilter {
  readonly areaCode?: string
  readonly status?: string
  readonly kind?: string
  /** Digits anywhere in the number; `*` matches any one digit (Twilio's `Contains`). */
  readonly contains?: string
}

/** The LIKE pattern of digits (and `*` for one digit) found anywhere in the number. */
function containsPattern(filter: string): string {
  return `%${filter.replace(/[^0-9*]/g, '').replace(/\*/g, '_')}%`
}

/**
 * Lists inventory rows in number order with keyset paging: the page token names the last
 * number of the previous page (its cursor's `s`), so page N costs what page 1 does.
 */
export async function listInventory(db: Executor, f: InventoryFilter, page: PageRequest): Promise<Page<InventoryRow>> {
  let q = db.selectFrom('phone_number_inventory').selectAll()
  if (f.areaCode) q = q.where('area_code', '=', f.areaCode)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.contains) q = q.where('phone_number', 'like', containsPattern(f.contains))
  q = q.orderBy('phone_number').limit(page.pageSize + 1)
  if (page.after) q = q.where('phone_number', '>', page.after.s)
  else if (page.page > 0) q = q.offset(page.page * page.pageSize)
  const rows = await q.execute()
  if (rows.length <= page.pageSize) return { rows }
  rows.pop()
  return { rows, next: { d: '', s: rows[rows.length - 1]!.phone_number } }
}

/** Moves one available number to held; false when it is not in the inventory or already held. */
export async function claimInventory(db: Executor, e164: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('phone_number_inventory')
    .set({ status: HELD, date_updated: now })
    .where('phone_number', '=', e164)
    .where('status', '=', AVAILABLE)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Marks inventory numbers held (placed on an account by the operator); numbers not in it are ignored. */
export async function markInventory(
  db: Executor,
  numbers: readonly string[],
  status: string,
  now: string,
): Promise<void> {
  for (let i = 0; i < numbers.length; i += CHUNK) {
    await db
      .updateTable('phone_number_inventory')
      .set({ status, date_updated: now })
      .where(inList(db, 'phone_number', numbers.slice(i, i + CHUNK)))
      .where('status', '!=', status)
      .execute()
  }
}

/** Removes a free number from the inventory; false when it is absent or held. */
export async function deleteInventory(db: Executor, e164: string): Promise<boolean> {
  const r = await db
    .deleteFrom('phone_number_inventory')
    .where('phone_number', '=', e164)
    .where('status', '=', AVAILABLE)
    .executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}
