/**
 * The console area: the session cookie → Authorization bridge (root hook), the session API,
 * allowed values, dashboard statistics and sub-accounts, and the built web app at /console,
 * all with the console's security headers (security-headers.ts).
 */
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { installSessionAuth } from './session-auth.js'
import { consoleSecurityHeaders } from './security-headers.js'
import { sessionRoutes } from './session.routes.js'
import { allowedValuesRoutes } from './catalog.routes.js'
import { staticRoutes } from './static.routes.js'
import { statsRoutes } from './stats.routes.js'
import { subAccountsRoutes } from './sub-accounts.routes.js'
import { usersRoutes } from './users.routes.js'
import { twoFactorRoutes } from './two-factor.routes.js'
import { accountHook } from '../throttle.js'
import type { RateLimiter } from '../../security/rate-limiter.js'

/** Call on the root instance before the API areas, so the hook covers all of them. */
export async function registerConsole(app: App, ctx: AppContext, limit?: RateLimiter): Promise<void> {
  installSessionAuth(app, ctx)
  await app.register(async (area) => {
    area.addHook('onRequest', consoleSecurityHeaders)
    sessionRoutes(area as App, ctx)
    twoFactorRoutes(area as App, ctx)
    allowedValuesRoutes(area as App)
    await area.register(async (child) => staticRoutes(child as App))
    // The dashboard's data routes: customer routes (Basic, or the session through the bridge).
    await area.register(async (child) => {
      child.addHook('onRequest', accountHook(ctx, limit))
      statsRoutes(child as App, ctx)
      subAccountsRoutes(child as App, ctx)
      usersRoutes(child as App, ctx)
    })
  })
}
