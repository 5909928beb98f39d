/**
 * Call-record search and fetch: `GET /stir/v1/calls[/{CallSid}]` for a customer (its own
 * calls and its sub-accounts'; the operator names the account with X-Account-Sid, as on every
 * /stir route) and `GET /admin/v1/calls[/{CallSid}]` for the operator (every account, or one
 * with `account`). Newest first, paged as the rest of the API; `Accept: text/csv` exports the
 * same filter. Reads only: records reach the store every 500 ms from the recorder, a search
 * never flushes it.
 */
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { isSid } from '../../domain/ids.js'
import { findCall, searchCalls, type CallFilter } from '../../store/call-search.repo.js'
import type { Cursor } from '../../store/paging.js'
import { v1Page } from '../paging.js'
import { presentCall } from './call.presenter.js'
import { csvHeader, csvRow } from './calls-csv.js'
import { accountOf, callFilterOf, callPageOf, CallFilterQuery, type CallQuery } from './call-query.js'

/** Most rows one CSV export holds. */
const CSV_MAX_ROWS = 100_000
/** Rows per internal page of an export. */
const CSV_PAGE = 1000

const CallSidParam = Type.Object({ CallSid: Type.String({ maxLength: 64, description: 'the record (CL…)' }) })

/** The quality the Accept header gives `type` (0 when it is not named). */
function quality(accept: string, type: string): number {
  let q = 0
  for (const part of accept.split(',')) {
    const [media, ...params] = part.split(';').map((x) => x.trim().toLowerCase())
    if (media !== type) continue
    const given = params.find((p) => p.startsWith('q='))
    const v = given ? Number(given.slice(2)) : 1
    q = Math.max(q, Number.isFinite(v) ? v : 0)
  }
  return q
}

/** True when the caller prefers CSV: text/csv named, and above application/json if that is named too. */
function wantsCsv(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? '')
  const csv = quality(accept, 'text/csv')
  return csv > 0 && csv > quality(accept, 'application/json')
}

/** The filters a list echoes in its paging URLs. */
const echoed = (q: CallQuery, withAccount: boolean) => ({
  from: q.from,
  to: q.to,
  origid: q.origid,
  attest: q.attest,
  kind: q.kind,
  outcome: q.outcome,
  since: q.since,
  until: q.until,
  ...(withAccount ? { account: q.account } : {}),
})

/** Every record `f` matches (up to {@link CSV_MAX_ROWS}) as CSV, read a page at a time. */
async function* csvOf(ctx: AppContext, f: CallFilter, base: string): AsyncGenerator<string> {
  yield csvHeader()
  let after: Cursor | undefined
  for (let sent = 0; sent < CSV_MAX_ROWS; ) {
    const page = await searchCalls(ctx.store.db, f, {
      pageSize: Math.min(CSV_PAGE, CSV_MAX_ROWS - sent),
      offset: 0,
      after,
    })
    yield page.rows.map((r) => csvRow(presentCall(r, base))).join('')
    sent += page.rows.length
    if (!page.next) return
    after = page.next
  }
}

/** Answers a search: a v1 page of records, or the CSV of the whole filter. */
async function answerSearch(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  base: string,
  q: CallQuery,
  scope: string | undefined,
  withAccount: boolean,
) {
  const filter: CallFilter = { ...callFilterOf(q), scope }
  if (wantsCsv(req)) {
    // The export ignores paging: it starts at the newest record the filter matches.
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="calls.csv"')
      .send(Readable.from(csvOf(ctx, filter, base)))
  }
  const page = callPageOf(q)
  const res = await searchCalls(ctx.store.db, filter, page)
  return v1Page(
    'calls',
    base,
    echoed(q, withAccount),
    page,
    { rows: res.rows.map((r) => presentCall(r, base)), next: res.next },
    q.PageToken,
  )
}

/** One record, or 404 when it is unknown or outside `scope`. */
async function answerOne(ctx: AppContext, sid: string, scope: string | undefined, base: string) {
  const row = isSid(sid, 'CL') ? await findCall(ctx.store.db, sid, scope) : undefined
  if (!row) throw errors.notFound(`${base}/${sid}`)
  return presentCall(row, base)
}

const CSV_NOTE = 'Accept: text/csv answers the same filter as CSV (a header row, up to 100,000 rows, newest first).'

/** `GET /stir/v1/calls[/{CallSid}]` in the /stir area (its auth hook sets the account). */
export function stirCallsRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/stir/v1/calls`
  app.get(
    '/v1/calls',
    {
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: "Search the account's signed and verified calls, and its sub-accounts', newest first",
        description: CSV_NOTE,
        querystring: Type.Object(CallFilterQuery),
      },
    },
    async (req, reply) => answerSearch(ctx, req, reply, base, req.query as CallQuery, req.stirAccountSid, false),
  )
  app.get(
    '/v1/calls/:CallSid',
    {
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: "One call record of the account's or a sub-account's",
        params: CallSidParam,
      },
    },
    async (req) => answerOne(ctx, (req.params as { CallSid: string }).CallSid, req.stirAccountSid, base),
  )
}

/** `GET /admin/v1/calls[/{CallSid}]` in the admin area (operator only). */
export function adminCallsRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/admin/v1/calls`
  app.get(
    '/admin/v1/calls',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Search every signed and verified call, newest first (operator only)',
        description: CSV_NOTE,
        querystring: Type.Object({
          ...CallFilterQuery,
          account: Type.Optional(
            Type.String({ maxLength: 64, description: "one account's calls and its sub-accounts' (AC…)" }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const q = req.query as CallQuery
      return answerSearch(ctx, req, reply, base, q, accountOf(q.account), true)
    },
  )
  app.get(
    '/admin/v1/calls/:CallSid',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'One call record (operator only)',
        params: CallSidParam,
      },
    },
    async (req) => answerOne(ctx, (req.params as { CallSid: string }).CallSid, undefined, base),
  )
}
