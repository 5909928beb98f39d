/** Counts verification outcomes per account, hour, reason, signer SPC and claimed attest, written in batches. */
import type { Executor } from '../../store/db.js'
import { addVerificationCounts } from '../../store/verification.repo.js'
import type { Clock } from '../../domain/time.js'
import type { Reason } from './reasons.js'
import { BatchedCounter, HourBucket, SEP } from '../batched-counter.js'

export class VerificationCounter extends BatchedCounter {
  readonly #hour: HourBucket
  /** Outcomes by reason since this process started (Prometheus counters, runtime/metrics.ts). */
  readonly totals = new Map<Reason, number>()

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    super(
      (batch) =>
        addVerificationCounts(
          db,
          batch.map(([[hour, reason, spc, attest, account_sid], count]) => ({
            account_sid: account_sid!,
            hour: hour!,
            reason: reason!,
            spc: spc!,
            attest: attest!,
            count,
          })),
        ),
      flushEveryMs,
    )
    this.#hour = new HourBucket(clock)
  }

  /** Counts one outcome. */
  count(accountSid: string, reason: Reason, spc: string | undefined, attest?: string): void {
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1)
    const level = attest === 'A' || attest === 'B' || attest === 'C' ? attest : ''
    this.add(this.#hour.key() + SEP + reason + SEP + (spc ?? '').slice(0, 40) + SEP + level, accountSid)
  }
}
