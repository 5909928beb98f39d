/**
 * A bundle's EntityAssignments (BV…) and ChannelEndpointAssignments (RA…), with the rules of
 * spec §4, §7 and §11: what may be attached, from which accounts, and in which statuses.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { findPolicy, POLICIES, type PolicyDef } from '../../domain/policies.js'
import { childSids, findAccount } from '../../store/accounts.repo.js'
import type { Executor } from '../../store/db.js'
import type { BundleRow } from '../../store/bundles.repo.js'
import {
  deleteChannelAssignment, deleteEntityAssignment, endpointOnAny, findAssignable, findAssignmentOf, findChannelAssignment,
  findEntityAssignment, insertChannelAssignment, insertEntityAssignment, isUniqueViolation, linkedBundleSids,
  listChannelAssignments, listEntityAssignments, numberHeldBy, slotHolder, type Assignable, type ChannelEndpointAssignmentRow, type EntityAssignmentRow,
} from '../../store/assignments.repo.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'
import { EDITABLE } from '../../vetting/bundle-status.js'
import { presentChannelAssignment, presentEntityAssignment, type BundleResource } from './bundles.presenter.js'
import { loadBundle } from './bundles-scope.js'

const ANY_SID = '^[a-zA-Z]{2}[0-9a-fA-F]{32}$'

/** Entity assignments change only while the bundle is editable (spec §4). */
function requireEditable(b: BundleRow) {
  if (!EDITABLE.includes(b.status)) throw errors.state(`Bundle ${b.sid} is ${b.status}: its EntityAssignments can change only while it is draft or twilio-rejected`)
}

/** Why the policy does not use this object, or null when it does (spec §11). */
function policyMismatch(p: PolicyDef, o: Assignable): string | null {
  if (o.kind === 'end-user') return p.end_users.some((e) => e.type === o.type) ? null : `end user type ${o.type}; it takes ${p.end_users.map((e) => e.type).join(', ') || 'no end users'}`
  if (o.kind === 'document') return p.documents.some((d) => d.accepted.includes(o.type)) ? null : `document type ${o.type}; it takes ${p.documents.flatMap((d) => d.accepted).join(', ') || 'no documents'}`
  if (o.kind !== 'bundle') return null
  const type = POLICIES.find((x) => x.sid === o.policy_sid)?.bundle_type ?? o.policy_sid
  return p.bundles.some((b) => (b.types as readonly string[]).includes(type)) ? null : `bundle of type ${type}; it takes ${p.bundles.flatMap((b) => b.types).join(', ') || 'no supporting bundles'}`
}

/** Checks an ObjectSid for this bundle and returns what it names (400 with the reason otherwise). */
async function checkObject(db: Executor, bundle: BundleRow, objectSid: string): Promise<Assignable> {
  if (objectSid === bundle.sid) throw errors.invalid('ObjectSid', 'a bundle cannot be assigned to itself')
  // End users and documents come from the bundle's own account; a supporting bundle may also be
  // the parent account's (spec §7D: an ISV's primary profile backs its sub-accounts' profiles).
  const owner = await findAccount(db, bundle.account_sid)
  const accounts = objectSid.startsWith('BU') && owner?.parent_sid ? [bundle.account_sid, owner.parent_sid] : [bundle.account_sid]
  const o = await findAssignable(db, accounts, objectSid)
  if (!o) throw errors.invalid('ObjectSid', `${objectSid} is not an EndUser (IT…), SupportingDocument (RD…) or bundle (BU…) of account ${bundle.account_sid}${accounts.length > 1 ? ' or its parent' : ''}`)
  const why = policyMismatch(findPolicy(bundle.policy_sid)!, o)
  if (why) throw errors.invalid('ObjectSid', `${objectSid} is a ${why} (policy ${bundle.policy_sid})`)
  if (await findAssignmentOf(db, bundle, objectSid)) throw errors.invalid('ObjectSid', `${objectSid} is already assigned to ${bundle.sid}`)
  // A bundle rests on one supporting profile (a trust product's profile, a secondary's primary).
  const linked = o.kind === 'bundle' ? await linkedBundleSids(db, bundle) : []
  if (linked.length) throw errors.invalid('ObjectSid', `${bundle.sid} already links ${linked.join(', ')}; remove that EntityAssignment first`)
  return o
}

/** Registers EntityAssignments and ChannelEndpointAssignments for one bundle family. */
export function bundleAssignmentsRoutes(app: App, ctx: AppContext, r: BundleResource) {
  entityRoutes(app, ctx, r)
  channelRoutes(app, ctx, r)
}

function entityRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const list = `/v1/${r.path}/:BundleSid/EntityAssignments`
  const present = (row: EntityAssignmentRow) => presentEntityAssignment(ctx.config.publicUrl, r, row)
  const Parent = params({ BundleSid: sidParam('BU') })

  app.post(list, { schema: { tags, security, summary: `Attach an end user, document or supporting bundle to a ${r.noun}`, params: Parent, body: Type.Object({ ObjectSid: Type.String({ pattern: ANY_SID, description: 'IT…, RD… or BU…' }) }) } }, async (req, reply) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    requireEditable(bundle)
    await checkObject(db, bundle, req.body.ObjectSid)
    const row: EntityAssignmentRow = { sid: newSid('BV'), bundle_sid: bundle.sid, account_sid: bundle.account_sid, object_sid: req.body.ObjectSid, date_created: isoNow(ctx.clock) }
    try { await insertEntityAssignment(db, row) } catch (e) {
      if (isUniqueViolation(e)) throw errors.invalid('ObjectSid', `${row.object_sid} is already assigned to ${bundle.sid}`)
      throw e
    }
    return reply.status(201).send(present(row))
  })

  app.get(list, { schema: { tags, security, summary: `List a ${r.noun}'s entity assignments`, params: Parent, querystring: Type.Object({ ...PagingQuery, ObjectType: str('filter by object type, e.g. customer_profile_business_information', 64) }) } }, async (req) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const page = pageRequest(req.query)
    const res = await listEntityAssignments(db, bundle, req.query.ObjectType || undefined, page)
    return v1Page('results', `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/EntityAssignments`, { ObjectType: req.query.ObjectType }, page, { rows: res.rows.map(present), next: res.next }, req.query.PageToken)
  })

  const One = params({ BundleSid: sidParam('BU'), Sid: sidParam('BV') })
  const loadOne = async (req: any) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const row = await findEntityAssignment(db, bundle, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return { bundle, row }
  }
  app.get(`${list}/:Sid`, { schema: { tags, security, summary: 'Fetch an entity assignment', params: One } }, async (req) => present((await loadOne(req)).row))
  app.delete(`${list}/:Sid`, { schema: { tags, security, summary: 'Remove an entity assignment', params: One } }, async (req, reply) => {
    const { bundle, row } = await loadOne(req)
    requireEditable(bundle)
    await deleteEntityAssignment(db, row.sid)
    return reply.status(204).send()
  })
}

/**
 * Checks a phone number for this bundle (spec §7B, §11): it must be the bundle account's or one
 * of its sub-accounts' (never the parent's, never an unrelated account's); a trust product takes
 * only numbers already on its linked profile; one bundle per slot. Returns the slot.
 */
async function checkEndpoint(db: Executor, bundle: BundleRow, type: string, pn: string): Promise<string> {
  if (type !== 'phone-number') throw errors.invalid('ChannelEndpointType', `must be phone-number (got "${type}")`)
  if (!pn.startsWith('PN')) throw errors.invalid('ChannelEndpointSid', 'must be a phone number SID (PN…)')
  const owners = [bundle.account_sid, ...(await childSids(db, bundle.account_sid))]
  if (!(await numberHeldBy(db, owners, pn))) throw errors.invalid('ChannelEndpointSid', `${pn} is not a phone number of account ${bundle.account_sid} or its sub-accounts`)
  if (bundle.kind === 'trust-product') {
    const linked = await linkedBundleSids(db, bundle)
    if (linked.length === 0) throw errors.invalid('ChannelEndpointSid', `attach the Customer Profile to ${bundle.sid} (EntityAssignment ObjectSid=BU…) before assigning numbers`)
    if (!(await endpointOnAny(db, linked, pn))) throw errors.invalid('ChannelEndpointSid', `${pn} must first be assigned to the linked Customer Profile ${linked.join(', ')}`)
  }
  const slot = bundle.kind === 'customer-profile' ? 'customer-profile' : bundle.policy_sid
  const holder = await slotHolder(db, slot, pn)
  if (holder) throw errors.invalid('ChannelEndpointSid', `${pn} is already assigned to ${holder === bundle.sid ? 'this bundle' : holder}; remove that ChannelEndpointAssignment first`)
  return slot
}

function channelRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const list = `/v1/${r.path}/:BundleSid/ChannelEndpointAssignments`
  const present = (row: ChannelEndpointAssignmentRow) => presentChannelAssignment(ctx.config.publicUrl, r, row)
  const Parent = params({ BundleSid: sidParam('BU') })

  app.post(list, {
    schema: { tags, security, summary: `Assign a phone number to a ${r.noun}`, params: Parent, body: Type.Object({ ChannelEndpointType: reqStr('phone-number', 32), ChannelEndpointSid: Type.String({ pattern: ANY_SID, description: 'PN…' }) }) },
  }, async (req, reply) => {
    // Numbers may be assigned in any status: Twilio's guides assign them "before or after submitting".
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const b = req.body
    const slot = await checkEndpoint(db, bundle, b.ChannelEndpointType, b.ChannelEndpointSid)
    const row: ChannelEndpointAssignmentRow = { sid: newSid('RA'), bundle_sid: bundle.sid, account_sid: bundle.account_sid, channel_endpoint_type: 'phone-number', channel_endpoint_sid: b.ChannelEndpointSid, slot, date_created: isoNow(ctx.clock) }
    try { await insertChannelAssignment(db, row) } catch (e) {
      if (isUniqueViolation(e)) throw errors.invalid('ChannelEndpointSid', `${row.channel_endpoint_sid} is already assigned to another bundle of this kind`)
      throw e
    }
    return reply.status(201).send(present(row))
  })

  app.get(list, {
    schema: { tags, security, summary: `List a ${r.noun}'s phone numbers`, params: Parent, querystring: Type.Object({ ...PagingQuery, ChannelEndpointSid: str('filter by one PN…', 34), ChannelEndpointSids: str('filter by a comma list of PN…', 34 * 100 + 100) }) },
  }, async (req) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const q = req.query
    const page = pageRequest(q)
    const sids = [...(q.ChannelEndpointSid ? [q.ChannelEndpointSid] : []), ...(q.ChannelEndpointSids ?? '').split(',').map((s) => s.trim()).filter(Boolean)]
    const filtered = q.ChannelEndpointSid || q.ChannelEndpointSids ? sids : undefined
    const res = await listChannelAssignments(db, bundle, filtered, page)
    return v1Page('results', `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/ChannelEndpointAssignments`, { ChannelEndpointSid: q.ChannelEndpointSid, ChannelEndpointSids: q.ChannelEndpointSids }, page, { rows: res.rows.map(present), next: res.next }, q.PageToken)
  })

  const One = params({ BundleSid: sidParam('BU'), Sid: sidParam('RA') })
  const loadOne = async (req: any) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const row = await findChannelAssignment(db, bundle, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }
  app.get(`${list}/:Sid`, { schema: { tags, security, summary: 'Fetch a channel endpoint assignment', params: One } }, async (req) => present(await loadOne(req)))
  app.delete(`${list}/:Sid`, { schema: { tags, security, summary: 'Remove a phone number from the bundle', params: One } }, async (req, reply) => {
    const row = await loadOne(req)
    await deleteChannelAssignment(db, row.sid)
    return reply.status(204).send()
  })
}
