/**
 * `GET /console/api/sub-accounts`: the caller's sub-accounts a page at a time, newest first,
 * narrowed by `Search` (a SID, or the start of a friendly name in any case). The dashboard
 * pages and searches through them instead of loading them all: an ISV may have tens of
 * thousands. A customer route like the stats (the session reaches it through the cookie bridge).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { PagingQuery, pageRequest, v1Page } from '../paging.js'
import { listSubAccounts } from '../../store/accounts.repo.js'
import { toV1Date } from '../../domain/time.js'

export const SUB_ACCOUNTS_PATH = '/console/api/sub-accounts'

export function subAccountsRoutes(app: App, ctx: AppContext) {
  app.get(
    SUB_ACCOUNTS_PATH,
    {
      schema: {
        tags: ['console'],
        security: [{ basic: [] }],
        summary: "The account's sub-accounts, newest first, optionally searched",
        querystring: Type.Object({
          Search: Type.Optional(
            Type.String({
              maxLength: 255,
              description: 'a sub-account SID, or the start of its friendly name (any case)',
            }),
          ),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const page = pageRequest(req.query)
      const search = req.query.Search?.trim() || undefined
      const res = await listSubAccounts(ctx.store.db, req.principal.account.sid, search, page)
      const rows = res.rows.map((a) => ({
        sid: a.sid,
        friendly_name: a.friendly_name,
        status: a.status,
        date_created: toV1Date(a.date_created),
      }))
      return v1Page(
        'sub_accounts',
        `${ctx.config.publicUrl}${SUB_ACCOUNTS_PATH}`,
        { Search: search },
        page,
        { rows, next: res.next },
        req.query.PageToken,
      )
    },
  )
}
