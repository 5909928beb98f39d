/**
 * The reviewer queue and decisions (`/admin/v1/Reviews…`, Bearer operator or reviewer token):
 * list oldest first with SLA and automated-check evidence, fetch one with everything attached,
 * claim, approve, reject; plus `/admin/v1/Metrics`. Every action records its actor. A review is
 * of a bundle (BU…) or of a hosted-number order (HR…); the SID says which rules decide.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params } from '../params.js'
import { isoNow } from '../../domain/time.js'
import { listQueue, OPEN_STATUSES } from '../../store/reviews.repo.js'
import { approve, claim, reject } from '../../vetting/review-decisions.js'
import { presentReview, reviewDetail } from '../../vetting/review-view.js'
import { approveOrder, claimOrder, rejectOrder } from '../../vetting/order-decisions.js'
import { orderReviewDetail } from '../../vetting/order-review-view.js'
import { ORDER_REVIEW_KIND } from '../../domain/hosted-number.js'
import { vettingMetrics } from '../../vetting/metrics.js'
import { findReviewer } from '../../store/reviewers.repo.js'
import { APPROVED, IN_REVIEW, PENDING_REVIEW, REJECTED } from '../../domain/bundle.js'

const STATUSES = [PENDING_REVIEW, IN_REVIEW, APPROVED, REJECTED, 'withdrawn'] as const

/** True for a hosted-number order's SID (HR…), false for a bundle's (BU…). */
const isOrder = (sid: string) => sid.startsWith('HR')

export function adminReviewsRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const base = `${ctx.config.publicUrl}/admin/v1/Reviews`
  const schema = { tags: ['admin'], security: [{ bearer: [] }] }
  const Params = params({
    Sid: Type.String({
      pattern: '^(BU|HR)[0-9a-fA-F]{32}$',
      description: 'a bundle (BU…) or a hosted-number order (HR…)',
    }),
  })
  /** A reviewer's name by SID (`operator` and `system` read as themselves). */
  const nameOf = async (who: string | null) =>
    who?.startsWith('RV') ? ((await findReviewer(db, who))?.name ?? who) : who
  /**
   * The review of `sid` as `staff` sees it: `claimed_by_you` says whether the claim is the
   * caller's; `claimed_by_name` and `decided_by_name` name the reviewers.
   */
  const detail = async (sid: string, staff: { readonly actor: string }) => {
    const d = await (isOrder(sid)
      ? orderReviewDetail(db, sid, isoNow(ctx.clock))
      : reviewDetail(db, sid, isoNow(ctx.clock), ctx.config))
    return {
      ...d,
      claimed_by_you: d.claimed_by !== null && d.claimed_by === staff.actor.replace(/^reviewer:/, ''),
      claimed_by_name: await nameOf(d.claimed_by),
      decided_by_name: await nameOf(d.decided_by),
    }
  }

  app.get(
    '/admin/v1/Reviews',
    {
      schema: {
        ...schema,
        summary: 'The review queue, oldest submission first (default: pending-review and in-review)',
        querystring: Type.Object({
          Status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
          Kind: Type.Optional(
            Type.Union([
              Type.Literal('customer-profile'),
              Type.Literal('trust-product'),
              Type.Literal(ORDER_REVIEW_KIND),
            ]),
          ),
          Overdue: Type.Optional(Type.Boolean()),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const now = isoNow(ctx.clock)
      const res = await listQueue(
        db,
        {
          statuses: q.Status ? [q.Status] : [...OPEN_STATUSES],
          kind: q.Kind,
          overdueAt: q.Overdue ? now : undefined,
        },
        page,
      )
      return v1Page(
        'results',
        base,
        { Status: q.Status, Kind: q.Kind, Overdue: q.Overdue },
        page,
        { rows: res.rows.map((r) => presentReview(r, now)), next: res.next },
        q.PageToken,
      )
    },
  )

  app.get(
    '/admin/v1/Reviews/:Sid',
    {
      schema: {
        ...schema,
        summary: 'One review: bundle, end users, documents, addresses, evaluation, history (or an order with its LOA)',
        params: Params,
      },
    },
    async (req) => detail(req.params.Sid, req.staff),
  )

  app.post(
    '/admin/v1/Reviews/:Sid/Claim',
    { schema: { ...schema, summary: 'Claim a pending review (one reviewer at a time)', params: Params } },
    async (req) => {
      await (isOrder(req.params.Sid) ? claimOrder : claim)(ctx, req.staff, req.params.Sid)
      return detail(req.params.Sid, req.staff)
    },
  )

  app.post(
    '/admin/v1/Reviews/:Sid/Approve',
    {
      schema: {
        ...schema,
        summary:
          "Approve a review (claimed for the caller if unclaimed; the checks run again: a failed one needs an OverrideReason; a trust product's profile must be approved). A bundle's ValidUntil defaults to one year; an order's number becomes the account's, origin hosted",
        params: Params,
        body: Type.Optional(
          Type.Object({
            ValidUntil: Type.Optional(Type.String({ maxLength: 40 })),
            OverrideReason: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 2000,
                description:
                  'why to approve although an automated check fails; recorded with the failed checks in the audit event',
              }),
            ),
          }),
        ),
      },
    },
    async (req) => {
      const overrideReason = req.body?.OverrideReason
      if (isOrder(req.params.Sid)) await approveOrder(ctx, req.staff, req.params.Sid, overrideReason)
      else await approve(ctx, req.staff, req.params.Sid, { validUntil: req.body?.ValidUntil, overrideReason })
      return detail(req.params.Sid, req.staff)
    },
  )

  app.post(
    '/admin/v1/Reviews/:Sid/Reject',
    {
      schema: {
        ...schema,
        summary:
          'Reject a review (claimed for the caller if unclaimed) with a reason (and rejection codes 18601-18609: required for a bundle, optional for an order)',
        params: Params,
        body: Type.Object({
          Errors: Type.Optional(
            Type.Unknown({ description: 'array of codes 18601-18609 (or a comma-separated string)' }),
          ),
          Reason: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (req) => {
      await (isOrder(req.params.Sid) ? rejectOrder : reject)(
        ctx,
        req.staff,
        req.params.Sid,
        req.body.Errors,
        req.body.Reason,
      )
      return detail(req.params.Sid, req.staff)
    },
  )

  app.get(
    '/admin/v1/Metrics',
    { schema: { ...schema, summary: 'Vetting metrics: queue depth, oldest age, overdue, decisions per reviewer' } },
    async () => vettingMetrics(db, ctx.clock()),
  )
}
