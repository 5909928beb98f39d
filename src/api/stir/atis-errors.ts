/**
 * ATIS-1000082 error rendering for the /stir area (STI-AS signing and STI-VS verification).
 * Malformed API calls answer with
 * `{"requestError":{"serviceException"|"policyException":{"messageId","text","variables"}}}`;
 * the catalogue below is the spec's SVC/POL table (stir-shaken.md §5). Domain `AppError`s and
 * Fastify framework errors are mapped onto it so a client never sees a 500 for bad input.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../domain/errors.js'
import { transientStoreError } from '../../store/db.js'
import { retryAfterOf } from '../throttle.js'
import { challengeFor } from '../auth-challenge.js'

/** One ATIS message: HTTP status, exception family and text template (`%1`, `%2`). */
export interface AtisMessage {
  readonly status: number
  readonly kind: 'serviceException' | 'policyException'
  readonly text: string
}

/** The ATIS-1000082 catalogue (plus POL5030, our 503 for a store that cannot be reached, and POL4029, our 429 over a rate limit). */
export const ATIS_MESSAGES = {
  SVC4000: { status: 400, kind: 'serviceException', text: 'Missing request body' },
  SVC4001: { status: 400, kind: 'serviceException', text: "Missing mandatory parameter '%1'" },
  SVC4002: { status: 406, kind: 'serviceException', text: "Requested response body type '%1' is not supported" },
  SVC4003: { status: 404, kind: 'serviceException', text: 'Requested resource was not found' },
  SVC4004: { status: 415, kind: 'serviceException', text: "Unsupported request body type, expected '%1'" },
  SVC4005: { status: 400, kind: 'serviceException', text: "Invalid '%1' parameter value: %2" },
  SVC4006: { status: 400, kind: 'serviceException', text: 'Failed to parse received message body: %1' },
  SVC4007: { status: 411, kind: 'serviceException', text: 'Missing mandatory Content-Length header' },
  POL4001: { status: 401, kind: 'policyException', text: 'Authentication failed: %1' },
  POL4003: { status: 403, kind: 'policyException', text: 'Forbidden: %1' },
  POL4013: { status: 413, kind: 'policyException', text: 'Request body too large' },
  POL4050: { status: 405, kind: 'policyException', text: 'Method not allowed' },
  POL4029: { status: 429, kind: 'policyException', text: 'Too many requests: %1' },
  POL5000: { status: 500, kind: 'policyException', text: 'Internal Server Error. Please try again later' },
  POL5030: { status: 503, kind: 'policyException', text: 'Service unavailable: %1' },
} as const satisfies Record<string, AtisMessage>

export type AtisMessageId = keyof typeof ATIS_MESSAGES

/** The `requestError` body for a message and its variables. */
export function atisErrorBody(messageId: AtisMessageId, variables: readonly string[] = []) {
  const m = ATIS_MESSAGES[messageId]
  const text = m.text.replace(/%(\d)/g, (_, i: string) => variables[Number(i) - 1] ?? '')
  return { requestError: { [m.kind]: { messageId, text, variables: [...variables] } } }
}

/** The request's `X-RequestID` (ATIS-1000082), when it sent one. */
export function requestIdOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const rid = headers['x-requestid']
  return typeof rid === 'string' ? rid : undefined
}

/** Sends an ATIS error (echoing `X-RequestID`, as ATIS-1000082 asks for every response). */
export function atisError(
  reply: FastifyReply,
  messageId: AtisMessageId,
  variables: readonly string[] = [],
): FastifyReply {
  const rid = requestIdOf(reply.request.headers)
  if (rid !== undefined) reply.header('X-RequestID', rid)
  return reply
    .status(ATIS_MESSAGES[messageId].status)
    .type('application/json')
    .send(atisErrorBody(messageId, variables))
}

/** An error thrown inside /stir handlers that renders as a given ATIS message. */
export class AtisError extends Error {
  constructor(
    readonly messageId: AtisMessageId,
    readonly variables: readonly string[] = [],
  ) {
    super(`${messageId} ${variables.join(' ')}`)
    this.name = 'AtisError'
  }
}

/** Maps an AppError from the shared catalogue onto an ATIS message. */
function fromAppError(e: AppError): [AtisMessageId, string[]] {
  const param = typeof e.details?.param === 'string' ? e.details.param : 'request'
  switch (e.key) {
    case 'MISSING_PARAM':
      return ['SVC4001', [param]]
    case 'INVALID_PARAM':
    case 'INVALID_PHONE_NUMBER':
      return ['SVC4005', [param, e.message]]
    case 'UNAUTHENTICATED':
      return ['POL4001', [e.message]]
    case 'FORBIDDEN':
    case 'ROLE_FORBIDDEN':
    case 'ACCOUNT_INACTIVE':
      return ['POL4003', [e.message]]
    case 'NOT_FOUND':
      return ['SVC4003', []]
    case 'METHOD_NOT_ALLOWED':
      return ['POL4050', []]
    case 'PAYLOAD_TOO_LARGE':
      return ['POL4013', []]
    case 'UNSUPPORTED_MEDIA':
      return ['SVC4004', ['application/json']]
    case 'UNAVAILABLE':
      return ['POL5030', [e.message]]
    case 'RATE_LIMITED':
      return ['POL4029', [String(e.details?.reason ?? e.message)]]
    default:
      return e.status < 500 ? ['SVC4005', [param, e.message]] : ['POL5000', []]
  }
}

/** Maps anything thrown in a /stir request to an ATIS message id and variables. */
export function toAtis(err: unknown): [AtisMessageId, string[]] {
  if (err instanceof AtisError) return [err.messageId, [...err.variables]]
  if (err instanceof AppError) return fromAppError(err)
  const transient = transientStoreError(err)
  if (transient) return fromAppError(transient)
  const fe = err as FastifyError & { validation?: any[] }
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0]
    const path = String(v.instancePath || '')
      .replace(/^\//, '')
      .replace(/\//g, '.')
    if (v.keyword === 'required')
      return ['SVC4001', [path ? `${path}.${v.params.missingProperty}` : v.params.missingProperty]]
    return ['SVC4005', [path || 'body', v.message ?? 'is not valid']]
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ['POL4013', []]
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ['SVC4004', ['application/json']]
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ['SVC4000', []]
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return ['SVC4006', [fe.message]]
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ['SVC4006', ['Content-Length does not match the body']]
  }
  if (fe.statusCode === 405) return ['POL4050', []]
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return ['SVC4006', [fe.message]]
  return ['POL5000', []]
}

/** How a /stir request that failed with `err` is answered: the ATIS message and a Retry-After when there is one. */
export function atisFailure(err: unknown): {
  readonly id: AtisMessageId
  readonly vars: string[]
  readonly status: number
  readonly retryAfter?: string
} {
  const [id, vars] = toAtis(err)
  const status = ATIS_MESSAGES[id].status
  return {
    id,
    vars,
    status,
    retryAfter: (err instanceof AppError ? retryAfterOf(err) : undefined) ?? (status === 503 ? '1' : undefined),
  }
}

/** The /stir area's Fastify error handler: every failure as an ATIS `requestError`. */
export function atisErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const f = atisFailure(err)
  if (f.status >= 500) req.log.error({ err }, 'stir request failed')
  if (f.retryAfter !== undefined) reply.header('Retry-After', f.retryAfter)
  if (f.status === 401) reply.header('WWW-Authenticate', challengeFor(req))
  return atisError(reply, f.id, f.vars)
}

/**
 * ATIS-1000082 request preconditions for a POST with a JSON body: Content-Length present
 * (411, SVC4007) and Content-Type application/json (415, SVC4004). Use as an `onRequest` hook,
 * before Fastify's own body parsing runs. Callback style: a synchronous check on the signing
 * and verification hot paths costs no promise.
 */
export function atisPostPreconditions(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  if (req.method === 'POST') {
    if (req.headers['content-length'] === undefined) return done(new AtisError('SVC4007'))
    const ct = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase()
    if (ct !== 'application/json') return done(new AtisError('SVC4004', ['application/json']))
  }
  done()
}
