/**
 * Process roles. `stirhub serve` runs api, sip and worker in one process by default; each can
 * run alone (`--roles api`) to scale out on PostgreSQL.
 */
import type { Config } from './config/config.js'
import { boot, firstStartBanner, type BootOptions } from './server/boot.js'
import { buildApp, type App } from './api/app.js'
import type { AppContext } from './api/context.js'

export interface Running {
  readonly ctx: AppContext
  readonly app?: App
  /** Actual HTTP port (useful with PORT=0). */
  readonly port?: number
  stop(): Promise<void>
}

export async function serve(config: Config, opts: BootOptions & { quiet?: boolean } = {}): Promise<Running> {
  const { ctx, firstStart } = await boot(config, opts)
  const stops: Array<() => Promise<void>> = []
  let app: App | undefined
  let port: number | undefined
  if (config.roles.includes('api')) {
    app = await buildApp(ctx)
    await app.listen({ port: config.port, host: config.host })
    const addr = app.server.address()
    port = typeof addr === 'object' && addr ? addr.port : config.port
    stops.push(() => app!.close())
  }
  if (!opts.quiet) {
    if (firstStart) process.stdout.write(firstStartBanner(config, firstStart) + '\n')
    if (port !== undefined) process.stdout.write(`stirhub listening: API ${config.publicUrl}, console ${config.publicUrl}/console (store: ${ctx.store.engine})\n`)
  }
  ctx.log.info({ roles: config.roles, port, store: ctx.store.engine }, 'stirhub started')
  return {
    ctx, app, port,
    async stop() {
      for (const s of stops.reverse()) await s()
      await ctx.store.close()
    },
  }
}
