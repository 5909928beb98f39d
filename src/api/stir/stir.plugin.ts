/**
 * The /stir area (ATIS-1000082 REST: STI-AS signing, STI-VS verification, attestation
 * explanations): an encapsulated plugin with its own auth hook and ATIS error rendering.
 * Callers are an account (HTTP Basic, as elsewhere; `X-Account-Sid` may name one of its
 * sub-accounts) or the operator (`Bearer <token>` plus `X-Account-Sid`: an SBC signing for
 * every account). Route plugins of the area are listed in {@link STIR_ROUTES}.
 */
import type { App, AreaPlugin } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import {
  authenticateAccount,
  authenticateOperator,
  knownAccount,
  knownOperator,
  parseBearer,
  type Credentialed,
} from '../auth.js'
import { isSid } from '../../domain/ids.js'
import type { RateLimiter } from '../../security/rate-limiter.js'
import { spend } from '../throttle.js'
import { pathOf } from '../scope.js'
import { AtisError, atisError, atisErrorHandler } from './atis-errors.js'
import { signingRoutes } from './signing.routes.js'
import { attestationRoutes } from './attestation.routes.js'
import { verificationRoutes } from './verification.routes.js'
import { stirCallAnalyticsRoutes } from '../calls/analytics.routes.js'
import { stirCallsRoutes } from '../calls/calls.routes.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The account a /stir request acts for (set by the area's auth hook). */
    stirAccountSid: string
    /** The store-version ticket taken on arrival: auth and the attestation index share one version read. */
    stirTicket: number
  }
}

/** Why a /stir call over its account's rate is refused (POL4029). */
const STIR_RATE = "over this account's signing and verification rate"

/** Route plugins of the /stir area; the verification routes append theirs here. */
const STIR_ROUTES: AreaPlugin[] = [
  signingRoutes,
  attestationRoutes,
  verificationRoutes,
  stirCallsRoutes,
  stirCallAnalyticsRoutes,
]

/** Who a /stir call acts for, and the store-version ticket taken when it arrived. */
export interface StirCaller {
  readonly accountSid: string
  readonly ticket: number
}

/**
 * The /stir preamble, run before every call of the area on either lane (the Fastify hook below
 * and the fast lane, stir.fast-lane.ts): takes the store-version ticket (auth and the
 * attestation index then share one version read), resolves the account the call acts for
 * from its credentials, and spends one of that account's calls (429 POL4029 over the rate).
 * Throws what the caller must be answered. With `onlyKnown` (the fast lane), credentials this
 * process has not verified yet give undefined instead of a check.
 */
export async function stirPreamble(
  ctx: AppContext,
  req: Credentialed,
  limit: RateLimiter | undefined,
): Promise<StirCaller>
export async function stirPreamble(
  ctx: AppContext,
  req: Credentialed,
  limit: RateLimiter | undefined,
  onlyKnown: true,
): Promise<StirCaller | undefined>
export async function stirPreamble(
  ctx: AppContext,
  req: Credentialed,
  limit: RateLimiter | undefined,
  onlyKnown = false,
): Promise<StirCaller | undefined> {
  const ticket = ctx.version.ticket()
  const accountSid = await stirAccount(ctx, req, ticket, onlyKnown)
  if (accountSid === undefined) return undefined
  spend(limit, accountSid, STIR_RATE)
  return { accountSid, ticket }
}

/**
 * Resolves the account a /stir request acts for, or throws 401/404 (never 403: SIDs are not
 * probed); undefined for credentials not verified yet when `onlyKnown`.
 */
async function stirAccount(
  ctx: AppContext,
  req: Credentialed,
  ticket: number,
  onlyKnown: boolean,
): Promise<string | undefined> {
  const named = req.headers['x-account-sid']
  if (named !== undefined && (typeof named !== 'string' || !isSid(named, 'AC')))
    throw new AtisError('SVC4005', ['X-Account-Sid', 'must be an account SID (AC…)'])
  const token = parseBearer(req.headers.authorization)
  if (token) {
    if (!onlyKnown) authenticateOperator(ctx, req)
    else if (!knownOperator(ctx, token)) return undefined
    if (named === undefined) throw new AtisError('SVC4001', ['X-Account-Sid'])
    return named
  }
  const p = onlyKnown
    ? await knownAccount(ctx, req.headers.authorization ?? '', ticket)
    : await authenticateAccount(ctx, req, ticket)
  if (p === undefined) return undefined
  if (named !== undefined && !p.visible.includes(named)) throw new AtisError('SVC4003')
  return named ?? p.account.sid
}

/** Registers the /stir area under `app` (call inside `app.register(..., { prefix: '/stir' })`). */
export async function stirArea(app: App, ctx: AppContext, limit?: RateLimiter): Promise<void> {
  app.setErrorHandler(atisErrorHandler)
  app.setNotFoundHandler((req, reply) => {
    // A known path asked with another method: 405 with Allow (allowed-methods.ts).
    const allow = app.methodsAt(pathOf(req))
    if (allow.length === 0) return void atisError(reply, 'SVC4003')
    reply.header('Allow', allow.join(', '))
    atisError(reply, 'POL4050')
  })
  app.decorateRequest('stirAccountSid', '')
  app.decorateRequest('stirTicket', 0)
  app.addHook('onRequest', async (req, reply) => {
    // ATIS-1000082: X-RequestID is echoed on every response, success or error (atisError sets it too).
    const rid = req.headers['x-requestid']
    if (typeof rid === 'string') reply.header('X-RequestID', rid)
    const caller = await stirPreamble(ctx, req, limit)
    req.stirTicket = caller.ticket
    req.stirAccountSid = caller.accountSid
  })
  for (const plugin of STIR_ROUTES) await plugin(app, ctx)
}
