/**
 * `GET /v1/Events?ResourceSid=BU…|PN…`: the audit events of the caller's own bundles and
 * numbers (and its sub-accounts'), newest first. An extension of the Trust Hub API (Twilio has none): a
 * separate path, so the bundle resources keep Twilio's exact shape. Reviewer identities are
 * not shown to customers: the actor reads `reviewer`; nor is a reviewer's override of failed
 * checks (`data.override`), which is staff's own record.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { listEvents, type EventRow } from '../../store/events.repo.js'
import { toV1Date } from '../../domain/time.js'

/** Staff are named by role only; an account's own people (`user:US… email`) by who they are. */
const publicActor = (a: string) =>
  a.startsWith('reviewer:')
    ? 'reviewer'
    : a.startsWith('operator:')
      ? 'operator'
      : a.startsWith('account:')
        ? a.slice('account:'.length)
        : a

/** Event data as customers see it: without staff's record of an override. */
function publicData(raw: string): unknown {
  const { override: _staffOnly, ...data } = JSON.parse(raw)
  return data
}

const present = (e: EventRow) => ({
  sid: e.sid,
  account_sid: e.account_sid,
  resource_sid: e.resource_sid,
  type: e.type,
  actor: publicActor(e.actor),
  data: publicData(e.data),
  date_created: toV1Date(e.date_created),
})

export function eventsRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/v1/Events`
  app.get(
    '/v1/Events',
    {
      schema: {
        tags: ['trusthub'],
        security: [{ basic: [] }],
        summary: 'Audit events of your bundles (extension)',
        querystring: Type.Object({
          ResourceSid: Type.Optional(Type.String({ pattern: '^(BU|PN)[0-9a-fA-F]{32}$' })),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listEvents(ctx.store.db, { accounts: req.principal.visible, resourceSid: q.ResourceSid }, page)
      return v1Page(
        'results',
        base,
        { ResourceSid: q.ResourceSid },
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )
}
