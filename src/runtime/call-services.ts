/**
 * What a process that answers calls (the `api` or `sip` role) does before its listeners open:
 * warms the attestation index so a restart under load does not make its first calls queue on
 * store reads, and on PostgreSQL listens for other processes' changes so its index moves
 * before its next call.
 */
import { listenForVersions } from '../store/version-listener.js'
import type { AppContext } from './context.js'

/** Warms the index and starts listening for store versions; the returned function stops listening. */
export async function readyForCalls(ctx: AppContext): Promise<() => Promise<void>> {
  const index = ctx.stiAs.index
  const t0 = performance.now()
  const warmed = await index.prewarm()
  ctx.log.info({ ...warmed, ms: Math.round(performance.now() - t0) }, 'attestation index warmed')
  const listener = listenForVersions(
    ctx.store,
    () => {
      index.fresh().catch(() => undefined)
    },
    ctx.log,
  )
  return async () => {
    await listener?.close()
  }
}
