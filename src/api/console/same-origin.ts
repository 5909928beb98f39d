/**
 * Refuses a console sign-in posted from another site (login CSRF: a page elsewhere signing
 * the victim's browser in to the attacker's account, so what the victim then enters lands
 * there). The browser's own verdict decides where it gives one (`Sec-Fetch-Site`); else the
 * `Origin` must be this server's, as PUBLIC_URL names it or as the request's Host does. A
 * request with neither header comes from no browser (or one too old to send them), and a
 * cross-site page cannot send JSON without a CORS preflight this server never grants.
 */
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../domain/errors.js'

/** `Sec-Fetch-Site` values of a request this origin's own page (or the user) started. */
const OWN = new Set(['same-origin', 'none'])

/** Throws 403 (CROSS_SITE_REQUEST) unless `req` was sent by a page of this server's origin. */
export function requireSameOrigin(req: FastifyRequest, publicUrl: string): void {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string') {
    if (!OWN.has(site)) throw crossSite(`Sec-Fetch-Site is ${site}`)
    return
  }
  const origin = req.headers.origin
  if (origin === undefined) return
  if (origin === new URL(publicUrl).origin || hostOf(origin) === req.host) return
  throw crossSite(`Origin ${origin} is not this server's`)
}

/** The host:port of an origin, or undefined for `null` and anything else that is no URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

const crossSite = (why: string) =>
  new AppError('CROSS_SITE_REQUEST', `Cross-site sign-in refused: ${why}`, { reason: why })
