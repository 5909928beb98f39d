/**
 * The admin area (`/admin/v1/...`): platform staff with `Bearer <token>`, every action audited
 * with who did it. One encapsulated plugin with one auth hook; each route file of the area is
 * registered from {@link ADMIN_ROUTES} with the staff it admits:
 * - `operator`: the operator token only (a reviewer's token is refused 401, as any other);
 * - `staff`: the operator or a reviewer (operator-only actions among them refuse a reviewer
 *   403, `requireOperator`).
 */
import type { FastifyRequest } from 'fastify'
import type { App, AreaPlugin } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateOperator, authenticateStaff, type StaffPrincipal } from '../auth.js'
import { adminAccountsRoutes } from './accounts.routes.js'
import { adminBundlesRoutes } from './bundles.routes.js'
import { adminNumbersRoutes } from './numbers.routes.js'
import { adminInventoryRoutes } from './inventory.routes.js'
import { adminReviewersRoutes } from './reviewers.routes.js'
import { adminReviewsRoutes } from './reviews.routes.js'
import { adminEventsRoutes } from './events.routes.js'
import { adminPlatformRoutes } from './platform.routes.js'
import { adminSipTrunksRoutes } from './sip-trunks.routes.js'
import { adminCallAnalyticsRoutes } from '../calls/analytics.routes.js'
import { adminTracebackRoutes } from './traceback.routes.js'
import { adminCallsRoutes } from '../calls/calls.routes.js'
import { adminCnamRoutes } from './cnam.routes.js'
import { adminInvitationsRoutes } from './invitations.routes.js'

/** Who a route file of the admin area admits (see the module comment). */
type AdminAudience = 'operator' | 'staff'

/** The route files of the admin area and who each admits. */
const ADMIN_ROUTES: ReadonlyArray<{ readonly routes: AreaPlugin; readonly audience: AdminAudience }> = [
  { routes: adminAccountsRoutes, audience: 'operator' },
  { routes: adminBundlesRoutes, audience: 'operator' },
  { routes: adminNumbersRoutes, audience: 'operator' },
  { routes: adminInventoryRoutes, audience: 'operator' },
  { routes: adminSipTrunksRoutes, audience: 'operator' },
  { routes: adminCallAnalyticsRoutes, audience: 'operator' },
  { routes: adminTracebackRoutes, audience: 'operator' },
  { routes: adminCallsRoutes, audience: 'operator' },
  { routes: adminCnamRoutes, audience: 'operator' },
  { routes: adminInvitationsRoutes, audience: 'operator' },
  { routes: adminReviewersRoutes, audience: 'staff' },
  { routes: adminReviewsRoutes, audience: 'staff' },
  { routes: adminEventsRoutes, audience: 'staff' },
  { routes: adminPlatformRoutes, audience: 'staff' },
]

const OPERATOR: StaffPrincipal = { kind: 'operator', actor: 'operator' }

/** The area's auth hook for one audience: sets `req.staff`, or throws 401. */
function staffHook(ctx: AppContext, audience: AdminAudience): (req: FastifyRequest) => Promise<void> {
  if (audience === 'operator')
    return async (req) => {
      authenticateOperator(ctx, req)
      req.staff = OPERATOR
    }
  return async (req) => {
    req.staff = await authenticateStaff(ctx, req)
  }
}

/** Registers the admin area under `app` (inside an `app.register`). */
export async function adminArea(app: App, ctx: AppContext): Promise<void> {
  app.decorateRequest('staff', null as never)
  for (const { routes, audience } of ADMIN_ROUTES) {
    await app.register(async (files) => {
      files.addHook('onRequest', staffHook(ctx, audience))
      await routes(files as App, ctx)
    })
  }
}
