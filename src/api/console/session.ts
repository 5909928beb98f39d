/**
 * Console sessions as sealed cookies. The cookie carries the credential the user signed in
 * with, sealed (AES-256-GCM under the master key, `Sealer` purpose `console-session`), plus an
 * id, an expiry and a CSRF token. Why sealed rather than a sessions table: every request
 * re-runs the normal API authentication with the unsealed credential, so the console can
 * never hold more privilege than the credential itself, and rotating an auth token or
 * deleting an API key ends every session made with it at once. Sign-out records the session's
 * id (`console_sign_outs`, until it would have expired), so a copy of the cookie taken before
 * sign-out is refused too; HttpOnly + SameSite=Strict keep it out of scripts and cross-site
 * requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Sealer } from '../../security/secrets.js'

export const SESSION_COOKIE = 'stirhub_session'
export const CSRF_COOKIE = 'stirhub_csrf'
export const CSRF_HEADER = 'x-csrf-token'
/** Eight hours: one working day, after which the user signs in again. */
export const SESSION_TTL_MS = 8 * 3600 * 1000

const PURPOSE = 'console-session'

/** What a token session stands for: Basic credentials (account or API key) or a Bearer token. */
export type TokenCredential =
  | { readonly kind: 'basic'; readonly user: string; readonly pass: string }
  | { readonly kind: 'bearer'; readonly token: string; readonly role: 'operator' | 'reviewer' }

/**
 * What a session stands for: a credential (the sealed-cookie sessions above), or a console
 * user, whose session lives on the server (user-session.ts) under the cookie's id.
 */
export type SessionCredential = TokenCredential | { readonly kind: 'user' }

export interface Session {
  /** Random; what sign-out records. */
  readonly id: string
  readonly cred: SessionCredential
  readonly csrf: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
}

/** Makes a new session for a credential that has just been checked. */
export function newSession<C extends SessionCredential>(cred: C, now: Date): Session & { readonly cred: C } {
  return {
    id: randomBytes(16).toString('base64url'),
    cred,
    csrf: randomBytes(24).toString('base64url'),
    expiresAt: now.getTime() + SESSION_TTL_MS,
  }
}

export function sealSession(sealer: Sealer, s: Session): string {
  return sealer.seal(JSON.stringify(s), PURPOSE)
}

/** Opens a cookie value; undefined when forged, truncated, from another key, or expired. */
export function openSession(sealer: Sealer, raw: string | undefined, now: Date): Session | undefined {
  if (!raw) return undefined
  try {
    const s = JSON.parse(sealer.open(raw, PURPOSE).toString('utf8')) as Session
    if (
      typeof s.id !== 'string' ||
      typeof s.cred?.kind !== 'string' ||
      typeof s.expiresAt !== 'number' ||
      s.expiresAt <= now.getTime() ||
      typeof s.csrf !== 'string'
    )
      return undefined
    return s
  } catch {
    return undefined
  }
}

/** The Authorization header the session's credential amounts to. */
export function authorizationOf(cred: TokenCredential): string {
  return cred.kind === 'basic'
    ? 'Basic ' + Buffer.from(`${cred.user}:${cred.pass}`, 'utf8').toString('base64')
    : `Bearer ${cred.token}`
}

/** Constant-time check of the CSRF header against the session's token. */
export function csrfMatches(s: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  const a = Buffer.from(header)
  const b = Buffer.from(s.csrf)
  return a.length === b.length && timingSafeEqual(a, b)
}
