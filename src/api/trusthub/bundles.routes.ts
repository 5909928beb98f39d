/**
 * /v1/CustomerProfiles and /v1/TrustProducts (both bundles, BU…): create, list, fetch, update
 * (incl. submission), delete, and their Evaluations. One plugin generates both families from
 * `BUNDLE_RESOURCES`; the assignments live in bundles-assignments.routes.ts.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { checkUrl } from '../../security/guarded-fetch.js'
import { callbackRules } from '../../vetting/callback-delivery.js'
import { errors } from '../../domain/errors.js'
import { POLICY, findPolicy } from '../../domain/policies.js'
import { isWebUrl } from '../../domain/evaluation-fields.js'
import { findAccount } from '../../store/accounts.repo.js'
import { deleteBundleCascade, findBundle, findEvaluation, hasApprovedIsvPrimary, insertBundle, listBundles, listEvaluations, updateBundleFields, type BundleRow } from '../../store/bundles.repo.js'
import { bundlesLinking } from '../../store/assignments.repo.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'
import { BUNDLE_RESOURCES, presentBundle, presentEvaluation, type BundleResource } from './bundles.presenter.js'
import { evaluateAndStore, submitBundle } from './bundles-evaluation.js'
import { bundleAssignmentsRoutes } from './bundles-assignments.routes.js'
import { loadBundle } from './bundles-scope.js'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Registers both bundle families with their children. */
export function bundlesRoutes(app: App, ctx: AppContext) {
  for (const r of BUNDLE_RESOURCES) {
    bundleRoutes(app, ctx, r)
    evaluationRoutes(app, ctx, r)
    bundleAssignmentsRoutes(app, ctx, r)
  }
}

function checkContact(ctx: AppContext, email: string | undefined, callback: string | undefined) {
  if (email !== undefined && !EMAIL.test(email)) throw errors.invalid('Email', `"${email}" is not an email address`)
  if (callback === undefined || callback === '') return
  if (!isWebUrl(callback)) throw errors.invalid('StatusCallback', 'must be an absolute http(s) URL')
  // What delivery would refuse for good (a private or loopback address, userinfo) is refused
  // now, where the customer sees it; a name is resolved, and checked again, at each delivery.
  try {
    checkUrl(callback, callbackRules(ctx.config))
  } catch (e) {
    throw errors.invalid('StatusCallback', `cannot be delivered: ${(e as Error).message}`)
  }
}

/** PolicySid must exist and make this kind of bundle (spec §10: the two kinds are often confused). */
function checkPolicy(r: BundleResource, policySid: string) {
  const p = findPolicy(policySid)
  if (!p) throw errors.invalid('PolicySid', `${policySid} is not a known policy; list them with GET /v1/Policies`)
  if (p.kind !== r.kind) {
    const other = BUNDLE_RESOURCES.find((x) => x.kind === p.kind)!
    throw errors.invalid('PolicySid', `${policySid} (${p.friendly_name}) is a ${other.noun} policy, not a ${r.noun} policy: create it with POST /v1/${other.path}`)
  }
}

/**
 * Secondary profiles are for an ISV's end customers (spec §7C/D, twilio-node#965): enforced at
 * creation so the mistake surfaces at the first call, and re-checked by the evaluation at submission.
 */
async function checkSecondaryAllowed(ctx: AppContext, accountSid: string) {
  const acct = await findAccount(ctx.store.db, accountSid)
  const accounts = [accountSid, ...(acct?.parent_sid ? [acct.parent_sid] : [])]
  if (await hasApprovedIsvPrimary(ctx.store.db, accounts, isoNow(ctx.clock))) return
  throw errors.invalid('PolicySid', 'a Secondary Customer Profile can only be created by an ISV/reseller: this account (or its parent account) needs a twilio-approved Primary Customer Profile '
    + 'whose business information has business_identity isv_reseller_or_partner. A direct_customer attaches its phone numbers to its Primary Customer Profile instead.')
}

function bundleRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const base = `${ctx.config.publicUrl}/v1/${r.path}`
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const present = (row: BundleRow) => presentBundle(ctx.config.publicUrl, r, row)
  const Params = params({ Sid: sidParam('BU') })

  app.post(`/v1/${r.path}`, {
    schema: {
      tags, security, summary: `Create a ${r.noun} (draft)`,
      body: Type.Object({ FriendlyName: reqStr('A descriptive name'), Email: reqStr('Where review notifications go'), PolicySid: reqStr('The policy (RN…) this bundle must satisfy', 34), StatusCallback: str('URL told of status changes', 2048) }),
    },
  }, async (req, reply) => {
    const b = req.body
    checkPolicy(r, b.PolicySid)
    checkContact(ctx, b.Email, b.StatusCallback)
    const account = req.principal.account.sid
    if (b.PolicySid === POLICY.SECONDARY_PROFILE) await checkSecondaryAllowed(ctx, account)
    const now = isoNow(ctx.clock)
    const row: BundleRow = {
      sid: newSid('BU'), account_sid: account, kind: r.kind, policy_sid: b.PolicySid, friendly_name: b.FriendlyName, email: b.Email,
      status: 'draft', status_callback: b.StatusCallback || null, valid_until: null, errors: null, failure_reason: null, submitted_at: null,
      date_created: now, date_updated: now,
    }
    await insertBundle(db, row)
    return reply.status(201).send(present(row))
  })

  app.get(`/v1/${r.path}`, {
    schema: { tags, security, summary: `List ${r.noun}s`, querystring: Type.Object({ ...PagingQuery, Status: str('filter by status', 24), FriendlyName: str('filter by name'), PolicySid: str('filter by policy', 34) }) },
  }, async (req) => {
    const q = req.query
    const page = pageRequest(q)
    const res = await listBundles(db, req.principal.account.sid, r.kind, { status: q.Status, friendlyName: q.FriendlyName, policySid: q.PolicySid }, page)
    return v1Page('results', base, { Status: q.Status, FriendlyName: q.FriendlyName, PolicySid: q.PolicySid }, page, { rows: res.rows.map(present), next: res.next }, q.PageToken)
  })

  app.get(`/v1/${r.path}/:Sid`, { schema: { tags, security, summary: `Fetch a ${r.noun}`, params: Params } }, async (req) => present(await loadBundle(ctx, r, req, req.params.Sid)))

  app.post(`/v1/${r.path}/:Sid`, {
    schema: {
      tags, security, summary: `Update a ${r.noun}; Status=pending-review submits it`, params: Params,
      body: Type.Optional(Type.Object({ FriendlyName: str('A descriptive name'), Email: str('Notification email'), StatusCallback: str('Status callback URL', 2048), Status: str('only pending-review (submit)', 24) })),
    },
  }, async (req) => {
    const row = await loadBundle(ctx, r, req, req.params.Sid)
    const b = req.body ?? {}
    checkContact(ctx, b.Email || undefined, b.StatusCallback)
    const edits: Partial<Pick<BundleRow, 'friendly_name' | 'email' | 'status_callback'>> = {}
    if (b.FriendlyName) edits.friendly_name = b.FriendlyName
    if (b.Email) edits.email = b.Email
    if (b.StatusCallback !== undefined) edits.status_callback = b.StatusCallback || null
    if (b.Status !== undefined) return present(await submitBundle(ctx, r.kind, row, b.Status, edits))
    if (Object.keys(edits).length) await updateBundleFields(db, row.sid, edits, isoNow(ctx.clock))
    return present((await findBundle(db, [row.account_sid], r.kind, row.sid))!)
  })

  app.delete(`/v1/${r.path}/:Sid`, { schema: { tags, security, summary: `Delete a ${r.noun} with its assignments and evaluations`, params: Params } }, async (req, reply) => {
    const row = await loadBundle(ctx, r, req, req.params.Sid)
    const linking = await bundlesLinking(db, row.sid)
    if (linking.length) throw errors.invalid('Sid', `${row.sid} is linked by ${linking.join(', ')}; remove those EntityAssignments first`)
    await db.transaction().execute((trx) => deleteBundleCascade(trx, row.sid))
    return reply.status(204).send()
  })
}

function evaluationRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const present = (row: Parameters<typeof presentEvaluation>[2]) => presentEvaluation(ctx.config.publicUrl, r, row)
  const list = `/v1/${r.path}/:BundleSid/Evaluations`

  app.post(list, {
    schema: { tags, security, summary: `Evaluate a ${r.noun} against its policy (synchronous)`, params: params({ BundleSid: sidParam('BU') }), body: Type.Object({ PolicySid: reqStr('The bundle\'s policy (RN…)', 34) }) },
  }, async (req, reply) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    if (req.body.PolicySid !== bundle.policy_sid) throw errors.invalid('PolicySid', `must be the bundle's policy ${bundle.policy_sid}`)
    const { row } = await evaluateAndStore(db, ctx.clock, bundle)
    return reply.status(201).send(present(row))
  })

  app.get(list, {
    schema: { tags, security, summary: `List a ${r.noun}'s evaluations`, params: params({ BundleSid: sidParam('BU') }), querystring: Type.Object(PagingQuery) },
  }, async (req) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const page = pageRequest(req.query)
    const res = await listEvaluations(db, bundle, page)
    return v1Page('results', `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/Evaluations`, {}, page, { rows: res.rows.map(present), next: res.next }, req.query.PageToken)
  })

  app.get(`${list}/:Sid`, {
    schema: { tags, security, summary: `Fetch an evaluation`, params: params({ BundleSid: sidParam('BU'), Sid: sidParam('EL') }) },
  }, async (req) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const row = await findEvaluation(db, bundle, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return present(row)
  })
}
