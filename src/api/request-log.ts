/**
 * Fastify's per-request log lines as an operator wants them: one line when a request
 * completes (method, URL, client address, status, time) instead of two, and for the per-call
 * STIR routes at `debug`. Signing and verification run at thousands of calls a second: two
 * `info` lines per call cost about a fifth of the signing rate and bury everything else in
 * the log, while `/metrics` counts every response by status and failures are still logged as
 * errors.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Logger } from 'pino'

const PER_CALL = ['/stir/v1/signing', '/stir/v1/verification']

export class RequestLog extends LogController {
  /** `root`: the server's logger, whose level decides whether per-call lines are built at all. */
  constructor(private readonly root: Logger) {
    super()
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const perCall = PER_CALL.some((p) => request.url.startsWith(p))
    if (!error && perCall && !this.root.isLevelEnabled('debug')) return
    const line = {
      method: request.method,
      url: request.url,
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else if (perCall) reply.log.debug(line, 'request completed')
    else reply.log.info(line, 'request completed')
  }
}
