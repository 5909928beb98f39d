/** Counts verification outcomes per account, hour, reason and signer SPC, written in batches. */
import type { Executor } from '../../store/db.js'
import { addVerificationCounts } from '../../store/verification.repo.js'
import type { Clock } from '../../domain/time.js'
import type { Reason } from './reasons.js'
import { BatchedCounter } from '../batched-counter.js'

export class VerificationCounter extends BatchedCounter {
  readonly #clock: Clock

  constructor(db: Executor, clock: Clock, flushEveryMs = 1000) {
    super((batch) => addVerificationCounts(db, batch.map(([[account_sid, hour, reason, spc], count]) => ({ account_sid: account_sid!, hour: hour!, reason: reason!, spc: spc!, count }))), flushEveryMs)
    this.#clock = clock
  }

  /** Counts one outcome. */
  count(accountSid: string, reason: Reason, spc: string | undefined): void {
    this.add([accountSid, this.#clock().toISOString().slice(0, 13), reason, (spc ?? '').slice(0, 40)])
  }
}
