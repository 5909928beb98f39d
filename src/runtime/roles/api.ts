/**
 * The `api` role: the HTTP application (Trust Hub, admin, /stir, certificates, console, ops)
 * listening on `PORT`.
 */
import { buildApp } from '../../api/app.js'
import type { App } from '../../api/app-types.js'
import type { AppContext } from '../context.js'

/** The running HTTP API. */
export interface ApiRole {
  readonly app: App
  /** The port bound (PORT=0 picks one). */
  readonly port: number
  stop(): Promise<void>
}

/** Builds the app and listens; stop() closes it (waiting for the connections it serves). */
export async function startApi(ctx: AppContext): Promise<ApiRole> {
  const app = await buildApp(ctx)
  await app.listen({ port: ctx.config.port, host: ctx.config.host })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : ctx.config.port
  return { app, port, stop: () => app.close() }
}
