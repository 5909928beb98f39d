/**
 * Console user sessions, held on the server (`user_sessions`): the sealed cookie carries a
 * random id whose SHA-256 names the row, so sign-out, revocation from another browser,
 * removing the user or resetting the password ends the session on its next request. A
 * session ends after `sessionIdleMinutes` without a request and `sessionMaxHours` after
 * sign-in, whichever comes first.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { hashSecret } from '../../security/secrets.js'
import { findSessionByIdHash, insertSession, touchSession, type UserRow } from '../../store/users.repo.js'
import type { ConsoleUser } from '../credentials.js'
import type { Session } from './session.js'

/** last_seen is written at most this often: the idle timeout needs no finer grain. */
const TOUCH_MS = 60_000

/** Starts a session for `user`: its row, and the cookie's content (id, CSRF token, absolute expiry). */
export async function startUserSession(ctx: AppContext, req: FastifyRequest, user: UserRow): Promise<Session> {
  const now = ctx.clock()
  const id = randomBytes(32).toString('base64url')
  const expiresAt = now.getTime() + ctx.config.sessionMaxHours * 3600_000
  await insertSession(ctx.store.db, {
    sid: newSid('SN'),
    id_hash: hashSecret(id),
    user_sid: user.sid,
    date_created: now.toISOString(),
    last_seen: now.toISOString(),
    expires_at: new Date(expiresAt).toISOString(),
    user_agent: String(req.headers['user-agent'] ?? '').slice(0, 512),
    ip: req.ip.slice(0, 64),
  })
  return { id, cred: { kind: 'user' }, csrf: randomBytes(24).toString('base64url'), expiresAt }
}

/**
 * The user and session row behind a user session cookie, or undefined when the session was
 * ended (signed out, revoked, the user removed or disabled) or timed out.
 */
export async function resolveUserSession(ctx: AppContext, s: Session): Promise<ConsoleUser | undefined> {
  if (s.cred.kind !== 'user') return undefined
  const found = await findSessionByIdHash(ctx.store.db, hashSecret(s.id))
  if (!found || found.user.status !== 'active') return undefined
  const now = ctx.clock().getTime()
  const idleUntil = Date.parse(found.session.last_seen) + ctx.config.sessionIdleMinutes * 60_000
  if (now >= Date.parse(found.session.expires_at) || now >= idleUntil) return undefined
  if (now - Date.parse(found.session.last_seen) >= TOUCH_MS) {
    const seen = isoNow(ctx.clock)
    await touchSession(ctx.store.db, found.session.sid, seen)
    return { user: found.user, session: { ...found.session, last_seen: seen } }
  }
  return found
}
