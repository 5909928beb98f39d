/**
 * Twilio 2010 Accounts (sub-accounts) and API Keys. An API key may read accounts; changing
 * them and anything on Keys takes an auth token (requireAuthToken).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { deleteApiKey, findAccount, findApiKey, listAccounts, listApiKeys } from '../../store/accounts.repo.js'
import { changeAccount, createSubAccount, newApiKey } from '../../trusthub/accounts.js'
import { toRfc2822 } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { presentAccount } from './account.presenter.js'
import { legacyPage, pageRequest, PagingQuery } from '../paging.js'
import { params, sidParam } from '../params.js'
import { pathOf, requireAuthToken, requireVisibleAccount } from '../scope.js'
import type { ApiKeyRow } from '../../store/accounts.repo.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const presentKey = (k: ApiKeyRow, secret?: string) => ({
  sid: k.sid,
  friendly_name: k.friendly_name,
  date_created: toRfc2822(k.date_created),
  date_updated: toRfc2822(k.date_updated),
  ...(secret ? { secret } : {}),
})

export function accountsRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const tags = ['accounts']

  app.post(
    '/2010-04-01/Accounts.json',
    {
      schema: {
        tags,
        summary: 'Create a sub-account',
        security: [{ basic: [] }],
        body: Type.Optional(Type.Object({ FriendlyName: Type.Optional(Type.String({ maxLength: 255 })) })),
      },
    },
    async (req, reply) => {
      requireAuthToken(req)
      const { row, authToken } = await createSubAccount(
        db,
        ctx.sealer,
        ctx.clock,
        req.principal.account,
        req.body?.FriendlyName,
      )
      return reply.status(201).send(presentAccount(row, authToken))
    },
  )

  app.get(
    '/2010-04-01/Accounts.json',
    {
      schema: {
        tags,
        summary: 'List the account and its sub-accounts',
        security: [{ basic: [] }],
        querystring: Type.Object({
          FriendlyName: Type.Optional(Type.String()),
          Status: Type.Optional(Type.String()),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listAccounts(
        db,
        req.principal.account.sid,
        { friendlyName: q.FriendlyName, status: q.Status },
        page,
      )
      return legacyPage(
        'accounts',
        '/2010-04-01/Accounts.json',
        { FriendlyName: q.FriendlyName, Status: q.Status },
        page,
        { rows: res.rows.map((a) => presentAccount(a)), next: res.next },
        q.PageToken,
      )
    },
  )

  app.get(
    '/2010-04-01/Accounts/:AccountSid.json',
    {
      schema: { tags, summary: 'Fetch an account', security: [{ basic: [] }], params: AccountParams },
    },
    async (req) => {
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      const row = await findAccount(db, sid)
      if (!row) throw errors.notFound(pathOf(req))
      return presentAccount(row)
    },
  )

  app.post(
    '/2010-04-01/Accounts/:AccountSid.json',
    {
      schema: {
        tags,
        summary: 'Update an account (FriendlyName; Status of a sub-account)',
        security: [{ basic: [] }],
        params: AccountParams,
        body: Type.Optional(
          Type.Object({
            FriendlyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
            Status: Type.Optional(
              Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')]),
            ),
          }),
        ),
      },
    },
    async (req) => {
      requireAuthToken(req)
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      const body = req.body ?? {}
      return presentAccount(
        await changeAccount(db, ctx.clock, req.principal.account.sid, sid, {
          friendlyName: body.FriendlyName,
          status: body.Status,
        }),
      )
    },
  )

  app.post(
    '/2010-04-01/Accounts/:AccountSid/Keys.json',
    {
      schema: {
        tags,
        summary: 'Create an API key (the secret is shown once)',
        security: [{ basic: [] }],
        params: AccountParams,
        body: Type.Optional(Type.Object({ FriendlyName: Type.Optional(Type.String({ maxLength: 255 })) })),
      },
    },
    async (req, reply) => {
      requireAuthToken(req)
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      const { row, secret } = await newApiKey(db, ctx.clock, sid, req.body?.FriendlyName)
      return reply.status(201).send(presentKey(row, secret))
    },
  )

  app.get(
    '/2010-04-01/Accounts/:AccountSid/Keys.json',
    {
      schema: {
        tags,
        summary: 'List API keys',
        security: [{ basic: [] }],
        params: AccountParams,
        querystring: Type.Object(PagingQuery),
      },
    },
    async (req) => {
      requireAuthToken(req)
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      const page = pageRequest(req.query)
      const res = await listApiKeys(db, sid, page)
      return legacyPage(
        'keys',
        `/2010-04-01/Accounts/${sid}/Keys.json`,
        {},
        page,
        { rows: res.rows.map((k) => presentKey(k)), next: res.next },
        req.query.PageToken,
      )
    },
  )

  const KeyParams = params({ AccountSid: sidParam('AC'), Sid: sidParam('SK') })
  app.get(
    '/2010-04-01/Accounts/:AccountSid/Keys/:Sid.json',
    {
      schema: { tags, summary: 'Fetch an API key', security: [{ basic: [] }], params: KeyParams },
    },
    async (req) => {
      requireAuthToken(req)
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      const key = await findApiKey(db, req.params.Sid)
      if (!key || key.account_sid !== sid) throw errors.notFound(pathOf(req))
      return presentKey(key)
    },
  )

  app.delete(
    '/2010-04-01/Accounts/:AccountSid/Keys/:Sid.json',
    {
      schema: { tags, summary: 'Delete an API key', security: [{ basic: [] }], params: KeyParams },
    },
    async (req, reply) => {
      requireAuthToken(req)
      const sid = requireVisibleAccount(req, req.params.AccountSid)
      if (!(await deleteApiKey(db, sid, req.params.Sid))) throw errors.notFound(pathOf(req))
      return reply.status(204).send()
    },
  )
}
