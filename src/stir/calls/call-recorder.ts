/**
 * Keeps a record of every signed and verified call without slowing either: the hot path only
 * pushes the event (references to what it already built) into a bounded buffer; a timer
 * turns the buffer into rows and writes them in one batch (one transaction of multi-row
 * INSERTs; on a SQLite file, prepared row INSERTs on a thread of their own, so neither the
 * inserts nor another process's write lock hold up the event loop). A full buffer drops new events and counts them
 * (`stirhub_call_records_dropped_total`), as does a batch the store refused: a store that
 * went away never blocks a call, and recording resumes with the next batch once it is back.
 * At most one flush interval of records (plus a batch being written) is lost on a crash.
 */
import type { Logger } from 'pino'
import type { Clock } from '../../domain/time.js'
import type { Executor } from '../../store/db.js'
import {
  ensureCallPartitions,
  insertCallRecords,
  parentsOf,
  type CallRecordRow,
} from '../../store/call-records.repo.js'
import { holdersOf } from '../../store/numbers.repo.js'
import { callWriterThread, PartlyWritten, type CallWriter } from '../../store/call-records.thread.js'
import { callSid } from '../../domain/ids.js'
import { rowOf, type CallEvent } from './call-record.js'

export interface CallRecorderOptions {
  /** Off: record nothing (STIRHUB_CALL_RECORDS=off). */
  readonly enabled?: boolean
  /** Events held before new ones are dropped. */
  readonly capacity?: number
  /** How often the buffer is written (0: only on flush/close). */
  readonly flushEveryMs?: number
  /** A buffer this full is written at once, without waiting for the timer. */
  readonly batch?: number
  /**
   * How long a batch's write may wait on the store (PostgreSQL: its statements' timeout, so a
   * locked table fails the batch, counted as dropped, instead of holding the writes back).
   */
  readonly writeTimeoutMs?: number
  readonly log?: Logger
}

/** Accounts whose parent is remembered, before the memory is cleared. */
const MAX_REMEMBERED = 100_000

export class CallRecorder {
  readonly #db: Executor
  readonly #clock: Clock
  readonly #log?: Logger
  readonly #capacity: number
  readonly #batch: number
  readonly #bound: { readonly timeoutMs: number }
  /** SQLite on a file: the thread the batches are written on, off the event loop. */
  /** Started with the first batch (a process that records nothing, a CLI command, starts none); null: none. */
  #writer?: CallWriter | null
  readonly enabled: boolean
  #buffer: CallEvent[] = []
  #timer?: NodeJS.Timeout
  #flushing?: Promise<void>
  #soon = false
  /** Account → parent (null: top-level), learned at flush: an account never changes parent. */
  readonly #parents = new Map<string, string | null>()
  /** Days whose partition this process has made sure of (PostgreSQL). */
  readonly #days = new Set<string>()
  #failing = false
  /**
   * Told the owner found for each verification no account was named for (the called number's
   * holder, '' when none), once its batch is resolved: the STI-VS counts it for that account.
   */
  onOwned?: (e: Extract<CallEvent, { kind: 'verified' }>, accountSid: string) => void
  /** Since this process started (Prometheus counters, runtime/metrics.ts). */
  readonly totals = { recorded: 0, written: 0, dropped: 0 }

  constructor(db: Executor, clock: Clock, o: CallRecorderOptions = {}) {
    this.#db = db
    this.#clock = clock
    this.#log = o.log
    this.enabled = o.enabled ?? true
    this.#capacity = o.capacity ?? 100_000
    this.#batch = o.batch ?? 2_000
    this.#bound = { timeoutMs: o.writeTimeoutMs ?? 2_000 }
    const every = o.flushEveryMs ?? 500
    if (this.enabled && every > 0) {
      this.#timer = setInterval(() => this.#flushSoon(), every)
      this.#timer.unref()
    }
  }

  /** Epoch ms now, for the event's `at` (callers with a clock reading pass their own). */
  now(): number {
    return this.#clock().getTime()
  }

  /** Takes one event; never waits, never throws. */
  record(e: CallEvent): void {
    if (!this.enabled) return
    if (this.#buffer.length >= this.#capacity) {
      this.totals.dropped++
      return
    }
    this.totals.recorded++
    this.#buffer.push(e)
    if (this.#buffer.length >= this.#batch && !this.#soon) {
      this.#soon = true
      setImmediate(() => {
        this.#soon = false
        this.#flushSoon()
      })
    }
  }

  /** Writes what is buffered (waiting for a write in progress first). Never rejects. */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      while (this.#buffer.length > 0) {
        const events = this.#buffer.splice(0, this.#batch)
        try {
          await this.#write(events)
          this.totals.written += events.length
          if (this.#failing) this.#log?.info('call records: the store is back, recording resumed')
          this.#failing = false
        } catch (err) {
          // A batch the SQLite writer thread committed in part: those rows are on record.
          const written = err instanceof PartlyWritten ? err.written : 0
          this.totals.written += written
          this.totals.dropped += events.length - written
          if (!this.#failing) this.#log?.warn({ err }, 'call records: a batch was dropped (store unavailable)')
          this.#failing = true
          return
        }
      }
    }
    // Chained after the write in progress, never beside it; cleared only by the last in the chain.
    const chained: Promise<void> = (this.#flushing ?? Promise.resolve()).then(run).finally(() => {
      if (this.#flushing === chained) this.#flushing = undefined
    })
    this.#flushing = chained
    return chained
  }

  /** The timer's and a full batch's flush: none while one is in progress (it takes what is buffered). */
  #flushSoon(): void {
    if (!this.#flushing) void this.flush()
  }

  /** Stops the timer and writes the rest. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    await this.flush()
    await this.#writer?.close()
  }

  /** Resolves owners and parents, then inserts the batch as rows. */
  async #write(events: readonly CallEvent[]): Promise<void> {
    // A verification no account was named for belongs to the holder of the called number.
    const unowned = events.filter((e) => e.kind === 'verified' && !e.accountSid)
    const holders =
      unowned.length > 0
        ? await holdersOf(this.#db, [
            ...new Set(unowned.map((e) => (e.kind === 'verified' ? (e.input.to[0] ?? '') : ''))),
          ])
        : new Map<string, string>()
    const ownerOf = (e: CallEvent) =>
      e.accountSid ?? (e.kind === 'verified' ? holders.get(e.input.to[0] ?? '') : undefined) ?? ''
    const unknown = [...new Set(events.map(ownerOf))].filter((s) => s !== '' && !this.#parents.has(s))
    if (unknown.length > 0) {
      if (this.#parents.size > MAX_REMEMBERED) this.#parents.clear()
      const found = await parentsOf(this.#db, unknown)
      for (const sid of unknown) this.#parents.set(sid, found.get(sid) ?? null)
    }
    if (this.onOwned) for (const e of unowned) if (e.kind === 'verified') this.onOwned(e, ownerOf(e))
    const rows: CallRecordRow[] = events.map((e) => {
      const accountSid = ownerOf(e)
      return rowOf(e, { sid: callSid(e.at), accountSid, parentSid: this.#parents.get(accountSid) ?? null })
    })
    const days = [...new Set(rows.map((r) => r.date_created.slice(0, 10)))].filter((d) => !this.#days.has(d))
    if (days.length > 0) {
      await ensureCallPartitions(this.#db, days, this.#bound)
      for (const d of days) this.#days.add(d)
    }
    this.#writer ??= callWriterThread(this.#db) ?? null
    await (this.#writer ? this.#writer.write(rows) : insertCallRecords(this.#db, rows, this.#bound))
  }
}
