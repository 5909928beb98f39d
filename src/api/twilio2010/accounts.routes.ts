/**
 * Twilio 2010 Accounts (sub-accounts) and API Keys. An API key may read accounts; changing
 * them and anything on Keys takes an auth token (requireAuthToken).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createAccount, createApiKey, deleteApiKey, findAccount, findApiKey, listAccounts, listApiKeys, updateAccount } from '../../store/accounts.repo.js'
import { isoNow, toRfc2822 } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { presentAccount } from './account.presenter.js'
import { legacyPage, pageRequest, PagingQuery } from '../paging.js'
import { params, sidParam } from '../params.js'
import { pathOf, requireAuthToken, requireVisibleAccount } from '../scope.js'
import type { ApiKeyRow } from '../../store/accounts.repo.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const presentKey = (k: ApiKeyRow, secret?: string) => ({
  sid: k.sid, friendly_name: k.friendly_name, date_created: toRfc2822(k.date_created), date_updated: toRfc2822(k.date_updated),
  ...(secret ? { secret } : {}),
})

export function accountsRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const tags = ['accounts']

  app.post('/2010-04-01/Accounts.json', {
    schema: { tags, summary: 'Create a sub-account', security: [{ basic: [] }], body: Type.Optional(Type.Object({ FriendlyName: Type.Optional(Type.String({ maxLength: 255 })) })) },
  }, async (req, reply) => {
    requireAuthToken(req)
    const me = req.principal.account
    // Twilio: sub-accounts cannot have sub-accounts of their own.
    if (me.parent_sid) throw errors.forbidden('A sub-account cannot create sub-accounts')
    const name = req.body?.FriendlyName || `SubAccount Created at ${new Date().toUTCString()}`
    const { row, authToken } = await createAccount(db, ctx.sealer, name, me.sid, isoNow(ctx.clock))
    return reply.status(201).send(presentAccount(row, authToken))
  })

  app.get('/2010-04-01/Accounts.json', {
    schema: { tags, summary: 'List the account and its sub-accounts', security: [{ basic: [] }], querystring: Type.Object({ FriendlyName: Type.Optional(Type.String()), Status: Type.Optional(Type.String()), ...PagingQuery }) },
  }, async (req) => {
    const q = req.query
    const page = pageRequest(q)
    const res = await listAccounts(db, req.principal.account.sid, { friendlyName: q.FriendlyName, status: q.Status }, page)
    return legacyPage('accounts', '/2010-04-01/Accounts.json', { FriendlyName: q.FriendlyName, Status: q.Status },
      page, { rows: res.rows.map((a) => presentAccount(a)), next: res.next }, q.PageToken)
  })

  app.get('/2010-04-01/Accounts/:AccountSid.json', {
    schema: { tags, summary: 'Fetch an account', security: [{ basic: [] }], params: AccountParams },
  }, async (req) => {
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    const row = await findAccount(db, sid)
    if (!row) throw errors.notFound(pathOf(req))
    return presentAccount(row)
  })

  app.post('/2010-04-01/Accounts/:AccountSid.json', {
    schema: {
      tags, summary: 'Update an account (FriendlyName; Status of a sub-account)', security: [{ basic: [] }], params: AccountParams,
      body: Type.Optional(Type.Object({ FriendlyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), Status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')])) })),
    },
  }, async (req) => {
    requireAuthToken(req)
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    const body = req.body ?? {}
    // Only a parent changes a sub-account's status; an account cannot suspend itself.
    if (body.Status && sid === req.principal.account.sid) throw errors.forbidden('An account cannot change its own status')
    await updateAccount(db, sid, { ...(body.FriendlyName ? { friendly_name: body.FriendlyName } : {}), ...(body.Status ? { status: body.Status } : {}) }, isoNow(ctx.clock))
    return presentAccount((await findAccount(db, sid))!)
  })

  app.post('/2010-04-01/Accounts/:AccountSid/Keys.json', {
    schema: { tags, summary: 'Create an API key (the secret is shown once)', security: [{ basic: [] }], params: AccountParams, body: Type.Optional(Type.Object({ FriendlyName: Type.Optional(Type.String({ maxLength: 255 })) })) },
  }, async (req, reply) => {
    requireAuthToken(req)
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    const { row, secret } = await createApiKey(db, sid, req.body?.FriendlyName ?? '', isoNow(ctx.clock))
    return reply.status(201).send(presentKey(row, secret))
  })

  app.get('/2010-04-01/Accounts/:AccountSid/Keys.json', {
    schema: { tags, summary: 'List API keys', security: [{ basic: [] }], params: AccountParams, querystring: Type.Object(PagingQuery) },
  }, async (req) => {
    requireAuthToken(req)
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    const page = pageRequest(req.query)
    const res = await listApiKeys(db, sid, page)
    return legacyPage('keys', `/2010-04-01/Accounts/${sid}/Keys.json`, {}, page, { rows: res.rows.map((k) => presentKey(k)), next: res.next }, req.query.PageToken)
  })

  const KeyParams = params({ AccountSid: sidParam('AC'), Sid: sidParam('SK') })
  app.get('/2010-04-01/Accounts/:AccountSid/Keys/:Sid.json', {
    schema: { tags, summary: 'Fetch an API key', security: [{ basic: [] }], params: KeyParams },
  }, async (req) => {
    requireAuthToken(req)
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    const key = await findApiKey(db, req.params.Sid)
    if (!key || key.account_sid !== sid) throw errors.notFound(pathOf(req))
    return presentKey(key)
  })

  app.delete('/2010-04-01/Accounts/:AccountSid/Keys/:Sid.json', {
    schema: { tags, summary: 'Delete an API key', security: [{ basic: [] }], params: KeyParams },
  }, async (req, reply) => {
    requireAuthToken(req)
    const sid = requireVisibleAccount(req, req.params.AccountSid)
    if (!(await deleteApiKey(db, sid, req.params.Sid))) throw errors.notFound(pathOf(req))
    return reply.status(204).send()
  })
}
