/**
 * The `worker` role: status-callback delivery, review-claim and expiry timers
 * (src/vetting/worker.ts) and, when an STI-PA API is configured, the trust-list pull.
 */
import { startWorker } from '../../vetting/worker.js'
import { startTrustListPull } from '../../stir/trust/sti-pa.js'
import type { AppContext } from '../context.js'

/** Starts the worker loop (and the trust-list pull); the returned function stops them in reverse. */
export function startWorkerRole(ctx: AppContext): () => Promise<void> {
  const worker = startWorker(ctx)
  const pull =
    ctx.config.stiPaApi && ctx.config.trustList
      ? startTrustListPull(ctx.config, ctx.clock, ctx.log, ctx.store.db)
      : undefined
  return async () => {
    await pull?.()
    await worker.stop()
  }
}
