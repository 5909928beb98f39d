/**
 * `POST /stir/v1/signing` on the fast lane (src/server/fast-lane): the Fastify route's answer
 * to a well-formed call from credentials this process has verified before, without Node's
 * request objects or Fastify's hooks. It declines — and the Fastify route answers, as it
 * would without the lane — anything that route would refuse or treat specially: another
 * content type, JSON that secure-json-parse refuses or that does not parse, an invalid
 * signingRequest, unknown or refused credentials, a rate or failed-authentication limit
 * reached, and per-call debug logging. It declines before any side effect; after one (the
 * account's rate spent), a failure is answered here with the same ATIS error.
 */
import type { FastRoute } from '../../server/fast-lane/fast-lane.js'
import type { RateLimiter } from '../../security/rate-limiter.js'
import { stiAs } from '../../stir/as/sti-as.js'
import type { AppContext } from '../context.js'
import { headerCredentialKey, spend } from '../throttle.js'
import { atisErrorBody, atisFailure } from './atis-errors.js'
import { parseSigningRequest, signingAnswer, type SigningRequestBody } from './signing.routes.js'
import { STIR_RATE, stirAccount } from './stir.plugin.js'

export interface SigningLaneOptions {
  /** The app's own limiters: a call on either lane spends from the same buckets. */
  readonly limit?: RateLimiter
  readonly authFailures?: RateLimiter
  /** The app's response counter and timer (/metrics). */
  readonly responded: (status: number) => void
  readonly timed: (route: string, ms: number) => void
}

const PATH = '/stir/v1/signing'
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8'])

export function signingFastRoute(ctx: AppContext, opts: SigningLaneOptions): FastRoute {
  const as = stiAs(ctx)
  const behindProxy = ctx.config.trustProxy.length > 0
  return {
    method: 'POST', path: PATH, maxBody: ctx.config.bodyLimit,
    async answer(req) {
      const h = req.headers
      const authorization = h.authorization
      if (authorization === undefined || !JSON_TYPES.has(h['content-type']?.toLowerCase() ?? '') || ctx.log.isLevelEnabled('debug')) return undefined
      const text = req.body.toString('utf8')
      // Fastify's parser (secure-json-parse) refuses these keys with its own error.
      if (text.includes('__proto__') || text.includes('constructor')) return undefined
      let body: SigningRequestBody
      try { body = parseSigningRequest(JSON.parse(text)) } catch { return undefined }
      if (opts.authFailures !== undefined && opts.authFailures.size > 0) {
        // The client address behind a proxy is Fastify's to work out.
        if (behindProxy || req.remoteAddress === undefined) return undefined
        if (opts.authFailures.wait(headerCredentialKey(req.remoteAddress, authorization), Date.now()) > 0) return undefined
      }
      const ticket = ctx.version.ticket()
      let account: string | undefined
      try { account = await stirAccount(ctx, req, ticket, true) } catch { return undefined }
      if (account === undefined || (opts.limit !== undefined && opts.limit.wait(account, Date.now()) > 0)) return undefined
      spend(opts.limit, account, STIR_RATE)

      const headers: Record<string, string> = {}
      if (h['x-requestid'] !== undefined) headers['x-requestid'] = h['x-requestid']
      let status = 200
      let payload: object
      try {
        const a = await signingAnswer(as, account, body, ticket)
        if (a.attest !== undefined) headers['x-attestation'] = a.attest
        payload = a.payload
      } catch (err) {
        const f = atisFailure(err)
        if (f.status >= 500) ctx.log.error({ err }, 'stir request failed')
        if (f.retryAfter !== undefined) headers['retry-after'] = f.retryAfter
        status = f.status
        payload = atisErrorBody(f.id, f.vars)
      }
      headers['content-type'] = 'application/json; charset=utf-8'
      opts.responded(status)
      opts.timed(PATH, performance.now() - req.arrived)
      return { status, headers, body: JSON.stringify(payload) }
    },
  }
}
