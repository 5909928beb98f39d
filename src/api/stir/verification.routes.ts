/**
 * `POST /stir/v1/verification` (ATIS-1000082, stir-shaken.md §5): a `verificationRequest`
 * in, a `verificationResponse` out. Verification outcomes, failures included, answer HTTP 200
 * with `verstat` and, on failure, `reasoncode/reasontext/reasondesc`; only malformed calls get
 * the SVC errors (E1/E2). Also the account's verify-front policy and outcome counters.
 */
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { parseTn } from '../../domain/e164.js'
import { isoNow } from '../../domain/time.js'
import type { StiVs } from '../../stir/vs/sti-vs.js'
import type { Verdict, VerifyInput } from '../../stir/vs/verifier.js'
import { RCD_REASON_DESC } from '../../stir/vs/rcd-check.js'
import { splitIdentityInstances } from '../../stir/vs/identity-header.js'
import { diversionJson } from '../../stir/vs/div-report.js'
import { saveVerificationPolicy, verificationCountsByAccount } from '../../store/verification.repo.js'
import { FAILURE_ACTIONS, verifyPolicyOf, type FailureAction } from '../../stir/vs/verify-policy.js'
import { AtisError, atisPostPreconditions, requestIdOf } from './atis-errors.js'

const TN_CHARS = /^[0-9*#+.\-() ]{1,32}$/
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What a valid verificationRequest carries. */
export type VerificationRequestBody = Required<Omit<VerifyInput, 'identity' | 'redirects'>> & {
  identity: string
  redirects?: readonly string[]
}

/**
 * The canonical TN of a request's `from` or `to` number, decided as signing decides it
 * (domain/e164.ts `parseTn`: `2125550100` is +1); SVC4005 naming `param` for a number that is
 * not valid (E2: a bad `from`/`to`), so such a call never verifies as passed.
 */
function requestTn(raw: string, param: string): string {
  const r = parseTn(raw)
  if (!r.ok) throw new AtisError('SVC4005', [param, r.reason])
  return r.tn
}

/** Validates a verificationRequest; throws SVC4000/4001/4005/4006 naming the parameter (E1/E2). */
export function parseVerificationRequest(body: unknown): VerificationRequestBody {
  if (body === undefined || body === null || body === '') throw new AtisError('SVC4000')
  if (!isObj(body)) throw new AtisError('SVC4006', ['the body must be a JSON object'])
  const r = body.verificationRequest
  if (r === undefined) throw new AtisError('SVC4001', ['verificationRequest'])
  if (!isObj(r)) throw new AtisError('SVC4005', ['verificationRequest', 'must be an object'])
  for (const p of ['from', 'to', 'time', 'identity']) if (r[p] === undefined) throw new AtisError('SVC4001', [p])
  if (!isObj(r.from) || r.from.tn === undefined) throw new AtisError('SVC4001', ['from.tn'])
  if (typeof r.from.tn !== 'string' || !TN_CHARS.test(r.from.tn))
    throw new AtisError('SVC4005', ['from', 'tn must be a telephone number'])
  if (!isObj(r.to) || r.to.tn === undefined) throw new AtisError('SVC4001', ['to.tn'])
  const to = r.to.tn
  if (
    !Array.isArray(to) ||
    to.length === 0 ||
    to.length > 16 ||
    !to.every((t) => typeof t === 'string' && TN_CHARS.test(t))
  ) {
    throw new AtisError('SVC4005', ['to', 'tn must be a non-empty array of telephone numbers'])
  }
  if (typeof r.time !== 'number' || !Number.isSafeInteger(r.time) || r.time <= 0)
    throw new AtisError('SVC4005', ['time', 'must be a positive integer'])
  if (typeof r.identity !== 'string' || r.identity.length === 0)
    throw new AtisError('SVC4005', ['identity', 'must be the Identity header value'])
  return {
    from: requestTn(r.from.tn, 'from'),
    to: (to as string[]).map((t) => requestTn(t, 'to')),
    time: r.time,
    identity: r.identity,
    ...redirectsOf(r.div),
  }
}

/**
 * The optional `div.tn`: the numbers the call was retargeted from (what an SBC reads in
 * History-Info or Diversion), each div PASSporT's `div.tn` checked against them (RFC 8946).
 */
function redirectsOf(div: unknown): { redirects?: string[] } {
  if (div === undefined) return {}
  const tns = isObj(div) ? div.tn : undefined
  if (
    !Array.isArray(tns) ||
    tns.length === 0 ||
    tns.length > 16 ||
    !tns.every((t) => typeof t === 'string' && TN_CHARS.test(t))
  )
    throw new AtisError('SVC4005', ['div', 'tn must be a non-empty array of up to 16 telephone numbers'])
  return { redirects: tns.map((t) => requestTn(t, 'div')) }
}

/** The effective verify-front policy of an account. */
const verificationPolicy = (ctx: AppContext, accountSid: string) => verifyPolicyOf(ctx.store.db, ctx.config, accountSid)

function policyRoutes(app: App, ctx: AppContext) {
  app.get(
    '/v1/verification/policy',
    { schema: { tags: ['stir'], summary: "The account's SIP verify-front policy" } },
    async (req) => verificationPolicy(ctx, req.stirAccountSid),
  )
  app.post(
    '/v1/verification/policy',
    {
      onRequest: atisPostPreconditions,
      schema: {
        tags: ['stir'],
        summary: 'Set the SIP verify-front failure action (continue, reject, reason) and whether Identity is required',
      },
    },
    async (req) => {
      const b = req.body
      if (!isObj(b)) throw new AtisError('SVC4006', ['the body must be a JSON object'])
      const cur = await verificationPolicy(ctx, req.stirAccountSid)
      const action = b.failureAction ?? cur.failureAction
      const require = b.requireIdentity ?? cur.requireIdentity
      if (!FAILURE_ACTIONS.includes(action as FailureAction))
        throw new AtisError('SVC4005', ['failureAction', 'must be continue, reject or reason'])
      if (typeof require !== 'boolean') throw new AtisError('SVC4005', ['requireIdentity', 'must be true or false'])
      await saveVerificationPolicy(ctx.store.db, {
        account_sid: req.stirAccountSid,
        failure_action: action as string,
        require_identity: require ? 1 : 0,
        date_updated: isoNow(ctx.clock),
      })
      return verificationPolicy(ctx, req.stirAccountSid)
    },
  )
  app.get(
    '/v1/verification/stats',
    { schema: { tags: ['stir'], summary: 'Verification outcomes by reason and signer SPC' } },
    async (req) => {
      await ctx.stiVs.counter.flush()
      return {
        stats: (await verificationCountsByAccount(ctx.store.db, [req.stirAccountSid])).get(req.stirAccountSid) ?? [],
      }
    },
  )
}

/** What the verification route answers to a valid request (counted and recorded for `accountSid`). */
export async function verificationAnswer(
  vs: StiVs,
  accountSid: string,
  r: VerificationRequestBody,
  requestId?: string,
): Promise<object> {
  // An SBC may pass a call's Identity headers joined into one value (shaken, then div for a
  // forwarded call, RFC 3261 §7.3.1): split only when there is a comma to split on.
  const identity = r.identity.includes(',') ? splitIdentityInstances(r.identity) : [r.identity]
  const input = { identity, from: r.from, to: r.to, time: r.time, redirects: r.redirects }
  const v = await vs.verifier.verify(input)
  vs.observe(accountSid, input, v, { transport: 'rest', requestId })
  // RFC 8946: every div PASSporT presented is reported with its outcome (div-report.ts).
  const diversion = v.diversion ? { diversion: diversionJson(v.diversion) } : {}
  if (v.reason === 'passed') return { verificationResponse: { verstat: v.verstat, ...diversion, ...richCallDataOf(v) } }
  return {
    verificationResponse: {
      verstat: v.verstat,
      reasoncode: v.sipCode,
      reasontext: v.sipText,
      reasondesc: v.reasondesc,
      ...diversion,
    },
  }
}

/**
 * A passed call's Rich Call Data (RFC 9795; docs/branding.md): `rcd` with the verified name,
 * logo URL and call reason, or `rcdreason`/`rcdreasondesc` saying why it was dropped. Nothing
 * for a call without RCD, whose answer stays exactly ATIS-1000082's.
 */
function richCallDataOf(v: Verdict): object | undefined {
  if (v.rcd) return { rcd: v.rcd }
  if (v.rcdReason) return { rcdreason: v.rcdReason, rcdreasondesc: RCD_REASON_DESC[v.rcdReason] }
  return undefined
}

/** Registers the verification resource in the /stir area. */
export function verificationRoutes(app: App, ctx: AppContext) {
  const vs = ctx.stiVs
  app.post(
    '/v1/verification',
    {
      onRequest: atisPostPreconditions,
      schema: {
        tags: ['stir'],
        security: [{ basic: [] }, { bearer: [] }],
        summary: 'Verify a call (ATIS-1000082 verificationRequest → verificationResponse)',
        description:
          'Outcomes answer 200 with verstat; failures add reasoncode, reasontext and reasondesc (RFC 8224 codes). ' +
          'A forwarded call (RFC 8946) may pass its redirecting numbers as `div.tn`; when the call carries div ' +
          'PASSporTs, `diversion` reports each with its outcome, the hops to the called number first (docs/branding.md). ' +
          'A passed call whose PASSporT carries Rich Call Data (RFC 9795) adds rcd { nam, icn, crn } once the logo ' +
          'matched its rcdi digest, or rcdreason and rcdreasondesc when the RCD was dropped (docs/branding.md); the verstat ' +
          'is the SHAKEN verdict either way.',
      },
    },
    async (req) =>
      verificationAnswer(vs, req.stirAccountSid, parseVerificationRequest(req.body), requestIdOf(req.headers)),
  )
  policyRoutes(app, ctx)
}
