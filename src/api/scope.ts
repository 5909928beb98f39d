import type { FastifyRequest } from 'fastify'
import { errors } from '../domain/errors.js'
import { requireAuthToken as requireAuthTokenVia } from '../trusthub/accounts.js'

/**
 * The account named in a 2010 API path must be the caller's own or one of its sub-accounts;
 * anything else answers 404, exactly as a missing one.
 */
export function requireVisibleAccount(req: FastifyRequest, accountSid: string): string {
  if (!req.principal.visible.includes(accountSid)) throw errors.notFound(req.url.split('?')[0] ?? req.url)
  return accountSid
}

/** Path of the request without the query string (for 404 messages). */
export const pathOf = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url

/** The caller must manage credentials with an auth token, not an API key (rule: src/trusthub/accounts.ts). */
export function requireAuthToken(req: FastifyRequest): void {
  requireAuthTokenVia(req.principal.via)
}
