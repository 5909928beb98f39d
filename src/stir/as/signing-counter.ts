/**
 * Counts signings per account, hour and level in memory and writes them in batches (one
 * upsert per flush), so counting never adds a store write to the signing hot path.
 */
import type { Executor } from '../../store/db.js'
import { addSigningCounts, type SigningCountRow } from '../../store/signing-counters.repo.js'
import type { Clock } from '../../domain/time.js'

/** Level bucket: A/B/C, or `none` for a call that was not signed (non-US destination). */
export type CountedLevel = 'A' | 'B' | 'C' | 'none'

/** Per-process signing counts, flushed to `signing_counters` every `flushEveryMs` (0: only on flush/close). */
export class SigningCounter {
  readonly #db: Executor
  readonly #clock: Clock
  #pending = new Map<string, number>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    this.#db = db
    this.#clock = clock
    if (flushEveryMs > 0) {
      this.#timer = setInterval(() => { void this.flush().catch(() => undefined) }, flushEveryMs)
      this.#timer.unref()
    }
  }

  /** Counts one signing (cheap: a map increment). */
  count(accountSid: string, level: CountedLevel): void {
    const key = `${accountSid}|${this.#clock().toISOString().slice(0, 13)}|${level}`
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1)
  }

  /** Writes what was counted since the last flush; on failure the counts are kept for the next one. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.catch(() => undefined).then(async () => {
      if (this.#pending.size === 0) return
      const batch = this.#pending
      this.#pending = new Map()
      const rows: SigningCountRow[] = [...batch].map(([k, count]) => {
        const [account_sid, hour, attest] = k.split('|') as [string, string, string]
        return { account_sid, hour, attest, count }
      })
      try {
        await addSigningCounts(this.#db, rows)
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
