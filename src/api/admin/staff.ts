/** The auth hook of staff-facing admin areas: sets `req.staff` (operator or reviewer) or answers 401. */
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateStaff, type StaffPrincipal } from '../auth.js'
import { errors } from '../../domain/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the staff auth hook on /admin/v1 vetting routes. */
    staff: StaffPrincipal
  }
}

/** Adds the staff hook to an encapsulated admin plugin. */
export function staffArea(app: App, ctx: AppContext): void {
  if (!app.hasRequestDecorator('staff')) app.decorateRequest('staff', null as never)
  app.addHook('onRequest', async (req) => { req.staff = await authenticateStaff(ctx, req) })
}

/** Operator-only actions refuse reviewers with 403 (they are authenticated, just not allowed). */
export function requireOperator(staff: StaffPrincipal): void {
  if (staff.kind !== 'operator') throw errors.forbidden('Only the operator may do this')
}
