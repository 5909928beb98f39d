/**
 * Addresses (AD…) of Twilio's 2010 API, referenced by customer_profile_address supporting
 * documents (`attributes.address_sids`). Reads are scoped to the accounts the caller may see.
 */
import type { Executor } from './db.js'
import type { AddressesTable } from './tables/numbers.table.js'
import { keysetPage, type Page, type PageRequest } from './paging.js'
import { inList } from './in-list.js'

export type AddressRow = AddressesTable

export interface AddressFilter {
  readonly customerName?: string
  readonly friendlyName?: string
  readonly isoCountry?: string
}

export type AddressPatch = Partial<Omit<AddressRow, 'sid' | 'account_sid' | 'date_created' | 'date_updated'>>

export async function insertAddress(db: Executor, row: AddressRow): Promise<void> {
  await db.insertInto('addresses').values(row).execute()
}

export async function findAddress(
  db: Executor,
  visible: readonly string[],
  sid: string,
): Promise<AddressRow | undefined> {
  return db
    .selectFrom('addresses')
    .selectAll()
    .where('sid', '=', sid)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()
}

/** Which of `sids` are addresses of `accounts` (a reference may only name these). */
export async function addressesAmong(
  db: Executor,
  accounts: readonly string[],
  sids: readonly string[],
): Promise<Set<string>> {
  if (!sids.length) return new Set()
  const rows = await db
    .selectFrom('addresses')
    .select('sid')
    .where(inList(db, 'sid', sids))
    .where(inList(db, 'account_sid', accounts))
    .execute()
  return new Set(rows.map((r) => r.sid))
}

/** Lists one account's addresses, newest first. CustomerName/FriendlyName match exactly, as Twilio does. */
export async function listAddresses(
  db: Executor,
  accountSid: string,
  f: AddressFilter,
  page: PageRequest,
): Promise<Page<AddressRow>> {
  let q = db.selectFrom('addresses').selectAll().where('account_sid', '=', accountSid)
  if (f.customerName) q = q.where('customer_name', '=', f.customerName)
  if (f.friendlyName) q = q.where('friendly_name', '=', f.friendlyName)
  if (f.isoCountry) q = q.where('iso_country', '=', f.isoCountry.toUpperCase())
  return keysetPage(q, page)
}

export async function updateAddress(
  db: Executor,
  accountSid: string,
  sid: string,
  patch: AddressPatch,
  now: string,
): Promise<void> {
  await db
    .updateTable('addresses')
    .set({ ...patch, date_updated: now })
    .where('sid', '=', sid)
    .where('account_sid', '=', accountSid)
    .execute()
}

/**
 * Supporting documents of `accounts` whose `address_sids` attribute names the address. Only the
 * address's own tenancy counts: another tenant naming our SID must not block a delete. The
 * attribute is JSON text, so a LIKE narrows the rows and the JSON is checked exactly here.
 */
export async function documentsReferencing(
  db: Executor,
  accounts: readonly string[],
  addressSid: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('supporting_documents')
    .select(['sid', 'attributes'])
    .where(inList(db, 'account_sid', accounts))
    .where('attributes', 'like', `%${addressSid}%`)
    .execute()
  return rows.filter((r) => addressSidsOf(r.attributes).includes(addressSid)).map((r) => r.sid)
}

/** `address_sids` arrives as a comma-separated string or an array (spec §1). */
function addressSidsOf(attributes: string): string[] {
  try {
    const v = (JSON.parse(attributes) as Record<string, unknown>).address_sids
    if (Array.isArray(v)) return v.map(String).map((s) => s.trim())
    if (typeof v === 'string') return v.split(',').map((s) => s.trim())
  } catch {
    /* not JSON: references nothing */
  }
  return []
}

export async function deleteAddress(db: Executor, accountSid: string, sid: string): Promise<boolean> {
  const r = await db
    .deleteFrom('addresses')
    .where('sid', '=', sid)
    .where('account_sid', '=', accountSid)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
