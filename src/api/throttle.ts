/**
 * Request limits (config: STIRHUB_API_RATE_LIMIT, STIRHUB_STIR_RATE_LIMIT,
 * STIRHUB_AUTH_FAILURE_LIMIT): per account on the REST API and on /stir, so one tenant's flood
 * cannot take the capacity others share; and per client address and credentials on failed
 * authentications (see credentialKey), so credentials cannot be guessed at speed. Over a
 * limit: 429 (Twilio 20429, or ATIS POL4029 on /stir) with Retry-After. Buckets live in each process; with several API processes each takes
 * its share of the configured rate, as the kernel spreads connections over them.
 */
import { hash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config/config.js'
import { AppError } from '../domain/errors.js'
import { RateLimiter } from '../security/rate-limiter.js'
import { authenticateAccount, parseBasic, parseBearer } from './auth.js'
import type { AppContext } from '../runtime/context.js'

/** The window failed authentications are counted over. */
const AUTH_WINDOW_SEC = 300

export interface Throttles {
  readonly api?: RateLimiter
  readonly stir?: RateLimiter
  readonly authFailures?: RateLimiter
}

/** A limiter of `rate` per second with bursts of twice that, this process's `share` of it; none for 0. */
export function perSecond(rate: number, share = 1): RateLimiter | undefined {
  return rate > 0 ? new RateLimiter(rate / share, Math.max(1, (2 * rate) / share)) : undefined
}

/** This process's limiters for the HTTP API (absent where the limit is 0). */
export function throttlesOf(config: Config): Throttles {
  const share = Math.max(1, config.httpWorkers)
  return {
    api: perSecond(config.apiRateLimit, share),
    stir: perSecond(config.stirRateLimit, share),
    authFailures:
      config.authFailureLimit > 0
        ? new RateLimiter(
            config.authFailureLimit / AUTH_WINDOW_SEC / share,
            Math.max(1, config.authFailureLimit / share),
          )
        : undefined,
  }
}

/** The 429 for a wait of `ms`; both error renderers set Retry-After from `retry_after`. */
function rateLimited(ms: number, why: string): AppError {
  const sec = Math.max(1, Math.ceil(ms / 1000))
  const reason = `${why}; retry in ${sec} s`
  return new AppError('RATE_LIMITED', `Too Many Requests: ${reason}`, { retry_after: sec, reason })
}

/** Spends one of `key`'s requests, or throws the 429. */
export function spend(limiter: RateLimiter | undefined, key: string, why: string): void {
  if (!limiter) return
  const wait = limiter.take(key, performance.now())
  if (wait > 0) throw rateLimited(wait, why)
}

/** The customer areas' auth hook: sets `req.principal`, then spends one of the account's requests. */
export function accountHook(ctx: AppContext, limit?: RateLimiter): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    req.principal = await authenticateAccount(ctx, req)
    spend(limit, req.principal.account.sid, "over this account's request rate")
  }
}

/** The Retry-After of a rate-limit error, else undefined. */
export function retryAfterOf(e: AppError): string | undefined {
  return e.key === 'RATE_LIMITED' && typeof e.details?.retry_after === 'number'
    ? String(e.details.retry_after)
    : undefined
}

/** Sets Retry-After for a rate-limit error (called by both error renderers). */
export function retryAfter(reply: FastifyReply, e: AppError): void {
  const after = retryAfterOf(e)
  if (after !== undefined) reply.header('Retry-After', after)
}

type Done = (err?: Error) => void

const credentialsInBody = (req: FastifyRequest) =>
  (req.routeOptions.config as { credentialsInBody?: boolean } | undefined)?.credentialsInBody === true

/**
 * What the failure limit counts a request's credentials under: the client address and the
 * identity the credentials claim — the SID they name (Basic, a console sign-in's Username),
 * the email a console user signs in with,
 * or a prefix of a bearer token's SHA-256 (staff tokens, a console sign-in's Token). Keyed so,
 * a script with a wrong SID or token locks out only itself: not every customer behind the
 * same load balancer, nor the operator, the reviewers and an SBC's signing from that address.
 * Undefined when the request presents no credentials.
 */
function credentialKey(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization
  if (h !== undefined) return headerCredentialKey(req.ip, h)
  if (!credentialsInBody(req)) return undefined
  const body = req.body as { Username?: unknown; Token?: unknown; Email?: unknown } | undefined
  if (typeof body?.Email === 'string') return `${req.ip} ${body.Email.trim().toLowerCase()}`
  if (typeof body?.Username === 'string') return `${req.ip} ${body.Username}`
  return typeof body?.Token === 'string' ? `${req.ip} ${tokenIdentity(body.Token)}` : undefined
}

/** {@link credentialKey} of an Authorization header sent from `ip`. */
export function headerCredentialKey(ip: string, authorization: string): string {
  const basic = parseBasic(authorization)
  return `${ip} ${basic !== undefined ? basic.user : tokenIdentity(parseBearer(authorization) ?? authorization)}`
}

/**
 * Names a token without holding it: the first 8 bytes of its SHA-256, enough that two tokens
 * share a bucket only by a 2^-64 chance, and no use to whoever reads the process's memory.
 * The prefix `~` cannot start a SID.
 */
const tokenIdentity = (token: string): string => '~' + hash('sha256', token, 'hex').slice(0, 16)

/**
 * Root hooks for failed authentications: credentials past their limit are refused before any
 * check of them (onRequest for headers, preHandler for a sign-in body; callback hooks, no
 * promise on the signing path), and every 401 to presented credentials spends one token (a
 * browser opening the console signed out presents none, and is no guess).
 */
export function authFailureHooks(limiter: RateLimiter | undefined): {
  readonly onRequest?: (req: FastifyRequest, reply: FastifyReply, done: Done) => void
  readonly preHandler?: (req: FastifyRequest, reply: FastifyReply, done: Done) => void
  readonly failed: (req: FastifyRequest, status: number) => void
} {
  if (!limiter) return { failed: () => undefined }
  const check = (req: FastifyRequest, done: Done) => {
    const key = limiter.size === 0 ? undefined : credentialKey(req)
    const wait = key === undefined ? 0 : limiter.wait(key, performance.now())
    done(
      wait > 0
        ? rateLimited(wait, 'too many failed authentications with these credentials from this address')
        : undefined,
    )
  }
  return {
    onRequest: (req, _reply, done) => check(req, done),
    preHandler: (req, _reply, done) => (credentialsInBody(req) ? check(req, done) : done()),
    failed(req, status) {
      const key = status === 401 ? credentialKey(req) : undefined
      if (key !== undefined) limiter.take(key, performance.now())
    },
  }
}
