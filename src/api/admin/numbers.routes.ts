/**
 * Operator bulk placement of numbers on an account: `POST /admin/v1/Accounts/:AccountSid/
 * IncomingPhoneNumbers` with `{"PhoneNumbers": ["+1…", …]}` (up to 10,000 per call), through
 * src/trusthub/numbers.ts. The CLI's `numbers add|import` drive this. And the confirmation of
 * a number stored before origins existed: `POST /admin/v1/PhoneNumbers/{E164}/Confirm`
 * (src/trusthub/confirm.ts; `stirhub numbers confirm`).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateOperator } from '../auth.js'
import { findAccount } from '../../store/accounts.repo.js'
import { errors } from '../../domain/errors.js'
import { MAX_BULK, placeNumbers, requireOpenAccount } from '../../trusthub/numbers.js'
import { sidParam } from '../params.js'
import { pathOf } from '../scope.js'
import { confirmNumber } from '../../trusthub/confirm.js'
import { E164Param, pathNumber } from './inventory.routes.js'

export function adminNumbersRoutes(app: App, ctx: AppContext) {
  app.addHook('onRequest', async (req) => authenticateOperator(ctx, req))
  app.post(
    '/admin/v1/Accounts/:AccountSid/IncomingPhoneNumbers',
    {
      // 10,000 E.164 strings in JSON are ~200 KB; allow headroom above the default body limit.
      bodyLimit: Math.max(ctx.config.bodyLimit, 1024 * 1024),
      schema: {
        tags: ['admin'],
        summary: 'Place up to 10,000 numbers on an account in one transaction',
        security: [{ bearer: [] }],
        params: Type.Object({ AccountSid: sidParam('AC') }),
        body: Type.Object({
          PhoneNumbers: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: MAX_BULK }),
        }),
      },
    },
    async (req) => {
      const acct = await findAccount(ctx.store.db, req.params.AccountSid)
      if (!acct) throw errors.notFound(pathOf(req))
      requireOpenAccount(acct)
      const res = await placeNumbers(ctx.store.db, ctx.clock, acct.sid, req.body.PhoneNumbers)
      req.log.info(
        { account: acct.sid, added: res.added, held: res.already_held, refused: res.refused.length },
        'numbers placed by operator',
      )
      return res
    },
  )

  app.post(
    '/admin/v1/PhoneNumbers/:PhoneNumber/Confirm',
    {
      schema: {
        tags: ['admin'],
        summary: "Confirm the holder's right to use a number stored before origins existed (origin becomes operator)",
        security: [{ bearer: [] }],
        params: Type.Object({ PhoneNumber: E164Param }),
      },
    },
    async (req) => {
      const res = await confirmNumber(
        ctx.store.db,
        ctx.clock,
        pathNumber(req.params.PhoneNumber, pathOf(req)),
        'operator',
      )
      if (!res) throw errors.notFound(pathOf(req))
      if (res.changed) req.log.info({ number: res.row.sid }, 'number confirmed by operator')
      return {
        sid: res.row.sid,
        account_sid: res.row.account_sid,
        phone_number: res.row.phone_number,
        right_to_use_origin: res.row.origin,
        changed: res.changed,
      }
    },
  )
}
