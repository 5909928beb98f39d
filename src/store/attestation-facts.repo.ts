/**
 * Reads of the facts the attestation engine decides on (DESIGN §4). These cross tenants on
 * purpose: a calling number is looked up platform-wide to learn whether it is ours and whose
 * it is; the engine then scopes every fact to the calling account's family.
 */
import type { ExpressionBuilder } from 'kysely'
import type { Executor } from './db.js'
import type { Database } from './database.js'
import { groupBy } from './group-by.js'
import { inList } from './in-list.js'
import { POLICY } from '../domain/policies.js'
import type { AccountFact, BundleFact, NumberFact } from '../domain/attestation.js'
import type { BrandFact } from '../domain/rich-call-data.js'
import { effectiveStatus } from '../domain/account-status.js'

/** An account with its effective status (domain/account-status.ts: only active accounts are signed for). */
export interface AccountFactRow extends AccountFact {
  readonly status: string
}

/** Accounts with their parent's status (null for a top-level account). */
const accountsWithParent = (db: Executor) =>
  db
    .selectFrom('accounts')
    .leftJoin('accounts as parent', 'parent.sid', 'accounts.parent_sid')
    .select([
      'accounts.sid',
      'accounts.parent_sid',
      'accounts.origid',
      'accounts.status',
      'parent.status as parent_status',
    ])

type AccountWithParent = {
  sid: string
  parent_sid: string | null
  origid: string
  status: string
  parent_status: string | null
}
const accountFact = (r: AccountWithParent): AccountFactRow => ({
  sid: r.sid,
  parentSid: r.parent_sid,
  origid: r.origid,
  status: effectiveStatus(r.status, r.parent_status),
})

export async function loadAccountFact(db: Executor, sid: string): Promise<AccountFactRow | undefined> {
  const r = await accountsWithParent(db).where('accounts.sid', '=', sid).executeTakeFirst()
  return r && accountFact(r)
}

/** Our number `e164` with its owner and the bundles it is assigned to; undefined when not ours. */
export async function loadNumberFact(db: Executor, e164: string): Promise<NumberFact | undefined> {
  const n = await db
    .selectFrom('phone_numbers')
    .innerJoin('accounts', 'accounts.sid', 'phone_numbers.account_sid')
    .select([
      'phone_numbers.sid',
      'phone_numbers.phone_number',
      'phone_numbers.account_sid',
      'phone_numbers.origin',
      'accounts.parent_sid',
    ])
    .where('phone_numbers.phone_number', '=', e164)
    .executeTakeFirst()
  if (!n) return undefined
  const rows = await db
    .selectFrom('channel_endpoint_assignments')
    .select('bundle_sid')
    .where('channel_endpoint_sid', '=', n.sid)
    .execute()
  return {
    sid: n.sid,
    phoneNumber: n.phone_number,
    accountSid: n.account_sid,
    ownerParentSid: n.parent_sid,
    origin: n.origin,
    bundleSids: rows.map((r) => r.bundle_sid),
  }
}

/**
 * Bundles by SID with the bundles they link (EntityAssignments whose object is a BU…) and, for
 * an approved Branded Calls product, the branding pinned at its approval (approved_brands), so
 * that signing a branded call reads no row of its own.
 */
export async function loadBundleFacts(db: Executor, sids: readonly string[]): Promise<BundleFact[]> {
  if (sids.length === 0) return []
  const rows = await db
    .selectFrom('bundles')
    .leftJoin('approved_brands as brand', (j) =>
      j.onRef('brand.bundle_sid', '=', 'bundles.sid').on('brand.kind', '=', BRANDED_CALLS_KIND),
    )
    .select([
      'bundles.sid',
      'bundles.account_sid',
      'bundles.policy_sid',
      'bundles.status',
      'bundles.valid_until',
      'brand.display_name',
      'brand.logo_url',
      'brand.logo_digest',
      'brand.call_reasons',
    ])
    .where('bundles.sid', 'in', [...sids])
    .execute()
  const brands = new Map<string, BrandFact>()
  for (const r of rows) if (r.display_name !== null) brands.set(r.sid, brandFact(r))
  return (await withLinks(db, rows)).map((b) => {
    const brand = brands.get(b.sid)
    return brand ? { ...b, brand } : b
  })
}

/** The approved_brands kind a Branded Calls approval pins. */
const BRANDED_CALLS_KIND = 'branded_calls'

/** A pinned brand row as the engine reads it (call_reasons: a JSON array of strings; anything else reads as none). */
function brandFact(r: {
  display_name: string | null
  logo_url: string | null
  logo_digest: string | null
  call_reasons: string | null
}): BrandFact {
  let reasons: unknown
  try {
    reasons = JSON.parse(r.call_reasons ?? '[]')
  } catch {
    reasons = []
  }
  return {
    displayName: r.display_name ?? '',
    logoUrl: r.logo_url,
    logoDigest: r.logo_digest,
    callReasons: Array.isArray(reasons) ? reasons.filter((x): x is string => typeof x === 'string') : [],
  }
}

/** Active accounts, at most `limit` (pre-warming the attestation index). */
export async function loadActiveAccountFacts(db: Executor, limit: number): Promise<AccountFactRow[]> {
  const rows = await accountsWithParent(db)
    .where('accounts.status', '=', 'active')
    .where((eb) => eb.or([eb('parent.status', 'is', null), eb('parent.status', '=', 'active')]))
    .orderBy('accounts.sid')
    .limit(limit)
    .execute()
  return rows.map(accountFact)
}

/**
 * What rule 3 (B) can use for each account: its primary profiles and the SHAKEN/STIR trust
 * products linked to one of them. Not every trust product it owns: an ISV keeps one per
 * customer, linked to the customer's secondary profile, and may hold tens of thousands.
 * (A link added or removed bumps the account's `family` scope, see assignments.repo.ts.)
 */
export async function loadFamilies(db: Executor, accountSids: readonly string[]): Promise<Map<string, BundleFact[]>> {
  if (accountSids.length === 0) return new Map()
  // Uncorrelated subqueries: the engine first finds the few primary profiles, then their links.
  // (A correlated EXISTS per trust product made PostgreSQL scan all links once per product.) A
  // trust product linked to another listed account's primary may come along; the engine only
  // counts links to the caller's own primary profile.
  const primaries = (eb: ExpressionBuilder<Database, 'bundles'>) =>
    eb
      .selectFrom('bundles as p')
      .select('p.sid')
      .where(inList(db, 'p.account_sid', accountSids))
      .where('p.policy_sid', '=', POLICY.PRIMARY_PROFILE)
  const rows = await db
    .selectFrom('bundles')
    .select(['sid', 'account_sid', 'policy_sid', 'status', 'valid_until'])
    .where(inList(db, 'account_sid', accountSids))
    .where((eb) =>
      eb.or([
        eb('policy_sid', '=', POLICY.PRIMARY_PROFILE),
        eb.and([
          eb('policy_sid', '=', POLICY.SHAKEN_STIR),
          eb(
            'sid',
            'in',
            eb
              .selectFrom('entity_assignments as ea')
              .select('ea.bundle_sid')
              .where('ea.object_sid', 'in', primaries(eb)),
          ),
        ]),
      ]),
    )
    .execute()
  return groupBy(await withLinks(db, rows), (b) => b.accountSid)
}

/** {@link loadFamilies} for one account. */
export async function loadAccountBundleFacts(db: Executor, accountSid: string): Promise<BundleFact[]> {
  return (await loadFamilies(db, [accountSid])).get(accountSid) ?? []
}

type BundleRow = { sid: string; account_sid: string; policy_sid: string; status: string; valid_until: string | null }

async function withLinks(db: Executor, rows: readonly BundleRow[]): Promise<BundleFact[]> {
  if (rows.length === 0) return []
  const links = await db
    .selectFrom('entity_assignments')
    .select(['bundle_sid', 'object_sid'])
    .where(
      inList(
        db,
        'bundle_sid',
        rows.map((r) => r.sid),
      ),
    )
    .where('object_sid', 'like', 'BU%')
    .execute()
  const linked = groupBy(links, (l) => l.bundle_sid)
  return rows.map((r) => ({
    sid: r.sid,
    accountSid: r.account_sid,
    policySid: r.policy_sid,
    status: r.status,
    validUntil: r.valid_until,
    linkedBundleSids: (linked.get(r.sid) ?? []).map((l) => l.object_sid),
  }))
}
