/**
 * What is attached to a bundle: EntityAssignments (BV…: end users, documents, supporting
 * bundles) and ChannelEndpointAssignments (RA…: phone numbers). Every query is scoped by the
 * bundle and its account; the caller has already found the bundle among its visible accounts.
 */
import type { Executor } from './db.js'
import type { ChannelEndpointAssignmentsTable, EntityAssignmentsTable } from './tables/bundles.table.js'
import { keysetPage, type Page, type PageRequest } from './paging.js'
import type { BundleRef } from './bundles.repo.js'
import { POLICIES } from '../domain/policies.js'
import { scope, withDecisionBump } from './decision-version.repo.js'
import { inList } from './in-list.js'

export type EntityAssignmentRow = EntityAssignmentsTable
export type ChannelEndpointAssignmentRow = ChannelEndpointAssignmentsTable

/** A link changes the bundle's facts and, for a trust product and a primary profile, its account's rule-3 set. */
const linkScopes = (r: Pick<EntityAssignmentRow, 'bundle_sid' | 'account_sid'>) => [
  scope.bundle(r.bundle_sid),
  scope.family(r.account_sid),
]

export async function insertEntityAssignment(db: Executor, row: EntityAssignmentRow): Promise<void> {
  await withDecisionBump(db, (t) => t.insertInto('entity_assignments').values(row).execute(), {
    scopes: linkScopes(row),
  })
}

export async function findEntityAssignment(
  db: Executor,
  bundle: BundleRef,
  sid: string,
): Promise<EntityAssignmentRow | undefined> {
  return db
    .selectFrom('entity_assignments')
    .selectAll()
    .where('sid', '=', sid)
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .executeTakeFirst()
}

/** The assignment of `objectSid` to the bundle, if it is already attached. */
export async function findAssignmentOf(
  db: Executor,
  bundle: BundleRef,
  objectSid: string,
): Promise<EntityAssignmentRow | undefined> {
  return db
    .selectFrom('entity_assignments')
    .selectAll()
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .where('object_sid', '=', objectSid)
    .executeTakeFirst()
}

/** Lists a bundle's entity assignments; `objectType` keeps objects of that end-user, document or bundle type. */
export async function listEntityAssignments(
  db: Executor,
  bundle: BundleRef,
  objectType: string | undefined,
  page: PageRequest,
): Promise<Page<EntityAssignmentRow>> {
  let q = db
    .selectFrom('entity_assignments')
    .selectAll()
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
  if (objectType) {
    const policies = POLICIES.filter((p) => p.bundle_type === objectType).map((p) => p.sid)
    q = q.where((eb) =>
      eb.or([
        eb('object_sid', 'in', eb.selectFrom('end_users').select('sid').where('type', '=', objectType)),
        eb('object_sid', 'in', eb.selectFrom('supporting_documents').select('sid').where('type', '=', objectType)),
        ...(policies.length
          ? [eb('object_sid', 'in', eb.selectFrom('bundles').select('sid').where('policy_sid', 'in', policies))]
          : []),
      ]),
    )
  }
  return keysetPage(q, page)
}

/** Every entity assignment of a bundle, in attachment order (what a copy repeats). */
export async function entityAssignmentsOf(db: Executor, bundle: BundleRef): Promise<EntityAssignmentRow[]> {
  return db
    .selectFrom('entity_assignments')
    .selectAll()
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .orderBy('date_created')
    .orderBy('sid')
    .execute()
}

export async function deleteEntityAssignment(db: Executor, sid: string): Promise<void> {
  await withDecisionBump(
    db,
    (t) => t.deleteFrom('entity_assignments').where('sid', '=', sid).returning(['bundle_sid', 'account_sid']).execute(),
    (gone) => ({ scopes: gone.flatMap(linkScopes) }),
  )
}

/** Bundles (other than itself) that attach `bundleSid` as a supporting bundle. */
export async function bundlesLinking(db: Executor, bundleSid: string): Promise<string[]> {
  const rows = await db
    .selectFrom('entity_assignments')
    .select('bundle_sid')
    .where('object_sid', '=', bundleSid)
    .execute()
  return rows.map((r) => r.bundle_sid)
}

/** What an ObjectSid names, looked up among `accounts` (IT end user, RD document, BU bundle). */
export type Assignable =
  | {
      readonly kind: 'end-user' | 'document'
      readonly sid: string
      readonly account_sid: string
      readonly type: string
    }
  | { readonly kind: 'bundle'; readonly sid: string; readonly account_sid: string; readonly policy_sid: string }

export async function findAssignable(
  db: Executor,
  accounts: readonly string[],
  sid: string,
): Promise<Assignable | undefined> {
  if (sid.startsWith('IT') || sid.startsWith('RD')) {
    const table = sid.startsWith('IT') ? 'end_users' : 'supporting_documents'
    const r = await db
      .selectFrom(table as 'end_users')
      .select(['sid', 'account_sid', 'type'])
      .where('sid', '=', sid)
      .where(inList(db, 'account_sid', accounts))
      .executeTakeFirst()
    return r && { kind: table === 'end_users' ? 'end-user' : 'document', ...r }
  }
  if (sid.startsWith('BU')) {
    const r = await db
      .selectFrom('bundles')
      .select(['sid', 'account_sid', 'policy_sid'])
      .where('sid', '=', sid)
      .where(inList(db, 'account_sid', accounts))
      .executeTakeFirst()
    return r && { kind: 'bundle', ...r }
  }
  return undefined
}

/** The customer profiles (BU objects) attached to a bundle: a trust product's linked profile. */
export async function linkedBundleSids(db: Executor, bundle: BundleRef): Promise<string[]> {
  const rows = await db
    .selectFrom('entity_assignments')
    .select('object_sid')
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .where('object_sid', 'like', 'BU%')
    .execute()
  return rows.map((r) => r.object_sid)
}

/** A unique-constraint violation on either engine (a concurrent duplicate insert). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string }
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(err?.message ?? '')
  )
}

export async function insertChannelAssignment(db: Executor, row: ChannelEndpointAssignmentRow): Promise<void> {
  await withDecisionBump(db, (t) => t.insertInto('channel_endpoint_assignments').values(row).execute(), {
    scopes: [scope.number(row.channel_endpoint_sid)],
  })
}

export async function findChannelAssignment(
  db: Executor,
  bundle: BundleRef,
  sid: string,
): Promise<ChannelEndpointAssignmentRow | undefined> {
  return db
    .selectFrom('channel_endpoint_assignments')
    .selectAll()
    .where('sid', '=', sid)
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .executeTakeFirst()
}

export async function listChannelAssignments(
  db: Executor,
  bundle: BundleRef,
  endpointSids: readonly string[] | undefined,
  page: PageRequest,
): Promise<Page<ChannelEndpointAssignmentRow>> {
  let q = db
    .selectFrom('channel_endpoint_assignments')
    .selectAll()
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
  if (endpointSids) q = q.where('channel_endpoint_sid', 'in', endpointSids.length ? [...endpointSids] : [''])
  return keysetPage(q, page)
}

/** The phone numbers assigned to `bundle`, in assignment order (for the reviewer's view). */
export async function numbersOfBundle(db: Executor, bundle: BundleRef) {
  return db
    .selectFrom('channel_endpoint_assignments as ca')
    .innerJoin('phone_numbers as pn', 'pn.sid', 'ca.channel_endpoint_sid')
    .select(['pn.sid', 'pn.phone_number', 'pn.friendly_name', 'pn.origin'])
    .where('ca.bundle_sid', '=', bundle.sid)
    .where('ca.account_sid', '=', bundle.account_sid)
    .orderBy('ca.date_created')
    .orderBy('ca.sid')
    .execute()
}

export async function deleteChannelAssignment(db: Executor, sid: string): Promise<void> {
  await withDecisionBump(
    db,
    (t) =>
      t.deleteFrom('channel_endpoint_assignments').where('sid', '=', sid).returning('channel_endpoint_sid').execute(),
    (gone) => ({ scopes: gone.map((r) => scope.number(r.channel_endpoint_sid)) }),
  )
}

/** A number as the assignment rules see it. */
export interface HeldNumber {
  readonly sid: string
  readonly phone_number: string
  readonly origin: string
}

/** The numbers among `sids` or `e164s` that one of `accounts` holds (a batch's look-up). */
export async function numbersHeldBy(
  db: Executor,
  accounts: readonly string[],
  sids: readonly string[],
  e164s: readonly string[],
): Promise<HeldNumber[]> {
  if (sids.length + e164s.length === 0) return []
  return db
    .selectFrom('phone_numbers')
    .select(['sid', 'phone_number', 'origin'])
    .where((eb) => eb.or([inList(db, 'sid', sids), inList(db, 'phone_number', e164s)]))
    .where(inList(db, 'account_sid', accounts))
    .execute()
}

/** Which of `endpointSids` are assigned to any of `bundleSids`. */
export async function endpointsOnAny(
  db: Executor,
  bundleSids: readonly string[],
  endpointSids: readonly string[],
): Promise<Set<string>> {
  if (bundleSids.length === 0 || endpointSids.length === 0) return new Set()
  const rows = await db
    .selectFrom('channel_endpoint_assignments')
    .select('channel_endpoint_sid')
    .where(inList(db, 'bundle_sid', bundleSids))
    .where(inList(db, 'channel_endpoint_sid', endpointSids))
    .execute()
  return new Set(rows.map((r) => r.channel_endpoint_sid))
}

/** The bundle holding each of `endpointSids` in `slot`, for those held. */
export async function slotHolders(
  db: Executor,
  slot: string,
  endpointSids: readonly string[],
): Promise<Map<string, string>> {
  if (endpointSids.length === 0) return new Map()
  const rows = await db
    .selectFrom('channel_endpoint_assignments')
    .select(['channel_endpoint_sid', 'bundle_sid'])
    .where('slot', '=', slot)
    .where(inList(db, 'channel_endpoint_sid', endpointSids))
    .execute()
  return new Map(rows.map((r) => [r.channel_endpoint_sid, r.bundle_sid]))
}

/** Rows per multi-row INSERT (7 columns: 3,500 parameters). */
const ASSIGN_CHUNK = 500

/** Inserts many assignments in the caller's transaction, with one decision bump for all their numbers. */
export async function insertChannelAssignments(
  db: Executor,
  rows: readonly ChannelEndpointAssignmentRow[],
): Promise<void> {
  if (rows.length === 0) return
  await withDecisionBump(
    db,
    async (t) => {
      for (let i = 0; i < rows.length; i += ASSIGN_CHUNK)
        await t
          .insertInto('channel_endpoint_assignments')
          .values(rows.slice(i, i + ASSIGN_CHUNK) as ChannelEndpointAssignmentRow[])
          .execute()
    },
    { scopes: rows.map((r) => scope.number(r.channel_endpoint_sid)) },
  )
}

/** A bundle holding one of an account's numbers, as the numbers page shows it. */
export interface NumberBundle {
  readonly phone_number: string
  readonly number_sid: string
  readonly bundle_sid: string
  readonly kind: string
  readonly friendly_name: string
  readonly status: string
}

/** The bundles holding each of `e164s` that one of `accounts` holds. */
export async function bundlesOfNumbers(
  db: Executor,
  accounts: readonly string[],
  e164s: readonly string[],
): Promise<NumberBundle[]> {
  if (e164s.length === 0) return []
  return db
    .selectFrom('phone_numbers as p')
    .innerJoin('channel_endpoint_assignments as c', 'c.channel_endpoint_sid', 'p.sid')
    .innerJoin('bundles as b', 'b.sid', 'c.bundle_sid')
    .select(['p.phone_number', 'p.sid as number_sid', 'b.sid as bundle_sid', 'b.kind', 'b.friendly_name', 'b.status'])
    .where(inList(db, 'p.phone_number', e164s))
    .where(inList(db, 'p.account_sid', accounts))
    .execute()
}
