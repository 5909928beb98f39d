/**
 * End users (IT…) and supporting documents (RD…): the objects a bundle's EntityAssignments
 * attach. Both tables share a shape, so one set of plain functions serves both.
 */
import type { Executor } from './db.js'
import type { EndUsersTable, SupportingDocumentsTable } from './tables/bundles.table.js'
import { keysetPage, type PageRequest } from './paging.js'
import { inList } from './in-list.js'

export type EntityTable = 'end_users' | 'supporting_documents'
export type EndUserRow = EndUsersTable
export type SupportingDocumentRow = SupportingDocumentsTable
type RowOf<T extends EntityTable> = T extends 'end_users' ? EndUserRow : SupportingDocumentRow

export async function insertEntity<T extends EntityTable>(db: Executor, table: T, row: RowOf<T>): Promise<void> {
  await db
    .insertInto(table)
    .values(row as any)
    .execute()
}

/** Finds one row among the accounts the caller may see. */
export async function findEntity<T extends EntityTable>(
  db: Executor,
  table: T,
  visible: readonly string[],
  sid: string,
): Promise<RowOf<T> | undefined> {
  return (await db
    .selectFrom(table as 'end_users')
    .selectAll()
    .where('sid', '=', sid)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()) as RowOf<T> | undefined
}

export async function listEntities<T extends EntityTable>(
  db: Executor,
  table: T,
  accountSid: string,
  page: PageRequest,
) {
  return keysetPage(
    db
      .selectFrom(table as 'end_users')
      .selectAll()
      .where('account_sid', '=', accountSid) as any,
    page,
  ) as Promise<{ rows: RowOf<T>[]; next?: { d: string; s: string } }>
}

export async function updateEntity(
  db: Executor,
  table: EntityTable,
  sid: string,
  patch: { friendly_name?: string; attributes?: string },
  now: string,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ ...patch, date_updated: now })
    .where('sid', '=', sid)
    .execute()
}

/** Bundles an object is attached to (a delete is refused while any remain). */
export async function assignmentsOf(db: Executor, objectSid: string): Promise<string[]> {
  const rows = await db
    .selectFrom('entity_assignments')
    .select('bundle_sid')
    .where('object_sid', '=', objectSid)
    .execute()
  return rows.map((r) => r.bundle_sid)
}

/** A bundle that attaches an object, as the lock rule names it. */
export interface AttachingBundle {
  readonly sid: string
  readonly status: string
  readonly kind: string
}

/**
 * Inside a transaction, locks the bundles that attach any of `objectSids` and returns them with
 * their status as of the lock: a submission of one of them (which takes the same row lock, see
 * lockForSubmission) either waits for the edit or is waited for, never reads half of it.
 * PostgreSQL takes row locks; SQLite serialises writers anyway.
 */
export async function lockBundlesAttaching(db: Executor, objectSids: readonly string[]): Promise<AttachingBundle[]> {
  if (!objectSids.length) return []
  const rows = await db
    .updateTable('bundles')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('sid', 'in', (eb) =>
      eb
        .selectFrom('entity_assignments')
        .select('bundle_sid')
        .where(inList(db, 'object_sid', objectSids)),
    )
    .returning(['sid', 'status', 'kind'])
    .execute()
  return rows.sort((a, b) => a.sid.localeCompare(b.sid))
}

export async function deleteEntity(db: Executor, table: EntityTable, sid: string): Promise<void> {
  await db.deleteFrom(table).where('sid', '=', sid).execute()
}
