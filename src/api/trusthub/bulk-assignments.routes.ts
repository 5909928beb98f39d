/**
 * Bulk assignment of numbers to a bundle: `POST …/ChannelEndpointAssignments/Bulk` takes up to
 * 5,000 numbers (a JSON list, or a CSV upload as `text/csv`) and answers 202 with a job;
 * `GET …/ChannelEndpointAssignments/Bulk/{Sid}` is its progress and result
 * (src/trusthub/bulk-assignments.ts).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { findBulkJob } from '../../store/bulk-assignment-jobs.repo.js'
import { csvLines, jobAt, listLines, MAX_BULK_ASSIGN, startBulkAssignment } from '../../trusthub/bulk-assignments.js'
import { params, sidParam } from '../params.js'
import { pathOf } from '../scope.js'
import { presentBulkAssignment, type BundleResource } from './bundles.presenter.js'
import { loadBundle } from './bundles-scope.js'

/** Longest CSV line read: a number or SID and a few more cells. */
const CSV_LINE = 80

/** Registers the bulk assignment job routes of one bundle family. */
export function bulkAssignmentRoutes(parent: App, ctx: AppContext, r: BundleResource) {
  // In a scope of their own: only these routes take text/csv (the others still answer 415).
  parent.register(async (app: App) => {
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body))
    routes(app, ctx, r)
  })
}

function routes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const base = `/v1/${r.path}/:BundleSid/ChannelEndpointAssignments/Bulk`
  const present = presentBulkAssignment.bind(null, ctx.config.publicUrl, r)
  // Jobs run past their request; the app closes only after they end (the store closes next).
  const running = new Set<Promise<unknown>>()
  app.addHook('onClose', async () => {
    await Promise.allSettled(running)
  })

  app.post(
    base,
    {
      // 5,000 numbers as JSON or CSV are ~100 KB; allow headroom above the default body limit.
      bodyLimit: Math.max(ctx.config.bodyLimit, 1024 * 1024),
      schema: {
        tags,
        security,
        summary: `Assign up to ${MAX_BULK_ASSIGN} phone numbers to a ${r.noun} as a job`,
        params: params({ BundleSid: sidParam('BU') }),
        querystring: Type.Object({
          AssignToProfile: Type.Optional(
            Type.Boolean({ description: 'trust product: also assign each number to its linked profile (CSV uploads)' }),
          ),
        }),
        body: Type.Union([
          Type.Object({
            PhoneNumbers: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: MAX_BULK_ASSIGN }),
            AssignToProfile: Type.Optional(
              Type.Boolean({ description: 'trust product: also assign each number to its linked profile' }),
            ),
          }),
          Type.String({ maxLength: MAX_BULK_ASSIGN * CSV_LINE, description: 'text/csv: one number per line' }),
        ]),
      },
    },
    async (req, reply) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const body = req.body
      const lines = typeof body === 'string' ? csvLines(body) : listLines(body.PhoneNumbers)
      const withProfile = (typeof body === 'string' ? undefined : body.AssignToProfile) ?? req.query.AssignToProfile
      const { job, run } = await startBulkAssignment(db, ctx.clock, {
        bundle,
        lines,
        actor: `account:${req.principal.account.sid}`,
        withProfile: withProfile === true,
      })
      const log = req.log
      const tracked = run.then((e) => {
        if (e) log.error({ err: e, job: job.sid }, 'bulk assignment failed')
        running.delete(tracked)
      })
      running.add(tracked)
      return reply.status(202).send(present(job))
    },
  )

  app.get(
    `${base}/:Sid`,
    {
      schema: {
        tags,
        security,
        summary: 'Fetch a bulk assignment job: progress, counts and refused lines',
        params: params({ BundleSid: sidParam('BU'), Sid: sidParam('BK') }),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const job = await findBulkJob(db, bundle.account_sid, bundle.sid, req.params.Sid)
      if (!job) throw errors.notFound(pathOf(req))
      return present(jobAt(job, ctx.clock()))
    },
  )
}
