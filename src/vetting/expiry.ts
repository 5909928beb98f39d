/**
 * Approval expiry (DESIGN §3): an approval stops counting once `valid_until` passes (the
 * attestation engine compares it at decision time); this timer tells the customer 30 days
 * ahead and records the expiry itself. Each notice happens once per approval (dedupe key).
 */
import type { AppContext } from '../runtime/context.js'
import { appendEvent } from '../store/events.repo.js'
import { enqueueCallback } from '../store/outbox.repo.js'
import { approvedExpiringBy } from '../store/bundles.repo.js'
import { daysAhead, EXPIRY_NOTICE_DAYS } from '../domain/vetting-rules.js'
import { callbackParams } from './callback-signature.js'
import { queueExpiringMail } from '../mail/notices.js'

type Ctx = Pick<AppContext, 'store' | 'clock' | 'config'>

/** Sends the 30-day notices and records expiries that happened; returns how many were new. */
export async function noticeExpiries(ctx: Ctx): Promise<number> {
  const now = ctx.clock()
  const nowIso = now.toISOString()
  const rows = await approvedExpiringBy(ctx.store.db, daysAhead(now, EXPIRY_NOTICE_DAYS), 500)
  let n = 0
  for (const b of rows) {
    const expired = b.valid_until! <= nowIso
    const type = expired ? 'bundle.expired' : 'bundle.expiring'
    const daysLeft = Math.max(0, Math.ceil((Date.parse(b.valid_until!) - now.getTime()) / 86_400_000))
    await ctx.store.db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(
        trx,
        {
          accountSid: b.account_sid,
          resourceSid: b.sid,
          type,
          actor: 'system',
          data: {
            valid_until: b.valid_until,
            days_left: daysLeft,
          },
          dedupeKey: `${type}:${b.sid}:${b.valid_until}`,
        },
        nowIso,
      )
      if (!fresh) return
      n++
      if (!expired) await queueExpiringMail(ctx, trx, { ...b, valid_until: b.valid_until! }, daysLeft, nowIso)
      // The 30-day notice also reaches the customer's StatusCallback (status unchanged, ValidUntil says when).
      if (!expired && b.status_callback)
        await enqueueCallback(
          trx,
          { accountSid: b.account_sid, bundleSid: b.sid, url: b.status_callback, params: callbackParams(b) },
          nowIso,
        )
    })
  }
  return n
}
