import type { FastifyRequest } from 'fastify'
import { AppError, errors } from '../domain/errors.js'

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

/**
 * Credential management (creating or changing sub-accounts, listing, creating or deleting API
 * keys) takes the account's auth token, or its parent's, never an API key: as with Twilio's
 * standard keys, a leaked key can use the API but cannot mint itself new credentials,
 * suspend accounts or delete the keys of others. 403 with Twilio's 20003.
 */
export function requireAuthToken(req: FastifyRequest): void {
  if (req.principal.via === 'api-key') {
    throw new AppError('AUTH_TOKEN_REQUIRED', 'Authentication Error - API keys cannot manage accounts or keys: use the account\'s auth token')
  }
}
