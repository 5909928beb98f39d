/** Finding the bundle a request names, scoped to the caller's visible accounts. */
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { findBundle, type BundleRow } from '../../store/bundles.repo.js'
import { pathOf } from '../scope.js'
import type { BundleResource } from './bundles.presenter.js'

/**
 * Loads bundle `sid` of the resource's kind among the caller's own and sub-accounts; anything
 * else (missing, another tenant's, the other kind) answers 404 (20404) the same way.
 */
export async function loadBundle(
  ctx: AppContext,
  r: BundleResource,
  req: FastifyRequest,
  sid: string,
): Promise<BundleRow> {
  const row = await findBundle(ctx.store.db, req.principal.visible, r.kind, sid)
  if (!row) throw errors.notFound(pathOf(req))
  return row
}
