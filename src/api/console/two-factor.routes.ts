/** A signed-in console user's own two-factor: enrol (QR code), confirm (recovery codes, once), remove. */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { AppError } from '../../domain/errors.js'
import { isoNow } from '../../domain/time.js'
import { appendEvent } from '../../store/events.repo.js'
import { requiresTwoFactor } from '../../store/users.repo.js'
import { confirmEnrolment, removeTwoFactor, startEnrolment } from './two-factor.js'
import { userHook } from './users.js'

const PATH = '/console/api/two-factor'

export function twoFactorRoutes(app: App, ctx: AppContext) {
  const tags = ['console']
  const self = userHook(ctx)
  const audit = (u: { sid: string; email: string; account_sid: string | null }, type: string) =>
    appendEvent(
      ctx.store.db,
      { accountSid: u.account_sid, resourceSid: u.sid, type, actor: `user:${u.sid} ${u.email}` },
      isoNow(ctx.clock),
    )

  app.post(
    PATH,
    {
      onRequest: self,
      schema: {
        tags,
        summary: 'Starts two-factor enrolment: a new secret as an otpauth URI and its QR code (SVG)',
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!
      reply.header('cache-control', 'no-store')
      return startEnrolment(ctx, u.user)
    },
  )

  app.post(
    `${PATH}/confirm`,
    {
      onRequest: self,
      schema: {
        tags,
        summary: 'Confirms enrolment with a code from the app; answers ten recovery codes, shown once',
        body: Type.Object({ Code: Type.String({ maxLength: 16 }) }),
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!
      const codes = await confirmEnrolment(ctx, u.user, req.body.Code)
      if (!codes)
        throw new AppError(
          'INVALID_PARAM',
          'Invalid parameter Code: not the current code of the secret being enrolled',
          {
            param: 'Code',
          },
        )
      await audit(u.user, 'user.two_factor_enabled')
      reply.header('cache-control', 'no-store')
      return { recovery_codes: codes }
    },
  )

  app.delete(
    PATH,
    { onRequest: self, schema: { tags, summary: 'Turns two-factor off for the signed-in user' } },
    async (req, reply) => {
      const u = req.consoleUser!
      if (u.user.account_sid && (await requiresTwoFactor(ctx.store.db, u.user.account_sid)))
        throw new AppError('CONFLICT', 'This account requires two-factor of every user: it cannot be turned off')
      await removeTwoFactor(ctx, u.user)
      await audit(u.user, 'user.two_factor_disabled')
      return reply.status(204).send()
    },
  )
}
