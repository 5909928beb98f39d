/**
 * Counts keyed events in memory and writes them in batches (one store write per flush), so
 * counting adds no store write to a signing or verification hot path. A failed write keeps
 * its counts for the next flush.
 */
import type { Clock } from '../domain/time.js'

/** Each counted key: its group's parts (split on {@link SEP}), then the key. */
export type CounterBatch = ReadonlyArray<readonly [parts: readonly string[], count: number]>

/** Separates the parts of a group. */
export const SEP = '\u0000'

export class BatchedCounter {
  readonly #write: (batch: CounterBatch) => Promise<void>
  /** group → key → count. Groups are few and reused (an hour and a level), keys are accounts:
   * two map lookups on existing strings, where one joined key would be built and hashed per event. */
  #pending = new Map<string, Map<string, number>>()
  #timer?: NodeJS.Timeout
  #flushing: Promise<void> = Promise.resolve()

  /** `flushEveryMs` 0: write only on flush/close. */
  constructor(write: (batch: CounterBatch) => Promise<void>, flushEveryMs = 1000) {
    this.#write = write
    if (flushEveryMs > 0) {
      this.#timer = setInterval(() => {
        void this.flush().catch(() => undefined)
      }, flushEveryMs)
      this.#timer.unref()
    }
  }

  /** Counts `n` events of `key` in `group` (parts joined by {@link SEP}). */
  add(group: string, key: string, n = 1): void {
    let g = this.#pending.get(group)
    if (g === undefined) this.#pending.set(group, (g = new Map()))
    g.set(key, (g.get(key) ?? 0) + n)
  }

  /** Writes what was counted since the last flush. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing
      .catch(() => undefined)
      .then(async () => {
        if (this.#pending.size === 0) return
        const pending = this.#pending
        this.#pending = new Map()
        const batch: [string[], number][] = []
        for (const [group, keys] of pending) for (const [key, n] of keys) batch.push([[...group.split(SEP), key], n])
        try {
          await this.#write(batch)
        } catch (err) {
          for (const [group, keys] of pending) for (const [key, n] of keys) this.add(group, key, n)
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

/** The `YYYY-MM-DDTHH` bucket of a clock's now, formatted once per hour (the clock may move either way). */
export class HourBucket {
  readonly #clock: Clock
  #start = 0
  #key = ''

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** The current hour's key: the same string object all hour, so callers can cache what they build from it. */
  key(now = this.#clock()): string {
    const ms = now.getTime()
    if (this.#key === '' || ms < this.#start || ms >= this.#start + 3_600_000) {
      this.#start = ms - (ms % 3_600_000)
      this.#key = new Date(this.#start).toISOString().slice(0, 13)
    }
    return this.#key
  }
}
