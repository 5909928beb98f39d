import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createAccount } from '../../store/accounts.repo.js'
import { setAccountStatus } from '../../trusthub/accounts.js'
import { isoNow } from '../../domain/time.js'
import { presentAccount } from '../twilio2010/account.presenter.js'
import { params, sidParam } from '../params.js'

const Status = Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')], {
  description: 'suspended: refused at once (API, signing, console), sub-accounts too; active: again; closed: for good',
})

/** Operator routes for accounts (the admin area admits the operator token only): create top-level accounts, change any account's status. */
export function adminAccountsRoutes(app: App, ctx: AppContext) {
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
