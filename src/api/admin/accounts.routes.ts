import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createAccount, searchAccounts } from '../../store/accounts.repo.js'
import { setAccountStatus } from '../../trusthub/accounts.js'
import { isoNow, toV1Date } from '../../domain/time.js'
import { presentAccount } from '../twilio2010/account.presenter.js'
import { params, sidParam } from '../params.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'

const Status = Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')], {
  description: 'suspended: refused at once (API, signing, console), sub-accounts too; active: again; closed: for good',
})

type FoundAccount = Awaited<ReturnType<typeof searchAccounts>>['rows'][number]

/** One row of the operator's account list: the account, its parent if it is a sub-account, and how many it has. */
const presentFound = (r: FoundAccount) => ({
  sid: r.sid,
  friendly_name: r.friendly_name,
  status: r.status,
  parent_account_sid: r.parent_sid,
  parent_friendly_name: r.parent_friendly_name,
  sub_accounts: r.sub_accounts,
  date_created: toV1Date(r.date_created),
  date_updated: toV1Date(r.date_updated),
})

/**
 * Operator routes for accounts (the admin area admits the operator token only): list and
 * search every account, create top-level accounts, change any account's status.
 */
export function adminAccountsRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/admin/v1/Accounts`
  app.get(
    '/admin/v1/Accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every account and sub-account, newest first; searchable by SID start or name',
        security: [{ bearer: [] }],
        querystring: Type.Object({
          Search: Type.Optional(
            Type.String({
              maxLength: 255,
              description: 'the start of a SID, or any part of a friendly name (case-insensitive)',
            }),
          ),
          Status: Type.Optional(Status),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await searchAccounts(ctx.store.db, { search: q.Search, status: q.Status }, page)
      return v1Page(
        'results',
        base,
        { Search: q.Search, Status: q.Status },
        page,
        { rows: res.rows.map(presentFound), next: res.next },
        q.PageToken,
      )
    },
  )
  app.post(
    '/admin/v1/Accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a top-level account (returns its auth token once)',
        security: [{ bearer: [] }],
        body: Type.Object({ FriendlyName: Type.String({ minLength: 1, maxLength: 255 }) }),
      },
    },
    async (req, reply) => {
      const { row, authToken } = await createAccount(
        ctx.store.db,
        ctx.sealer,
        req.body.FriendlyName,
        null,
        isoNow(ctx.clock),
      )
      req.log.info({ account: row.sid }, 'account created by operator')
      return reply.status(201).send(presentAccount(row, authToken))
    },
  )
  app.post(
    '/admin/v1/Accounts/:AccountSid',
    {
      schema: {
        tags: ['admin'],
        summary: "Change any account's status (top-level included) or name; closing is final",
        security: [{ bearer: [] }],
        params: params({ AccountSid: sidParam('AC') }),
        body: Type.Object({
          Status: Type.Optional(Status),
          FriendlyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        }),
      },
    },
    async (req) => {
      const row = await setAccountStatus(
        ctx.store.db,
        ctx.clock,
        req.params.AccountSid,
        { status: req.body.Status, friendlyName: req.body.FriendlyName },
        'operator',
      )
      req.log.info({ account: row.sid, status: row.status }, 'account changed by operator')
      return presentAccount(row)
    },
  )
}
