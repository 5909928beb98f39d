/**
 * Sub-account and API-key rules (DESIGN §2): an account creates sub-accounts, never a
 * sub-account; only a parent changes a sub-account's status; credentials are managed with an
 * auth token, never with an API key (a leaked key can use the API but not mint new credentials).
 */
import type { Executor } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import { createAccount, createApiKey, findAccount, updateAccount, type AccountRow, type CreatedAccount } from '../store/accounts.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'

/** How the caller authenticated (see the API's principal). */
export type CredentialKind = 'auth-token' | 'api-key' | 'parent-token'

/**
 * Credential management (creating or changing sub-accounts, listing, creating or deleting API
 * keys) takes the account's auth token, or its parent's, never an API key: as with Twilio's
 * standard keys. 403 with Twilio's 20003.
 */
export function requireAuthToken(via: CredentialKind): void {
  if (via === 'api-key') {
    throw new AppError('AUTH_TOKEN_REQUIRED', 'Authentication Error - API keys cannot manage accounts or keys: use the account\'s auth token')
  }
}

/** Creates a sub-account of `parent` (Twilio: sub-accounts cannot have sub-accounts of their own). */
export async function createSubAccount(db: Executor, sealer: Sealer, clock: Clock, parent: Pick<AccountRow, 'sid' | 'parent_sid'>, friendlyName?: string): Promise<CreatedAccount> {
  if (parent.parent_sid) throw errors.forbidden('A sub-account cannot create sub-accounts')
  const now = clock()
  const name = friendlyName || `SubAccount Created at ${now.toUTCString()}`
  return createAccount(db, sealer, name, parent.sid, now.toISOString())
}

export interface AccountChange {
  readonly friendlyName?: string
  readonly status?: 'active' | 'suspended' | 'closed'
}

/** Changes account `sid` on behalf of account `actingSid`; only a parent changes a status, never the account itself. */
export async function changeAccount(db: Executor, clock: Clock, actingSid: string, sid: string, change: AccountChange): Promise<AccountRow> {
  if (change.status && sid === actingSid) throw errors.forbidden('An account cannot change its own status')
  await updateAccount(db, sid, { ...(change.friendlyName ? { friendly_name: change.friendlyName } : {}), ...(change.status ? { status: change.status } : {}) }, isoNow(clock))
  return (await findAccount(db, sid))!
}

/** Creates an API key of `accountSid`; the secret is returned once. */
export async function newApiKey(db: Executor, clock: Clock, accountSid: string, friendlyName?: string) {
  return createApiKey(db, accountSid, friendlyName ?? '', isoNow(clock))
}
