/**
 * Errors raised before a route runs, rendered like every other error instead of in the
 * framework's own body: a malformed URL or an over-long path parameter (Fastify's
 * `frameworkErrors`), and a request Node's HTTP parser refuses at the socket — a head over
 * its 16 KiB limit (431), a request not received in time (408), anything else malformed (400);
 * and an `Expect` other than `100-continue`, which Node refuses before any route runs (417).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, errors } from '../domain/errors.js'
import { pathOf } from './scope.js'
import { twilioErrorBody, twilioErrorHandler } from './errors.js'
import { atisErrorHandler } from './stir/atis-errors.js'

/** What a framework error before routing means to the client. */
function routingError(err: FastifyError, req: FastifyRequest): Error {
  if (err.code === 'FST_ERR_BAD_URL') return errors.invalid('URL', 'holds malformed percent-encoding')
  // No SID is that long: as any other path parameter that is not one, not found.
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return errors.notFound(pathOf(req))
  return err
}

/** Fastify's `frameworkErrors` option: ATIS `requestError` under /stir, Twilio's body elsewhere. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const e = routingError(err, req) as FastifyError
  if (req.url.startsWith('/stir/')) void atisErrorHandler(e, req, reply)
  else void twilioErrorHandler(e, req, reply)
}

/** The error for a request Node's parser refused (its `clientError` code). */
function clientErrorOf(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('HEADERS_TOO_LARGE', 'Request header fields too large')
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new AppError('REQUEST_TIMEOUT', 'The request was not received in time')
  return new AppError('INVALID_PARAM', 'Bad request: not a valid HTTP/1.1 request', { param: 'request' })
}

/**
 * Fastify's `clientErrorHandler` option: answers on the socket (there is no request object
 * yet), then drops the connection, as Node's own handler does.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  if (socket.writable) {
    const e = clientErrorOf(err.code)
    const body = JSON.stringify(twilioErrorBody(e))
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

/**
 * The server's `checkExpectation` listener: RFC 9110 §10.1.1 lets a server refuse an expectation it
 * does not understand with 417; Node does so with an empty body unless someone listens.
 */
export function expectationFailed(_req: IncomingMessage, res: ServerResponse): void {
  const e = new AppError('EXPECTATION_FAILED', 'Only the 100-continue expectation is supported')
  const body = JSON.stringify(twilioErrorBody(e))
  res.writeHead(e.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  })
  res.end(body)
}
