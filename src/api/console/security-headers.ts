/**
 * Headers every console response carries. The Content-Security-Policy admits only the built
 * app's own files: its module script and stylesheet under /console/assets, `fetch` to this
 * origin, and the `<style>` elements Mantine writes at run time (hence 'unsafe-inline' for
 * styles only; scripts stay 'self'). No page may frame the console (clickjacking), the
 * browser must not guess content types, and URLs (which may carry SIDs) are not sent as a
 * Referer to other sites.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
}

/** An onRequest hook for the console's routes (a callback: no promise per request). */
export function consoleSecurityHeaders(_req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.headers(HEADERS)
  done()
}
