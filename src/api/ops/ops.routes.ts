import type { App } from '../app.js'
import type { AppContext } from '../context.js'
import { isReady } from '../../store/db.js'

/** Liveness and readiness probes (unauthenticated: they reveal nothing but up/down). */
export function opsRoutes(app: App, ctx: AppContext) {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { tags: ['ops'], summary: 'The store answers and migrations are applied' } }, async (_req, reply) => {
    const ready = await isReady(ctx.store)
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', store: ctx.store.engine })
  })
}
