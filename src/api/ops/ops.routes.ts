import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateOperator } from '../auth.js'
import { isReady } from '../../store/db.js'
import { METRICS_CONTENT_TYPE } from '../../runtime/metrics.js'

/** Liveness and readiness probes (unauthenticated: they reveal nothing but up/down), and metrics. */
export function opsRoutes(app: App, ctx: AppContext) {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({ status: 'ok' }))
  app.get(
    '/readyz',
    { schema: { tags: ['ops'], summary: 'The store answers and migrations are applied' } },
    async (_req, reply) => {
      const ready = await isReady(ctx.store)
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', store: ctx.store.engine })
    },
  )
  // Operator token: the figures name no customer, but they tell traffic volumes and queue states.
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        security: [{ bearer: [] }],
        summary: 'Prometheus metrics of every process of this server (operator token)',
      },
    },
    async (req, reply) => {
      authenticateOperator(ctx, req)
      return reply.type(METRICS_CONTENT_TYPE).send(await ctx.metrics.scrape())
    },
  )
}
