/**
 * Sub-account and API-key rules (DESIGN §2): an account creates sub-accounts, never a
 * sub-account; only a parent (or the operator) changes an account's status, and closing is final; credentials are managed with an
 * auth token, never with an API key (a leaked key can use the API but not mint new credentials).
 */
import type { Executor } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import {
  createAccount,
  createApiKey,
  findAccount,
  updateAccount,
  type AccountRow,
  type CreatedAccount,
} from '../store/accounts.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import { assertStatusChange, type AccountStatus } from '../domain/account-status.js'
import { appendEvent } from '../store/events.repo.js'

/** How the caller authenticated (see the API's principal); a console user's role decides for itself (domain/roles.ts). */
export type CredentialKind = 'auth-token' | 'api-key' | 'parent-token' | 'user'

/**
 * Credential management (creating or changing sub-accounts, listing, creating or deleting API
 * keys) takes the account's auth token, or its parent's, never an API key: as with Twilio's
 * standard keys. 403 with Twilio's 20003.
 */
export function requireAuthToken(via: CredentialKind): void {
  if (via === 'api-key') {
    throw new AppError(
      'AUTH_TOKEN_REQUIRED',
      "Authentication Error - API keys cannot manage accounts or keys: use the account's auth token",
    )
  }
}

/** Creates a sub-account of `parent` (Twilio: sub-accounts cannot have sub-accounts of their own). */
export async function createSubAccount(
  db: Executor,
  sealer: Sealer,
  clock: Clock,
  parent: Pick<AccountRow, 'sid' | 'parent_sid'>,
  friendlyName?: string,
): Promise<CreatedAccount> {
  if (parent.parent_sid) throw errors.forbidden('A sub-account cannot create sub-accounts')
  const now = clock()
  const name = friendlyName || `SubAccount Created at ${now.toUTCString()}`
  return createAccount(db, sealer, name, parent.sid, now.toISOString())
}

export interface AccountChange {
  readonly friendlyName?: string
  readonly status?: AccountStatus
}

/** Changes account `sid` on behalf of account `actingSid`; only a parent changes a status, never the account itself. */
export async function changeAccount(
  db: Executor,
  clock: Clock,
  actingSid: string,
  sid: string,
  change: AccountChange,
): Promise<AccountRow> {
  if (change.status && sid === actingSid) throw errors.forbidden('An account cannot change its own status')
  return applyChange(db, clock, sid, change, `account:${actingSid}`)
}

/**
 * The operator's status change of any account, top-level included (`POST
 * /admin/v1/Accounts/{AC}`). Suspending or closing a top-level account stops its sub-accounts
 * too (their effective status, domain/account-status.ts). 404 for an unknown account.
 */
export async function setAccountStatus(
  db: Executor,
  clock: Clock,
  sid: string,
  change: AccountChange,
  actor: string,
): Promise<AccountRow> {
  return applyChange(db, clock, sid, change, actor)
}

/**
 * Applies a change in one transaction with its audit event (`account.suspended`,
 * `account.activated`, `account.closed`, or `account.updated` for a rename); a closed account
 * keeps its status (400, ACCOUNT_CLOSED). The repo bumps both store versions, so the change
 * applies to the very next request and call in every process.
 */
async function applyChange(
  db: Executor,
  clock: Clock,
  sid: string,
  change: AccountChange,
  actor: string,
): Promise<AccountRow> {
  const now = isoNow(clock)
  const run = async (trx: Executor): Promise<AccountRow> => {
    const before = await findAccount(trx, sid)
    if (!before) throw errors.notFound(`/Accounts/${sid}`)
    if (change.status) assertStatusChange(sid, before.status, change.status)
    const patch = {
      ...(change.friendlyName ? { friendly_name: change.friendlyName } : {}),
      ...(change.status ? { status: change.status } : {}),
    }
    if (Object.keys(patch).length === 0) return before
    await updateAccount(trx, sid, patch, now)
    const moved = change.status !== undefined && change.status !== before.status
    await appendEvent(
      trx,
      {
        accountSid: sid,
        resourceSid: sid,
        type: moved ? STATUS_EVENT[change.status!] : 'account.updated',
        actor,
        data: {
          ...(moved ? { from: before.status, to: change.status } : {}),
          ...(change.friendlyName ? { friendly_name: change.friendlyName } : {}),
        },
      },
      now,
    )
    return (await findAccount(trx, sid))!
  }
  return 'isTransaction' in db && db.isTransaction ? run(db) : db.transaction().execute(run)
}

const STATUS_EVENT: Readonly<Record<AccountStatus, string>> = {
  active: 'account.activated',
  suspended: 'account.suspended',
  closed: 'account.closed',
}

/** Creates an API key of `accountSid`; the secret is returned once. */
export async function newApiKey(db: Executor, clock: Clock, accountSid: string, friendlyName?: string) {
  return createApiKey(db, accountSid, friendlyName ?? '', isoNow(clock))
}
