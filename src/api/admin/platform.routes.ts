/**
 * `GET /admin/v1/Platform` (operator only): what this server signs and verifies with, as the
 * answering process holds it — the active STI certificate, the ES256 backend, the trusted
 * STI-CA roots and the STI-PA trust list among them. The console's operator view reads it.
 */
import type { X509Certificate } from 'node:crypto'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { toV1Date } from '../../domain/time.js'
import { es256Backend } from '../../stir/passport/es256.js'
import { requireOperator } from './staff.js'

const root = (c: X509Certificate) => ({
  subject: c.subject.replace(/\n/g, ', '),
  sha256: c.fingerprint256,
  not_after: toV1Date(new Date(c.validTo).toISOString()),
})

export function adminPlatformRoutes(app: App, ctx: AppContext) {
  app.get(
    '/admin/v1/Platform',
    {
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'The signing certificate and trust anchors in use (operator only)',
      },
    },
    async (req) => {
      requireOperator(req.staff)
      const cert = ctx.signer.loaded ? ctx.signer.current : undefined
      const { store, list } = ctx.stiVs.trust()
      return {
        mode: ctx.config.mode,
        store: ctx.store.engine,
        signing_certificate: cert
          ? { sid: cert.certId, spc: cert.spc, not_after: toV1Date(cert.notAfter), x5u: cert.x5u }
          : null,
        es256_signer: es256Backend(),
        http_fast_lane: ctx.config.httpFastLane,
        trust_anchors: store.anchors.map(root),
        trust_list: list
          ? {
              sequence: list.sequence ?? null,
              version: list.version ?? null,
              expires_at: list.exp === undefined ? null : toV1Date(new Date(list.exp * 1000).toISOString()),
              signer: list.signer,
              roots: list.roots.length,
            }
          : null,
      }
    },
  )
}
