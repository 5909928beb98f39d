/** `GET /admin/v1/Events`: the whole audit log, newest first (operator only). */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { listEvents } from '../../store/events.repo.js'
import { presentEvent } from '../../vetting/review-view.js'
import { requireOperator } from './staff.js'

export function adminEventsRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/admin/v1/Events`
  app.get(
    '/admin/v1/Events',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'The audit log (operator only)',
        querystring: Type.Object({
          ResourceSid: Type.Optional(Type.String({ maxLength: 64 })),
          AccountSid: Type.Optional(Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' })),
          Type: Type.Optional(Type.String({ maxLength: 64 })),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      requireOperator(req.staff)
      const q = req.query
      const page = pageRequest(q)
      const res = await listEvents(
        ctx.store.db,
        { resourceSid: q.ResourceSid, type: q.Type, accounts: q.AccountSid ? [q.AccountSid] : undefined },
        page,
      )
      return v1Page(
        'results',
        base,
        { ResourceSid: q.ResourceSid, AccountSid: q.AccountSid, Type: q.Type },
        page,
        { rows: res.rows.map(presentEvent), next: res.next },
        q.PageToken,
      )
    },
  )
}
