/** `POST/GET /admin/v1/Reviewers`: the operator creates reviewer identities, each with its own token. */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createReviewer, listReviewers } from '../../store/reviewers.repo.js'
import { appendEvent } from '../../store/events.repo.js'
import { isoNow, toV1Date } from '../../domain/time.js'
import { requireOperator } from './staff.js'

export function adminReviewersRoutes(app: App, ctx: AppContext) {
  const schema = { tags: ['admin'], security: [{ bearer: [] }] }
  app.post('/admin/v1/Reviewers', {
    schema: {
      ...schema, summary: 'Create a reviewer (operator only; the token is shown once)',
      body: Type.Object({ Name: Type.String({ minLength: 1, maxLength: 255 }), Email: Type.String({ minLength: 3, maxLength: 255, pattern: '^[^@\\s]+@[^@\\s]+$' }) }),
    },
  }, async (req, reply) => {
    requireOperator(req.staff)
    const now = isoNow(ctx.clock)
    const { row, token } = await ctx.store.db.transaction().execute(async (trx) => {
      const created = await createReviewer(trx, req.body.Name, req.body.Email, now)
      await appendEvent(trx, { accountSid: null, resourceSid: created.row.sid, type: 'reviewer.created', actor: req.staff.actor, data: { name: created.row.name, email: created.row.email } }, now)
      return created
    })
    return reply.status(201).send({ sid: row.sid, name: row.name, email: row.email, token, date_created: toV1Date(row.date_created) })
  })
  app.get('/admin/v1/Reviewers', { schema: { ...schema, summary: 'List reviewers (tokens are never shown again)' } }, async (req) => {
    requireOperator(req.staff)
    const rows = await listReviewers(ctx.store.db)
    return { results: rows.map((r) => ({ sid: r.sid, name: r.name, email: r.email, date_created: toV1Date(r.date_created) })) }
  })
}
