/**
 * Phone numbers (PN…): the numbers this platform owns and has placed on an account. A number
 * is held by at most one account (unique `phone_number`); reads are scoped to the accounts the
 * caller may see, writes to the account that holds the row.
 */
import type { Executor } from './db.js'
import type { PhoneNumbersTable } from './tables/numbers.table.js'
import { keysetPage, type Page, type PageRequest } from './paging.js'
import { bumpDecisionVersion, scope, withDecisionBump } from './decision-version.repo.js'
import { inList } from './in-list.js'
import { capabilitiesOf } from './dialect.js'

export type PhoneNumberRow = PhoneNumbersTable

export interface NumberFilter {
  /** Digits to look for anywhere in the number; `*` matches any one digit (Twilio's rule). */
  readonly phoneNumber?: string
  readonly friendlyName?: string
}

/** Rows per IN-list or multi-row INSERT: 8,000 parameters at most, under SQLite's 32,766 and pg's 65,535. */
const CHUNK = 1000

/**
 * Places one number. A number becoming ours changes who owns a calling number (the signer's
 * index caches "not ours" too), so the decision version moves in the same transaction.
 */
export async function insertNumber(db: Executor, row: PhoneNumberRow): Promise<void> {
  await withDecisionBump(db, (trx) => trx.insertInto('phone_numbers').values(row).execute(), {
    scopes: [scope.tn(row.phone_number)],
  })
}

/** The table's columns, in the order of the prepared row INSERT's parameters. */
const COLUMNS = [
  'sid',
  'account_sid',
  'phone_number',
  'friendly_name',
  'status_callback',
  'origin',
  'date_created',
  'date_updated',
] as const satisfies readonly (keyof PhoneNumberRow)[]

/**
 * Inserts the rows whose number no account holds yet, skipping the others (the unique index
 * judges, in the same statement, so a number taken concurrently is skipped, not an error);
 * returns the numbers inserted. The caller owns the transaction (one bump per batch).
 * Where the engine offers it (SQLite), one prepared row INSERT run per number inside the
 * transaction: 1.5–3x faster there than multi-row INSERTs of 7,000 bound values.
 */
export async function insertFreeNumbers(db: Executor, rows: readonly PhoneNumberRow[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  // Only inside the caller's transaction: the connection's statements then belong to it.
  const sqlite = db.isTransaction ? capabilitiesOf(db).preparedRows : undefined
  if (sqlite) {
    if (!sqlite.inTransaction) throw new Error('insertFreeNumbers: run it inside the batch transaction')
    const insert = sqlite.prepare(
      `INSERT INTO phone_numbers (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (phone_number) DO NOTHING`,
    )
    for (const r of rows) if (insert.run(COLUMNS.map((c) => r[c])).changes === 1) inserted.add(r.phone_number)
  } else {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const done = await db
        .insertInto('phone_numbers')
        .values(rows.slice(i, i + CHUNK) as PhoneNumberRow[])
        .onConflict((oc) => oc.column('phone_number').doNothing())
        .returning('phone_number')
        .execute()
      for (const r of done) inserted.add(r.phone_number)
    }
  }
  if (inserted.size) await bumpDecisionVersion(db, [...inserted].map(scope.tn))
  return inserted
}

/** Who holds each of `numbers` (E.164), across all accounts: a number can be placed only once. */
export async function holdersOf(db: Executor, numbers: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const rows = await db
      .selectFrom('phone_numbers')
      .select(['phone_number', 'account_sid'])
      .where('phone_number', 'in', numbers.slice(i, i + CHUNK) as string[])
      .execute()
    for (const r of rows) out.set(r.phone_number, r.account_sid)
  }
  return out
}

/** The held number `e164`, whichever account holds it (operator views). */
export async function findHeldNumber(db: Executor, e164: string): Promise<PhoneNumberRow | undefined> {
  return db.selectFrom('phone_numbers').selectAll().where('phone_number', '=', e164).executeTakeFirst()
}

/**
 * Changes a held number's right-to-use origin from `from` to `to`; false when it no longer has
 * `from`. The origin decides whether the number may reach A, so the decision version moves too.
 */
export async function changeOrigin(db: Executor, sid: string, from: string, to: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('phone_numbers')
    .set({ origin: to, date_updated: now })
    .where('sid', '=', sid)
    .where('origin', '=', from)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return false
  await bumpDecisionVersion(db, [scope.number(sid)])
  return true
}

/** One number among the accounts the caller may see. */
export async function findNumber(
  db: Executor,
  visible: readonly string[],
  sid: string,
): Promise<PhoneNumberRow | undefined> {
  return db
    .selectFrom('phone_numbers')
    .selectAll()
    .where('sid', '=', sid)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()
}

/** The LIKE pattern of a Twilio `PhoneNumber` filter: digits kept, `*` = one digit, matched anywhere. */
function numberPattern(filter: string): string {
  const core = filter.replace(/[^0-9*]/g, '').replace(/\*/g, '_')
  return `%${core}%`
}

/** Lists one account's numbers, newest first, with keyset paging. */
export async function listNumbers(
  db: Executor,
  accountSid: string,
  f: NumberFilter,
  page: PageRequest,
): Promise<Page<PhoneNumberRow>> {
  let q = db.selectFrom('phone_numbers').selectAll().where('account_sid', '=', accountSid)
  if (f.phoneNumber) q = q.where('phone_number', 'like', numberPattern(f.phoneNumber))
  if (f.friendlyName) q = q.where('friendly_name', '=', f.friendlyName)
  return keysetPage(q, page)
}

export async function updateNumber(
  db: Executor,
  accountSid: string,
  sid: string,
  patch: Partial<Pick<PhoneNumberRow, 'friendly_name' | 'status_callback'>>,
  now: string,
): Promise<void> {
  await db
    .updateTable('phone_numbers')
    .set({ ...patch, date_updated: now })
    .where('sid', '=', sid)
    .where('account_sid', '=', accountSid)
    .execute()
}

/**
 * Releases a number: its channel-endpoint assignments go with it, so no bundle keeps a number
 * the account no longer holds (DESIGN §4: a released number stops counting on the next call).
 * Run inside a transaction so both deletes land together.
 */
export async function releaseNumber(db: Executor, accountSid: string, sid: string): Promise<boolean> {
  const r = await db
    .deleteFrom('phone_numbers')
    .where('sid', '=', sid)
    .where('account_sid', '=', accountSid)
    .executeTakeFirst()
  if (Number(r.numDeletedRows) === 0) return false
  await db.deleteFrom('channel_endpoint_assignments').where('channel_endpoint_sid', '=', sid).execute()
  await bumpDecisionVersion(db, [scope.number(sid)])
  return true
}
