/**
 * Bundles (BU…: Customer Profiles and Trust Products) and their Evaluations (EL…). Reads are
 * scoped to the accounts the caller may see; a bundle of another tenant is simply not found.
 * Status changes do not live here: they go through `changeBundleStatus` (src/vetting).
 */
import type { Executor } from './db.js'
import type { BundlesTable, EvaluationsTable } from './tables/bundles.table.js'
import { keysetPage, type Page, type PageRequest } from './paging.js'
import { POLICY } from '../domain/policies.js'
import type { BundleKind } from '../domain/policies.js'
import { APPROVED, isApproved } from '../domain/bundle.js'
import { bumpDecisionVersion } from './decision-version.repo.js'
import { inList } from './in-list.js'

export type BundleRow = BundlesTable
export type EvaluationRow = EvaluationsTable

export interface BundleFilter {
  readonly status?: string
  readonly friendlyName?: string
  readonly policySid?: string
}

export async function insertBundle(db: Executor, row: BundleRow): Promise<void> {
  await db.insertInto('bundles').values(row).execute()
}

/** One bundle of a kind among the accounts the caller may see. */
export async function findBundle(
  db: Executor,
  visible: readonly string[],
  kind: BundleKind,
  sid: string,
): Promise<BundleRow | undefined> {
  return db
    .selectFrom('bundles')
    .selectAll()
    .where('sid', '=', sid)
    .where('kind', '=', kind)
    .where(inList(db, 'account_sid', visible))
    .executeTakeFirst()
}

/** Any bundle by SID, for the operator (admin routes are not tenant-scoped). */
export async function findBundleForOperator(db: Executor, sid: string): Promise<BundleRow | undefined> {
  return db.selectFrom('bundles').selectAll().where('sid', '=', sid).executeTakeFirst()
}

/** One account's bundles of a kind, newest first. */
export async function listBundles(
  db: Executor,
  accountSid: string,
  kind: BundleKind,
  f: BundleFilter,
  page: PageRequest,
): Promise<Page<BundleRow>> {
  let q = db.selectFrom('bundles').selectAll().where('account_sid', '=', accountSid).where('kind', '=', kind)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.friendlyName) q = q.where('friendly_name', '=', f.friendlyName)
  if (f.policySid) q = q.where('policy_sid', '=', f.policySid)
  return keysetPage(q, page)
}

/** The copies of a bundle (POST …/Copies) in its account, newest first. */
export async function listCopies(db: Executor, original: BundleRef, page: PageRequest): Promise<Page<BundleRow>> {
  return keysetPage(
    db
      .selectFrom('bundles')
      .selectAll()
      .where('copied_from', '=', original.sid)
      .where('account_sid', '=', original.account_sid),
    page,
  )
}

/**
 * Inside a transaction, locks bundle `sid` of `account` and returns it as of the lock (the row
 * lock a submission takes too: see lockForSubmission); undefined when the account has no such bundle.
 */
export async function lockBundle(db: Executor, account: string, sid: string): Promise<BundleRow | undefined> {
  return db
    .updateTable('bundles')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('sid', '=', sid)
    .where('account_sid', '=', account)
    .returningAll()
    .executeTakeFirst()
}

/** Edits the customer-settable fields (never the status: see changeBundleStatus). */
export async function updateBundleFields(
  db: Executor,
  sid: string,
  patch: Partial<Pick<BundleRow, 'friendly_name' | 'email' | 'status_callback'>>,
  now: string,
): Promise<void> {
  await db
    .updateTable('bundles')
    .set({ ...patch, date_updated: now })
    .where('sid', '=', sid)
    .execute()
}

/** Writes a status change's fields (only `changeBundleStatus` calls this: it adds the side effects). */
export async function setBundleStatus(db: Executor, sid: string, patch: Partial<BundleRow>): Promise<void> {
  await db.updateTable('bundles').set(patch).where('sid', '=', sid).execute()
}

/** Approved bundles whose valid_until falls on or before `until` (ISO), at most `limit` of them. */
export async function approvedExpiringBy(db: Executor, until: string, limit: number): Promise<BundleRow[]> {
  return db
    .selectFrom('bundles')
    .selectAll()
    .where('status', '=', APPROVED)
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', until)
    .limit(limit)
    .execute()
}

/**
 * Inside a transaction, locks the bundle for a submission if it is still in one of `from`:
 * the guarded UPDATE takes the row lock on PostgreSQL (a concurrent submission waits, then
 * sees the new status and matches nothing); SQLite serialises writers anyway.
 */
export async function lockForSubmission(
  db: Executor,
  sid: string,
  from: readonly string[],
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('bundles')
    .set({ date_updated: now })
    .where('sid', '=', sid)
    .where('status', 'in', [...from])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Deletes a bundle with its assignments and evaluations; run it in a transaction. */
export async function deleteBundleCascade(db: Executor, sid: string): Promise<void> {
  await db.deleteFrom('entity_assignments').where('bundle_sid', '=', sid).execute()
  await db.deleteFrom('channel_endpoint_assignments').where('bundle_sid', '=', sid).execute()
  await db.deleteFrom('evaluations').where('bundle_sid', '=', sid).execute()
  await db.deleteFrom('approved_brands').where('bundle_sid', '=', sid).execute()
  await db.deleteFrom('bundles').where('sid', '=', sid).execute()
  await bumpDecisionVersion(db)
}

/**
 * The account's primary customer profiles other than `self` in one of `statuses`, oldest first;
 * copies (made by POST …/Copies) are revisions of a profile, not profiles of their own.
 */
/**
 * Inside a transaction, locks account `account`'s row (a write that changes nothing), so two
 * submissions of primary profiles of one account run one after the other: the second then
 * reads the first as submitted (see otherPrimaryProfiles).
 */
export async function lockAccountForPrimary(db: Executor, account: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('sid', '=', account)
    .execute()
}

export async function otherPrimaryProfiles(
  db: Executor,
  account: string,
  self: string,
  statuses: readonly string[],
): Promise<Pick<BundleRow, 'sid' | 'status'>[]> {
  return db
    .selectFrom('bundles')
    .select(['sid', 'status'])
    .where('account_sid', '=', account)
    .where('policy_sid', '=', POLICY.PRIMARY_PROFILE)
    .where('copied_from', 'is', null)
    .where('sid', '!=', self)
    .where(inList(db, 'status', statuses))
    .orderBy('date_created')
    .orderBy('sid')
    .execute()
}

/**
 * Whether `accounts` hold an approved, unexpired Primary Customer Profile whose business
 * information says isv_reseller_or_partner (what secondary profiles require; twilio-node#965).
 */
export async function hasApprovedIsvPrimary(
  db: Executor,
  accounts: readonly string[],
  nowIso: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('bundles as b')
    .innerJoin('entity_assignments as ea', 'ea.bundle_sid', 'b.sid')
    .innerJoin('end_users as eu', 'eu.sid', 'ea.object_sid')
    .select(['b.sid', 'b.status', 'b.valid_until', 'eu.attributes'])
    .where(inList(db, 'b.account_sid', accounts))
    .where('b.policy_sid', '=', POLICY.PRIMARY_PROFILE)
    .where('b.status', '=', APPROVED)
    .where('eu.type', '=', 'customer_profile_business_information')
    .execute()
  const now = new Date(nowIso)
  return row
    .filter((r) => isApproved(r.status, r.valid_until, now))
    .some((r) => {
      try {
        return JSON.parse(r.attributes).business_identity === 'isv_reseller_or_partner'
      } catch {
        return false
      }
    })
}

/** The approved, unexpired primary business profiles of `accounts` at `nowIso`, newest first. */
export async function approvedPrimaryProfiles(
  db: Executor,
  accounts: readonly string[],
  nowIso: string,
): Promise<BundleRow[]> {
  const rows = await db
    .selectFrom('bundles')
    .selectAll()
    .where(inList(db, 'account_sid', accounts))
    .where('policy_sid', '=', POLICY.PRIMARY_PROFILE)
    .where('status', '=', APPROVED)
    .orderBy('date_created', 'desc')
    .orderBy('sid', 'desc')
    .execute()
  const now = new Date(nowIso)
  return rows.filter((r) => isApproved(r.status, r.valid_until, now))
}

/**
 * Approved bundles other than `self` whose business information has registration number
 * `number` (exactly, once trimmed), with their account's parent: what duplicate checks compare.
 */
export async function approvedWithRegistrationNumber(db: Executor, number: string, self: string) {
  const rows = await db
    .selectFrom('end_users as eu')
    .innerJoin('entity_assignments as ea', 'ea.object_sid', 'eu.sid')
    .innerJoin('bundles as b', 'b.sid', 'ea.bundle_sid')
    .innerJoin('accounts as a', 'a.sid', 'b.account_sid')
    .select(['b.sid as bundle_sid', 'b.account_sid', 'a.parent_sid', 'eu.attributes'])
    .where('eu.type', '=', 'customer_profile_business_information')
    .where('b.status', '=', APPROVED)
    .where('b.sid', '!=', self)
    .where('eu.attributes', 'like', `%${number.replace(/[%_]/g, '')}%`)
    .execute()
  const registered = (attributes: string) => {
    try {
      const v = JSON.parse(attributes)
      return v && typeof v === 'object' ? String(v.business_registration_number ?? '').trim() : ''
    } catch {
      return ''
    }
  }
  return rows
    .filter((r) => registered(r.attributes) === number)
    .map(({ bundle_sid, account_sid, parent_sid }) => ({ bundle_sid, account_sid, parent_sid }))
}

export async function insertEvaluation(db: Executor, row: EvaluationRow): Promise<void> {
  await db.insertInto('evaluations').values(row).execute()
}

/** A bundle as its children's queries need it: they are scoped by its SID and its account. */
export interface BundleRef {
  readonly sid: string
  readonly account_sid: string
}

export async function findEvaluation(db: Executor, bundle: BundleRef, sid: string): Promise<EvaluationRow | undefined> {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('sid', '=', sid)
    .where('bundle_sid', '=', bundle.sid)
    .where('account_sid', '=', bundle.account_sid)
    .executeTakeFirst()
}

/** The bundle's latest evaluation, if it has one. */
export async function latestEvaluation(db: Executor, bundleSid: string): Promise<EvaluationRow | undefined> {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('bundle_sid', '=', bundleSid)
    .orderBy('date_created', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function listEvaluations(
  db: Executor,
  bundle: BundleRef,
  page: PageRequest,
): Promise<Page<EvaluationRow>> {
  return keysetPage(
    db
      .selectFrom('evaluations')
      .selectAll()
      .where('bundle_sid', '=', bundle.sid)
      .where('account_sid', '=', bundle.account_sid),
    page,
  )
}
