/**
 * Hosted-number orders (HR…) and authorization documents (PX…). Reads are scoped to the
 * accounts the caller may see (a SID of another tenant is simply not found); status changes are
 * conditional UPDATEs whose affected-row count says who won a race (a withdrawal against an
 * approval, two reviewers).
 */
import type { Executor } from './db.js'
import type { AuthorizationDocumentsTable, HostedNumberOrdersTable } from './tables/hosted-numbers.table.js'
import { keysetPage, type Page, type PageRequest } from './paging.js'
import { inList } from './in-list.js'

export type HostedNumberOrderRow = HostedNumberOrdersTable
export type AuthorizationDocumentRow = AuthorizationDocumentsTable

export interface OrderFilter {
  readonly status?: string
  readonly phoneNumber?: string
  readonly smsCapability?: boolean
  readonly incomingPhoneNumberSid?: string
  readonly friendlyName?: string
  readonly documentSid?: string
}

export async function insertOrder(db: Executor, row: HostedNumberOrderRow): Promise<void> {
  await db.insertInto('hosted_number_orders').values(row).execute()
}

/** One order among the accounts the caller may see. */
export async function findOrder(
  db: Executor,
  visible: readonly string[],
  sid: string,
): Promise<HostedNumberOrderRow | undefined> {
  return db
    .selectFrom('hosted_number_orders')
    .selectAll()
    .where('sid', '=', sid)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()
}

/** Any order by SID, for staff (the admin area is not tenant-scoped). */
export async function findOrderForStaff(db: Executor, sid: string): Promise<HostedNumberOrderRow | undefined> {
  return db.selectFrom('hosted_number_orders').selectAll().where('sid', '=', sid).executeTakeFirst()
}

/** Orders of `accountSid` for `e164` in one of `statuses`. */
export async function ordersForNumber(
  db: Executor,
  accountSid: string,
  e164: string,
  statuses: readonly string[],
): Promise<HostedNumberOrderRow[]> {
  return db
    .selectFrom('hosted_number_orders')
    .selectAll()
    .where('account_sid', '=', accountSid)
    .where('phone_number', '=', e164)
    .where('status', 'in', [...statuses])
    .execute()
}

/** One account's orders, newest first, with Twilio's filters. */
export async function listOrders(
  db: Executor,
  accountSid: string,
  f: OrderFilter,
  page: PageRequest,
): Promise<Page<HostedNumberOrderRow>> {
  let q = db.selectFrom('hosted_number_orders').selectAll().where('account_sid', '=', accountSid)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.phoneNumber) q = q.where('phone_number', '=', f.phoneNumber)
  if (f.smsCapability !== undefined) q = q.where('sms_capability', '=', f.smsCapability ? 1 : 0)
  if (f.incomingPhoneNumberSid) q = q.where('incoming_phone_number_sid', '=', f.incomingPhoneNumberSid)
  if (f.friendlyName) q = q.where('friendly_name', '=', f.friendlyName)
  if (f.documentSid) q = q.where('signing_document_sid', '=', f.documentSid)
  return keysetPage(q, page)
}

const changed = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1

/** Moves an order from one of `from` to `patch.status` (with the other fields); false when it had moved on. */
export async function moveOrder(
  db: Executor,
  sid: string,
  from: readonly string[],
  patch: Pick<HostedNumberOrderRow, 'status'> &
    Partial<Pick<HostedNumberOrderRow, 'failure_reason' | 'incoming_phone_number_sid'>>,
  now: string,
): Promise<boolean> {
  return changed(
    await db
      .updateTable('hosted_number_orders')
      .set({ ...patch, date_updated: now })
      .where('sid', '=', sid)
      .where('status', 'in', [...from])
      .executeTakeFirst(),
  )
}

/** Deletes an order still in one of `from` (a withdrawal); false when it had moved on. */
export async function deleteOrder(db: Executor, sid: string, from: readonly string[]): Promise<boolean> {
  const r = await db
    .deleteFrom('hosted_number_orders')
    .where('sid', '=', sid)
    .where('status', 'in', [...from])
    .executeTakeFirst()
  return Number(r.numDeletedRows) === 1
}

/** Puts orders under a document with its LOA fields, only those still in one of `from`; returns how many. */
export async function coverOrders(
  db: Executor,
  sids: readonly string[],
  from: readonly string[],
  doc: Pick<AuthorizationDocumentRow, 'sid' | 'address_sid' | 'email' | 'contact_title' | 'contact_phone_number'>,
  now: string,
): Promise<number> {
  const r = await db
    .updateTable('hosted_number_orders')
    .set({
      signing_document_sid: doc.sid,
      address_sid: doc.address_sid,
      email: doc.email,
      contact_title: doc.contact_title,
      contact_phone_number: doc.contact_phone_number,
      date_updated: now,
    })
    .where(inList(db, 'sid', sids))
    .where('status', 'in', [...from])
    .where('signing_document_sid', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The statuses of a document's orders. */
export async function orderStatusesOf(db: Executor, documentSid: string): Promise<string[]> {
  return (
    await db
      .selectFrom('hosted_number_orders')
      .select('status')
      .where('signing_document_sid', '=', documentSid)
      .execute()
  ).map((r) => r.status)
}

export async function insertDocument(db: Executor, row: AuthorizationDocumentRow): Promise<void> {
  await db.insertInto('authorization_documents').values(row).execute()
}

/** One document among the accounts the caller may see. */
export async function findDocument(
  db: Executor,
  visible: readonly string[],
  sid: string,
): Promise<AuthorizationDocumentRow | undefined> {
  return db
    .selectFrom('authorization_documents')
    .selectAll()
    .where('sid', '=', sid)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()
}

/** One account's documents, newest first. */
export async function listDocuments(
  db: Executor,
  accountSid: string,
  f: { readonly email?: string; readonly status?: string },
  page: PageRequest,
): Promise<Page<AuthorizationDocumentRow>> {
  let q = db.selectFrom('authorization_documents').selectAll().where('account_sid', '=', accountSid)
  if (f.email) q = q.where('email', '=', f.email)
  if (f.status) q = q.where('status', '=', f.status)
  return keysetPage(q, page)
}

export async function setDocumentStatus(db: Executor, sid: string, status: string, now: string): Promise<void> {
  await db
    .updateTable('authorization_documents')
    .set({ status, date_updated: now })
    .where('sid', '=', sid)
    .where('status', '!=', status)
    .execute()
}

/** The SIDs of a document's orders. */
export async function orderSidsOf(db: Executor, documentSid: string): Promise<string[]> {
  return (
    await db
      .selectFrom('hosted_number_orders')
      .select('sid')
      .where('signing_document_sid', '=', documentSid)
      .orderBy('date_created')
      .orderBy('sid')
      .execute()
  ).map((r) => r.sid)
}
