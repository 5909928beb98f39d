/**
 * /v1/CustomerProfiles and /v1/TrustProducts (both bundles, BU…): create, list, fetch, update
 * (incl. submission), delete, and their Evaluations. One plugin generates both families from
 * `BUNDLE_RESOURCES`; the rules are src/trusthub's, the assignments bundles-assignments.routes.ts,
 * Copies and ReplaceItems bundles-copies.routes.ts.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { findEvaluation, listBundles, listEvaluations, type BundleRow } from '../../store/bundles.repo.js'
import { createBundle, deleteBundle, updateBundle } from '../../trusthub/bundles.js'
import { evaluateBundle } from '../../trusthub/submission.js'
import { dryRunChecks } from '../../vetting/facts.js'
import { fetchLogosOf } from '../../vetting/logo-fetch.js'
import { brandView } from '../../vetting/brand-view.js'
import { isoNow } from '../../domain/time.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'
import { BUNDLE_RESOURCES, presentBundle, presentEvaluation, type BundleResource } from './bundles.presenter.js'
import { bundleAssignmentsRoutes } from './bundles-assignments.routes.js'
import { bulkAssignmentRoutes } from './bulk-assignments.routes.js'
import { bundleCopiesRoutes } from './bundles-copies.routes.js'
import { loadBundle } from './bundles-scope.js'

/** Registers both bundle families with their children. */
export function bundlesRoutes(app: App, ctx: AppContext) {
  for (const r of BUNDLE_RESOURCES) {
    bundleRoutes(app, ctx, r)
    evaluationRoutes(app, ctx, r)
    checksRoute(app, ctx, r)
    bundleAssignmentsRoutes(app, ctx, r)
    bulkAssignmentRoutes(app, ctx, r)
    bundleCopiesRoutes(app, ctx, r)
  }
}

function bundleRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const base = `${ctx.config.publicUrl}/v1/${r.path}`
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const present = (row: BundleRow) => presentBundle(ctx.config.publicUrl, r, row)
  const Params = params({ Sid: sidParam('BU') })

  app.post(
    `/v1/${r.path}`,
    {
      schema: {
        tags,
        security,
        summary: `Create a ${r.noun} (draft)`,
        body: Type.Object({
          FriendlyName: reqStr('A descriptive name'),
          Email: reqStr('Where review notifications go'),
          PolicySid: reqStr('The policy (RN…) this bundle must satisfy', 34),
          StatusCallback: str('URL told of status changes', 2048),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body
      const row = await createBundle(db, ctx, {
        accountSid: req.principal.account.sid,
        kind: r.kind,
        policySid: b.PolicySid,
        friendlyName: b.FriendlyName,
        email: b.Email,
        statusCallback: b.StatusCallback,
      })
      return reply.status(201).send(present(row))
    },
  )

  app.get(
    `/v1/${r.path}`,
    {
      schema: {
        tags,
        security,
        summary: `List ${r.noun}s`,
        querystring: Type.Object({
          ...PagingQuery,
          Status: str('filter by status', 24),
          FriendlyName: str('filter by name'),
          PolicySid: str('filter by policy', 34),
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listBundles(
        db,
        req.principal.account.sid,
        r.kind,
        { status: q.Status, friendlyName: q.FriendlyName, policySid: q.PolicySid },
        page,
      )
      return v1Page(
        'results',
        base,
        { Status: q.Status, FriendlyName: q.FriendlyName, PolicySid: q.PolicySid },
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )

  app.get(
    `/v1/${r.path}/:Sid`,
    { schema: { tags, security, summary: `Fetch a ${r.noun}`, params: Params } },
    async (req) => present(await loadBundle(ctx, r, req, req.params.Sid)),
  )

  app.post(
    `/v1/${r.path}/:Sid`,
    {
      schema: {
        tags,
        security,
        summary: `Update a ${r.noun}; Status=pending-review submits it`,
        params: Params,
        body: Type.Optional(
          Type.Object({
            FriendlyName: str('A descriptive name'),
            Email: str('Notification email'),
            StatusCallback: str('Status callback URL', 2048),
            Status: str('only pending-review (submit)', 24),
          }),
        ),
      },
    },
    async (req) => {
      const row = await loadBundle(ctx, r, req, req.params.Sid)
      const b = req.body ?? {}
      return present(
        await updateBundle(db, ctx, row, {
          friendlyName: b.FriendlyName,
          email: b.Email,
          statusCallback: b.StatusCallback,
          status: b.Status,
        }),
      )
    },
  )

  app.delete(
    `/v1/${r.path}/:Sid`,
    { schema: { tags, security, summary: `Delete a ${r.noun} with its assignments and evaluations`, params: Params } },
    async (req, reply) => {
      await deleteBundle(db, await loadBundle(ctx, r, req, req.params.Sid))
      return reply.status(204).send()
    },
  )
}

function evaluationRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const present = (row: Parameters<typeof presentEvaluation>[2]) => presentEvaluation(ctx.config.publicUrl, r, row)
  const list = `/v1/${r.path}/:BundleSid/Evaluations`

  app.post(
    list,
    {
      schema: {
        tags,
        security,
        summary: `Evaluate a ${r.noun} against its policy (synchronous)`,
        params: params({ BundleSid: sidParam('BU') }),
        body: Type.Object({ PolicySid: reqStr("The bundle's policy (RN…)", 34) }),
      },
    },
    async (req, reply) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      if (req.body.PolicySid !== bundle.policy_sid)
        throw errors.invalid('PolicySid', `must be the bundle's policy ${bundle.policy_sid}`)
      const { row } = await evaluateBundle(db, ctx.clock, bundle)
      return reply.status(201).send(present(row))
    },
  )

  app.get(
    list,
    {
      schema: {
        tags,
        security,
        summary: `List a ${r.noun}'s evaluations`,
        params: params({ BundleSid: sidParam('BU') }),
        querystring: Type.Object(PagingQuery),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const page = pageRequest(req.query)
      const res = await listEvaluations(db, bundle, page)
      return v1Page(
        'results',
        `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/Evaluations`,
        {},
        page,
        { rows: res.rows.map(present), next: res.next },
        req.query.PageToken,
      )
    },
  )

  app.get(
    `${list}/:Sid`,
    {
      schema: {
        tags,
        security,
        summary: `Fetch an evaluation`,
        params: params({ BundleSid: sidParam('BU'), Sid: sidParam('EL') }),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const row = await findEvaluation(db, bundle, req.params.Sid)
      if (!row) throw errors.notFound(pathOf(req))
      return present(row)
    },
  )
}

/**
 * `GET …/{BundleSid}/Checks` (stirhub): the reviewer's automated checks run now on the caller's
 * own bundle, whatever its status, without submitting or storing anything: what a submission
 * would be checked by, including what needs the server (a registration number approved on
 * another account, the linked profile's status).
 */
function checksRoute(app: App, ctx: AppContext, r: BundleResource) {
  app.get(
    `/v1/${r.path}/:BundleSid/Checks`,
    {
      schema: {
        tags: ['trusthub'],
        security: [{ basic: [] }],
        summary: `Dry-run the automated vetting checks on a ${r.noun} (stirhub)`,
        params: params({ BundleSid: sidParam('BU') }),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const logos = await fetchLogosOf(ctx.config, ctx.store.db, bundle)
      const checks = await dryRunChecks(ctx.store.db, bundle, isoNow(ctx.clock), logos)
      return {
        bundle_sid: bundle.sid,
        checks,
        brand: await brandView(ctx.store.db, bundle, logos),
        url: `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/Checks`,
      }
    },
  )
}
