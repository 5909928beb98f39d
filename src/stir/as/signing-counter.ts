/** Counts signings per account, hour and level, written to `signing_counters` in batches. */
import type { Executor } from '../../store/db.js'
import { addSigningCounts } from '../../store/signing-counters.repo.js'
import type { Clock } from '../../domain/time.js'
import { BatchedCounter, HourBucket, SEP } from '../batched-counter.js'

/** Level bucket: A/B/C, `none` for a call that was not signed (non-US destination), `div` for a forwarding hop signed (RFC 8946). */
const COUNTED_LEVELS = ['A', 'B', 'C', 'none', 'div'] as const
export type CountedLevel = (typeof COUNTED_LEVELS)[number]
const perLevel = <T>(f: (l: CountedLevel) => T) =>
  Object.fromEntries(COUNTED_LEVELS.map((l) => [l, f(l)])) as Record<CountedLevel, T>

/** Per-process signing counts, flushed every `flushEveryMs` (0: only on flush/close). */
export class SigningCounter extends BatchedCounter {
  readonly #hour: HourBucket
  /** This hour's group (hour + level) per level, built once per hour. */
  #groups = { hour: '', byLevel: {} as Record<CountedLevel, string> }
  /** Signings by level since this process started (Prometheus counters, runtime/metrics.ts). */
  readonly totals: Record<CountedLevel, number> = perLevel(() => 0)

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    super(
      (batch) =>
        addSigningCounts(
          db,
          batch.map(([[hour, attest, account_sid], count]) => ({
            account_sid: account_sid!,
            hour: hour!,
            attest: attest!,
            count,
          })),
        ),
      flushEveryMs,
    )
    this.#hour = new HourBucket(clock)
  }

  /** Counts one signing; `now`: the caller's clock reading, if it has one. */
  count(accountSid: string, level: CountedLevel, now?: Date): void {
    const hour = this.#hour.key(now)
    if (hour !== this.#groups.hour) {
      this.#groups = { hour, byLevel: perLevel((l) => hour + SEP + l) }
    }
    this.totals[level]++
    this.add(this.#groups.byLevel[level], accountSid)
  }
}
