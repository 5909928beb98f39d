/**
 * `GET /admin/v1/cnam.csv` (operator): the CNAM feed for the operator's CNAM database provider
 * (trusthub/cnam-feed.ts), streamed as `text/csv`.
 */
import { Readable } from 'node:stream'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { isoNow } from '../../domain/time.js'
import { cnamCsv } from '../../trusthub/cnam-feed.js'

export async function adminCnamRoutes(app: App, ctx: AppContext) {
  app.get(
    '/admin/v1/cnam.csv',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'The CNAM feed: one CSV row per number on an approved, unexpired CNAM trust product',
        description:
          'Columns phone_number (E.164), caller_name, account_sid, trust_product_sid, approved_at; RFC 4180 ' +
          "(CRLF, quoted fields), a field a spreadsheet would read as a formula prefixed with '. Ordered by " +
          'number; streamed (docs/branding.md "CNAM feed").',
      },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cnam.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(cnamCsv(ctx.store.db, isoNow(ctx.clock)))),
  )
}
