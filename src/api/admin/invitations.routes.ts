/**
 * The operator invites an account's first owner (or any user of it),
 * `POST /admin/v1/Accounts/{AccountSid}/Invitations`, or a member of the platform staff,
 * `POST /admin/v1/Invitations`, and sets up an account's single sign-on,
 * `POST /admin/v1/Accounts/{AccountSid}/Sso`.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { ACCOUNT_ROLES, isAccountRole } from '../../domain/roles.js'
import { normaliseEmail } from '../../domain/users.js'
import { findAccount } from '../../store/accounts.repo.js'
import { invite } from '../console/invitations.js'
import { SECRET_PURPOSE } from '../console/sso.js'
import { putSso } from '../../store/users.repo.js'
import { isoNow } from '../../domain/time.js'
import { isUriText } from '../../domain/uri.js'
import { params, sidParam } from '../params.js'

export function adminInvitationsRoutes(app: App, ctx: AppContext) {
  app.post(
    '/admin/v1/Invitations',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Invites a person to the platform staff (a reviewer, or another operator): mailed when SMTP is configured, else the link is in the answer, once',
        security: [{ bearer: [] }],
        body: Type.Object({
          Email: Type.String({ maxLength: 320, description: "the person's email" }),
          Role: Type.String({ maxLength: 16, description: 'reviewer or operator' }),
        }),
      },
    },
    async (req, reply) => {
      const email = normaliseEmail(req.body.Email)
      const role = req.body.Role
      if (role !== 'reviewer' && role !== 'operator') throw errors.invalid('Role', 'must be reviewer or operator')
      return reply.status(201).send(await invite(ctx, null, email, role, req.staff.actor))
    },
  )

  app.post(
    '/admin/v1/Accounts/:AccountSid/Invitations',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Invites a person to an account's console (its first owner, usually): mailed when SMTP is configured, else the link is in the answer, once",
        security: [{ bearer: [] }],
        params: params({ AccountSid: sidParam('AC') }),
        body: Type.Object({
          Email: Type.String({ maxLength: 320, description: "the person's email" }),
          Role: Type.Optional(
            Type.String({ maxLength: 16, description: `${ACCOUNT_ROLES.join(', ')} (default owner)` }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const email = normaliseEmail(req.body.Email)
      const role = req.body.Role ?? 'owner'
      if (!isAccountRole(role)) throw errors.invalid('Role', `must be one of ${ACCOUNT_ROLES.join(', ')}`)
      const account = await findAccount(ctx.store.db, req.params.AccountSid)
      if (!account || account.status === 'closed') throw errors.notFound(req.url)
      return reply.status(201).send(await invite(ctx, account, email, role, req.staff.actor))
    },
  )

  app.post(
    '/admin/v1/Accounts/:AccountSid/Sso',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Sets up an account's single sign-on (OpenID Connect): people whose email is at Domain sign in through the provider",
        security: [{ bearer: [] }],
        params: params({ AccountSid: sidParam('AC') }),
        body: Type.Object({
          Domain: Type.String({ maxLength: 253, description: 'the email domain the rule covers (acme.example)' }),
          Issuer: Type.String({ maxLength: 2048, description: "the provider's issuer URL" }),
          ClientId: Type.String({ maxLength: 255 }),
          ClientSecret: Type.String({ maxLength: 1024 }),
          DefaultRole: Type.Optional(
            Type.String({
              maxLength: 16,
              description: `a new person's role: ${ACCOUNT_ROLES.join(', ')} (default read-only)`,
            }),
          ),
        }),
      },
    },
    async (req) => {
      const b = req.body
      const domain = b.Domain.trim().toLowerCase()
      if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/.test(domain))
        throw errors.invalid('Domain', 'must be a domain name (acme.example)')
      let issuer: URL
      try {
        issuer = new URL(b.Issuer)
      } catch {
        throw errors.invalid('Issuer', 'must be an https URL')
      }
      if (!isUriText(b.Issuer) || (issuer.protocol !== 'https:' && issuer.protocol !== 'http:'))
        throw errors.invalid('Issuer', 'must be an https URL')
      const role = b.DefaultRole ?? 'read-only'
      if (!isAccountRole(role)) throw errors.invalid('DefaultRole', `must be one of ${ACCOUNT_ROLES.join(', ')}`)
      if (!b.ClientId.trim()) throw errors.missing('ClientId')
      if (!b.ClientSecret) throw errors.missing('ClientSecret')
      const account = await findAccount(ctx.store.db, req.params.AccountSid)
      if (!account || account.status === 'closed') throw errors.notFound(req.url)
      await putSso(ctx.store.db, {
        account_sid: account.sid,
        domain,
        issuer: b.Issuer,
        client_id: b.ClientId,
        client_secret_sealed: ctx.sealer.seal(b.ClientSecret, SECRET_PURPOSE),
        default_role: role,
        date_updated: isoNow(ctx.clock),
      })
      return {
        account_sid: account.sid,
        domain,
        issuer: b.Issuer,
        client_id: b.ClientId,
        default_role: role,
        redirect_uri: `${ctx.config.publicUrl}/console/api/sso/callback`,
      }
    },
  )
}
