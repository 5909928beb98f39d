/**
 * Delivers due status callbacks from the outbox: claims rows under a lease, POSTs each signed
 * form to its URL through the SSRF-guarded fetcher, and records every attempt in the audit
 * log together with its outcome. A failure is retried with exponential backoff and jitter
 * until the retry window (≥ 24 h by default) has passed; a URL the address policy refuses is
 * given up at once (retrying cannot make a private address public).
 */
import type { AppContext } from '../runtime/context.js'
import { findAccount, openAuthToken } from '../store/accounts.repo.js'
import { claimDue, markDelivered, markFailed, type OutboxRow } from '../store/outbox.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { capabilities } from '../store/dialect.js'
import { retryDelayMs } from '../domain/vetting-rules.js'
import { createGuardedFetcher, refusalKind, type GuardedFetcher, type GuardRules } from '../security/guarded-fetch.js'
import { formBody, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, twilioSignature } from './callback-signature.js'

type Ctx = Pick<AppContext, 'store' | 'clock' | 'config' | 'sealer' | 'log'>

/** Refusals that no retry can cure: the URL itself is not allowed. */
const PERMANENT = new Set(['bad_url', 'scheme', 'port', 'userinfo', 'address', 'redirect'])

/** The rules status callbacks follow: http(s), any port, query allowed, no redirects, private hosts only when allowed. */
export function callbackRules(config: AppContext['config']): GuardRules {
  return {
    schemes: ['https:', 'http:'],
    allow: config.callbackAllow,
    allowQuery: true,
    timeoutMs: config.callbackTimeoutMs,
    maxBytes: 64 * 1024,
    maxRedirects: 0,
  }
}

/** The fetcher status callbacks use ({@link callbackRules}). */
export function callbackFetcher(config: AppContext['config']): GuardedFetcher {
  return createGuardedFetcher(callbackRules(config))
}

interface Outcome {
  readonly ok: boolean
  readonly statusCode?: number
  readonly error?: string
  readonly permanent?: boolean
}

async function attempt(ctx: Ctx, fetcher: GuardedFetcher, row: OutboxRow): Promise<Outcome> {
  const account = await findAccount(ctx.store.db, row.account_sid)
  if (!account) return { ok: false, error: 'account no longer exists', permanent: true }
  const params = JSON.parse(row.payload) as Record<string, string>
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'stirhub-callbacks/1',
    [SIGNATURE_HEADER]: twilioSignature(openAuthToken(ctx.sealer, account), row.url, params),
    [IDEMPOTENCY_HEADER]: row.id,
  }
  try {
    const res = await fetcher.fetch(row.url, { method: 'POST', headers, body: formBody(params) })
    return res.status >= 200 && res.status < 300
      ? { ok: true, statusCode: res.status }
      : { ok: false, statusCode: res.status, error: `HTTP ${res.status}` }
  } catch (e) {
    const kind = refusalKind(e)
    return { ok: false, error: `${kind}: ${(e as Error).message}`, permanent: PERMANENT.has(kind) }
  }
}

/** Records an attempt's outcome and its audit event in one transaction. */
async function record(ctx: Ctx, worker: string, row: OutboxRow, o: Outcome, random: () => number): Promise<void> {
  const now = ctx.clock()
  const nowIso = now.toISOString()
  const n = row.attempts + 1
  const giveUpAt = Date.parse(row.date_created) + ctx.config.callbackRetryHours * 3_600_000
  const delay = retryDelayMs(n, ctx.config.callbackBackoffMs, ctx.config.callbackBackoffMaxMs, random)
  const nextAt =
    o.ok || o.permanent || now.getTime() + delay > giveUpAt ? null : new Date(now.getTime() + delay).toISOString()
  await ctx.store.db.transaction().execute(async (trx) => {
    if (o.ok) await markDelivered(trx, row.id, worker, nowIso)
    else await markFailed(trx, row.id, worker, o.error ?? 'failed', nextAt, nowIso)
    await appendEvent(
      trx,
      {
        accountSid: row.account_sid,
        resourceSid: row.bundle_sid,
        type: o.ok ? 'callback.delivered' : nextAt ? 'callback.retrying' : 'callback.failed',
        actor: 'system',
        data: {
          callback: row.id,
          url: row.url,
          attempt: n,
          status: JSON.parse(row.payload).Status,
          status_code: o.statusCode ?? null,
          error: o.error ?? null,
          next_attempt_at: nextAt,
        },
      },
      nowIso,
    )
  })
}

export interface DeliveryDeps {
  readonly fetcher: GuardedFetcher
  /** Identifies this worker's leases. */
  readonly worker: string
  readonly random?: () => number
  readonly batch?: number
}

/** Claims and delivers one batch of due callbacks; returns how many were attempted. */
export async function deliverDue(ctx: Ctx, d: DeliveryDeps): Promise<number> {
  const now = ctx.clock()
  const rows = await claimDue(ctx.store.db, {
    now: now.toISOString(),
    leaseUntil: new Date(now.getTime() + ctx.config.callbackLeaseMs).toISOString(),
    worker: d.worker,
    limit: d.batch ?? 10,
    skipLocked: capabilities(ctx.store.engine).skipLocked,
  })
  await Promise.all(
    rows.map(async (row) => {
      const o = await attempt(ctx, d.fetcher, row)
      if (!o.ok) ctx.log.warn({ callback: row.id, bundle: row.bundle_sid, error: o.error }, 'status callback failed')
      await record(ctx, d.worker, row, o, d.random ?? Math.random)
    }),
  )
  return rows.length
}
