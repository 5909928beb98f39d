/**
 * Renders every error as Twilio's body `{code, message, more_info, status}`. Framework errors
 * (bad JSON, unsupported media type, oversize body, schema violations) are first mapped onto
 * the catalogue, so a client never sees a 500 for bad input. Every 401 carries the area's
 * WWW-Authenticate challenge (auth-challenge.ts).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, errors } from '../domain/errors.js'
import { transientStoreError } from '../store/db.js'
import { retryAfter } from './throttle.js'
import { challengeFor } from './auth-challenge.js'

/** Maps anything thrown in a request to an AppError (unknown errors become 20500). */
export function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err
  const transient = transientStoreError(err)
  if (transient) return transient
  const fe = err as FastifyError & { validation?: any[]; validationContext?: string }
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0]
    const where = fe.validationContext === 'querystring' ? 'the query string' : 'the post body'
    if (v.keyword === 'required') return errors.missing(v.params.missingProperty, where)
    const field =
      String(v.instancePath || '')
        .replace(/^\//, '')
        .split('/')[0] ||
      v.params?.additionalProperty ||
      'body'
    if (fe.validationContext === 'params') return errors.notFound('(path)')
    return errors.invalid(field, v.message ?? 'is not valid')
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'UNSUPPORTED_MEDIA',
        'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json',
      )
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalid('body', 'is not valid JSON')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.invalid('Content-Length', 'does not match the body')
  }
  if (fe.statusCode === 429) return new AppError('RATE_LIMITED', 'Too many requests')
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return errors.invalid('request', fe.message)
  return new AppError('INTERNAL', 'Internal server error')
}

export function twilioErrorBody(e: AppError) {
  return {
    code: e.code,
    message: e.message,
    more_info: `https://www.twilio.com/docs/errors/${e.code}`,
    status: e.status,
    ...(e.details ? { details: e.details } : {}),
  }
}

export function twilioErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const e = toAppError(err)
  if (e.status >= 500) req.log.error({ err }, 'request failed')
  if (e.status === 503) reply.header('Retry-After', '1')
  if (e.status === 401) reply.header('WWW-Authenticate', challengeFor(req))
  retryAfter(reply, e)
  return reply.status(e.status).type('application/json').send(twilioErrorBody(e))
}
