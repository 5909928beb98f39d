/**
 * `POST /stir/v1/signing` (ATIS-1000082 §5.1 as summarised in stir-shaken.md §5): a
 * `signingRequest` in, a `signingResponse.identity` out. The engine decides `attest`; the
 * requested one may only lower it. Calls to non-US destinations get no identity, with a
 * reason. Malformed calls get the SVC catalogue (400/411/415), other methods 405.
 */
import type { App } from '../app.js'
import type { AppContext } from '../context.js'
import type { AttestLevel } from '../../domain/attestation.js'
import { isUuid } from '../../stir/passport/index.js'
import { stiAs } from '../../stir/as/sti-as.js'
import { AtisError, atisError, atisPostPreconditions } from './atis-errors.js'

/** What a valid signingRequest carries. */
export interface SigningRequestBody {
  readonly attest: AttestLevel
  readonly orig: string
  readonly dest: readonly string[]
  readonly iat: number
  readonly origid: string
}

const TN_CHARS = /^[0-9*#+.\-() ]{1,32}$/
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validates a signingRequest; throws SVC4000/4001/4005 naming the parameter. */
export function parseSigningRequest(body: unknown): SigningRequestBody {
  if (body === undefined || body === null || body === '') throw new AtisError('SVC4000')
  if (!isObj(body)) throw new AtisError('SVC4006', ['the body must be a JSON object'])
  const r = body.signingRequest
  if (r === undefined) throw new AtisError('SVC4001', ['signingRequest'])
  if (!isObj(r)) throw new AtisError('SVC4005', ['signingRequest', 'must be an object'])
  for (const p of ['attest', 'dest', 'iat', 'orig', 'origid']) if (r[p] === undefined) throw new AtisError('SVC4001', [p])
  if (r.attest !== 'A' && r.attest !== 'B' && r.attest !== 'C') throw new AtisError('SVC4005', ['attest', 'must be A, B or C'])
  if (!isObj(r.orig) || r.orig.tn === undefined) throw new AtisError('SVC4001', ['orig.tn'])
  if (typeof r.orig.tn !== 'string' || !TN_CHARS.test(r.orig.tn)) throw new AtisError('SVC4005', ['orig', 'tn must be a telephone number'])
  if (!isObj(r.dest) || r.dest.tn === undefined) throw new AtisError('SVC4001', ['dest.tn'])
  const dest = r.dest.tn
  if (!Array.isArray(dest) || dest.length === 0 || dest.length > 16 || !dest.every((d) => typeof d === 'string' && TN_CHARS.test(d))) {
    throw new AtisError('SVC4005', ['dest', 'tn must be a non-empty array of telephone numbers'])
  }
  if (typeof r.iat !== 'number' || !Number.isSafeInteger(r.iat) || r.iat <= 0) throw new AtisError('SVC4005', ['iat', 'must be a positive integer'])
  if (!isUuid(r.origid)) throw new AtisError('SVC4005', ['origid', 'must be a UUID'])
  if (r.ppt !== undefined && r.ppt !== 'shaken') throw new AtisError('SVC4005', ['ppt', 'only "shaken" is signed here'])
  return { attest: r.attest, orig: r.orig.tn, dest: dest as string[], iat: r.iat, origid: r.origid }
}

/** Registers `POST /stir/v1/signing` (and 405 for its other methods) in the /stir area. */
export function signingRoutes(app: App, ctx: AppContext) {
  const as = stiAs(ctx)
  app.post('/v1/signing', {
    onRequest: atisPostPreconditions,
    schema: {
      tags: ['stir'], security: [{ basic: [] }, { bearer: [] }],
      summary: 'Sign a call (ATIS-1000082 signingRequest → signingResponse)',
      description: 'The attestation is decided from the account\'s Trust Hub facts; a requested attest can only lower it. '
        + 'Operator callers name the account with X-Account-Sid. Calls to non-US numbers get no identity and a reason.',
    },
  }, async (req, reply) => {
    const body = parseSigningRequest(req.body)
    const r = await as.service.sign({ accountSid: req.stirAccountSid, orig: body.orig, dest: body.dest, attest: body.attest, iat: body.iat, ticket: req.stirTicket })
    if (r.decision.attest !== undefined) reply.header('X-Attestation', r.attest)
    if (!r.identity) {
      return { signingResponse: { reason: r.decision.rule, reasontext: r.notes.join('; ') } }
    }
    return { signingResponse: { identity: r.identity } }
  })
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'], url: '/v1/signing', schema: { hide: true },
    handler: async (_req, reply) => atisError(reply, 'POL4050'),
  })
}
