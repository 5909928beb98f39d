/**
 * The `WWW-Authenticate` challenge every 401 carries (RFC 9110 §11.6.1): the scheme the area
 * takes. The twilio SDK and curl answer a Basic challenge with the account's credentials; the
 * admin area takes staff Bearer tokens; /stir and the CNAM lookup take either. A script in a browser (the console,
 * which authenticates with its session cookie) is challenged with `Cookie` instead: a Basic
 * challenge would make the browser open its own sign-in dialog over the console's.
 */
import type { FastifyRequest } from 'fastify'

const BASIC = 'Basic realm="stirhub"'
const BEARER = 'Bearer realm="stirhub"'
const COOKIE = 'Cookie realm="stirhub"'

/**
 * A browser's script: the console names itself with X-Requested-With (web/src/api.ts), and any
 * browser's fetch is `Sec-Fetch-Dest: empty` (sent to HTTPS and localhost origins). Node's own
 * fetch sends only Sec-Fetch-Mode, so that one says nothing.
 */
const fromBrowserScript = (req: Pick<FastifyRequest, 'headers'>) =>
  req.headers['x-requested-with'] !== undefined || req.headers['sec-fetch-dest'] === 'empty'

/** The challenge for a 401 answered to `req`. */
export function challengeFor(req: Pick<FastifyRequest, 'url' | 'headers'>): string {
  if (req.url.startsWith('/admin/')) return BEARER
  if (fromBrowserScript(req)) return COOKIE
  // /stir and the CNAM lookup take an account's credentials or the operator token.
  if (req.url.startsWith('/stir/') || req.url.startsWith('/v1/cnam/')) return `${BASIC}, ${BEARER}`
  return BASIC
}
