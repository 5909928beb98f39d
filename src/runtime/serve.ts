/**
 * `stirhub serve --roles api,sip,worker`: what a process runs, top to bottom. Boot builds the
 * context (boot.ts); each role then starts on it and hands back its stop function; stopping
 * runs those in reverse, then closes what boot built. With `STIRHUB_HTTP_WORKERS` > 1 the
 * API runs in worker processes of its own (cluster.ts) and this process runs the other roles.
 */
import cluster from 'node:cluster'
import type { Config } from '../config/config.js'
import { es256Backend } from '../stir/passport/es256.js'
import { startTrustSchedule } from '../stir/vs/sti-vs.js'
import type { App } from '../api/app-types.js'
import { boot, firstStartBanner, type BootOptions } from './boot.js'
import type { AppContext } from './context.js'
import { readyForCalls } from './call-services.js'
import { startApi } from './roles/api.js'
import { startSip } from './roles/sip.js'
import { startWorkerRole } from './roles/worker.js'
import { announceReady, forkApiWorkers } from './cluster.js'

/** What `stirhub serve` holds on to. */
export interface Stoppable {
  stop(): Promise<void>
}

/** One running process. */
export interface Running extends Stoppable {
  readonly ctx: AppContext
  readonly app?: App
  /** Actual HTTP port (useful with PORT=0). */
  readonly port?: number
}

export interface ServeOptions extends BootOptions {
  /** No first-start banner, no listening line (tests, API workers). */
  readonly quiet?: boolean
}

type Stop = () => Promise<void>

/** `stirhub serve`: this process's roles, or with several HTTP workers its part of the cluster. */
export async function serveCommand(config: Config): Promise<Stoppable> {
  if (cluster.isWorker) {
    const running = await serve({ ...config, roles: ['api'] }, { quiet: true })
    announceReady()
    return running
  }
  if (config.httpWorkers <= 1) return serve(config)
  const own = await serve({ ...config, roles: config.roles.filter((r) => r !== 'api') })
  if (!config.roles.includes('api')) return own
  own.ctx.metrics.gatherForWorkers()
  const stopWorkers = await forkApiWorkers(config, own.ctx.log).catch(async (e: unknown) => {
    await own.stop()
    throw e
  })
  const sip = config.roles.includes('sip')
    ? ` and SIP (sign ${config.sipSignPort}, verify ${config.sipVerifyPort})`
    : ''
  process.stdout.write(
    `stirhub listening: API ${config.publicUrl}${sip} (${config.httpWorkers} API processes), console ${config.publicUrl}/console (store: ${own.ctx.store.engine})\n`,
  )
  return {
    async stop() {
      await stopWorkers()
      await own.stop()
    },
  }
}

/** Boots and starts the configured roles in this process. */
export async function serve(config: Config, opts: ServeOptions = {}): Promise<Running> {
  const booted = await boot(config, opts)
  const { ctx } = booted
  // Shown before anything listens: the generated credentials are stored hashed, so a start that
  // fails later (a port in use) must not lose the only time they are printed.
  if (!opts.quiet && booted.firstStart) process.stdout.write(firstStartBanner(config, booted.firstStart) + '\n')
  const has = (role: Config['roles'][number]) => config.roles.includes(role)
  const answersCalls = has('api') || has('sip')
  const stops: Stop[] = []
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s()
    await booted.close()
  }
  let api: Awaited<ReturnType<typeof startApi>> | undefined
  try {
    if (answersCalls) stops.push(await readyForCalls(ctx))
    if (has('api')) {
      api = await startApi(ctx)
      stops.push(api.stop)
    }
    if (has('worker')) stops.push(startWorkerRole(ctx))
    // Every process that verifies keeps its CRLs and anchors fresh, sharing them through the store.
    if (answersCalls) stops.push(startTrustSchedule(ctx.stiVs, ctx))
    if (has('sip')) stops.push(await startSip(ctx))
  } catch (e) {
    // A role that failed to start (a port in use): what started closes, the error stands.
    await stop().catch(() => undefined)
    throw e
  }
  if (!opts.quiet && api)
    process.stdout.write(
      `stirhub listening: API ${config.publicUrl}, console ${config.publicUrl}/console (store: ${ctx.store.engine})\n`,
    )
  ctx.log.info(
    {
      roles: config.roles,
      port: api?.port,
      store: ctx.store.engine,
      es256: es256Backend().detail,
      httpFastLane: config.httpFastLane,
    },
    'stirhub started',
  )
  return { ctx, app: api?.app, port: api?.port, stop }
}
