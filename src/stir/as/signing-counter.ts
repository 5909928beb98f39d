/** Counts signings per account, hour and level, written to `signing_counters` in batches. */
import type { Executor } from '../../store/db.js'
import { addSigningCounts } from '../../store/signing-counters.repo.js'
import type { Clock } from '../../domain/time.js'
import { BatchedCounter, HourBucket, SEP } from '../batched-counter.js'

/** Level bucket: A/B/C, `none` for a call that was not signed (non-US destination), `div` for a forwarding hop signed (RFC 8946). */
export type CountedLevel = 'A' | 'B' | 'C' | 'none' | 'div'

/** Per-process signing counts, flushed every `flushEveryMs` (0: only on flush/close). */
export class SigningCounter extends BatchedCounter {
  readonly #hour: HourBucket
  /** This hour's group (hour + level) per level, built once per hour. */
  #groups = { hour: '', byLevel: {} as Record<CountedLevel, string> }
  /** Signings by level since this process started (Prometheus counters, server/metrics.ts). */
  readonly totals: Record<CountedLevel, number> = { A: 0, B: 0, C: 0, none: 0, div: 0 }

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    super((batch) => addSigningCounts(db, batch.map(([[hour, attest, account_sid], count]) => ({ account_sid: account_sid!, hour: hour!, attest: attest!, count }))), flushEveryMs)
    this.#hour = new HourBucket(clock)
  }

  /** Counts one signing; `now`: the caller's clock reading, if it has one. */
  count(accountSid: string, level: CountedLevel, now?: Date): void {
    const hour = this.#hour.key(now)
    if (hour !== this.#groups.hour) {
      const g = (l: CountedLevel) => hour + SEP + l
      this.#groups = { hour, byLevel: { A: g('A'), B: g('B'), C: g('C'), none: g('none'), div: g('div') } }
    }
    this.totals[level]++
    this.add(this.#groups.byLevel[level], accountSid)
  }
}
