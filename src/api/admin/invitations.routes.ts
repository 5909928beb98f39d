/** The operator invites an account's first owner (or any user of it): `POST /admin/v1/Accounts/{AccountSid}/Invitations`. */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { ACCOUNT_ROLES, isAccountRole } from '../../domain/roles.js'
import { normaliseEmail } from '../../domain/users.js'
import { findAccount } from '../../store/accounts.repo.js'
import { invite } from '../console/invitations.js'
import { params, sidParam } from '../params.js'

export function adminInvitationsRoutes(app: App, ctx: AppContext) {
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
}
