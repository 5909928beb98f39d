/**
 * Lets the console call the real API with its session cookie instead of holding secrets in the
 * browser. A root `onRequest` hook turns a valid token session into the very Authorization
 * header the user signed in with, so every area's own auth hook (customer Basic, operator or
 * reviewer Bearer) runs unchanged: such a session adds no privileges. A user session (a
 * person signed in with email and password) sets `req.consoleUser` instead, which the auth
 * functions (auth.ts) resolve to the user's account or staff role, after the role table
 * (domain/roles.ts) has allowed the request.
 * State-changing calls must echo the session's CSRF token in `X-CSRF-Token` (double submit:
 * the token is also in a readable, SameSite=Strict cookie, and bound into the sealed session
 * so a planted cookie cannot supply it).
 */
import type { FastifyRequest } from 'fastify'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { AppError, errors } from '../../domain/errors.js'
import { isoNow } from '../../domain/time.js'
import { authenticateAccount } from '../auth.js'
import { parseCookies } from './cookies.js'
import { isSid } from '../../domain/ids.js'
import { isSignedOut, recordSignOut } from '../../store/accounts.repo.js'
import { STATS_PATH } from './stats.routes.js'
import { SUB_ACCOUNTS_PATH } from './sub-accounts.routes.js'
import { ACCOUNT_SECURITY_PATH, INVITATIONS_PATH, USERS_PATH } from './paths.js'
import {
  authorizationOf,
  CSRF_HEADER,
  csrfMatches,
  openSession,
  SESSION_COOKIE,
  type Session,
  type TokenCredential,
} from './session.js'
import { resolveUserSession } from './user-session.js'
import { mustEnrol } from './two-factor.js'
import { asPerson } from '../../store/audit-actor.js'
import type { ConsoleUser } from '../credentials.js'
import { isAccountRole, roleAllows, type UserRole } from '../../domain/roles.js'

/** The API routes a console session may call; /console/api/session handles its own cookie. */
const API_PREFIXES = [
  '/v1/',
  '/v2/',
  '/2010-04-01/',
  '/admin/',
  '/stir/',
  STATS_PATH,
  SUB_ACCOUNTS_PATH,
  USERS_PATH,
  INVITATIONS_PATH,
  ACCOUNT_SECURITY_PATH,
] as const
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * `X-Stirhub-Account: AC…` lets a parent's session act in one of its sub-accounts, exactly as
 * Basic `ACsub:parentToken` would (the customer auth hook applies its own parent-token rule,
 * so this grants nothing the credential could not do directly).
 */
const ACCOUNT_HEADER = 'x-stirhub-account'

function actingAs(cred: TokenCredential, header: string | string[] | undefined): TokenCredential {
  if (cred.kind !== 'basic' || typeof header !== 'string' || !isSid(header, 'AC')) return cred
  return { kind: 'basic', user: header, pass: cred.pass }
}

/** Throws 403 (ROLE_FORBIDDEN) unless the user's role allows the request (domain/roles.ts). */
async function requireRole(ctx: AppContext, req: FastifyRequest, u: ConsoleUser): Promise<void> {
  if (await mustEnrol(ctx, u.user))
    throw new AppError(
      'TWO_FACTOR_ENROLMENT_REQUIRED',
      "This account requires two-factor: enrol on the console's Security page first",
    )
  const role = u.user.role as UserRole
  // Staff are held to the admin area's own audiences; an unknown route is the 404 handler's.
  if (!isAccountRole(role) || req.routeOptions.url === undefined) return
  if (!roleAllows(role, req.method, req.routeOptions.url))
    throw new AppError('ROLE_FORBIDDEN', `Your role (${role}) may not ${req.method} ${req.routeOptions.url}`, {
      role,
    })
}

/** The request's session as its cookie says (valid and unexpired), signed out or not. */
export function sessionOf(ctx: AppContext, req: FastifyRequest): Session | undefined {
  return openSession(ctx.sealer, parseCookies(req.headers.cookie)[SESSION_COOKIE], ctx.clock())
}

/** The request's session, unless it was signed out (one indexed read, console requests only). */
export async function activeSession(ctx: AppContext, req: FastifyRequest): Promise<Session | undefined> {
  const s = sessionOf(ctx, req)
  // A user session's row is its state: sign-out deletes it (user-session.ts).
  if (s?.cred.kind === 'user') return s
  return s && !(await isSignedOut(ctx.store.db, s.id)) ? s : undefined
}

/** Throws 403 unless a state-changing request carries the session's CSRF token. */
export function requireCsrf(req: FastifyRequest, s: Session): void {
  if (!SAFE_METHODS.has(req.method) && !csrfMatches(s, req.headers[CSRF_HEADER])) {
    throw errors.forbidden('CSRF token missing or invalid: send the X-CSRF-Token header given at sign-in')
  }
}

/**
 * Ends a session whose own account is no longer active (suspended, or a sub-account of a
 * suspended account): its sign-out is recorded, so it stays ended if the account comes back,
 * and the request gets 401 as a signed-out one would. A closed account's credentials fail
 * authentication anyway (401). One cached check per console request.
 */
export async function endIfInactive(ctx: AppContext, s: Session): Promise<void> {
  if (s.cred.kind !== 'basic') return
  try {
    await authenticateAccount(ctx, { headers: { authorization: authorizationOf(s.cred) } })
  } catch (err) {
    if (!(err instanceof AppError) || err.key !== 'ACCOUNT_INACTIVE') return
    await recordSignOut(ctx.store.db, s.id, new Date(s.expiresAt).toISOString(), isoNow(ctx.clock))
    throw errors.unauthenticated()
  }
}

/** Installs the hook on the root instance; call before the API areas are registered. */
export function installSessionAuth(app: App, ctx: AppContext): void {
  app.decorateRequest('consoleUser', null)
  // Callback style: it runs on every request, and API clients (with Authorization) pass at once.
  app.addHook('onRequest', (req, _reply, done) => {
    // Explicit credentials win: API clients never depend on cookies.
    if (req.headers.authorization || !req.headers.cookie || !API_PREFIXES.some((p) => req.url.startsWith(p)))
      return done()
    // As Fastify runs an async hook: continue once settled, with the error if any; a person's
    // request runs on as them, so the events it writes name them (store/audit-actor.ts).
    activeSession(ctx, req)
      .then(async (s) => {
        if (!s) return
        requireCsrf(req, s)
        if (s.cred.kind === 'user') {
          // An ended session leaves the request without credentials: the area answers 401.
          const u = await resolveUserSession(ctx, s)
          if (!u) return
          req.consoleUser = u
          await requireRole(ctx, req, u)
          return
        }
        const cred = s.cred
        await endIfInactive(ctx, s)
        req.headers.authorization = authorizationOf(actingAs(cred, req.headers[ACCOUNT_HEADER]))
      })
      .then(() => {
        const u = req.consoleUser?.user
        const kind = u?.role === 'operator' ? 'operator' : u?.account_sid ? 'user' : undefined
        if (u && kind) asPerson(`${kind}:${u.sid} ${u.email}`, done)
        else done()
      }, done)
  })
}
