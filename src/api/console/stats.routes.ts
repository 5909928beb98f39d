/**
 * `GET /console/api/stats`: the dashboard's numbers — calls signed per hour and level, and
 * inbound verification outcomes — for the caller's account and its sub-accounts. A customer
 * route like any other (Basic auth, or the console session through the cookie bridge), so
 * the console shows nothing its user could not fetch directly.
 */
import { Type } from 'typebox'
import type { App } from '../app.js'
import type { AppContext } from '../context.js'
import { authenticateAccount } from '../auth.js'
import { listSigningCounts } from '../../store/signing-counters.repo.js'
import { sumVerificationCounts } from '../../store/verification.repo.js'
import { stiAs } from '../../stir/as/sti-as.js'

export const STATS_PATH = '/console/api/stats'

/** `YYYY-MM-DDTHH` of `hours` ago: the counters' bucket key. */
export function hourKey(now: Date, hoursAgo: number): string {
  return new Date(now.getTime() - hoursAgo * 3600_000).toISOString().slice(0, 13)
}

export async function statsRoutes(app: App, ctx: AppContext) {
  app.addHook('onRequest', async (req) => { req.principal = await authenticateAccount(ctx, req) })
  app.get(STATS_PATH, {
    schema: {
      tags: ['console'], security: [{ basic: [] }], summary: 'Signed calls per hour and level, and verification outcomes, per account',
      querystring: Type.Object({ Hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 90, description: 'how far back (default 168 = 7 days)' })) }),
    },
  }, async (req, reply) => {
    // Counts are batched in memory on the signing path; write them out so the page is current.
    await stiAs(ctx).counter.flush()
    const from = hourKey(ctx.clock(), req.query.Hours ?? 168)
    const accounts = await Promise.all(req.principal.visible.map(async (sid) => ({
      account_sid: sid,
      signing: (await listSigningCounts(ctx.store.db, sid, from)).map((r) => ({ hour: r.hour, attest: r.attest, count: r.count })),
      verification: await sumVerificationCounts(ctx.store.db, [sid], from),
    })))
    reply.header('cache-control', 'no-store')
    return { from_hour: from, accounts }
  })
}
