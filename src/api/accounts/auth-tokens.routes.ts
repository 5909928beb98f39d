/**
 * Twilio's accounts v1 AuthTokens, for the calling account: `POST /v1/AuthTokens/Secondary`
 * (a secondary token, shown once), `DELETE /v1/AuthTokens/Secondary`, and `POST
 * /v1/AuthTokens/Promote` (the secondary becomes the primary; the old primary is refused from
 * the next request on, in every process). Shapes as the twilio SDK reads them
 * (accounts/v1/secondaryAuthToken, authTokenPromotion). Auth token only, never an API key.
 */
import type { FastifyRequest } from 'fastify'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { requireAuthToken } from '../scope.js'
import { toV1Date } from '../../domain/time.js'
import {
  createSecondaryAuthToken,
  deleteSecondaryAuthToken,
  promoteSecondaryAuthToken,
  type CredentialsEnv,
} from '../../trusthub/credentials.js'

/** Who made a credential change, for the audit log: the account whose token was presented. */
const actorOf = (req: FastifyRequest) => {
  const a = req.principal.account
  return `account:${req.principal.via === 'parent-token' ? a.parent_sid : a.sid}`
}

export function authTokensRoutes(app: App, ctx: AppContext) {
  const env: CredentialsEnv = { db: ctx.store.db, sealer: ctx.sealer, clock: ctx.clock }
  const schema = { tags: ['accounts'], security: [{ basic: [] }] }
  const url = (path: string) => `${ctx.config.publicUrl}/v1/AuthTokens/${path}`
  const created = (req: FastifyRequest) => toV1Date(req.principal.account.date_created)

  app.post(
    '/v1/AuthTokens/Secondary',
    { schema: { ...schema, summary: 'Create a secondary auth token (shown once; replaces any secondary)' } },
    async (req, reply) => {
      requireAuthToken(req)
      const { token, at } = await createSecondaryAuthToken(env, req.principal.account.sid, actorOf(req))
      return reply.status(201).send({
        account_sid: req.principal.account.sid,
        date_created: toV1Date(at),
        date_updated: toV1Date(at),
        secondary_auth_token: token,
        url: url('Secondary'),
      })
    },
  )

  app.delete(
    '/v1/AuthTokens/Secondary',
    { schema: { ...schema, summary: 'Delete the secondary auth token' } },
    async (req, reply) => {
      requireAuthToken(req)
      await deleteSecondaryAuthToken(env, req.principal.account.sid, actorOf(req))
      return reply.status(204).send()
    },
  )

  app.post(
    '/v1/AuthTokens/Promote',
    { schema: { ...schema, summary: 'Promote the secondary auth token to primary (the old primary stops working)' } },
    async (req) => {
      requireAuthToken(req)
      const { token, at } = await promoteSecondaryAuthToken(env, req.principal.account.sid, actorOf(req))
      return {
        account_sid: req.principal.account.sid,
        auth_token: token,
        date_created: created(req),
        date_updated: toV1Date(at),
        url: url('Promote'),
      }
    },
  )
}
