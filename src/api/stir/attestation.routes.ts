/**
 * `GET /stir/v1/attestation?from=…&to=…`: the decision the engine would make for a call of
 * the caller's account right now, with the rule that fired, the reasons, the bundles involved
 * and, below A, what the customer must do to reach A, and below B to reach B (DESIGN §4).
 * `POST /stir/v1/attestation/batch`: the same for up to 1,000 calling numbers at once, each
 * with the bundles holding it (the console's numbers page and its levels card).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { presentDecision } from '../../stir/as/decision-view.js'
import { parseTn, requireTn } from '../../domain/e164.js'
import { childSids } from '../../store/accounts.repo.js'
import { bundlesOfNumbers, type NumberBundle } from '../../store/assignments.repo.js'
import { AtisError, atisPostPreconditions } from './atis-errors.js'

/** Most calling numbers one batch explains. */
const MAX_BATCH_EXPLAIN = 1000
/** The destination a batch asks about when it names none: any US number gets the same level. */
const US_PROBE = '+12025550123'

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

  app.post(
    '/v1/attestation/batch',
    {
      onRequest: atisPostPreconditions,
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: `Explain the attestation calls from up to ${MAX_BATCH_EXPLAIN} numbers would get now`,
        body: Type.Object({
          numbers: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), {
            minItems: 1,
            maxItems: MAX_BATCH_EXPLAIN,
            description: 'calling numbers (E.164 or digits)',
          }),
          to: Type.Optional(
            Type.String({ minLength: 1, maxLength: 32, description: `called number (default ${US_PROBE})` }),
          ),
        }),
      },
    },
    async (req) => {
      const body = req.body as { numbers: string[]; to?: string }
      const t = requireTn(body.to ?? US_PROBE, 'to')
      const account = req.stirAccountSid
      const parsed = body.numbers.map((n) => ({ raw: n, tn: parseTn(n) }))
      const e164s = parsed.flatMap((p) => (p.tn.ok ? [p.tn.e164] : []))
      const accounts = [account, ...(await childSids(ctx.store.db, account))]
      const held = new Map<string, NumberBundle[]>()
      for (const b of await bundlesOfNumbers(ctx.store.db, accounts, e164s))
        held.set(b.phone_number, [...(held.get(b.phone_number) ?? []), b])
      const results = []
      for (const p of parsed) {
        if (!p.tn.ok) {
          results.push({ number: p.raw, error: p.tn.reason })
          continue
        }
        const d = await as.index.decide(account, p.tn.tn, t, req.stirTicket)
        if (!d) throw new AtisError('SVC4003')
        const on = held.get(p.tn.e164) ?? []
        results.push({
          number: p.raw,
          ...presentDecision(account, p.tn.tn, t, d),
          assigned_to: on.map((b) => ({
            sid: b.bundle_sid,
            kind: b.kind,
            friendly_name: b.friendly_name,
            status: b.status,
          })),
        })
      }
      return { account_sid: account, to: t, results }
    },
  )
}
