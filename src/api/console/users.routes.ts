/**
 * An account's users, managed by its owners from the console (the role table, domain/roles.ts,
 * keeps these changes to owners; reads are open to the account's users): list users and open
 * invitations, invite, change a role, remove. Customer routes: the account acted in is the
 * principal's (the session's user, or an account credential).
 */
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { AppError, errors } from '../../domain/errors.js'
import { ACCOUNT_ROLES, isAccountRole } from '../../domain/roles.js'
import { normaliseEmail } from '../../domain/users.js'
import { isoNow } from '../../domain/time.js'
import { mailerFor } from '../../mail/mailer.js'
import { appendEvent } from '../../store/events.repo.js'
import {
  deleteUser,
  findUser,
  listAccountUsers,
  listInvitations,
  requiresTwoFactor,
  setRequireTwoFactor,
  updateUser,
  type UserRow,
} from '../../store/users.repo.js'
import { invite } from './invitations.js'
import { presentUser } from './users.js'
import { params, sidParam } from '../params.js'
import { actorOf } from './actor.js'
import { ACCOUNT_SECURITY_PATH, INVITATIONS_PATH, USERS_PATH } from './paths.js'

const RoleField = Type.String({ maxLength: 16, description: ACCOUNT_ROLES.join(', ') })

export function usersRoutes(app: App, ctx: AppContext) {
  const tags = ['console']
  const db = ctx.store.db

  /** A user of an account the principal reaches (its own, its sub-accounts'), else 404 (another's looks missing). */
  const load = async (req: FastifyRequest, sid: string): Promise<UserRow> => {
    const u = await findUser(db, sid)
    if (!u?.account_sid || !req.principal.visible.includes(u.account_sid)) throw errors.notFound(req.url)
    return u
  }

  /** Refuses to leave an account without an active owner. */
  const keepAnOwner = async (leaving: UserRow) => {
    if (leaving.role !== 'owner' || !leaving.account_sid) return
    const owners = (await listAccountUsers(db, leaving.account_sid)).filter(
      (u) => u.role === 'owner' && u.status === 'active' && u.sid !== leaving.sid,
    )
    if (owners.length === 0)
      throw new AppError('CONFLICT', `${leaving.email} is the account's last owner: make another user owner first`)
  }

  app.get(USERS_PATH, { schema: { tags, summary: "The account's users and open invitations" } }, async (req) => {
    const now = isoNow(ctx.clock)
    const account = req.principal.account.sid
    return {
      users: (await listAccountUsers(db, account)).map(presentUser),
      invitations: (await listInvitations(db, account, now)).map((t) => ({
        email: t.email,
        role: t.role,
        invited_by: t.created_by,
        date_created: t.date_created,
        expires_at: t.expires_at,
      })),
      mail: mailerFor(ctx.config).configured ? 'configured' : 'not-configured',
    }
  })

  app.post(
    INVITATIONS_PATH,
    {
      schema: {
        tags,
        summary: 'Invites a person to the account (owners): mailed, or without SMTP the link is in the answer once',
        body: Type.Object({ Email: Type.String({ maxLength: 320 }), Role: RoleField }),
      },
    },
    async (req, reply) => {
      const email = normaliseEmail(req.body.Email)
      if (!isAccountRole(req.body.Role)) throw errors.invalid('Role', `must be one of ${ACCOUNT_ROLES.join(', ')}`)
      const a = req.principal.account
      return reply.status(201).send(await invite(ctx, a, email, req.body.Role, actorOf(req)))
    },
  )

  app.post(
    `${USERS_PATH}/:Sid`,
    {
      schema: {
        tags,
        summary: "Changes a user's role (owners)",
        params: params({ Sid: sidParam('US') }),
        body: Type.Object({ Role: RoleField }),
      },
    },
    async (req) => {
      const role = req.body.Role
      if (!isAccountRole(role)) throw errors.invalid('Role', `must be one of ${ACCOUNT_ROLES.join(', ')}`)
      const u = await load(req, req.params.Sid)
      if (role !== 'owner') await keepAnOwner(u)
      const now = isoNow(ctx.clock)
      await updateUser(db, u.sid, { role }, now)
      await appendEvent(
        db,
        {
          accountSid: u.account_sid,
          resourceSid: u.sid,
          type: 'user.role_changed',
          actor: actorOf(req),
          data: { email: u.email, from: u.role, to: role },
        },
        now,
      )
      return presentUser({ ...u, role, date_updated: now })
    },
  )

  app.delete(
    `${USERS_PATH}/:Sid`,
    {
      schema: {
        tags,
        summary: 'Removes a user from the account (owners): their sessions end at once',
        params: params({ Sid: sidParam('US') }),
      },
    },
    async (req, reply) => {
      const u = await load(req, req.params.Sid)
      await keepAnOwner(u)
      await deleteUser(db, u.sid)
      await appendEvent(
        db,
        {
          accountSid: u.account_sid,
          resourceSid: u.sid,
          type: 'user.removed',
          actor: actorOf(req),
          data: { email: u.email, role: u.role },
        },
        isoNow(ctx.clock),
      )
      return reply.status(204).send()
    },
  )

  app.get(ACCOUNT_SECURITY_PATH, { schema: { tags, summary: "The account's security settings" } }, async (req) => ({
    account_sid: req.principal.account.sid,
    require_two_factor: await requiresTwoFactor(db, req.principal.account.sid),
  }))

  app.post(
    ACCOUNT_SECURITY_PATH,
    {
      schema: {
        tags,
        summary: 'Changes the account security settings (owners): RequireTwoFactor makes every user enrol',
        body: Type.Object({ RequireTwoFactor: Type.Boolean() }),
      },
    },
    async (req) => {
      const account = req.principal.account.sid
      const now = isoNow(ctx.clock)
      await setRequireTwoFactor(db, account, req.body.RequireTwoFactor, now)
      await appendEvent(
        db,
        {
          accountSid: account,
          resourceSid: account,
          type: 'account.security_changed',
          actor: actorOf(req),
          data: { require_two_factor: req.body.RequireTwoFactor },
        },
        now,
      )
      return { account_sid: account, require_two_factor: req.body.RequireTwoFactor }
    },
  )
}
