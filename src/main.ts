/**
 * Process roles. `stirhub serve` runs api, sip and worker in one process by default; each can
 * run alone (`--roles api`) to scale out on PostgreSQL.
 */
import type { Config } from './config/config.js'
import { boot, firstStartBanner, type BootOptions } from './server/boot.js'
import { buildApp } from './api/app.js'
import type { App } from './api/app-types.js'
import type { AppContext } from './api/context.js'
import { startWorker } from './vetting/worker.js'
import { closeStiAs, stiAs } from './stir/as/sti-as.js'
import { es256Backend } from './stir/passport/es256.js'
import { closeStiVs, startTrustSchedule } from './stir/vs/sti-vs.js'
import { startTrustListPull } from './stir/trust/sti-pa.js'
import { startSignFront } from './sip/sign-front.js'
import { startVerifyFrontFor } from './sip/verify-front.js'
import { sipResponder } from './server/metrics.js'
import { perSecond } from './api/throttle.js'
import { listenForVersions } from './store/version-listener.js'

export interface Running {
  readonly ctx: AppContext
  readonly app?: App
  /** Actual HTTP port (useful with PORT=0). */
  readonly port?: number
  stop(): Promise<void>
}

export async function serve(config: Config, opts: BootOptions & { quiet?: boolean } = {}): Promise<Running> {
  const { ctx, firstStart } = await boot(config, opts)
  // Shown before anything listens: the generated credentials are stored hashed, so a start that
  // fails later (a port in use) must not lose the only time they are printed.
  if (!opts.quiet && firstStart) process.stdout.write(firstStartBanner(config, firstStart) + '\n')
  const stops: Array<() => Promise<void>> = []
  let app: App | undefined
  let port: number | undefined
  if (config.roles.includes('api') || config.roles.includes('sip')) {
    // Before any traffic: a restart under load must not make its first calls queue on store reads.
    const t0 = performance.now()
    const warmed = await stiAs(ctx).index.prewarm()
    ctx.log.info({ ...warmed, ms: Math.round(performance.now() - t0) }, 'attestation index warmed')
    // PostgreSQL: a change committed by any process moves this one's index before its next call.
    const index = stiAs(ctx).index
    const listener = listenForVersions(ctx.store, () => { index.fresh().catch(() => undefined) }, ctx.log)
    if (listener) stops.push(() => listener.close())
  }
  if (config.roles.includes('api')) {
    app = await buildApp(ctx)
    await app.listen({ port: config.port, host: config.host })
    const addr = app.server.address()
    port = typeof addr === 'object' && addr ? addr.port : config.port
    stops.push(() => app!.close())
  }
  if (config.roles.includes('worker')) {
    const worker = startWorker(ctx)
    stops.push(() => worker.stop())
    if (config.stiPaApi && config.trustList) stops.push(startTrustListPull(config, ctx.clock, ctx.log, ctx.store.db))
  }
  // CRLs are held per process: every process that verifies (REST or SIP) keeps its own fresh.
  if (config.roles.includes('api') || config.roles.includes('sip')) stops.push(startTrustSchedule(ctx))
  if (config.roles.includes('sip')) {
    const as = stiAs(ctx)
    const front = await startSignFront({
      port: config.sipSignPort, host: config.host, trusted: config.sipTrusted, service: as.service, index: as.index, log: ctx.log,
      responded: sipResponder(ctx, 'sign'), limit: perSecond(config.stirRateLimit),
    })
    stops.push(() => front.close())
    const verifyFront = await startVerifyFrontFor(ctx)
    stops.push(() => verifyFront.close())
  }
  // Runs last on stop (stops run in reverse): pending signing counters are written before the store closes.
  stops.unshift(() => closeStiAs(ctx))
  stops.unshift(() => closeStiVs(ctx))
  if (!opts.quiet && port !== undefined) process.stdout.write(`stirhub listening: API ${config.publicUrl}, console ${config.publicUrl}/console (store: ${ctx.store.engine})\n`)
  ctx.log.info({ roles: config.roles, port, store: ctx.store.engine, es256: es256Backend().detail, httpFastLane: config.httpFastLane }, 'stirhub started')
  return {
    ctx, app, port,
    async stop() {
      for (const s of stops.reverse()) await s()
      await ctx.store.close()
    },
  }
}
