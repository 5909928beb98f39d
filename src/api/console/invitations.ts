/**
 * Invitations and password resets: a single-use link whose token (256 random bits) is kept
 * only as its SHA-256, spent by a conditional update (a second use loses, even at the same
 * moment), expiring after 72 hours. The link is mailed when SMTP is configured; else the
 * answer says nothing was sent and, to whoever may see it (the operator, an account's owner),
 * carries the link once so it can be handed over.
 */
import { randomBytes } from 'node:crypto'
import type { AppContext } from '../../runtime/context.js'
import { AppError } from '../../domain/errors.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import type { UserRole } from '../../domain/roles.js'
import { hashSecret } from '../../security/secrets.js'
import { hashPassword } from '../../security/passwords.js'
import { mailerFor } from '../../mail/mailer.js'
import {
  deleteUserSessions,
  findUserByEmail,
  insertToken,
  insertUser,
  spendToken,
  updateUser,
  type UserRow,
} from '../../store/users.repo.js'
import { appendEvent } from '../../store/events.repo.js'

/** How long an invitation or reset link lasts. */
const LINK_TTL_MS = 72 * 3600_000

export interface Invited {
  readonly account_sid: string | null
  readonly email: string
  readonly role: string
  readonly expires_at: string
  /** True when the link was mailed; false when no SMTP server is configured. */
  readonly sent: boolean
  /** The link itself, only when it was not mailed (shown once, to hand over). */
  readonly link?: string
}

const linkOf = (ctx: AppContext, page: string, token: string) =>
  `${ctx.config.publicUrl}/console/${page}#token=${token}`

/** Invites `email` to `account` (null: platform staff) with `role`; `by` is the actor recorded. */
export async function invite(
  ctx: AppContext,
  account: { readonly sid: string; readonly friendly_name: string } | null,
  email: string,
  role: UserRole,
  by: string,
): Promise<Invited> {
  const token = randomBytes(32).toString('base64url')
  const now = ctx.clock()
  const expires_at = new Date(now.getTime() + LINK_TTL_MS).toISOString()
  await insertToken(ctx.store.db, {
    token_hash: hashSecret(token),
    kind: 'invite',
    account_sid: account?.sid ?? null,
    email,
    role,
    user_sid: null,
    created_by: by,
    date_created: now.toISOString(),
    expires_at,
    used_at: null,
  })
  await appendEvent(
    ctx.store.db,
    { accountSid: account?.sid ?? null, resourceSid: null, type: 'user.invited', actor: by, data: { email, role } },
    now.toISOString(),
  )
  const link = linkOf(ctx, 'accept-invitation', token)
  const where = account ? `${account.friendly_name} (${account.sid})` : 'the stirhub platform staff'
  const sent = await mailerFor(ctx.config).send({
    to: email,
    subject: `You are invited to ${account ? account.friendly_name : 'stirhub'} on stirhub`,
    text: `You have been invited to ${where} as ${role}.\n\nSet your password and sign in here (the link works once, until ${expires_at}):\n${link}\n`,
  })
  return { account_sid: account?.sid ?? null, email, role, expires_at, sent, ...(sent ? {} : { link }) }
}

const linkInvalid = () =>
  new AppError('LINK_INVALID', 'This link is not valid: it was used already, has expired, or was never issued')

/** Spends an invitation and creates its user with `password`; the new user. */
export async function acceptInvitation(ctx: AppContext, token: string, password: string): Promise<UserRow> {
  const hash = await hashPassword(password)
  const now = isoNow(ctx.clock)
  const t = await spendToken(ctx.store.db, hashSecret(token), 'invite', now)
  if (!t) throw linkInvalid()
  if (await findUserByEmail(ctx.store.db, t.email))
    throw new AppError('LINK_INVALID', `${t.email} has a user already: sign in, or reset its password`)
  return addUser(ctx, { account_sid: t.account_sid, email: t.email, password_hash: hash, role: t.role }, now, {
    invited_by: t.created_by,
  })
}

/**
 * Creates an active user (invited, or first signed in through SSO) and records that it joined,
 * with `how` (who invited it, or `via: 'sso'`) in the event.
 */
export async function addUser(
  ctx: AppContext,
  u: Pick<UserRow, 'account_sid' | 'email' | 'password_hash' | 'role'>,
  now: string,
  how: Record<string, unknown>,
): Promise<UserRow> {
  const user: UserRow = {
    ...u,
    sid: newSid('US'),
    totp_sealed: null,
    totp_pending_sealed: null,
    totp_last_step: 0,
    status: 'active',
    date_created: now,
    date_updated: now,
  }
  await insertUser(ctx.store.db, user)
  await appendEvent(
    ctx.store.db,
    {
      accountSid: user.account_sid,
      resourceSid: user.sid,
      type: 'user.joined',
      actor: `user:${user.sid} ${user.email}`,
      data: { email: user.email, role: user.role, ...how },
    },
    now,
  )
  return user
}

/**
 * Mails a reset link when `email` is an active user's. The caller's answer is the same either
 * way (no enumeration); without SMTP nothing is sent to anyone.
 */
export async function requestReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.store.db, email)
  const mailer = mailerFor(ctx.config)
  if (!user || user.status !== 'active' || !mailer.configured) return
  const token = randomBytes(32).toString('base64url')
  const now = ctx.clock()
  const expires_at = new Date(now.getTime() + LINK_TTL_MS).toISOString()
  await insertToken(ctx.store.db, {
    token_hash: hashSecret(token),
    kind: 'reset',
    account_sid: user.account_sid,
    email: user.email,
    role: user.role,
    user_sid: user.sid,
    created_by: 'self',
    date_created: now.toISOString(),
    expires_at,
    used_at: null,
  })
  await mailer.send({
    to: user.email,
    subject: 'Reset your stirhub password',
    text: `Someone asked to reset the password of ${user.email} on stirhub. If it was you, choose a new one here (the link works once, until ${expires_at}):\n${linkOf(ctx, 'reset-password', token)}\n\nIf it was not you, ignore this message: your password stays as it is.\n`,
  })
}

/** Spends a reset link: sets the new password and ends every session of the user. */
export async function completeReset(ctx: AppContext, token: string, password: string): Promise<void> {
  const hash = await hashPassword(password)
  const now = isoNow(ctx.clock)
  const t = await spendToken(ctx.store.db, hashSecret(token), 'reset', now)
  if (!t?.user_sid) throw linkInvalid()
  await updateUser(ctx.store.db, t.user_sid, { password_hash: hash }, now)
  await deleteUserSessions(ctx.store.db, t.user_sid)
  await appendEvent(
    ctx.store.db,
    {
      accountSid: t.account_sid,
      resourceSid: t.user_sid,
      type: 'user.password_reset',
      actor: `user:${t.user_sid} ${t.email}`,
    },
    now,
  )
}
