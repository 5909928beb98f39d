/**
 * SIP trunks (operator only): the account the SIP signing front signs for is the trunk's, found
 * from the INVITE's source address and, where trunks share an SBC, its RFC 4904 `tgrp`; never
 * the owner of the calling number (DESIGN §2). Source addresses are CIDRs (IPv4 or IPv6),
 * kept in canonical form; the account must exist and not be closed; two trunks that no INVITE
 * could tell apart (a source block in common and the same trunk group, or both none) are
 * refused (409). Every change is audited and bumps the trunks version, so every SIP process
 * applies it to its next INVITE.
 */
import type { Db, Executor } from '../store/db.js'
import {
  allTrunks,
  deleteTrunk,
  findTrunk,
  insertTrunk,
  trunkAddresses,
  updateTrunk,
  type SipTrunkRow,
  type TrunkFields,
} from '../store/sip-trunks.repo.js'
import { findAccount } from '../store/accounts.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { AppError, errors } from '../domain/errors.js'
import { cidrText, parseCidr } from '../domain/cidr.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'

/** Source blocks one trunk may list. */
const MAX_ADDRESSES = 100

/**
 * An RFC 4904 §5 trunk-group-label as written unescaped: unreserved characters (RFC 3261) and
 * `/ & + $`. An INVITE's `tgrp` is compared after its %-escapes are decoded.
 */
const TRUNK_GROUP = /^[A-Za-z0-9\-_.!~*'()/&+$]{1,64}$/

/** A trunk's fields as the API takes them (`SourceAddresses`: a list, or a comma-separated string). */
export interface TrunkInput {
  readonly FriendlyName?: string
  readonly AccountSid?: string
  readonly SourceAddresses?: string | readonly string[]
  /** An empty string clears it. */
  readonly TrunkGroup?: string
}

/** The canonical CIDRs of `SourceAddresses` (duplicates dropped), or INVALID_PARAM naming the bad one. */
function sourceAddresses(raw: string | readonly string[]): string[] {
  const items = (typeof raw === 'string' ? [raw] : raw)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0)
    throw errors.invalid('SourceAddresses', 'needs at least one CIDR (an IPv4 or IPv6 address/prefix)')
  const out = new Set<string>()
  for (const item of items) {
    const c = parseCidr(item)
    if ('error' in c) throw errors.invalid('SourceAddresses', c.error)
    out.add(cidrText(c))
  }
  if (out.size > MAX_ADDRESSES) throw errors.invalid('SourceAddresses', `at most ${MAX_ADDRESSES} CIDRs per trunk`)
  return [...out]
}

function trunkGroup(raw: string | undefined, before: string | null): string | null {
  if (raw === undefined) return before
  if (raw === '') return null
  if (!TRUNK_GROUP.test(raw))
    throw errors.invalid(
      'TrunkGroup',
      "an RFC 4904 trunk-group-label: 1 to 64 letters, digits or - _ . ! ~ * ' ( ) / & + $",
    )
  return raw
}

/** The account a trunk may sign for: it exists and is not closed (a suspended one's calls get 403). */
async function requireAccount(db: Executor, sid: string): Promise<void> {
  const acct = await findAccount(db, sid)
  if (!acct) throw errors.invalid('AccountSid', `no account ${sid}`)
  if (acct.status === 'closed') throw errors.invalid('AccountSid', `${sid} is closed`)
}

/** 409 when another trunk lists one of `f`'s blocks with the same trunk group: no INVITE could choose between them. */
async function requireDistinct(db: Executor, f: TrunkFields, self?: string): Promise<void> {
  for (const other of await allTrunks(db)) {
    if (other.sid === self || other.trunk_group !== f.trunkGroup) continue
    const shared = trunkAddresses(other).find((c) => f.sourceAddresses.includes(c))
    if (shared) {
      throw new AppError(
        'CONFLICT',
        `SIP trunk ${other.sid} already serves ${shared} ${f.trunkGroup ? `with TrunkGroup ${f.trunkGroup}` : 'without a TrunkGroup'}: give one of them a distinct TrunkGroup`,
        { sid: other.sid },
      )
    }
  }
}

const path = (sid: string) => `/admin/v1/SipTrunks/${sid}`

/** Creates a trunk; audited as `sip_trunk.created`. */
export async function createTrunk(db: Db, clock: Clock, input: TrunkInput, actor: string): Promise<SipTrunkRow> {
  if (!input.FriendlyName) throw errors.missing('FriendlyName')
  if (!input.AccountSid) throw errors.missing('AccountSid')
  if (input.SourceAddresses === undefined) throw errors.missing('SourceAddresses')
  const f: TrunkFields = {
    accountSid: input.AccountSid,
    friendlyName: input.FriendlyName,
    sourceAddresses: sourceAddresses(input.SourceAddresses),
    trunkGroup: trunkGroup(input.TrunkGroup, null),
  }
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    await requireAccount(trx, f.accountSid)
    await requireDistinct(trx, f)
    const row = await insertTrunk(trx, newSid('TK'), f, now)
    await appendEvent(
      trx,
      { accountSid: f.accountSid, resourceSid: row.sid, type: 'sip_trunk.created', actor, data: auditData(row) },
      now,
    )
    return row
  })
}

/** Changes the fields given; audited as `sip_trunk.updated` with the before and after. 404 for no such trunk. */
export async function changeTrunk(
  db: Db,
  clock: Clock,
  sid: string,
  input: TrunkInput,
  actor: string,
): Promise<SipTrunkRow> {
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    const before = await findTrunk(trx, sid)
    if (!before) throw errors.notFound(path(sid))
    if (input.FriendlyName === '') throw errors.invalid('FriendlyName', 'must not be empty')
    const f: TrunkFields = {
      accountSid: input.AccountSid ?? before.account_sid,
      friendlyName: input.FriendlyName ?? before.friendly_name,
      sourceAddresses:
        input.SourceAddresses === undefined ? trunkAddresses(before) : sourceAddresses(input.SourceAddresses),
      trunkGroup: trunkGroup(input.TrunkGroup, before.trunk_group),
    }
    if (f.accountSid !== before.account_sid) await requireAccount(trx, f.accountSid)
    await requireDistinct(trx, f, sid)
    await updateTrunk(trx, sid, f, now)
    const after = (await findTrunk(trx, sid))!
    await appendEvent(
      trx,
      {
        accountSid: after.account_sid,
        resourceSid: sid,
        type: 'sip_trunk.updated',
        actor,
        data: { before: auditData(before), after: auditData(after) },
      },
      now,
    )
    return after
  })
}

/** Deletes a trunk (its INVITEs are refused from the next one); audited as `sip_trunk.deleted`. 404 for no such trunk. */
export async function removeTrunk(db: Db, clock: Clock, sid: string, actor: string): Promise<void> {
  const now = isoNow(clock)
  await db.transaction().execute(async (trx) => {
    const before = await findTrunk(trx, sid)
    if (!before) throw errors.notFound(path(sid))
    await deleteTrunk(trx, sid)
    await appendEvent(
      trx,
      { accountSid: before.account_sid, resourceSid: sid, type: 'sip_trunk.deleted', actor, data: auditData(before) },
      now,
    )
  })
}

/** A trunk by SID; 404 for none. */
export async function getTrunk(db: Executor, sid: string): Promise<SipTrunkRow> {
  const row = await findTrunk(db, sid)
  if (!row) throw errors.notFound(path(sid))
  return row
}

const auditData = (r: SipTrunkRow) => ({
  account_sid: r.account_sid,
  friendly_name: r.friendly_name,
  source_addresses: trunkAddresses(r),
  trunk_group: r.trunk_group,
})
