/** Who is acting on /admin/v1 (set by the admin area's auth hook, admin.plugin.ts), and the operator-only check. */
import type { StaffPrincipal } from '../auth.js'
import { errors } from '../../domain/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin area's auth hook on every /admin/v1 route. */
    staff: StaffPrincipal
  }
}

/** Operator-only actions refuse reviewers with 403 (they are authenticated, just not allowed). */
export function requireOperator(staff: StaffPrincipal): void {
  if (staff.kind !== 'operator') throw errors.forbidden('Only the operator may do this')
}
