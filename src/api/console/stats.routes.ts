/**
 * `GET /console/api/stats`: the dashboard's numbers — calls signed per hour and level, and
 * inbound verification outcomes — for the caller's account and its sub-accounts. A customer
 * route like any other (Basic auth, or the console session through the cookie bridge), so
 * the console shows nothing its user could not fetch directly. `Accounts` narrows it to the
 * accounts a page shows: an ISV may have tens of thousands of sub-accounts.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { signingCountsByAccount } from '../../store/signing-counters.repo.js'
import { verificationCountsByAccount } from '../../store/verification.repo.js'
import { errors } from '../../domain/errors.js'

export const STATS_PATH = '/console/api/stats'

/** Most accounts one `Accounts` filter may name. */
const MAX_ACCOUNTS = 100

/** `YYYY-MM-DDTHH` of `hours` ago: the counters' bucket key. */
function hourKey(now: Date, hoursAgo: number): string {
  return new Date(now.getTime() - hoursAgo * 3600_000).toISOString().slice(0, 13)
}

/** Registers the route; the caller installs the customer auth hook (console.plugin.ts). */
export function statsRoutes(app: App, ctx: AppContext) {
  app.get(
    STATS_PATH,
    {
      schema: {
        tags: ['console'],
        security: [{ basic: [] }],
        summary: 'Signed calls per hour and level, and verification outcomes, per account',
        querystring: Type.Object({
          Hours: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 24 * 90, description: 'how far back (default 168 = 7 days)' }),
          ),
          Accounts: Type.Optional(
            Type.String({
              description: `comma-separated SIDs of the account and its sub-accounts, at most ${MAX_ACCOUNTS} (default: all of them)`,
            }),
          ),
        }),
      },
    },
    async (req, reply) => {
      // Counts are batched in memory on the signing and verification paths; write them out so
      // the page is current.
      await Promise.all([ctx.stiAs.counter.flush(), ctx.stiVs.counter.flush()])
      const from = hourKey(ctx.clock(), req.query.Hours ?? 168)
      const sids =
        req.query.Accounts === undefined
          ? req.principal.visible
          : askedAccounts(req.query.Accounts, req.principal.visible)
      const [signing, verification] = await Promise.all([
        signingCountsByAccount(ctx.store.db, sids, from),
        verificationCountsByAccount(ctx.store.db, sids, from),
      ])
      const accounts = sids.map((sid) => ({
        account_sid: sid,
        signing: (signing.get(sid) ?? []).map((r) => ({ hour: r.hour, attest: r.attest, count: r.count })),
        verification: verification.get(sid) ?? [],
      }))
      reply.header('cache-control', 'no-store')
      return { from_hour: from, accounts }
    },
  )
}

/** The `Accounts` filter's SIDs; each must be the caller's account or one of its sub-accounts (404 otherwise). */
function askedAccounts(list: string, visible: readonly string[]): string[] {
  const asked = [
    ...new Set(
      list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
  if (asked.length === 0 || asked.length > MAX_ACCOUNTS)
    throw errors.invalid('Accounts', `name 1 to ${MAX_ACCOUNTS} account SIDs`)
  const mine = new Set(visible)
  const other = asked.find((sid) => !mine.has(sid))
  if (other !== undefined) throw errors.notFound(`/Accounts/${other}`)
  return asked
}
