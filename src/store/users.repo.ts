/** Console users, their sessions, invitation/reset tokens, recovery codes and account security settings. */
import type { Executor } from './db.js'
import type { AccountSsoTable, UserSessionsTable, UsersTable, UserTokensTable } from './tables/users.table.js'

export type UserRow = UsersTable
export type UserSessionRow = UserSessionsTable
export type UserTokenRow = UserTokensTable

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute()
}

export async function findUser(db: Executor, sid: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('sid', '=', sid).executeTakeFirst()
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

/** The users of one account, by email. */
export async function listAccountUsers(db: Executor, accountSid: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('account_sid', '=', accountSid).orderBy('email').execute()
}

export async function updateUser(
  db: Executor,
  sid: string,
  change: Partial<
    Pick<UserRow, 'password_hash' | 'role' | 'status' | 'totp_sealed' | 'totp_pending_sealed' | 'totp_last_step'>
  >,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...change, date_updated: now })
    .where('sid', '=', sid)
    .execute()
}

/** Removes a user with its sessions and recovery codes. */
export async function deleteUser(db: Executor, sid: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('user_sid', '=', sid).execute()
  await db.deleteFrom('user_recovery_codes').where('user_sid', '=', sid).execute()
  await db.deleteFrom('users').where('sid', '=', sid).execute()
}

export async function insertSession(db: Executor, row: UserSessionRow): Promise<void> {
  await db.insertInto('user_sessions').values(row).execute()
}

/** The session whose cookie id hashes to `idHash`, with its user. */
export async function findSessionByIdHash(
  db: Executor,
  idHash: string,
): Promise<{ session: UserSessionRow; user: UserRow } | undefined> {
  const session = await db.selectFrom('user_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
  if (!session) return undefined
  const user = await findUser(db, session.user_sid)
  return user && { session, user }
}

/** A user's sessions, newest first (expired ones are pruned first). */
export async function listSessions(db: Executor, userSid: string, now: string): Promise<UserSessionRow[]> {
  await db.deleteFrom('user_sessions').where('expires_at', '<=', now).execute()
  return db
    .selectFrom('user_sessions')
    .selectAll()
    .where('user_sid', '=', userSid)
    .orderBy('date_created', 'desc')
    .orderBy('sid', 'desc')
    .execute()
}

export async function touchSession(db: Executor, sid: string, now: string): Promise<void> {
  await db.updateTable('user_sessions').set({ last_seen: now }).where('sid', '=', sid).execute()
}

/** Ends one session of a user; false when the user has no such session. */
export async function deleteSession(db: Executor, userSid: string, sid: string): Promise<boolean> {
  const r = await db
    .deleteFrom('user_sessions')
    .where('sid', '=', sid)
    .where('user_sid', '=', userSid)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** Ends every session of a user (password reset, removal), or every one but `keep`. */
export async function deleteUserSessions(db: Executor, userSid: string, keep?: string): Promise<void> {
  let q = db.deleteFrom('user_sessions').where('user_sid', '=', userSid)
  if (keep) q = q.where('sid', '!=', keep)
  await q.execute()
}

export async function insertToken(db: Executor, row: UserTokenRow): Promise<void> {
  await db.insertInto('user_tokens').values(row).execute()
}

/**
 * Spends a token: marks it used if it is of `kind`, unused and unexpired, and returns it;
 * undefined otherwise. The conditional update makes a second use lose, even at the same time.
 */
export async function spendToken(
  db: Executor,
  tokenHash: string,
  kind: string,
  now: string,
): Promise<UserTokenRow | undefined> {
  const r = await db
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return undefined
  return db.selectFrom('user_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

/** Open invitations of an account, newest first. */
export async function listInvitations(db: Executor, accountSid: string, now: string): Promise<UserTokenRow[]> {
  return db
    .selectFrom('user_tokens')
    .selectAll()
    .where('account_sid', '=', accountSid)
    .where('kind', '=', 'invite')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('date_created', 'desc')
    .execute()
}

export async function replaceRecoveryCodes(db: Executor, userSid: string, hashes: readonly string[]): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_sid', '=', userSid).execute()
  if (hashes.length > 0)
    await db
      .insertInto('user_recovery_codes')
      .values(hashes.map((code_hash) => ({ user_sid: userSid, code_hash, used_at: null })))
      .execute()
}

/** Spends a recovery code; false when it is not one of the user's unused codes. */
export async function spendRecoveryCode(
  db: Executor,
  userSid: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: now })
    .where('user_sid', '=', userSid)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** True when the account requires two-factor of every user. */
export async function requiresTwoFactor(db: Executor, accountSid: string): Promise<boolean> {
  const r = await db
    .selectFrom('account_security')
    .select('require_two_factor')
    .where('account_sid', '=', accountSid)
    .executeTakeFirst()
  return r?.require_two_factor === 1
}

export async function setRequireTwoFactor(db: Executor, accountSid: string, on: boolean, now: string): Promise<void> {
  await db
    .insertInto('account_security')
    .values({ account_sid: accountSid, require_two_factor: on ? 1 : 0, date_updated: now })
    .onConflict((oc) => oc.column('account_sid').doUpdateSet({ require_two_factor: on ? 1 : 0, date_updated: now }))
    .execute()
}

/** Ends the session whose cookie id hashes to `idHash` (sign-out). */
export async function endSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('id_hash', '=', idHash).execute()
}

/** Records `step` as the user's last accepted code, unless one at or after it was (a race of two sign-ins); true when recorded. */
export async function useTotpStep(db: Executor, userSid: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('sid', '=', userSid)
    .where('totp_last_step', '<', step)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export type AccountSsoRow = AccountSsoTable

/** Sets (or replaces) an account's single sign-on. */
export async function putSso(db: Executor, row: AccountSsoRow): Promise<void> {
  const { account_sid: _key, ...rest } = row
  await db
    .insertInto('account_sso')
    .values(row)
    .onConflict((oc) => oc.column('account_sid').doUpdateSet(rest))
    .execute()
}

/** The single sign-on whose domain rule covers `domain`. */
export async function findSsoByDomain(db: Executor, domain: string): Promise<AccountSsoRow | undefined> {
  return db.selectFrom('account_sso').selectAll().where('domain', '=', domain).executeTakeFirst()
}
