/** Accounts, sub-accounts, API keys and server settings. */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Executor } from './db.js'
import type { AccountsTable, ApiKeysTable } from './tables/accounts.table.js'
import { keysetPage, type PageRequest } from './paging.js'
import { isSid, newSecret, newSid } from '../domain/ids.js'
import { hashSecret, type Sealer } from '../security/secrets.js'
import { scope, withDecisionBump } from './decision-version.repo.js'

export type AccountRow = AccountsTable
export type ApiKeyRow = ApiKeysTable

export interface CreatedAccount {
  readonly row: AccountRow
  /** The plain auth token: returned once, never stored in clear. */
  readonly authToken: string
}

export async function createAccount(
  db: Executor,
  sealer: Sealer,
  friendlyName: string,
  parentSid: string | null,
  now: string,
): Promise<CreatedAccount> {
  const authToken = newSecret()
  const row: AccountRow = {
    sid: newSid('AC'),
    parent_sid: parentSid,
    friendly_name: friendlyName,
    status: 'active',
    auth_token_hash: hashSecret(authToken),
    auth_token_sealed: sealer.seal(authToken, 'auth-token'),
    secondary_token_hash: null,
    secondary_token_sealed: null,
    secondary_token_created: null,
    origid: randomUUID(),
    date_created: now,
    date_updated: now,
  }
  const insert = (t: Executor) => t.insertInto('accounts').values(row).execute()
  // A new sub-account widens what its parent's credentials reach: cached principals must go.
  if (parentSid) await withDecisionBump(db, insert, { kinds: ['credentials'] })
  else await insert(db)
  return { row, authToken }
}

export async function findAccount(db: Executor, sid: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('sid', '=', sid).executeTakeFirst()
}

/** The account whose PASSporTs carry `origid` (each account has its own, RFC 8588 §4), for traceback. */
export async function findAccountByOrigid(db: Executor, origid: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('origid', '=', origid).executeTakeFirst()
}

/** The account and, for a parent, its sub-accounts: what its credentials may act on. */
export async function childSids(db: Executor, sid: string): Promise<string[]> {
  const rows = await db.selectFrom('accounts').select('sid').where('parent_sid', '=', sid).execute()
  return rows.map((r) => r.sid)
}

export interface AccountFilter {
  readonly friendlyName?: string
  readonly status?: string
}

/** LIKE-escapes `text` (its wildcards match themselves under `escape '\\'`). */
const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c)

/** Lists an account itself and its sub-accounts (Twilio's GET /Accounts.json). */
export async function listAccounts(db: Executor, sid: string, f: AccountFilter, page: PageRequest) {
  let q = db
    .selectFrom('accounts')
    .selectAll()
    .where((eb) => eb.or([eb('sid', '=', sid), eb('parent_sid', '=', sid)]))
  if (f.friendlyName) q = q.where('friendly_name', '=', f.friendlyName)
  if (f.status) q = q.where('status', '=', f.status)
  return keysetPage(q, page)
}

/**
 * An account's sub-accounts, newest first, with keyset paging; `search` is a SID, or the start
 * of a friendly name in any case (LIKE wildcards in it match themselves).
 */
export async function listSubAccounts(db: Executor, parentSid: string, search: string | undefined, page: PageRequest) {
  let q = db
    .selectFrom('accounts')
    .select(['sid', 'friendly_name', 'status', 'date_created'])
    .where('parent_sid', '=', parentSid)
  if (search && isSid(search, 'AC')) q = q.where('sid', '=', search)
  else if (search) {
    const prefix = `${likeText(search.toLowerCase())}%`
    q = q.where(sql<boolean>`lower(friendly_name) like ${prefix} escape '\\'`)
  }
  return keysetPage(q, page)
}

/** The operator's account search: a status, and text matched against SIDs and names. */
export interface AccountSearch {
  /** The start of a SID (any case), or any part of a friendly name (any case). */
  readonly search?: string
  readonly status?: string
}

/**
 * Every account, top-level and sub-account alike, newest first with keyset paging (the
 * `accounts_created` and `accounts_status` indexes), with its parent's name and how many
 * sub-accounts it has: the operator's account list.
 */
export async function searchAccounts(db: Executor, f: AccountSearch, page: PageRequest) {
  let q = db
    .selectFrom('accounts')
    .leftJoin('accounts as parent', 'parent.sid', 'accounts.parent_sid')
    .select((eb) => [
      'accounts.sid',
      'accounts.friendly_name',
      'accounts.status',
      'accounts.parent_sid',
      'accounts.date_created',
      'accounts.date_updated',
      'parent.friendly_name as parent_friendly_name',
      eb
        .selectFrom('accounts as child')
        .select(eb.fn.countAll<number | string>().as('n'))
        .whereRef('child.parent_sid', '=', 'accounts.sid')
        .as('sub_accounts'),
    ])
  if (f.status) q = q.where('accounts.status', '=', f.status)
  const text = f.search?.trim().toLowerCase()
  if (text) {
    // SIDs are "AC" + lower-case hex: text that could start one is also tried as a SID prefix.
    const sidPrefix = /^ac[0-9a-f]*$/.test(text) ? `AC${likeText(text.slice(2))}%` : undefined
    const name = `%${likeText(text)}%`
    const byName = sql<boolean>`lower(accounts.friendly_name) like ${name} escape '\\'`
    const bySid = sidPrefix && sql<boolean>`accounts.sid like ${sidPrefix} escape '\\'`
    q = q.where((eb) => (bySid ? eb.or([byName, bySid]) : byName))
  }
  const res = await keysetPage(q, page, 'accounts.')
  return { ...res, rows: res.rows.map((r) => ({ ...r, sub_accounts: Number(r.sub_accounts ?? 0) })) }
}

export async function updateAccount(
  db: Executor,
  sid: string,
  patch: Partial<Pick<AccountRow, 'friendly_name' | 'status'>>,
  now: string,
) {
  // A status change (suspend/close) changes what may be signed and what its credentials may
  // do, for its sub-accounts too (they act with their parent's status when it is worse).
  await withDecisionBump(
    db,
    async (t) => {
      await t
        .updateTable('accounts')
        .set({ ...patch, date_updated: now })
        .where('sid', '=', sid)
        .execute()
      return patch.status ? childSids(t, sid) : []
    },
    (children) => ({ kinds: ['decisions', 'credentials'], scopes: [sid, ...children].map(scope.account) }),
  )
}

/** The auth token in clear, for signing the account's webhooks. */
export function openAuthToken(sealer: Sealer, row: AccountRow): string {
  return sealer.open(row.auth_token_sealed, 'auth-token').toString('utf8')
}

export async function createApiKey(db: Executor, accountSid: string, friendlyName: string, now: string) {
  const secret = newSecret()
  const row: ApiKeyRow = {
    sid: newSid('SK'),
    account_sid: accountSid,
    friendly_name: friendlyName,
    secret_hash: hashSecret(secret),
    date_created: now,
    date_updated: now,
  }
  await db.insertInto('api_keys').values(row).execute()
  return { row, secret }
}

export async function findApiKey(db: Executor, sid: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('sid', '=', sid).executeTakeFirst()
}

export async function listApiKeys(db: Executor, accountSid: string, page: PageRequest) {
  return keysetPage(db.selectFrom('api_keys').selectAll().where('account_sid', '=', accountSid), page)
}

export async function deleteApiKey(db: Executor, accountSid: string, sid: string): Promise<boolean> {
  const r = await withDecisionBump(
    db,
    (t) => t.deleteFrom('api_keys').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst(),
    { kinds: ['credentials'] },
  )
  return Number(r.numDeletedRows) > 0
}

export async function getSetting(db: Executor, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value
}

export async function setSetting(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}

/** Stores `value` under `key` unless a value is already there; false when one was. */
export async function addSettingOnce(db: Executor, key: string, value: string): Promise<boolean> {
  const r = await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}

/** Ends a console session for good (until `expiresAt`), and forgets sign-outs whose sessions expired anyway. */
export async function recordSignOut(db: Executor, sessionId: string, expiresAt: string, now: string): Promise<void> {
  await db.deleteFrom('console_sign_outs').where('expires_at', '<=', now).execute()
  await db
    .insertInto('console_sign_outs')
    .values({ session_id: sessionId, expires_at: expiresAt })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .execute()
}

/** True when the console session was signed out. */
export async function isSignedOut(db: Executor, sessionId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('console_sign_outs')
      .select('session_id')
      .where('session_id', '=', sessionId)
      .executeTakeFirst()) !== undefined
  )
}
