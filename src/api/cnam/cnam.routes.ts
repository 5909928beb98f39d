/**
 * `GET /v1/cnam/{E164}`: the caller name of a number, for the operator's own terminating side
 * (its switch or SBC looks up the name to show on an incoming call). Who may ask
 * (docs/branding.md "CNAM"): the operator token (`Bearer`) for any number; an account's
 * credentials (Basic, as on the rest of /v1) for the numbers held by it or its sub-accounts
 * only, as every customer read is scoped. Another tenant's number answers 404 exactly as a
 * number without a name, so holdings cannot be probed.
 */
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { AppError } from '../../domain/errors.js'
import { parseTn } from '../../domain/e164.js'
import { isoNow } from '../../domain/time.js'
import type { RateLimiter } from '../../security/rate-limiter.js'
import { cnamOf } from '../../store/cnam.repo.js'
import { authenticateAccount, authenticateOperator, parseBearer } from '../auth.js'
import { spend } from '../throttle.js'

/** The accounts a lookup is scoped to: every one for the operator. */
const scopes = new WeakMap<FastifyRequest, readonly string[] | 'all'>()

/** Registers the lookup with its own auth hook (operator or account). */
export async function cnamRoutes(app: App, ctx: AppContext, limit?: RateLimiter) {
  app.addHook('onRequest', async (req) => {
    if (parseBearer(req.headers.authorization) !== undefined) {
      authenticateOperator(ctx, req)
      scopes.set(req, 'all')
      return
    }
    const p = await authenticateAccount(ctx, req)
    spend(limit, p.account.sid, "over this account's request rate")
    scopes.set(req, p.visible)
  })
  app.get(
    '/v1/cnam/:E164',
    {
      schema: {
        tags: ['cnam'],
        security: [{ bearer: [] }, { basic: [] }],
        summary: 'The approved CNAM caller name of a number',
        description:
          'The caller name of a number assigned to an approved, unexpired CNAM trust product. The operator token ' +
          "looks up any number; an account's credentials only the numbers of the account and its sub-accounts. " +
          'No name, or a number of another account: 404 (CNAM_NOT_FOUND).',
        params: Type.Object({ E164: Type.String({ maxLength: 40, description: 'The number, E.164 (+12125550100)' }) }),
      },
    },
    async (req) => {
      const raw = (req.params as { E164: string }).E164
      const tn = parseTn(raw)
      if (!tn.ok) throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter E164: ${tn.reason}`, { param: 'E164' })
      const scope = scopes.get(req)!
      const entry = await cnamOf(ctx.store.db, tn.e164, isoNow(ctx.clock), scope === 'all' ? undefined : scope)
      if (!entry) throw new AppError('CNAM_NOT_FOUND', `No CNAM caller name for ${tn.e164}`)
      return { phone_number: entry.phone_number, caller_name: entry.caller_name }
    },
  )
}
