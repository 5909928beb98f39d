/** Counts signings per account, hour and level, written to `signing_counters` in batches. */
import type { Executor } from '../../store/db.js'
import { addSigningCounts } from '../../store/signing-counters.repo.js'
import type { Clock } from '../../domain/time.js'
import { BatchedCounter } from '../batched-counter.js'

/** Level bucket: A/B/C, or `none` for a call that was not signed (non-US destination). */
export type CountedLevel = 'A' | 'B' | 'C' | 'none'

/** Per-process signing counts, flushed every `flushEveryMs` (0: only on flush/close). */
export class SigningCounter extends BatchedCounter {
  readonly #clock: Clock
  /** The current hour's bucket key, formatted once per hour. */
  #hour = { start: 0, key: '' }

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    super((batch) => addSigningCounts(db, batch.map(([[account_sid, hour, attest], count]) => ({ account_sid: account_sid!, hour: hour!, attest: attest!, count }))), flushEveryMs)
    this.#clock = clock
  }

  /** Counts one signing. */
  count(accountSid: string, level: CountedLevel): void {
    this.add([accountSid, this.#hourKey(), level])
  }

  /** `YYYY-MM-DDTHH` of now, formatted once per hour. */
  #hourKey(): string {
    const ms = this.#clock().getTime()
    if (ms < this.#hour.start || ms >= this.#hour.start + 3_600_000) {
      const start = ms - (ms % 3_600_000)
      this.#hour = { start, key: new Date(start).toISOString().slice(0, 13) }
    }
    return this.#hour.key
  }
}
