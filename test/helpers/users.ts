/** Console users for tests: stored straight into a test server's store, and signed in over HTTP. */
import { newSid } from '../../src/domain/ids.js'
import { hashPassword } from '../../src/security/passwords.js'
import { insertUser } from '../../src/store/users.repo.js'
import type { TestServer } from './server.js'
import { hotp, stepOf } from '../../src/security/totp.js'
import { http, type Res } from './http.js'

export const PASSWORD = 'correct horse battery staple'

/** Adds an active user (an account's, or staff with `account` null) with {@link PASSWORD}; returns its SID. */
export async function addUser(
  s: TestServer,
  account: string | null,
  email: string,
  role: string,
  password = PASSWORD,
): Promise<string> {
  const now = new Date().toISOString()
  const sid = newSid('US')
  await insertUser(s.running.ctx.store.db, {
    sid,
    account_sid: account,
    email,
    role,
    password_hash: await hashPassword(password),
    totp_sealed: null,
    totp_pending_sealed: null,
    totp_last_step: 0,
    status: 'active',
    date_created: now,
    date_updated: now,
  })
  return sid
}

export interface Browser {
  readonly res: Res
  readonly cookie: string
  readonly csrf: string
}

/** Signs in with email and password (and a two-factor code); the cookie and CSRF token to send back. */
export async function userSignIn(
  base: string,
  email: string,
  password = PASSWORD,
  more: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Browser> {
  const res = await http(base, 'POST', '/console/api/session', {
    json: { Email: email, Password: password, ...more },
    headers,
  })
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { res, cookie, csrf: res.body?.csrf_token }
}

/** The headers a signed-in browser sends (cookie, CSRF token, and optionally the account it acts in). */
export const as = (b: Browser, acting?: string): Record<string, string> => ({
  cookie: b.cookie,
  'x-csrf-token': b.csrf,
  ...(acting ? { 'x-stirhub-account': acting } : {}),
})

/** RFC 4648 base32 (no padding) to bytes: what an authenticator app does with the enrolment secret. */
function fromBase32(s: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const ch of s) {
    value = (value << 5) | alphabet.indexOf(ch)
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** The code an authenticator app shows for the base32 `secret` at `epochMs`. */
export const codeFor = (secret: string, epochMs: number): string => hotp(fromBase32(secret), stepOf(epochMs))
