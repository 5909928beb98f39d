/**
 * `POST /stir/v1/signing` (ATIS-1000082 §5.1 as summarised in stir-shaken.md §5): a
 * `signingRequest` in, a `signingResponse.identity` out. The engine decides `attest`; the
 * requested one may only lower it. Calls to non-US destinations get no identity, with a
 * reason. Malformed calls get the SVC catalogue (400/411/415), other methods 405.
 * A request with `"ppt":"div"` asks for a div PASSporT for a forwarded call (RFC 8946): its
 * members are the div claims (`orig`, `dest`, `div`, `iat`), as a SHAKEN request's are.
 */
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import type { AttestLevel } from '../../domain/attestation.js'
import { isUuid } from '../../stir/passport/index.js'
import { MAX_CRN, textProblem } from '../../domain/rich-call-data.js'
import type { StiAs } from '../../stir/as/sti-as.js'
import { AtisError, atisPostPreconditions, requestIdOf } from './atis-errors.js'

/** What a valid signingRequest carries: a SHAKEN call, or a diversion (`ppt: 'div'`). */
export type SigningRequestBody =
  | {
      readonly ppt: 'shaken'
      readonly attest: AttestLevel
      readonly orig: string
      readonly dest: readonly string[]
      readonly iat: number
      readonly origid: string
      /** RFC 9795 call reason: signed only when it is one the caller's Branded Calls product was approved with. */
      readonly crn?: string
    }
  | { readonly ppt: 'div'; readonly orig: string; readonly dest: string; readonly div: string; readonly iat: number }

const TN_CHARS = /^[0-9*#+.\-() ]{1,32}$/
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validates a signingRequest; throws SVC4000/4001/4005 naming the parameter. */
export function parseSigningRequest(body: unknown): SigningRequestBody {
  if (body === undefined || body === null || body === '') throw new AtisError('SVC4000')
  if (!isObj(body)) throw new AtisError('SVC4006', ['the body must be a JSON object'])
  const r = body.signingRequest
  if (r === undefined) throw new AtisError('SVC4001', ['signingRequest'])
  if (!isObj(r)) throw new AtisError('SVC4005', ['signingRequest', 'must be an object'])
  if (r.ppt !== undefined && r.ppt !== 'shaken' && r.ppt !== 'div')
    throw new AtisError('SVC4005', ['ppt', 'must be "shaken" or "div"'])
  const div = r.ppt === 'div'
  for (const p of div ? ['dest', 'div', 'iat', 'orig'] : ['attest', 'dest', 'iat', 'orig', 'origid'])
    if (r[p] === undefined) throw new AtisError('SVC4001', [p])
  const orig = tnOf(r, 'orig')
  if (!isObj(r.dest) || r.dest.tn === undefined) throw new AtisError('SVC4001', ['dest.tn'])
  const dest = r.dest.tn
  if (
    !Array.isArray(dest) ||
    dest.length === 0 ||
    dest.length > (div ? 1 : 16) ||
    !dest.every((d) => typeof d === 'string' && TN_CHARS.test(d))
  ) {
    throw new AtisError('SVC4005', [
      'dest',
      div
        ? 'tn must be an array of one telephone number (the new target)'
        : 'tn must be a non-empty array of telephone numbers',
    ])
  }
  if (typeof r.iat !== 'number' || !Number.isSafeInteger(r.iat) || r.iat <= 0)
    throw new AtisError('SVC4005', ['iat', 'must be a positive integer'])
  if (div) return { ppt: 'div', orig, dest: dest[0] as string, div: tnOf(r, 'div'), iat: r.iat }
  if (r.attest !== 'A' && r.attest !== 'B' && r.attest !== 'C')
    throw new AtisError('SVC4005', ['attest', 'must be A, B or C'])
  if (!isUuid(r.origid)) throw new AtisError('SVC4005', ['origid', 'must be a UUID'])
  const shaken = {
    ppt: 'shaken',
    attest: r.attest,
    orig,
    dest: dest as string[],
    iat: r.iat,
    origid: r.origid,
  } as const
  if (r.crn === undefined) return shaken
  const bad = textProblem(r.crn, MAX_CRN)
  if (bad) throw new AtisError('SVC4005', ['crn', `must be a call reason text: it ${bad}`])
  return { ...shaken, crn: r.crn as string }
}

/** `r[name].tn` as a telephone number string; SVC4001/4005 naming `name`. */
function tnOf(r: Record<string, unknown>, name: string): string {
  const v = r[name]
  if (!isObj(v) || v.tn === undefined) throw new AtisError('SVC4001', [`${name}.tn`])
  if (typeof v.tn !== 'string' || !TN_CHARS.test(v.tn))
    throw new AtisError('SVC4005', [name, 'tn must be a telephone number'])
  return v.tn
}

/** What the signing route answers to a valid request: the body, the identity in it, and the level signed for X-Attestation. */
export interface SigningAnswer {
  readonly payload: object
  readonly identity?: string
  readonly attest?: AttestLevel
}

export async function signingAnswer(
  as: StiAs,
  accountSid: string,
  body: SigningRequestBody,
  ticket: number,
  requestId?: string,
): Promise<SigningAnswer> {
  const via = { transport: 'rest', requestId } as const
  if (body.ppt === 'div') {
    const d = await as.service.signDiversion({
      accountSid,
      orig: body.orig,
      dest: body.dest,
      div: body.div,
      iat: body.iat,
      ticket,
      via,
    })
    if (!d.identity) return { payload: { signingResponse: { reason: d.rule, reasontext: d.notes.join('; ') } } }
    return { payload: { signingResponse: { identity: d.identity } }, identity: d.identity }
  }
  const r = await as.service.sign({
    accountSid,
    orig: body.orig,
    dest: body.dest,
    attest: body.attest,
    iat: body.iat,
    ticket,
    via,
    crn: body.crn,
  })
  const attest = r.decision.attest !== undefined ? r.attest : undefined
  if (!r.identity)
    return { payload: { signingResponse: { reason: r.decision.rule, reasontext: r.notes.join('; ') } }, attest }
  return { payload: { signingResponse: { identity: r.identity } }, identity: r.identity, attest }
}

/**
 * The answer's body as JSON text. With an identity it is built as it stands: identityHeader
 * admits only base64url and URI characters, none of which JSON escapes (a quarter of the
 * lane's formatting cost went to JSON.stringify scanning the 500-character identity).
 */
export function signingAnswerJson(a: SigningAnswer): string {
  return a.identity !== undefined ? `{"signingResponse":{"identity":"${a.identity}"}}` : JSON.stringify(a.payload)
}

/** Registers `POST /stir/v1/signing` in the /stir area (whose not-found handler answers its other methods 405). */
export function signingRoutes(app: App, ctx: AppContext) {
  const as = ctx.stiAs
  app.post(
    '/v1/signing',
    {
      onRequest: atisPostPreconditions,
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: 'Sign a call (ATIS-1000082 signingRequest → signingResponse)',
        description:
          "The attestation is decided from the account's Trust Hub facts; a requested attest can only lower it. " +
          'Operator callers name the account with X-Account-Sid. Calls to non-US numbers get no identity and a reason. ' +
          'With "ppt":"div" and the members orig, dest (one new target), div (the number that forwarded the call) and iat, ' +
          'it signs a div PASSporT (RFC 8946) when the account (or a sub-account of it) holds the div number. ' +
          'A call attested A from a number on an approved Branded Calls trust product carries Rich Call Data ' +
          '(RFC 9795 rcd and rcdi: the approved display name, logo URL and logo digest); the optional member crn ' +
          'names a call reason, signed only when it is one of the reasons that product was approved with ' +
          '(docs/branding.md).',
      },
    },
    async (req, reply) => {
      const { payload, attest } = await signingAnswer(
        as,
        req.stirAccountSid,
        parseSigningRequest(req.body),
        req.stirTicket,
        requestIdOf(req.headers),
      )
      if (attest !== undefined) reply.header('X-Attestation', attest)
      return payload
    },
  )
}
