/**
 * Several API processes on one port (node:cluster), so HTTP signing and verification use
 * every core. The primary boots first (migrations, first-start account, development
 * certificate) and runs the other roles (sip, worker); then it forks `httpWorkers` processes
 * that serve the API only. The SIP fronts stay in the primary: a UDP socket shared by a
 * cluster wakes every process for each datagram, and two processes spent 60 % more CPU per
 * call than one (docs/scaling.md). They share nothing but the store: every per-process
 * cache (the attestation index and credential cache check the store versions per call; x5u
 * certificates and the signing certificate refresh on their own schedules, CRLs come through
 * the store), so any worker may answer any request. A worker that dies is replaced, unless
 * workers keep dying.
 */
import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'
import type { Config } from '../config/config.js'

/** More than this many worker deaths within RESTART_WINDOW_MS stops the replacing. */
const RESTART_BUDGET = 5
const RESTART_WINDOW_MS = 30_000
const STOP_GRACE_MS = 10_000

/** A worker's message once it serves (its store open, its index warm, its port bound). */
const READY = 'stirhub:ready'

/** Worker: tells the primary this process serves (its store open, its index warm, its port bound). */
export function announceReady(): void {
  process.send?.({ type: READY })
}

/**
 * Primary: forks `httpWorkers` API processes and resolves once each serves, replacing any that
 * dies later unless they keep dying. Resolves to the function that stops them all.
 */
export async function forkApiWorkers(config: Config, log: Logger): Promise<() => Promise<void>> {
  let stopping = false
  const deaths: number[] = []
  const fork = () => cluster.fork()
  const listening = Promise.all(
    Array.from(
      { length: config.httpWorkers },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = fork()
          w.on('message', (m: { type?: string }) => {
            if (m?.type === READY) resolve()
          })
          w.once('exit', (code) =>
            reject(new Error(`an API worker exited (code ${code}) before it listened: see its log above`)),
          )
        }),
    ),
  )
  cluster.on('exit', (w: Worker, code, signal) => {
    if (stopping) return
    const now = performance.now()
    deaths.push(now)
    while (deaths.length && deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift()
    if (deaths.length > RESTART_BUDGET) {
      log.error({ pid: w.process.pid, code, signal }, 'API workers keep dying: not replacing them')
      return
    }
    log.warn({ pid: w.process.pid, code, signal }, 'API worker died: starting a replacement')
    fork()
  })
  const stop = async () => {
    stopping = true
    await stopWorkers()
  }
  try {
    await listening
  } catch (e) {
    await stop()
    throw e
  }
  return stop
}

/** Asks every worker to stop (SIGTERM: it closes its server and store), killing stragglers. */
async function stopWorkers(): Promise<void> {
  await Promise.all(
    Object.values(cluster.workers ?? {}).map(
      (w) =>
        new Promise<void>((resolve) => {
          if (!w || w.isDead()) return resolve()
          const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_GRACE_MS)
          w.once('exit', () => {
            clearTimeout(kill)
            resolve()
          })
          w.process.kill('SIGTERM')
        }),
    ),
  )
}
