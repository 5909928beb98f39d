/**
 * Console users' sign-in and presentation: email and password checked against the stored
 * scrypt hash (a decoy hash when the email is unknown, so the answer and its timing are the
 * same), failed attempts limited per email across every address (the root limiter already
 * counts them per email and address, throttle.ts), and the JSON a browser may see.
 */
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../runtime/context.js'
import { AppError, errors } from '../../domain/errors.js'
import { normaliseEmail } from '../../domain/users.js'
import { describeUserAgent } from '../../domain/user-agent.js'
import { DECOY_HASH, passwordMatches } from '../../security/passwords.js'
import { RateLimiter } from '../../security/rate-limiter.js'
import { findUserByEmail, type UserRow, type UserSessionRow } from '../../store/users.repo.js'
import type { ConsoleUser } from '../credentials.js'
import { parseCookies } from './cookies.js'
import { openSession, SESSION_COOKIE } from './session.js'
import { requireCsrf } from './session-auth.js'
import { resolveUserSession } from './user-session.js'
import { secondFactorMatches, twoFactorRequired } from './two-factor.js'

/** The window failed sign-ins are counted over (as the root limiter's). */
const WINDOW_SEC = 300

/** Failed sign-ins per email from every address: `limit` per 5 minutes (none for 0). */
export function perUserLimiter(limit: number): RateLimiter | undefined {
  return limit > 0 ? new RateLimiter(limit / WINDOW_SEC, Math.max(1, limit)) : undefined
}

function tooMany(ms: number): AppError {
  const sec = Math.max(1, Math.ceil(ms / 1000))
  const reason = `too many failed sign-ins for this user; retry in ${sec} s`
  return new AppError('RATE_LIMITED', `Too Many Requests: ${reason}`, { retry_after: sec, reason })
}

/**
 * The user an email and password sign in as; 401 (the same answer whether the email exists,
 * the password is wrong or the user is disabled), 429 past the per-user limit.
 */
export async function signInUser(
  ctx: AppContext,
  body: { Email?: string; Password?: string; Code?: string },
  limiter: RateLimiter | undefined,
): Promise<UserRow> {
  const email = normaliseEmail(body.Email)
  if (!body.Password) throw errors.missing('Password')
  const key = `user ${email}`
  const wait = limiter?.wait(key, performance.now()) ?? 0
  if (wait > 0) throw tooMany(wait)
  const user = await findUserByEmail(ctx.store.db, email)
  const ok = await passwordMatches(body.Password, user?.password_hash ?? DECOY_HASH)
  if (!user || !ok || user.status !== 'active') {
    limiter?.take(key, performance.now())
    throw errors.unauthenticated()
  }
  if (user.totp_sealed) {
    if (!body.Code) throw twoFactorRequired('enter the code from your authenticator app, or a recovery code')
    // Wrong codes spend the same per-user allowance as wrong passwords.
    if (!(await secondFactorMatches(ctx, user, body.Code))) {
      limiter?.take(key, performance.now())
      throw twoFactorRequired('that code is not valid (or was used already)')
    }
  }
  return user
}

/**
 * The onRequest hook of a signed-in user's own console routes (not behind the root hook):
 * sets `req.consoleUser`, or 401 before anything else is looked at; CSRF on changes.
 */
export function userHook(ctx: AppContext): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    req.consoleUser = await signedInUser(ctx, req)
  }
}

/** The signed-in user of a console route (not behind the root hook): 401 without one; CSRF on changes. */
async function signedInUser(ctx: AppContext, req: FastifyRequest): Promise<ConsoleUser> {
  const s = openSession(ctx.sealer, parseCookies(req.headers.cookie)[SESSION_COOKIE], ctx.clock())
  if (!s || s.cred.kind !== 'user') throw errors.unauthenticated()
  requireCsrf(req, s)
  const u = await resolveUserSession(ctx, s)
  if (!u) throw errors.unauthenticated()
  return u
}

export function presentUser(u: UserRow) {
  return {
    sid: u.sid,
    account_sid: u.account_sid,
    email: u.email,
    role: u.role,
    status: u.status,
    two_factor: u.totp_sealed !== null,
    date_created: u.date_created,
    date_updated: u.date_updated,
  }
}

export function presentSession(r: UserSessionRow, current: boolean) {
  return {
    sid: r.sid,
    browser: describeUserAgent(r.user_agent),
    user_agent: r.user_agent,
    ip: r.ip,
    date_created: r.date_created,
    last_seen: r.last_seen,
    expires_at: r.expires_at,
    current,
  }
}
