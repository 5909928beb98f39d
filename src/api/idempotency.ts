/**
 * Idempotent retries for POST and DELETE, keyed by Twilio's `I-Twilio-Idempotency-Token`
 * header per account. The first request reserves the key; once it finishes its status and
 * body are kept for 24 h and replayed to a retry with the same request. A retry while the
 * first is still running gets 409; the same key on a different request gets 400; a 5xx
 * releases the key so the client can try again. Kept bodies are sealed with the master key:
 * some hold a secret shown once (a new API key's secret, a new sub-account's auth token), and
 * the store must not hold those in clear for a day.
 */
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from './app-types.js'
import type { AppContext } from '../runtime/context.js'
import { AppError, errors } from '../domain/errors.js'
import {
  findIdempotencyKey,
  keepIdempotentResponse,
  releaseIdempotencyKey,
  renewIdempotencyKey,
  reserveIdempotencyKey,
  sweepIdempotencyKeys,
} from '../store/idempotency.repo.js'

const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token'
const TTL_MS = 24 * 3600 * 1000
const KEY = /^[\x21-\x7e]{1,128}$/
const ABANDONED_MS = 60_000
/** The sealer's purpose for kept bodies (keys them apart from every other sealed value). */
const SEAL_PURPOSE = 'idempotent-response'

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string
  }
}

function fingerprint(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex')
}

/** Adds the idempotency hooks to an authenticated area (after its auth hook). */
export function idempotency(app: App, ctx: AppContext) {
  const db = ctx.store.db
  let lastSweep = 0

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = req.headers[IDEMPOTENCY_HEADER]
    if (raw === undefined || (req.method !== 'POST' && req.method !== 'DELETE')) return
    const key = Array.isArray(raw) ? raw[0]! : raw
    if (!KEY.test(key)) throw errors.invalid('I-Twilio-Idempotency-Token', 'must be 1-128 printable ASCII characters')
    const account = req.principal.account.sid
    const now = ctx.clock()
    if (now.getTime() - lastSweep > 60_000) {
      lastSweep = now.getTime()
      await sweepIdempotencyKeys(db, new Date(now.getTime() - TTL_MS).toISOString())
    }
    const fp = fingerprint(req)
    if (await reserveIdempotencyKey(db, account, key, fp, now.toISOString())) {
      req.idempotencyKey = key
      return
    }
    const prior = await findIdempotencyKey(db, account, key)
    if (!prior) {
      req.idempotencyKey = key
      return
    }
    if (prior.fingerprint !== fp)
      throw errors.invalid('I-Twilio-Idempotency-Token', 'was already used for a different request')
    if (prior.status_code === null) {
      // A reservation older than a request can live was left by a crashed process: take it over.
      if (now.getTime() - Date.parse(prior.created_at) < ABANDONED_MS)
        throw new AppError('CONFLICT', 'A request with this idempotency token is still in progress')
      await renewIdempotencyKey(db, account, key, now.toISOString())
      req.idempotencyKey = key
      return
    }
    reply.header('i-twilio-idempotency-replayed', 'true')
    if (prior.content_type) reply.type(prior.content_type)
    return reply
      .status(prior.status_code)
      .send(prior.body === null ? undefined : ctx.sealer.open(prior.body, SEAL_PURPOSE).toString('utf8'))
  })

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = req.idempotencyKey
    if (!key) return payload
    const account = req.principal.account.sid
    if (reply.statusCode >= 500) {
      await releaseIdempotencyKey(db, account, key)
    } else {
      const ct = reply.getHeader('content-type')
      await keepIdempotentResponse(db, account, key, {
        status_code: reply.statusCode,
        body: typeof payload === 'string' ? ctx.sealer.seal(payload, SEAL_PURPOSE) : null,
        content_type: typeof ct === 'string' ? ct : null,
      })
    }
    return payload
  })
}
