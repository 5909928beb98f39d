/**
 * What may be attached to a bundle (spec §4, §7, §11): EntityAssignments (BV…: end users,
 * documents, a supporting bundle) while it is editable, from its own account (a supporting
 * bundle also from the parent's), as its policy asks; ChannelEndpointAssignments (RA…: phone
 * numbers) in any status, from its account or sub-accounts, one bundle per slot; an approved
 * bundle takes only numbers with a verified right-to-use origin (DESIGN §2).
 */
import type { Executor } from '../store/db.js'
import { atomically } from '../store/executor.js'
import { appendEvent } from '../store/events.repo.js'
import type { BundleRow } from '../store/bundles.repo.js'
import { childSids, findAccount } from '../store/accounts.repo.js'
import {
  deleteChannelAssignment,
  deleteEntityAssignment,
  endpointsOnAny,
  findAssignable,
  findAssignmentOf,
  insertChannelAssignment,
  insertEntityAssignment,
  isUniqueViolation,
  linkedBundleSids,
  numbersHeldBy,
  slotHolders,
  type Assignable,
  type ChannelEndpointAssignmentRow,
  type EntityAssignmentRow,
} from '../store/assignments.repo.js'
import { POLICY, findPolicy, isBrandingPolicy, POLICIES, type PolicyDef } from '../domain/policies.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { APPROVED } from '../domain/bundle.js'
import { isVerifiedOrigin } from '../domain/number-origin.js'
import { requireEditable } from './bundles.js'

/** Why the policy does not use this object, or null when it does (spec §11). */
function policyMismatch(p: PolicyDef, o: Assignable): string | null {
  if (o.kind === 'end-user')
    return p.end_users.some((e) => e.type === o.type)
      ? null
      : `end user type ${o.type}; it takes ${p.end_users.map((e) => e.type).join(', ') || 'no end users'}`
  if (o.kind === 'document')
    return p.documents.some((d) => d.accepted.includes(o.type))
      ? null
      : `document type ${o.type}; it takes ${p.documents.flatMap((d) => d.accepted).join(', ') || 'no documents'}`
  if (o.kind !== 'bundle') return null
  const type = POLICIES.find((x) => x.sid === o.policy_sid)?.bundle_type ?? o.policy_sid
  return p.bundles.some((b) => (b.types as readonly string[]).includes(type))
    ? null
    : `bundle of type ${type}; it takes ${p.bundles.flatMap((b) => b.types).join(', ') || 'no supporting bundles'}`
}

/** Checks an ObjectSid for this bundle and returns what it names (400 with the reason otherwise). */
async function checkObject(db: Executor, bundle: BundleRow, objectSid: string): Promise<Assignable> {
  if (objectSid === bundle.sid) throw errors.invalid('ObjectSid', 'a bundle cannot be assigned to itself')
  // End users and documents come from the bundle's own account; a supporting bundle may also be
  // the parent account's (spec §7D: an ISV's primary profile backs its sub-accounts' profiles).
  const owner = await findAccount(db, bundle.account_sid)
  const accounts =
    objectSid.startsWith('BU') && owner?.parent_sid ? [bundle.account_sid, owner.parent_sid] : [bundle.account_sid]
  const o = await findAssignable(db, accounts, objectSid)
  if (!o)
    throw errors.invalid(
      'ObjectSid',
      `${objectSid} is not an EndUser (IT…), SupportingDocument (RD…) or bundle (BU…) of account ${bundle.account_sid}${accounts.length > 1 ? ' or its parent' : ''}`,
    )
  const why = policyMismatch(findPolicy(bundle.policy_sid)!, o)
  if (why) throw errors.invalid('ObjectSid', `${objectSid} is a ${why} (policy ${bundle.policy_sid})`)
  if (await findAssignmentOf(db, bundle, objectSid))
    throw errors.invalid('ObjectSid', `${objectSid} is already assigned to ${bundle.sid}`)
  // A bundle rests on one supporting bundle per requirement (a trust product's profile, a
  // secondary's primary; a branding product's profile and its SHAKEN/STIR trust product).
  if (o.kind === 'bundle') {
    const requirement = requirementOf(findPolicy(bundle.policy_sid)!, o.policy_sid)
    for (const sid of await linkedBundleSids(db, bundle)) {
      const other = await findAssignable(db, accounts, sid)
      if (
        !other ||
        other.kind !== 'bundle' ||
        requirementOf(findPolicy(bundle.policy_sid)!, other.policy_sid) === requirement
      )
        throw errors.invalid('ObjectSid', `${bundle.sid} already links ${sid}; remove that EntityAssignment first`)
    }
  }
  return o
}

/** The requirement of policy `p` a bundle of policy `policySid` meets. */
const requirementOf = (p: PolicyDef, policySid: string) => {
  const type = POLICIES.find((x) => x.sid === policySid)?.bundle_type
  return p.bundles.find((b) => (b.types as readonly string[]).includes(type ?? ''))?.requirement_name
}

/**
 * The bundles whose numbers a trust product's numbers must be on: its linked customer profile,
 * or, for a branding product, its linked SHAKEN/STIR trust product (the numbers it signs A).
 */
async function numberSources(db: Executor, bundle: BundleRow): Promise<string[]> {
  const linked = await linkedBundleSids(db, bundle)
  if (!isBrandingPolicy(bundle.policy_sid)) return linked
  const owner = await findAccount(db, bundle.account_sid)
  const accounts = owner?.parent_sid ? [bundle.account_sid, owner.parent_sid] : [bundle.account_sid]
  const out: string[] = []
  for (const sid of linked) {
    const o = await findAssignable(db, accounts, sid)
    if (o?.kind === 'bundle' && o.policy_sid === POLICY.SHAKEN_STIR) out.push(sid)
  }
  return out
}

/** Attaches an end user, document or supporting bundle to an editable bundle. */
export async function assignEntity(
  db: Executor,
  clock: Clock,
  bundle: BundleRow,
  objectSid: string,
): Promise<EntityAssignmentRow> {
  requireEditable(bundle)
  await checkObject(db, bundle, objectSid)
  const row: EntityAssignmentRow = {
    sid: newSid('BV'),
    bundle_sid: bundle.sid,
    account_sid: bundle.account_sid,
    object_sid: objectSid,
    date_created: isoNow(clock),
  }
  try {
    await insertEntityAssignment(db, row)
  } catch (e) {
    if (isUniqueViolation(e))
      throw errors.invalid('ObjectSid', `${row.object_sid} is already assigned to ${bundle.sid}`)
    throw e
  }
  return row
}

/** Removes an entity assignment of an editable bundle. */
export async function removeEntity(db: Executor, bundle: BundleRow, row: EntityAssignmentRow): Promise<void> {
  requireEditable(bundle)
  await deleteEntityAssignment(db, row.sid)
}

/** What the rules say of one number for a bundle: the slot it takes, or why not (`already` when it is there). */
export type EndpointVerdict =
  | { readonly ok: true; readonly slot: string }
  | { readonly ok: false; readonly already: boolean; readonly reason: string }

/** The slot a bundle's numbers take: one customer profile, and one trust product per policy. */
const slotOf = (bundle: BundleRow) => (bundle.kind === 'customer-profile' ? 'customer-profile' : bundle.policy_sid)

/**
 * Judges phone numbers (PN…) for this bundle (spec §7B, §11), one set of queries for all: each
 * must be the bundle account's or one of its sub-accounts' (never the parent's, never an
 * unrelated account's); an approved bundle takes only numbers with a verified origin; a trust
 * product takes only numbers already on its linked profile; one bundle per slot.
 */
export async function judgeEndpoints(
  db: Executor,
  bundle: BundleRow,
  pns: readonly string[],
): Promise<Map<string, EndpointVerdict>> {
  const owners = [bundle.account_sid, ...(await childSids(db, bundle.account_sid))]
  const origins = new Map((await numbersHeldBy(db, owners, pns, [])).map((n) => [n.sid, n.origin]))
  const trust = bundle.kind === 'trust-product'
  const linked = trust ? await numberSources(db, bundle) : []
  const linkedWhat = isBrandingPolicy(bundle.policy_sid) ? 'SHAKEN/STIR Trust Product' : 'Customer Profile'
  const onLinked = trust ? await endpointsOnAny(db, linked, pns) : new Set<string>()
  const slot = slotOf(bundle)
  const holders = await slotHolders(db, slot, pns)
  const no = (reason: string, already = false): EndpointVerdict => ({ ok: false, already, reason })
  const judge = (pn: string): EndpointVerdict => {
    const origin = origins.get(pn)
    if (origin === undefined)
      return no(`${pn} is not a phone number of account ${bundle.account_sid} or its sub-accounts`)
    // Vetting approved the business, not the numbers added afterwards: those must be the account's.
    if (bundle.status === APPROVED && !isVerifiedOrigin(origin))
      return no(
        `${pn} has right-to-use origin ${origin}: an approved bundle takes only numbers bought from the inventory, placed by the operator or hosted (the operator may confirm it)`,
      )
    if (trust && linked.length === 0)
      return no(`attach the ${linkedWhat} to ${bundle.sid} (EntityAssignment ObjectSid=BU…) before assigning numbers`)
    if (trust && !onLinked.has(pn))
      return no(`${pn} must first be assigned to the linked ${linkedWhat} ${linked.join(', ')}`)
    const holder = holders.get(pn)
    if (holder)
      return no(
        `${pn} is already assigned to ${holder === bundle.sid ? 'this bundle' : holder}; remove that ChannelEndpointAssignment first`,
        holder === bundle.sid,
      )
    return { ok: true, slot }
  }
  return new Map(pns.map((pn) => [pn, judge(pn)]))
}

/** Checks one phone number for this bundle ({@link judgeEndpoints}); returns its slot, 400 with the reason otherwise. */
async function checkEndpoint(db: Executor, bundle: BundleRow, type: string, pn: string): Promise<string> {
  if (type !== 'phone-number') throw errors.invalid('ChannelEndpointType', `must be phone-number (got "${type}")`)
  if (!pn.startsWith('PN')) throw errors.invalid('ChannelEndpointSid', 'must be a phone number SID (PN…)')
  const v = (await judgeEndpoints(db, bundle, [pn])).get(pn)!
  if (!v.ok) throw errors.invalid('ChannelEndpointSid', v.reason)
  return v.slot
}

/**
 * Assigns a phone number to a bundle; numbers may be assigned in any status ("before or after submitting", Twilio's
 * guides). The assignment is an audit event on the bundle, written with it: it can lift the number's calls to A.
 */
export async function assignChannelEndpoint(
  db: Executor,
  clock: Clock,
  bundle: BundleRow,
  type: string,
  pn: string,
  actor = `account:${bundle.account_sid}`,
): Promise<ChannelEndpointAssignmentRow> {
  const slot = await checkEndpoint(db, bundle, type, pn)
  const row: ChannelEndpointAssignmentRow = {
    sid: newSid('RA'),
    bundle_sid: bundle.sid,
    account_sid: bundle.account_sid,
    channel_endpoint_type: 'phone-number',
    channel_endpoint_sid: pn,
    slot,
    date_created: isoNow(clock),
  }
  try {
    await atomically(db, async (trx) => {
      await insertChannelAssignment(trx, row)
      await appendEvent(trx, endpointEvent('channel_endpoint.assigned', row, actor), row.date_created)
    })
  } catch (e) {
    if (isUniqueViolation(e))
      throw errors.invalid(
        'ChannelEndpointSid',
        `${row.channel_endpoint_sid} is already assigned to another bundle of this kind`,
      )
    throw e
  }
  return row
}

/** Removes a phone number from a bundle, in any status (as numbers are assigned); an audit event on the bundle. */
export async function removeChannelEndpoint(
  db: Executor,
  clock: Clock,
  row: ChannelEndpointAssignmentRow,
  actor = `account:${row.account_sid}`,
): Promise<void> {
  await atomically(db, async (trx) => {
    await deleteChannelAssignment(trx, row.sid)
    await appendEvent(trx, endpointEvent('channel_endpoint.unassigned', row, actor), isoNow(clock))
  })
}

/** The audit event of a number's assignment to a bundle, or its removal. */
export function endpointEvent(
  type: 'channel_endpoint.assigned' | 'channel_endpoint.unassigned',
  row: ChannelEndpointAssignmentRow,
  actor: string,
) {
  return {
    accountSid: row.account_sid,
    resourceSid: row.bundle_sid,
    type,
    actor,
    data: { assignment_sid: row.sid, channel_endpoint_sid: row.channel_endpoint_sid },
  }
}
