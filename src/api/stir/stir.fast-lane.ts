/**
 * The /stir area's per-call routes on the fast lane (src/api/stir/fast-lane): `POST
 * /stir/v1/signing` and `POST /stir/v1/verification` answered as their Fastify routes answer
 * a well-formed call from credentials this process has verified before, without Node's
 * request objects or Fastify's hooks. A route declines — and its Fastify route answers, as it
 * would without the lane — anything that route would refuse or treat specially: another
 * content type, JSON that secure-json-parse refuses or that does not parse, input the edge
 * refuses (input-guards.ts), an invalid request, unknown or refused credentials, a rate or
 * failed-authentication limit reached, and per-call debug logging. It declines before any
 * side effect; after one (the account's rate spent), a failure is answered here with the same
 * ATIS error.
 */
import type { FastRoute } from './fast-lane/fast-lane.js'
import type { RateLimiter } from '../../security/rate-limiter.js'
import type { AppContext } from '../../runtime/context.js'
import { headerCredentialKey } from '../throttle.js'
import { fieldsProblem } from '../input-guards.js'
import { atisErrorBody, atisFailure } from './atis-errors.js'
import { parseSigningRequest, signingAnswer, signingAnswerJson } from './signing.routes.js'
import { stirPreamble, type StirCaller } from './stir.plugin.js'
import { parseVerificationRequest, verificationAnswer } from './verification.routes.js'

export interface StirLaneOptions {
  /** The app's own limiters: a call on either lane spends from the same buckets. */
  readonly limit?: RateLimiter
  readonly authFailures?: RateLimiter
  /** The app's response counter and timer (/metrics). */
  readonly responded: (status: number) => void
  readonly timed: (route: string, ms: number) => void
}

/** What a per-call route adds to the lane: its body check and its answer, shared with its Fastify route. */
interface PerCall<B> {
  readonly path: string
  /** Throws on anything the Fastify route would refuse (the lane then declines). */
  readonly parse: (json: unknown) => B
  readonly answer: (
    accountSid: string,
    body: B,
    ticket: number,
    requestId: string | undefined,
  ) => Promise<{ readonly json: string; readonly headers?: Readonly<Record<string, string>> }>
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8'])

function perCallRoute<B>(ctx: AppContext, opts: StirLaneOptions, route: PerCall<B>): FastRoute {
  const behindProxy = ctx.config.trustProxy.length > 0
  return {
    method: 'POST',
    path: route.path,
    maxBody: ctx.config.bodyLimit,
    async answer(req) {
      const h = req.headers
      const authorization = h.get('authorization')
      if (
        authorization === undefined ||
        !JSON_TYPES.has(h.get('content-type')?.toLowerCase() ?? '') ||
        ctx.log.isLevelEnabled('debug')
      )
        return undefined
      const text = req.body.toString('utf8')
      // Fastify's parser (secure-json-parse) refuses these keys with its own error.
      if (text.includes('__proto__') || text.includes('constructor')) return undefined
      let body: B
      try {
        const json: unknown = JSON.parse(text)
        // Refused by Fastify's edge hooks (input-guards.ts): NUL, lone surrogates, deep nesting, numbers out of range.
        if (fieldsProblem(json, 'body') !== undefined) return undefined
        body = route.parse(json)
      } catch {
        return undefined
      }
      if (opts.authFailures !== undefined && opts.authFailures.size > 0) {
        // The client address behind a proxy is Fastify's to work out.
        if (behindProxy || req.remoteAddress === undefined) return undefined
        if (opts.authFailures.wait(headerCredentialKey(req.remoteAddress, authorization), performance.now()) > 0)
          return undefined
      }
      // The area's preamble; anything it would refuse (or credentials not verified yet) is Fastify's to answer.
      let caller: StirCaller | undefined
      try {
        caller = await stirPreamble(
          ctx,
          { headers: { authorization, 'x-account-sid': h.get('x-account-sid') } },
          opts.limit,
          true,
        )
      } catch {
        return undefined
      }
      if (caller === undefined) return undefined

      const headers: Record<string, string> = {}
      const requestId = h.get('x-requestid')
      if (requestId !== undefined) headers['x-requestid'] = requestId
      let status = 200
      let json: string
      try {
        const a = await route.answer(caller.accountSid, body, caller.ticket, requestId)
        Object.assign(headers, a.headers)
        json = a.json
      } catch (err) {
        const f = atisFailure(err)
        if (f.status >= 500) ctx.log.error({ err }, 'stir request failed')
        if (f.retryAfter !== undefined) headers['retry-after'] = f.retryAfter
        status = f.status
        json = JSON.stringify(atisErrorBody(f.id, f.vars))
      }
      headers['content-type'] = 'application/json; charset=utf-8'
      opts.responded(status)
      opts.timed(route.path, performance.now() - req.arrived)
      return { status, headers, body: json }
    },
  }
}

/**
 * The /stir routes the lane leaves to Fastify, and why: each is asked by a person or a
 * dashboard, not once per call, so the framework's cost is no matter there. Every /stir route
 * is on the lane or listed here (test/stir-fast-lane-routes.test.ts); HEAD goes with its GET.
 */
export const OFF_THE_LANE: Readonly<Record<string, string>> = {
  'GET /stir/v1/attestation': 'explains a decision to a person',
  'POST /stir/v1/attestation/batch': 'explains many decisions to a person (the console numbers page)',
  'GET /stir/v1/verification/policy': 'account settings',
  'POST /stir/v1/verification/policy': 'account settings',
  'GET /stir/v1/verification/stats': "a dashboard's read",
  'GET /stir/v1/calls/analytics': "a dashboard's read",
  'GET /stir/v1/calls': 'a search of the call records, by a person or a report',
  'GET /stir/v1/calls/:CallSid': 'one call record, read by a person',
}

/** Signing and verification on the lane. */
export function stirFastRoutes(ctx: AppContext, opts: StirLaneOptions): FastRoute[] {
  const as = ctx.stiAs
  const vs = ctx.stiVs
  return [
    perCallRoute(ctx, opts, {
      path: '/stir/v1/signing',
      parse: parseSigningRequest,
      async answer(accountSid, body, ticket, requestId) {
        const a = await signingAnswer(as, accountSid, body, ticket, requestId)
        return {
          json: signingAnswerJson(a),
          headers: a.attest !== undefined ? { 'x-attestation': a.attest } : undefined,
        }
      },
    }),
    perCallRoute(ctx, opts, {
      path: '/stir/v1/verification',
      parse: parseVerificationRequest,
      answer: async (accountSid, body, _ticket, requestId) => ({
        json: JSON.stringify(await verificationAnswer(vs, accountSid, body, requestId)),
      }),
    }),
  ]
}
