/**
 * `/admin/v1/Reviewers` (operator only): create reviewer identities, each with its own token
 * (shown once); list them (never a token); rotate a token, disable or re-enable a reviewer
 * (the old token, or a disabled reviewer's, is refused on the very next request).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createReviewer, listReviewers, type ReviewerRow } from '../../store/reviewers.repo.js'
import { appendEvent } from '../../store/events.repo.js'
import { rotateReviewerToken, setReviewerStatus } from '../../vetting/reviewers.js'
import { isoNow, toV1Date } from '../../domain/time.js'
import { params, sidParam } from '../params.js'
import { requireOperator } from './staff.js'

const present = (r: ReviewerRow) => ({
  sid: r.sid,
  name: r.name,
  email: r.email,
  status: r.status,
  date_created: toV1Date(r.date_created),
  date_updated: toV1Date(r.date_updated),
})
const ReviewerParams = params({ Sid: sidParam('RV') })

export function adminReviewersRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const schema = { tags: ['admin'], security: [{ bearer: [] }] }
  app.post(
    '/admin/v1/Reviewers',
    {
      schema: {
        ...schema,
        summary: 'Create a reviewer (operator only; the token is shown once)',
        body: Type.Object({
          Name: Type.String({ minLength: 1, maxLength: 255 }),
          Email: Type.String({ minLength: 3, maxLength: 255, pattern: '^[^@\\s]+@[^@\\s]+$' }),
        }),
      },
    },
    async (req, reply) => {
      requireOperator(req.staff)
      const now = isoNow(ctx.clock)
      const { row, token } = await db.transaction().execute(async (trx) => {
        const created = await createReviewer(trx, req.body.Name, req.body.Email, now)
        await appendEvent(
          trx,
          {
            accountSid: null,
            resourceSid: created.row.sid,
            type: 'reviewer.created',
            actor: req.staff.actor,
            data: { name: created.row.name, email: created.row.email },
          },
          now,
        )
        return created
      })
      return reply
        .status(201)
        .send({ sid: row.sid, name: row.name, email: row.email, token, date_created: toV1Date(row.date_created) })
    },
  )
  app.get(
    '/admin/v1/Reviewers',
    { schema: { ...schema, summary: 'List reviewers with their status (tokens are never shown again)' } },
    async (req) => {
      requireOperator(req.staff)
      return { results: (await listReviewers(db)).map(present) }
    },
  )
  app.post(
    '/admin/v1/Reviewers/:Sid/Token',
    {
      schema: {
        ...schema,
        summary: "Rotate a reviewer's token: the new one is shown once, the old one is refused at once",
        params: ReviewerParams,
      },
    },
    async (req) => {
      requireOperator(req.staff)
      const { row, token } = await rotateReviewerToken(db, ctx.clock, req.params.Sid, req.staff.actor)
      return { ...present(row), token }
    },
  )
  app.post(
    '/admin/v1/Reviewers/:Sid',
    {
      schema: {
        ...schema,
        summary: "Disable or re-enable a reviewer (a disabled reviewer's token is refused)",
        params: ReviewerParams,
        body: Type.Object({ Status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }),
      },
    },
    async (req) => {
      requireOperator(req.staff)
      return present(await setReviewerStatus(db, ctx.clock, req.params.Sid, req.body.Status, req.staff.actor))
    },
  )
  app.delete(
    '/admin/v1/Reviewers/:Sid',
    {
      schema: {
        ...schema,
        summary: 'Disable a reviewer (kept, with its history, for the audit log)',
        params: ReviewerParams,
      },
    },
    async (req, reply) => {
      requireOperator(req.staff)
      await setReviewerStatus(db, ctx.clock, req.params.Sid, 'disabled', req.staff.actor)
      return reply.status(204).send()
    },
  )
}
