/**
 * Vetting metrics computable from the store (DESIGN §3), served by `GET /admin/v1/Metrics` and,
 * as gauges, by `GET /metrics`: queue depth, age of the oldest open item, overdue count and
 * decisions per reviewer.
 */
import type { Executor } from '../store/db.js'
import { queueFigures } from '../store/reviews.repo.js'
import { APPROVED } from '../domain/bundle.js'

export interface VettingMetrics {
  readonly queue_depth: number
  readonly oldest_age_seconds: number
  readonly overdue: number
  /** Per actor (reviewer SID or `operator`): approvals and rejections decided. */
  readonly decisions: Readonly<Record<string, { approved: number; rejected: number }>>
}

export async function vettingMetrics(db: Executor, now: Date): Promise<VettingMetrics> {
  const f = await queueFigures(db, now.toISOString())
  const decisions: Record<string, { approved: number; rejected: number }> = {}
  for (const d of f.decisions) {
    const who = (d.decided_by ?? 'unknown').replace(/^reviewer:/, '')
    const slot = (decisions[who] ??= { approved: 0, rejected: 0 })
    if (d.status === APPROVED) slot.approved += Number(d.n)
    else slot.rejected += Number(d.n)
  }
  return {
    queue_depth: f.depth,
    oldest_age_seconds: f.oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(f.oldest)) / 1000)) : 0,
    overdue: f.overdue,
    decisions,
  }
}
