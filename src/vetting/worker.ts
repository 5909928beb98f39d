/**
 * The `worker` role's loop: delivers status callbacks from the outbox, returns expired review
 * claims to the queue and runs the expiry notices. Everything it does is driven by rows in the
 * store, so any number of workers may run, and a restarted one resumes where the last stopped:
 * callbacks are claimed under a lease per row, and the timers under one store lease per period,
 * so they run once per period however many instances share the store. The call records'
 * partitions and retention (stir/calls/call-retention.ts) run from the timers, at most hourly.
 * Notification mail (mail/notices.ts) is sent on every pass; SLA breaches are found by the timers.
 */
import os from 'node:os'
import { randomBytes } from 'node:crypto'
import type { AppContext } from '../runtime/context.js'
import type { GuardedFetcher } from '../security/guarded-fetch.js'
import { callbackFetcher, deliverDue } from './callback-delivery.js'
import { releaseExpiredClaims } from './review-decisions.js'
import { noticeExpiries } from './expiry.js'
import { takeLease } from '../store/leases.repo.js'
import { keepCallRecords } from '../stir/calls/call-retention.js'
import { queueSlaBreaches, sendDueMail } from '../mail/notices.js'

export interface Worker {
  /** Runs one pass now (tests); resolves when it is done. */
  tick(): Promise<void>
  stop(): Promise<void>
}

export interface WorkerOptions {
  readonly fetcher?: GuardedFetcher
  readonly random?: () => number
}

/** Timers other than callbacks run at most this often. */
const TIMER_EVERY_MS = 30_000

/** The store lease the timers run under. */
export const TIMERS_LEASE = 'worker.timers'

export function startWorker(ctx: AppContext, o: WorkerOptions = {}): Worker {
  const fetcher = o.fetcher ?? callbackFetcher(ctx.config)
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const period = Math.min(TIMER_EVERY_MS, ctx.config.workerPollMs * 10)
  let lastTimers = -Infinity
  let running: Promise<void> | undefined
  let stopped = false

  const pass = async () => {
    try {
      while (!stopped && (await deliverDue(ctx, { fetcher, worker: id, random: o.random })) > 0) {
        /* drain due rows */
      }
      // Due here: run them if no other instance did this period (else try again next poll).
      if (performance.now() - lastTimers >= period) {
        const now = ctx.clock()
        const until = new Date(now.getTime() + period).toISOString()
        if (await takeLease(ctx.store.db, TIMERS_LEASE, id, now.toISOString(), until)) {
          lastTimers = performance.now()
          await releaseExpiredClaims(ctx)
          await noticeExpiries(ctx)
          await keepCallRecords(ctx, id)
          await queueSlaBreaches(ctx, now.toISOString())
        }
      }
      await sendDueMail(ctx)
    } catch (e) {
      ctx.log.error({ err: e }, 'worker pass failed')
    }
  }
  const tick = () =>
    (running ??= pass().finally(() => {
      running = undefined
    }))
  const timer = setInterval(() => {
    if (!stopped) void tick()
  }, ctx.config.workerPollMs)
  void tick()
  ctx.log.info({ worker: id }, 'worker started')
  return {
    tick,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
      await fetcher.close()
    },
  }
}
