/**
 * The diversion chain of a call (RFC 8946): every `ppt=div` PASSporT presented with the call is
 * verified on its own — header, `orig` equal to the original PASSporT's, fresh `iat` not
 * before the original's, x5u equal to info, a trusted certificate, its signature, and `div.tn`
 * among the call's redirecting numbers when the caller passed them (SIP History-Info /
 * Diversion) — then the verified ones are chained from the original PASSporT's `dest` to the
 * called number. Each div is reported with its outcome, whether or not the call needed it; the
 * call fails on its diversions only when its `dest` is not the called number and no verified
 * chain links them.
 */
import type { CertLookup } from '../x5u/cert-cache.js'
import type { IdentityValue } from './identity-header.js'
import { infoProblem, signatureProblem, tnKey } from './jws-checks.js'
import { decodeDivClaims, decodeHeader, splitReceived, type ReceivedDivClaims } from './passport-decode.js'
import type { Reason } from './reasons.js'

/** Most div headers a call may carry (the French rules allow 5; a loop or a flood gets no further). */
export const MAX_DIVS = 8

/**
 * How much earlier than the original PASSporT a div's `iat` may be: the two are signed by
 * different carriers, whose clocks differ by a little; more than this is a div of another call.
 */
const ORIGINAL_SKEW_SEC = 5

/**
 * What became of one presented div PASSporT. `verified`: it verified and is a hop of the chain
 * from the original `dest` to the called number (of a broken chain: a hop before the break);
 * `unlinked`: it verified but is on no such chain; the rest name why it was not used.
 */
export const DIV_STATUSES = [
  'verified',
  'unlinked',
  'unreadable', // not a JWS, header or claims not decodable
  'malformed', // ppt/typ/alg wrong, or x5u not an http(s) URL equal to info
  'orig_mismatch', // orig is not the original PASSporT's
  'stale', // iat outside the freshness window
  'before_original', // signed more than 5 s before the original PASSporT's iat
  'cert_failed', // x5u fetch, chain, revocation or profile
  'signature_invalid',
  'redirect_mismatch', // div.tn is none of the redirecting numbers the request named
  'loop', // verified, but retargets to a number the chain already visited
  'duplicate', // the same div PASSporT presented twice
  'over_cap', // div headers beyond MAX_DIVS, not verified
] as const
type DivStatus = (typeof DIV_STATUSES)[number]

/** One presented div PASSporT and its outcome: the call retargeted from `from` to `to`. */
export interface DivLink {
  /** `div.tn` (null when the claims could not be read). */
  readonly from: string | null
  /** `dest.tn` (empty when the claims could not be read). */
  readonly to: readonly string[]
  /** The signer's SPC, once its certificate was fetched. */
  readonly spc?: string
  readonly status: DivStatus
  /** Why, for any status but `verified`. */
  readonly detail?: string
}

/** What the chain is judged from. */
export interface DivChainInput {
  /** The call's `ppt=div` Identity headers, parsed (at most MAX_DIVS). */
  readonly divs: readonly IdentityValue[]
  /** How many more div headers the call carried beyond MAX_DIVS. */
  readonly dropped: number
  /** The original (SHAKEN) PASSporT's claims, verified. */
  readonly original: { readonly orig: string; readonly dest: readonly string[]; readonly iat: number }
  /** True when the original `dest` is not the called number: the chain must link them. */
  readonly diverted: boolean
  readonly to: readonly string[]
  /** The call's redirecting numbers (History-Info / Diversion, or the request's `div.tn`). */
  readonly redirects?: readonly string[]
  readonly nowSec: number
}

/** The verifier's settings the chain uses. */
export interface DivChainEnv {
  readonly freshnessSec: number
  readonly tn: { readonly maxLength: number }
  readonly certs: { get(url: string): Promise<CertLookup>; peek?(url: string): CertLookup | undefined }
}

/** The chain's report, and the call's failure when its diversions cannot take it to the called number. */
export interface DivChain {
  readonly links: readonly DivLink[]
  readonly failure?: { readonly reason: Reason; readonly detail: string }
}

/** One presented div as it is judged. */
interface Judged {
  readonly claims?: ReceivedDivClaims
  status: DivStatus | 'ok'
  detail?: string
  spc?: string
}

/** Verifies every div and builds the chain (see the module comment). */
export async function verifyDivChain(c: DivChainInput, env: DivChainEnv): Promise<DivChain> {
  const seen = new Set<string>()
  const judged = await Promise.all(
    c.divs.map((id) => {
      if (seen.has(id.jws)) return { ...decoded(id, env), status: 'duplicate' as const, detail: 'presented twice' }
      seen.add(id.jws)
      return judge(id, c, env).catch((e: Error): Judged => ({ status: 'unreadable', detail: e.message }))
    }),
  )
  const key = (tn: string) => tnKey(tn, env) ?? tn
  const visited = new Set(c.original.dest.map(key))
  // Diverted: the chain must reach a called number. Otherwise the call already reached one, and
  // the chain, if any, leads to another (SIP: To is the original number, the Request-URI the new one).
  const targets = new Set(c.to.map(key).filter((t) => c.diverted || !visited.has(t)))
  const path: number[] = []
  let failure: DivChain['failure']
  let reach = c.original.dest
  const arrived = () => reach.some((t) => targets.has(key(t)))
  // Diverted with no called number to reach (none readable): the chain is followed and fails.
  while (c.diverted ? !arrived() : targets.size > 0 && !arrived()) {
    const here = new Set(reach.map(key))
    const candidates = judged.flatMap((j, i) =>
      j.claims && j.status !== 'duplicate' && !path.includes(i) && here.has(key(j.claims.div)) ? [i] : [],
    )
    const next = candidates.find(
      (i) => judged[i]!.status === 'ok' && !judged[i]!.claims!.dest.some((t) => visited.has(key(t))),
    )
    if (next !== undefined) {
      path.push(next)
      for (const t of judged[next]!.claims!.dest) visited.add(key(t))
      reach = judged[next]!.claims!.dest
      continue
    }
    if (c.diverted)
      failure = brokenLink(
        candidates.map((i) => judged[i]!),
        c,
        reach,
      )
    // Not needed for the call: a chain that leads nowhere is only reported, its divs unlinked.
    else {
      path.length = 0
      visited.clear()
      for (const t of c.original.dest) visited.add(key(t))
    }
    break
  }
  return { links: report(judged, path, (tn) => visited.has(key(tn)), c.dropped), failure }
}

/** Why the chain stops at `reach`: the first div that would have linked it, or none. */
function brokenLink(candidates: readonly Judged[], c: DivChainInput, reach: readonly string[]): DivChain['failure'] {
  const first = candidates[0]
  if (first) {
    const why = first.status === 'ok' ? 'loop' : first.status
    if (why === 'loop') first.status = 'loop'
    const detail = `div from ${first.claims!.div}: ${why}${first.detail ? ` (${first.detail})` : ''}`
    return { reason: why === 'signature_invalid' ? 'div_signature_invalid' : 'div_invalid', detail }
  }
  if (c.dropped > 0)
    return {
      reason: 'div_invalid',
      detail: `no verified div links ${reach.join(',')}: the chain is longer than ${MAX_DIVS}`,
    }
  return {
    reason: 'dest_mismatch',
    detail: `dest ${c.original.dest.join(',')} vs to ${c.to.join(',').slice(0, 80)}; no div PASSporT links them${reach === c.original.dest ? '' : ` past ${reach.join(',')}`}`,
  }
}

/** The links in chain order, then the others in header order; the ones verified but unused say why. */
function report(
  judged: readonly Judged[],
  path: readonly number[],
  visited: (tn: string) => boolean,
  dropped: number,
): DivLink[] {
  const link = (j: Judged, status: DivStatus, detail?: string): DivLink => ({
    from: j.claims?.div ?? null,
    to: j.claims?.dest ?? [],
    ...(j.spc === undefined ? {} : { spc: j.spc }),
    status,
    ...(detail === undefined ? {} : { detail }),
  })
  const out = path.map((i) => link(judged[i]!, 'verified'))
  judged.forEach((j, i) => {
    if (path.includes(i)) return
    if (j.status !== 'ok') return out.push(link(j, j.status, j.detail))
    const loops = visited(j.claims!.div) && j.claims!.dest.some(visited)
    out.push(
      loops
        ? link(j, 'loop', 'retargets to a number the chain already visited')
        : link(j, 'unlinked', 'not on the path from the original dest to the called number'),
    )
  })
  if (dropped > 0)
    out.push({
      from: null,
      to: [],
      status: 'over_cap',
      detail: `${dropped} div header(s) beyond ${MAX_DIVS} not verified`,
    })
  return out
}

/** The claims of a div, when they decode (for a duplicate's report). */
function decoded(id: IdentityValue, env: DivChainEnv): { claims?: ReceivedDivClaims } {
  const j = splitReceived(id.jws, id.base64url)
  const cl = j.ok ? decodeDivClaims(j.value.payload, env.tn.maxLength) : undefined
  return cl?.ok ? { claims: cl.value } : {}
}

/** Verifies one div PASSporT on its own: 'ok', or the first thing wrong with it. */
async function judge(id: IdentityValue, c: DivChainInput, env: DivChainEnv): Promise<Judged> {
  const j = splitReceived(id.jws, id.base64url)
  if (!j.ok) return { status: 'unreadable', detail: j.detail }
  const cl = decodeDivClaims(j.value.payload, env.tn.maxLength)
  if (!cl.ok) return { status: 'unreadable', detail: cl.detail }
  const claims = cl.value
  const bad = (status: DivStatus, detail: string, spc?: string): Judged => ({ claims, status, detail, spc })
  const h = decodeHeader(j.value.header)
  if (!h.ok) return bad('unreadable', h.detail)
  const hd = h.value
  if (hd.ppt !== 'div') return bad('malformed', `header ppt ${hd.ppt.slice(0, 40)}`)
  if (hd.typ !== 'passport' || hd.alg !== 'ES256')
    return bad('malformed', `typ ${hd.typ.slice(0, 40)}, alg ${hd.alg.slice(0, 40)}`)
  if (id.alg !== undefined && id.alg !== 'ES256') return bad('malformed', `alg param ${id.alg.slice(0, 40)}`)
  if (!id.info || infoProblem(id.info) || hd.x5u !== id.info)
    return bad('malformed', 'x5u must be an http(s) URL equal to info')
  if (claims.orig !== c.original.orig)
    return bad('orig_mismatch', `orig ${claims.orig} is not the call's ${c.original.orig}`)
  const skew = c.nowSec - claims.iat
  if (Math.abs(skew) > env.freshnessSec) return bad('stale', `iat is ${skew} s ${skew > 0 ? 'old' : 'in the future'}`)
  // A diversion happens after the call was placed: a div older than the original is not of this call.
  if (claims.iat < c.original.iat - ORIGINAL_SKEW_SEC)
    return bad('before_original', `iat ${claims.iat} is before the original PASSporT's ${c.original.iat}`)
  const cert = env.certs.peek?.(hd.x5u) ?? (await env.certs.get(hd.x5u))
  if (!cert.ok) return bad('cert_failed', `${cert.reason} (${cert.detail})`, cert.spc)
  const sig = signatureProblem(j.value, cert.key)
  if (sig) return bad('signature_invalid', sig, cert.spc)
  if (c.redirects?.length && !c.redirects.some((r) => tnKey(r, env) === tnKey(claims.div, env)))
    return bad(
      'redirect_mismatch',
      `div.tn ${claims.div} is none of the redirecting numbers ${c.redirects.join(',').slice(0, 80)}`,
      cert.spc,
    )
  return { claims, status: 'ok', spc: cert.spc }
}
