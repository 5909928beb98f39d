/**
 * `GET /stir/v1/attestation?from=…&to=…`: the decision the engine would make for a call of
 * the caller's account right now, with the rule that fired, the reasons, the bundles involved
 * and, below A, what the customer must do to reach A (DESIGN §4).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { presentDecision } from '../../stir/as/decision-view.js'
import { requireTn } from '../../domain/e164.js'
import { AtisError } from './atis-errors.js'

/** Registers `GET /stir/v1/attestation` in the /stir area. */
export function attestationRoutes(app: App, ctx: AppContext) {
  const as = ctx.stiAs
  app.get(
    '/v1/attestation',
    {
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: 'Explain the attestation a call would get now',
        querystring: Type.Object({
          from: Type.String({ minLength: 1, maxLength: 32, description: 'calling number (E.164 or digits)' }),
          to: Type.String({ minLength: 1, maxLength: 32, description: 'called number (E.164 or digits)' }),
        }),
      },
    },
    async (req) => {
      const { from, to } = req.query as { from: string; to: string }
      // Decided as signing decides them (domain/e164.ts parseTn): the explanation is the signing's.
      const f = requireTn(from, 'from')
      const t = requireTn(to, 'to')
      const d = await as.index.decide(req.stirAccountSid, f, t, req.stirTicket)
      if (!d) throw new AtisError('SVC4003')
      return presentDecision(req.stirAccountSid, f, t, d)
    },
  )
}
