/**
 * Request limits (config: STIRHUB_API_RATE_LIMIT, STIRHUB_STIR_RATE_LIMIT,
 * STIRHUB_AUTH_FAILURE_LIMIT): per account on the REST API and on /stir, so one tenant's flood
 * cannot take the capacity others share; and per client address on failed authentications, so
 * credentials cannot be guessed at speed. Over a limit: 429 (Twilio 20429, or ATIS POL4029 on
 * /stir) with Retry-After. Buckets live in each process; with several API processes each takes
 * its share of the configured rate, as the kernel spreads connections over them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config/config.js'
import { AppError } from '../domain/errors.js'
import { RateLimiter } from '../security/rate-limiter.js'

/** The window failed authentications are counted over. */
const AUTH_WINDOW_SEC = 300

export interface Throttles {
  readonly api?: RateLimiter
  readonly stir?: RateLimiter
  readonly authFailures?: RateLimiter
}

/** This process's limiters (absent where the limit is 0). */
export function throttlesOf(config: Config): Throttles {
  const share = Math.max(1, config.httpWorkers)
  const perSecond = (rate: number) => (rate > 0 ? new RateLimiter(rate / share, Math.max(1, (2 * rate) / share)) : undefined)
  return {
    api: perSecond(config.apiRateLimit),
    stir: perSecond(config.stirRateLimit),
    authFailures: config.authFailureLimit > 0
      ? new RateLimiter(config.authFailureLimit / AUTH_WINDOW_SEC / share, Math.max(1, config.authFailureLimit / share))
      : undefined,
  }
}

/** The 429 for a wait of `ms`; both error renderers set Retry-After from `retry_after`. */
export function rateLimited(ms: number, why: string): AppError {
  const sec = Math.max(1, Math.ceil(ms / 1000))
  const reason = `${why}; retry in ${sec} s`
  return new AppError('RATE_LIMITED', `Too Many Requests: ${reason}`, { retry_after: sec, reason })
}

/** Spends one of `key`'s requests, or throws the 429. */
export function spend(limiter: RateLimiter | undefined, key: string, why: string): void {
  if (!limiter) return
  const wait = limiter.take(key, Date.now())
  if (wait > 0) throw rateLimited(wait, why)
}

/** Sets Retry-After for a rate-limit error (called by both error renderers). */
export function retryAfter(reply: FastifyReply, e: AppError): void {
  if (e.key === 'RATE_LIMITED' && typeof e.details?.retry_after === 'number') reply.header('Retry-After', String(e.details.retry_after))
}

/**
 * Root hooks for failed authentications: a client address past its limit is refused before
 * any credential check (callback hooks: no promise on the signing path), and every 401 to
 * presented credentials (a header, or a sign-in route's body) spends one of its tokens.
 */
export function authFailureHooks(limiter: RateLimiter | undefined): {
  readonly onRequest?: (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void
  readonly failed: (req: FastifyRequest, status: number) => void
} {
  if (!limiter) return { failed: () => undefined }
  return {
    onRequest(req, _reply, done) {
      const wait = limiter.size === 0 ? 0 : limiter.wait(req.ip, Date.now())
      done(wait > 0 ? rateLimited(wait, 'too many failed authentications from this address') : undefined)
    },
    failed(req, status) {
      // Only a 401 to credentials counts: a browser opening the console signed out is no guess.
      if (status === 401 && (req.headers.authorization !== undefined || (req.routeOptions.config as { credentialsInBody?: boolean } | undefined)?.credentialsInBody)) {
        limiter.take(req.ip, Date.now())
      }
    },
  }
}
