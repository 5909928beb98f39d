/**
 * The console area: the session cookie → Authorization bridge (root hook), the session API,
 * allowed values, dashboard statistics, and the built web app at /console.
 */
import type { App } from '../app.js'
import type { AppContext } from '../context.js'
import { installSessionAuth } from './session-auth.js'
import { sessionRoutes } from './session.routes.js'
import { allowedValuesRoutes } from './catalog.routes.js'
import { staticRoutes } from './static.routes.js'
import { statsRoutes } from './stats.routes.js'

/** Call on the root instance before the API areas, so the hook covers all of them. */
export async function registerConsole(app: App, ctx: AppContext): Promise<void> {
  installSessionAuth(app, ctx)
  sessionRoutes(app, ctx)
  allowedValuesRoutes(app)
  await app.register(async (child) => staticRoutes(child as App))
  await app.register(async (child) => statsRoutes(child as App, ctx))
}
