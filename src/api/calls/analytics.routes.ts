/**
 * Verification analytics per signer SPC (domain/call-analytics.ts): `GET
 * /stir/v1/calls/analytics` for a customer (calls verified for its account and its
 * sub-accounts) and `GET /admin/v1/calls/analytics` for the operator (all inbound traffic,
 * verifications no account was named for included under account '').
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import {
  ANALYTICS_WINDOWS,
  DEFAULT_WINDOW,
  analyticsRange,
  callAnalytics,
  type AnalyticsWindow,
  type CallAnalytics,
} from '../../domain/call-analytics.js'
import {
  verificationSeriesCounts,
  verificationSignerCounts,
  type AnalyticsScope,
} from '../../store/call-analytics.repo.js'

const AnalyticsQuery = Type.Object({
  window: Type.Optional(
    Type.Unsafe<AnalyticsWindow>({
      type: 'string',
      enum: [...ANALYTICS_WINDOWS],
      description: `24h (per hour), 7d, 30d or 90d (per UTC day); default ${DEFAULT_WINDOW}`,
    }),
  ),
})

const DESCRIPTION =
  'Per signer SPC (from the certificate TNAuthList; empty when verification failed before the certificate was read): calls by claimed attest, passed and failed, failure reasons, and passed/failed/A/B/C over time.'

/** The analytics of `scope` over `window`, counted up to now. */
async function analyticsOf(ctx: AppContext, scope: AnalyticsScope, window: AnalyticsWindow): Promise<CallAnalytics> {
  // Counts are batched in memory on the verification path: write them out so the answer is current.
  await ctx.stiVs.counter.flush()
  const range = analyticsRange(window, ctx.clock())
  const span = { scope, fromHour: range.fromHour, toHour: range.toHour }
  const [series, signers] = await Promise.all([
    verificationSeriesCounts(ctx.store.db, span, range.bucket),
    verificationSignerCounts(ctx.store.db, span),
  ])
  return callAnalytics(range, series, signers)
}

/** `GET /stir/v1/calls/analytics` (registered in the /stir area, under its auth hook). */
export function stirCallAnalyticsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/v1/calls/analytics',
    {
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: "Verification analytics per signer for the account's calls and its sub-accounts'",
        description: DESCRIPTION,
        querystring: AnalyticsQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store')
      return analyticsOf(ctx, { account: req.stirAccountSid }, req.query.window ?? DEFAULT_WINDOW)
    },
  )
}

/** `GET /admin/v1/calls/analytics` (operator only). */
export function adminCallAnalyticsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/admin/v1/calls/analytics',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Verification analytics per signer for all inbound traffic (operator only)',
        description: DESCRIPTION,
        querystring: AnalyticsQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store')
      return analyticsOf(ctx, 'all', req.query.window ?? DEFAULT_WINDOW)
    },
  )
}
