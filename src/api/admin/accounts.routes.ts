import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { createAccount } from '../../store/accounts.repo.js'
import { isoNow } from '../../domain/time.js'
import { presentAccount } from '../twilio2010/account.presenter.js'

/** Operator routes for top-level accounts (the admin area admits the operator token only). */
export function adminAccountsRoutes(app: App, ctx: AppContext) {
  app.post('/admin/v1/Accounts', {
    schema: {
      tags: ['admin'], summary: 'Create a top-level account (returns its auth token once)',
      security: [{ bearer: [] }],
      body: Type.Object({ FriendlyName: Type.String({ minLength: 1, maxLength: 255 }) }),
    },
  }, async (req, reply) => {
    const { row, authToken } = await createAccount(ctx.store.db, ctx.sealer, req.body.FriendlyName, null, isoNow(ctx.clock))
    req.log.info({ account: row.sid }, 'account created by operator')
    return reply.status(201).send(presentAccount(row, authToken))
  })
}
