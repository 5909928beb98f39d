/**
 * Counts keyed events in memory and writes them in batches (one store write per flush), so
 * counting adds no store write to a signing or verification hot path. A failed write keeps
 * its counts for the next flush.
 */
export type CounterBatch = ReadonlyArray<readonly [parts: readonly string[], count: number]>

export class BatchedCounter {
  readonly #write: (batch: CounterBatch) => Promise<void>
  #pending = new Map<string, number>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()

  /** `flushEveryMs` 0: write only on flush/close. */
  constructor(write: (batch: CounterBatch) => Promise<void>, flushEveryMs = 1000) {
    this.#write = write
    if (flushEveryMs > 0) {
      this.#timer = setInterval(() => { void this.flush().catch(() => undefined) }, flushEveryMs)
      this.#timer.unref()
    }
  }

  /** Counts one event under its key parts (a map increment). */
  add(parts: readonly string[]): void {
    const key = parts.join('\u0000')
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1)
  }

  /** Writes what was counted since the last flush. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.catch(() => undefined).then(async () => {
      if (this.#pending.size === 0) return
      const batch = this.#pending
      this.#pending = new Map()
      try {
        await this.#write([...batch].map(([k, n]) => [k.split('\u0000'), n] as const))
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
