/**
 * SIP trunks (TK…). Every write bumps the trunks version in its transaction, so each SIP
 * process reloads its trunks before the next INVITE it answers (sip/trunk-directory.ts).
 */
import type { Executor } from './db.js'
import type { SipTrunksTable } from './tables/sip-trunks.table.js'
import { keysetPage, type PageRequest } from './paging.js'
import { withDecisionBump } from './decision-version.repo.js'

export type SipTrunkRow = SipTrunksTable

/** The fields a trunk write sets. */
export interface TrunkFields {
  readonly accountSid: string
  readonly friendlyName: string
  /** Canonical CIDRs. */
  readonly sourceAddresses: readonly string[]
  readonly trunkGroup: string | null
}

const TRUNKS_BUMP = { kinds: ['trunks'] } as const

const columns = (f: TrunkFields) => ({
  account_sid: f.accountSid,
  friendly_name: f.friendlyName,
  source_addresses: JSON.stringify(f.sourceAddresses),
  trunk_group: f.trunkGroup,
})

/** The CIDRs of a stored trunk. */
export function trunkAddresses(row: SipTrunkRow): string[] {
  return JSON.parse(row.source_addresses) as string[]
}

export async function insertTrunk(db: Executor, sid: string, f: TrunkFields, now: string): Promise<SipTrunkRow> {
  const row: SipTrunkRow = { sid, ...columns(f), date_created: now, date_updated: now }
  await withDecisionBump(db, (t) => t.insertInto('sip_trunks').values(row).execute(), TRUNKS_BUMP)
  return row
}

export async function updateTrunk(db: Executor, sid: string, f: TrunkFields, now: string): Promise<void> {
  await withDecisionBump(
    db,
    (t) =>
      t
        .updateTable('sip_trunks')
        .set({ ...columns(f), date_updated: now })
        .where('sid', '=', sid)
        .execute(),
    TRUNKS_BUMP,
  )
}

export async function deleteTrunk(db: Executor, sid: string): Promise<void> {
  await withDecisionBump(db, (t) => t.deleteFrom('sip_trunks').where('sid', '=', sid).execute(), TRUNKS_BUMP)
}

export async function findTrunk(db: Executor, sid: string): Promise<SipTrunkRow | undefined> {
  return db.selectFrom('sip_trunks').selectAll().where('sid', '=', sid).executeTakeFirst()
}

/** Trunks newest first, keyset-paged; only `accountSid`'s when given. */
export async function listTrunks(db: Executor, accountSid: string | undefined, page: PageRequest) {
  let q = db.selectFrom('sip_trunks').selectAll()
  if (accountSid) q = q.where('account_sid', '=', accountSid)
  return keysetPage(q, page)
}

/** Every trunk (what a SIP process matches INVITEs against; an operator configures tens, not millions). */
export async function allTrunks(db: Executor): Promise<SipTrunkRow[]> {
  return db.selectFrom('sip_trunks').selectAll().orderBy('sid').execute()
}
