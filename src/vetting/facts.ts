/**
 * Gathers what the automated checks look at for one bundle: its attached end users,
 * documents and addresses, the bundles it links, and approved bundles of unrelated accounts
 * with the same registration number. The checks themselves are pure (src/domain/vetting-checks).
 */
import type { Executor } from '../store/db.js'
import type { BundleRow } from '../store/bundles.repo.js'
import type { AttachedObject, BundleFacts, LinkedBundle } from '../domain/vetting-checks.js'

const BUSINESS = 'customer_profile_business_information'

const parse = (s: string): Record<string, unknown> => {
  try { const v = JSON.parse(s); return v && typeof v === 'object' ? v : {} } catch { return {} }
}
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter(Boolean)

/** The top-level account of `sid` (itself when it has no parent). */
async function rootOf(db: Executor, sid: string): Promise<string> {
  const a = await db.selectFrom('accounts').select('parent_sid').where('sid', '=', sid).executeTakeFirst()
  return a?.parent_sid ?? sid
}

/** business_identity of a bundle's business information end user. */
async function identityOf(db: Executor, bundleSid: string): Promise<string | null> {
  const rows = await db.selectFrom('entity_assignments as ea').innerJoin('end_users as eu', 'eu.sid', 'ea.object_sid')
    .select('eu.attributes').where('ea.bundle_sid', '=', bundleSid).where('eu.type', '=', BUSINESS).execute()
  const v = rows[0] ? parse(rows[0].attributes).business_identity : undefined
  return typeof v === 'string' ? v : null
}

/** Approved bundles on accounts outside `root`'s family whose business information carries `number`. */
async function duplicatesOf(db: Executor, number: string, root: string, self: string) {
  if (!number) return []
  const rows = await db.selectFrom('end_users as eu')
    .innerJoin('entity_assignments as ea', 'ea.object_sid', 'eu.sid')
    .innerJoin('bundles as b', 'b.sid', 'ea.bundle_sid')
    .innerJoin('accounts as a', 'a.sid', 'b.account_sid')
    .select(['b.sid as bundle_sid', 'b.account_sid', 'a.parent_sid', 'eu.attributes'])
    .where('eu.type', '=', BUSINESS).where('b.status', '=', 'twilio-approved').where('b.sid', '!=', self)
    .where('eu.attributes', 'like', `%${number.replace(/[%_]/g, '')}%`)
    .execute()
  return rows
    .filter((r) => (r.parent_sid ?? r.account_sid) !== root)
    .filter((r) => String(parse(r.attributes).business_registration_number ?? '').trim() === number)
    .map((r) => ({ bundle_sid: r.bundle_sid, account_sid: r.account_sid }))
}

/** Builds the check input for `bundle` as of `now`. */
export async function gatherFacts(db: Executor, bundle: BundleRow, now: string): Promise<BundleFacts> {
  const objectSids = (await db.selectFrom('entity_assignments').select('object_sid').where('bundle_sid', '=', bundle.sid).execute()).map((r) => r.object_sid)
  const pick = (prefix: string) => objectSids.filter((s) => s.startsWith(prefix))
  const toObj = (r: { sid: string; type: string; attributes: string }): AttachedObject => ({ sid: r.sid, type: r.type, attributes: parse(r.attributes) })
  const endUsers = pick('IT').length ? (await db.selectFrom('end_users').select(['sid', 'type', 'attributes']).where('sid', 'in', pick('IT')).execute()).map(toObj) : []
  const documents = pick('RD').length ? (await db.selectFrom('supporting_documents').select(['sid', 'type', 'attributes']).where('sid', 'in', pick('RD')).execute()).map(toObj) : []
  const addressSids = documents.flatMap((d) => listOf(d.attributes.address_sids))
  const addresses = addressSids.length ? await db.selectFrom('addresses').select(['sid', 'iso_country', 'region', 'postal_code']).where('sid', 'in', addressSids).execute() : []
  const linkedRows = pick('BU').length ? await db.selectFrom('bundles').select(['sid', 'policy_sid', 'status', 'valid_until']).where('sid', 'in', pick('BU')).execute() : []
  const linked: LinkedBundle[] = []
  for (const l of linkedRows) linked.push({ ...l, business_identity: await identityOf(db, l.sid) })
  const number = String(endUsers.find((e) => e.type === BUSINESS)?.attributes.business_registration_number ?? '').trim()
  const duplicates = await duplicatesOf(db, number, await rootOf(db, bundle.account_sid), bundle.sid)
  return { sid: bundle.sid, account_sid: bundle.account_sid, policy_sid: bundle.policy_sid, endUsers, documents, addresses, linked, duplicates, now }
}
