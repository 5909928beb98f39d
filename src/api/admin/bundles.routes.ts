/**
 * Operator route that moves any bundle to any status (Bearer operator token), through the one
 * status-change function, so the vetting back-office and tests share one path.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { changeBundleStatus } from '../../vetting/bundle-status.js'
import { APPROVED, BUNDLE_STATUSES, PENDING_REVIEW, isBundleStatus } from '../../domain/bundle.js'
import { fetchLogosOf } from '../../vetting/logo-fetch.js'
import { presentBundle, resourceOf } from '../trusthub/bundles.presenter.js'
import { pathOf } from '../scope.js'
import { capApproval, codeNumber } from '../../domain/vetting-rules.js'
import { findBundleForOperator, type BundleRow } from '../../store/bundles.repo.js'

/** `Errors` as a JSON array (`[18601]` or `[{"code":18601}]`), a comma list, or an array from JSON bodies. */
export function parseErrorCodes(raw: unknown): number[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  let v: unknown = raw
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw)
    } catch {
      v = raw.split(',')
    }
  }
  const list = Array.isArray(v) ? v : [v]
  const codes = list.map((x) => codeNumber(typeof x === 'object' && x !== null ? (x as { code?: unknown }).code : x))
  // Twilio's bundle rejection codes are 18601–18609 (Trust Hub changelog, Apr 2024).
  if (codes.some((c) => !Number.isInteger(c) || c < 18601 || c > 18609))
    throw errors.invalid('Errors', 'must list Twilio rejection codes 18601-18609')
  return codes
}

export function adminBundlesRoutes(app: App, ctx: AppContext) {
  app.post(
    '/admin/v1/Bundles/:Sid/Status',
    {
      schema: {
        tags: ['admin'],
        summary: 'Move a bundle (customer profile or trust product) to any status',
        security: [{ bearer: [] }],
        params: Type.Object({ Sid: Type.String({ pattern: '^BU[0-9a-fA-F]{32}$' }) }),
        body: Type.Object({
          Status: Type.String({ minLength: 1, maxLength: 24, description: BUNDLE_STATUSES.join(' | ') }),
          ValidUntil: Type.Optional(
            Type.String({
              maxLength: 40,
              description: 'ISO-8601 end of an approval (default: one year; at most STIRHUB_MAX_APPROVAL_DAYS ahead)',
            }),
          ),
          Errors: Type.Optional(Type.Unknown({ description: 'rejection codes 18601-18609' })),
          FailureReason: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (req) => {
      const b = req.body
      if (!isBundleStatus(b.Status)) throw errors.invalid('Status', `must be one of ${BUNDLE_STATUSES.join(', ')}`)
      let validUntil: string | undefined
      if (b.ValidUntil) {
        const t = Date.parse(b.ValidUntil)
        if (Number.isNaN(t)) throw errors.invalid('ValidUntil', 'must be an ISO-8601 date-time')
        // A past date is the operator's to set (an expired approval); a far one is capped as a reviewer's is.
        validUntil = capApproval(b.ValidUntil, t, ctx.clock(), ctx.config.maxApprovalDays)
      }
      const codes = parseErrorCodes(b.Errors)
      const to = b.Status
      // An approval pins a branding product's logo digest; a submission's checks judge the logo.
      const before =
        to === APPROVED || to === PENDING_REVIEW ? await findBundleForOperator(ctx.store.db, req.params.Sid) : undefined
      const logos = before ? await fetchLogosOf(ctx.config, ctx.store.db, before) : undefined
      const updated = await ctx.store.db.transaction().execute(async (trx): Promise<BundleRow> => {
        const row = await findBundleForOperator(trx, req.params.Sid)
        if (!row) throw errors.notFound(pathOf(req))
        return changeBundleStatus(trx, ctx, row, to, {
          actor: 'operator',
          errors: codes,
          failureReason: b.FailureReason,
          validUntil,
          logos,
        })
      })
      req.log.info({ bundle: updated.sid, status: to }, 'bundle status set by operator')
      return presentBundle(ctx.config.publicUrl, resourceOf(updated.kind), updated)
    },
  )
}
