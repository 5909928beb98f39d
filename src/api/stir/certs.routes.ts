/**
 * The STI-CR: `GET /certs/<id>.pem` serves a certificate chain at its x5u. Public by design
 * (any verifier on the network must fetch it, ATIS-1000074 §5.3.1); it serves only the chain
 * PEM, never a key. Active certificates and retired ones still within the freshness grace
 * are served; anything else answers 404 exactly like an unknown id.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { getCertificate } from '../../store/certificates.repo.js'
import { isServable, RETIRED_GRACE_SECONDS } from '../../stir/cert/signer.js'
import { createDevCrl, DEV_CRL_PATH, readDevRoot } from '../../stir/cert/dev-ca.js'

const FILE = /^(CR[0-9a-f]{32})\.pem$/
/** Verifiers cache x5u bodies for at least 24 h anyway (ATIS-1000074, quoted by Asterisk). */
const MAX_AGE = 86_400

/** How long one generated dev CRL is served before a new one is signed. */
const CRL_REUSE_MS = 3_600_000

export async function certsRoutes(app: App, ctx: AppContext): Promise<void> {
  let crl: { readonly der: Uint8Array; readonly at: number } | undefined
  // The dev CA's (empty) CRL, named by dev SP certificates' CRL distribution point; 404 when
  // the data dir holds no dev CA (production certificates point at the STI-PA's CRL).
  app.get(
    DEV_CRL_PATH,
    { schema: { summary: 'Development STI-CA CRL (DER)', tags: ['sti'], produces: ['application/pkix-crl'] } },
    async (_req, reply) => {
      const now = ctx.clock()
      if (!crl || now.getTime() - crl.at > CRL_REUSE_MS) {
        const root = readDevRoot(ctx.config.dataDir)
        if (!root) throw errors.notFound(DEV_CRL_PATH)
        crl = { der: await createDevCrl(root, now), at: now.getTime() }
      }
      return reply
        .header('content-type', 'application/pkix-crl')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(crl.der))
    },
  )

  app.get(
    '/certs/:file',
    {
      schema: {
        summary: 'STI certificate chain (x5u)',
        tags: ['sti'],
        params: Type.Object({ file: Type.String({ maxLength: 64 }) }),
        produces: ['application/x-pem-file'],
      },
    },
    async (req, reply) => {
      const { file } = req.params as { file: string }
      const id = FILE.exec(file)?.[1]
      const row = id ? await getCertificate(ctx.store.db, id) : undefined
      const now = ctx.clock()
      if (!row || !isServable(row, now)) throw errors.notFound(`/certs/${file}`)
      const untilExpiry = Math.floor((Date.parse(row.not_after) - now.getTime()) / 1000)
      const untilGone =
        row.status === 'active'
          ? MAX_AGE
          : Math.floor((Date.parse(row.retired_at!) + RETIRED_GRACE_SECONDS * 1000 - now.getTime()) / 1000)
      const maxAge = Math.max(0, Math.min(MAX_AGE, untilExpiry, untilGone))
      return reply
        .header('content-type', 'application/x-pem-file')
        .header('cache-control', `public, max-age=${maxAge}`)
        .send(row.chain_pem)
    },
  )
}
