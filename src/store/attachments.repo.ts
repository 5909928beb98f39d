/**
 * What is attached to bundles through EntityAssignments: end users, supporting documents (with
 * the addresses they name) and supporting bundles (with their business identity and name, and
 * for a linked trust product the profile it links). One loader for the evaluation, the
 * automated vetting checks and the reviewer's view, batched: at most eight queries whatever the
 * number of bundles or objects. Every object is read by SID *and* account
 * (DESIGN §2): an end user or document must be the bundle's account's, an address the bundle's
 * account's or its parent's, so a SID another tenant wrote into a document shows nothing.
 */
import type { Executor } from './db.js'
import type { BundleRef } from './bundles.repo.js'
import type { AddressRow } from './addresses.repo.js'
import type { EndUserRow, SupportingDocumentRow } from './entities.repo.js'
import type { BundlesTable } from './tables/bundles.table.js'
import { inList } from './in-list.js'
import { groupBy } from './group-by.js'
import { listValue } from '../domain/evaluation-fields.js'
import type { AttachedObject, Attachments } from '../domain/bundle.js'

const BUSINESS = 'customer_profile_business_information'

/** A supporting bundle as attached, with the business identity of its business information. */
type LinkedBundleRow = Pick<
  BundlesTable,
  'sid' | 'kind' | 'policy_sid' | 'status' | 'valid_until' | 'account_sid' | 'friendly_name'
> & {
  readonly business_identity: string | null
  readonly business_name: string | null
  /** The customer profile this linked bundle itself links (a linked trust product's profile). */
  readonly profile_sid: string | null
}

/** One bundle's attachments as stored, each list in attachment order. */
export interface AttachmentRows {
  readonly endUsers: readonly EndUserRow[]
  readonly documents: readonly SupportingDocumentRow[]
  /** Addresses named by the documents (`address_sids`), in the order first named. */
  readonly addresses: readonly AddressRow[]
  readonly linked: readonly LinkedBundleRow[]
}

/** Parsed JSON attributes; a value that is not an object reads as none. */
const parse = (s: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(s)
    return v && typeof v === 'object' ? v : {}
  } catch {
    return {}
  }
}

const EMPTY: AttachmentRows = Object.freeze({ endUsers: [], documents: [], addresses: [], linked: [] })

/** The rows `load` reads, keyed by SID; when no SID is asked for, no query runs. */
async function bySid<T extends { sid: string }>(
  load: () => Promise<T[]>,
  sids: readonly string[],
): Promise<Map<string, T>> {
  return sids.length ? new Map((await load()).map((r) => [r.sid, r])) : new Map()
}

/** business_identity and business_name of each bundle's business information (the first found), for bundles `sids`. */
async function identities(
  db: Executor,
  sids: readonly string[],
): Promise<Map<string, { identity: string | null; name: string | null }>> {
  const out = new Map<string, { identity: string | null; name: string | null }>()
  if (!sids.length) return out
  const rows = await db
    .selectFrom('entity_assignments as ea')
    .innerJoin('end_users as eu', 'eu.sid', 'ea.object_sid')
    .select(['ea.bundle_sid', 'eu.attributes'])
    .where(inList(db, 'ea.bundle_sid', sids))
    .where('eu.type', '=', BUSINESS)
    .execute()
  for (const r of rows) {
    if (out.has(r.bundle_sid)) continue
    const a = parse(r.attributes)
    const text = (v: unknown) => (typeof v === 'string' ? v : null)
    out.set(r.bundle_sid, { identity: text(a.business_identity), name: text(a.business_name) })
  }
  return out
}

/** The bundle each of `bundles` links in its own account (a trust product's customer profile). */
async function linkedProfiles(db: Executor, bundles: readonly BundleRef[]): Promise<Map<string, string>> {
  if (!bundles.length) return new Map()
  const rows = await db
    .selectFrom('entity_assignments')
    .select(['bundle_sid', 'object_sid'])
    .where(
      inList(
        db,
        'bundle_sid',
        bundles.map((b) => b.sid),
      ),
    )
    .where('object_sid', 'like', 'BU%')
    .orderBy('date_created')
    .execute()
  const out = new Map<string, string>()
  for (const r of rows) if (!out.has(r.bundle_sid)) out.set(r.bundle_sid, r.object_sid)
  return out
}

/** For each of `accounts`, the accounts whose addresses its documents may name: itself and its parent. */
async function addressOwners(db: Executor, accounts: readonly string[]): Promise<Map<string, string[]>> {
  if (!accounts.length) return new Map()
  const rows = await db
    .selectFrom('accounts')
    .select(['sid', 'parent_sid'])
    .where(inList(db, 'sid', accounts))
    .execute()
  return new Map(rows.map((r) => [r.sid, r.parent_sid ? [r.sid, r.parent_sid] : [r.sid]]))
}

/** The attachments of each of `bundles` (scoped to each bundle's account), by bundle SID. */
export async function loadAttachments(
  db: Executor,
  bundles: readonly BundleRef[],
): Promise<Map<string, AttachmentRows>> {
  const out = new Map<string, AttachmentRows>()
  if (!bundles.length) return out
  const assigned = await db
    .selectFrom('entity_assignments')
    .select(['bundle_sid', 'account_sid', 'object_sid'])
    .where(
      inList(
        db,
        'bundle_sid',
        bundles.map((b) => b.sid),
      ),
    )
    .orderBy('date_created')
    .orderBy('sid')
    .execute()
  const account = new Map(bundles.map((b) => [b.sid, b.account_sid]))
  const objects = groupBy(
    assigned.filter((a) => account.get(a.bundle_sid) === a.account_sid),
    (a) => a.bundle_sid,
  )
  const all = (prefix: string) => [...new Set(assigned.map((a) => a.object_sid).filter((s) => s.startsWith(prefix)))]
  const endUsers = await bySid(
    () =>
      db
        .selectFrom('end_users')
        .selectAll()
        .where(inList(db, 'sid', all('IT')))
        .execute(),
    all('IT'),
  )
  const documents = await bySid(
    () =>
      db
        .selectFrom('supporting_documents')
        .selectAll()
        .where(inList(db, 'sid', all('RD')))
        .execute(),
    all('RD'),
  )
  const named = (d: SupportingDocumentRow) => listValue(parse(d.attributes).address_sids)
  const addressSids = [...new Set([...documents.values()].flatMap(named))]
  const addresses = await bySid(
    () =>
      db
        .selectFrom('addresses')
        .selectAll()
        .where(inList(db, 'sid', addressSids))
        .execute(),
    addressSids,
  )
  const owners = await addressOwners(db, addresses.size ? [...new Set(bundles.map((b) => b.account_sid))] : [])
  const linkedRows = await bySid(
    () =>
      db
        .selectFrom('bundles')
        .select(['sid', 'kind', 'policy_sid', 'status', 'valid_until', 'account_sid', 'friendly_name'])
        .where(inList(db, 'sid', all('BU')))
        .execute(),
    all('BU'),
  )
  const identity = await identities(db, [...linkedRows.keys()])
  const profileOf = await linkedProfiles(
    db,
    [...linkedRows.values()].filter((l) => l.kind === 'trust-product'),
  )
  const pick = <T>(sids: readonly string[], rows: Map<string, T>) => sids.flatMap((s) => rows.get(s) ?? [])
  for (const b of bundles) {
    const sids = (objects.get(b.sid) ?? []).map((a) => a.object_sid)
    if (!sids.length) {
      out.set(b.sid, EMPTY)
      continue
    }
    const own = <T extends { account_sid: string }>(rows: readonly T[], accounts: readonly string[]) =>
      rows.filter((r) => accounts.includes(r.account_sid))
    const docs = own(pick(sids, documents), [b.account_sid])
    out.set(b.sid, {
      endUsers: own(pick(sids, endUsers), [b.account_sid]),
      documents: docs,
      addresses: own(pick([...new Set(docs.flatMap(named))], addresses), owners.get(b.account_sid) ?? [b.account_sid]),
      linked: pick(sids, linkedRows).map((l) => ({
        ...l,
        business_identity: identity.get(l.sid)?.identity ?? null,
        business_name: identity.get(l.sid)?.name ?? null,
        profile_sid: profileOf.get(l.sid) ?? null,
      })),
    })
  }
  return out
}

/** The attachments of one bundle. */
export async function attachmentsOf(db: Executor, bundle: BundleRef): Promise<AttachmentRows> {
  return (await loadAttachments(db, [bundle])).get(bundle.sid) ?? EMPTY
}

const object = (r: { sid: string; type: string; attributes: string }): AttachedObject => ({
  sid: r.sid,
  type: r.type,
  attributes: parse(r.attributes),
})

/** The snapshot the evaluation and the vetting checks read. */
export function toSnapshot(rows: AttachmentRows): Attachments {
  return {
    endUsers: rows.endUsers.map(object),
    documents: rows.documents.map(object),
    addresses: rows.addresses.map((a) => ({
      sid: a.sid,
      account_sid: a.account_sid,
      iso_country: a.iso_country,
      region: a.region,
      postal_code: a.postal_code,
    })),
    linked: rows.linked.map((l) => ({
      sid: l.sid,
      policy_sid: l.policy_sid,
      status: l.status,
      valid_until: l.valid_until,
      business_identity: l.business_identity,
      business_name: l.business_name,
      profile_sid: l.profile_sid,
    })),
  }
}
