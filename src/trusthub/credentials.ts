/**
 * Taking credentials back (Twilio's accounts v1 AuthTokens): an account makes a secondary auth
 * token, both tokens authenticate while both exist, and promoting the secondary ends the old
 * primary on the very next request in every process (the repo bumps the credentials version
 * in the same transaction). Managed with an auth token only (accounts.ts `requireAuthToken`).
 * Every change is audited with its actor; no event holds a token.
 */
import type { Db } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import { deleteSecondaryToken, promoteSecondaryToken, setSecondaryToken } from '../store/auth-tokens.repo.js'
import { openAuthToken } from '../store/accounts.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'

export interface CredentialsEnv {
  readonly db: Db
  readonly sealer: Sealer
  readonly clock: Clock
}

/** Where the secondary token lives, as Twilio names it (404s name it too). */
const SECONDARY_PATH = '/AuthTokens/Secondary'

/** A new secondary auth token for `accountSid` (replacing any): the plain token, returned once. */
export async function createSecondaryAuthToken(
  env: CredentialsEnv,
  accountSid: string,
  actor: string,
): Promise<{ readonly token: string; readonly at: string }> {
  const at = isoNow(env.clock)
  const token = await env.db.transaction().execute(async (trx) => {
    const t = await setSecondaryToken(trx, env.sealer, accountSid, at)
    await appendEvent(trx, { accountSid, resourceSid: accountSid, type: 'auth_token.secondary_created', actor }, at)
    return t
  })
  return { token, at }
}

/** Deletes the secondary token of `accountSid`; 404 (20404) when there is none. */
export async function deleteSecondaryAuthToken(env: CredentialsEnv, accountSid: string, actor: string): Promise<void> {
  const at = isoNow(env.clock)
  await env.db.transaction().execute(async (trx) => {
    if (!(await deleteSecondaryToken(trx, accountSid, at))) throw errors.notFound(SECONDARY_PATH)
    await appendEvent(trx, { accountSid, resourceSid: accountSid, type: 'auth_token.secondary_deleted', actor }, at)
  })
}

/**
 * Promotes the secondary token of `accountSid` to primary; the old primary is refused from the
 * next request on. Returns the new primary (Twilio's response shows it) and when it changed;
 * 404 (20404) when there is no secondary to promote.
 */
export async function promoteSecondaryAuthToken(
  env: CredentialsEnv,
  accountSid: string,
  actor: string,
): Promise<{ readonly token: string; readonly at: string }> {
  const at = isoNow(env.clock)
  const row = await env.db.transaction().execute(async (trx) => {
    const r = await promoteSecondaryToken(trx, accountSid, at)
    if (!r) throw errors.notFound(SECONDARY_PATH)
    await appendEvent(trx, { accountSid, resourceSid: accountSid, type: 'auth_token.promoted', actor }, at)
    return r
  })
  return { token: openAuthToken(env.sealer, row), at }
}
