/**
 * Counts verification outcomes per account, hour, reason and signer SPC in memory and writes
 * them in batches, so counting adds no store write to the verification hot path.
 */
import type { Executor } from '../../store/db.js'
import { addVerificationCounts, type VerificationCountRow } from '../../store/verification.repo.js'
import type { Clock } from '../../domain/time.js'
import type { Reason } from './reasons.js'

export class VerificationCounter {
  #pending = new Map<string, number>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()

  constructor(private readonly db: Executor, private readonly clock: Clock, flushEveryMs = 1000) {
    if (flushEveryMs > 0) {
      this.#timer = setInterval(() => { void this.flush().catch(() => undefined) }, flushEveryMs)
      this.#timer.unref()
    }
  }

  /** Counts one outcome (a map increment). */
  count(accountSid: string, reason: Reason, spc: string | undefined): void {
    const key = `${accountSid}|${this.clock().toISOString().slice(0, 13)}|${reason}|${(spc ?? '').slice(0, 40)}`
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1)
  }

  /** Writes what was counted since the last flush; on failure the counts wait for the next one. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.catch(() => undefined).then(async () => {
      if (this.#pending.size === 0) return
      const batch = this.#pending
      this.#pending = new Map()
      const rows: VerificationCountRow[] = [...batch].map(([k, count]) => {
        const [account_sid, hour, reason, spc] = k.split('|') as [string, string, string, string]
        return { account_sid, hour, reason, spc, count }
      })
      try {
        await addVerificationCounts(this.db, rows)
      } catch (err) {
        for (const [k, n] of batch) this.#pending.set(k, (this.#pending.get(k) ?? 0) + n)
        throw err
      }
    })
    return this.#flushing
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    await this.flush().catch(() => undefined)
  }
}
