/**
 * The STI-VS checks, one small named function each, in the order of ATIS-1000074's error
 * table (spec §5, E3…E19). Each reads and fills the per-call context and returns `undefined`
 * (passed) or the reason it failed. The certificate fetch (E8) runs together with the chain
 * check (E17), after every check that needs no network: a call that is stale, mismatched or
 * malformed never makes this verifier fetch anything.
 */
import type { KeyObject } from 'node:crypto'
import type { CertLookup, CertName } from '../x5u/cert-cache.js'
import { MAX_DIVS, verifyDivChain, type DivLink } from './div-chain.js'
import { parseIdentity, type IdentityValue } from './identity-header.js'
import { infoProblem, signatureProblem, tnKey } from './jws-checks.js'
import {
  decodeClaims,
  decodeHeader,
  isAttest,
  splitReceived,
  type ReceivedClaims,
  type ReceivedHeader,
  type ReceivedJws,
} from './passport-decode.js'
import type { Reason } from './reasons.js'

/** What a verification is asked to check. */
export interface VerifyInput {
  /** Identity header instances, one string per header (never split on commas). */
  readonly identity: readonly string[]
  /** Calling number (From / P-Asserted-Identity user part, or the request's `from.tn`). */
  readonly from: string
  /** Called numbers (To / Request-URI user part, or the request's `to.tn`). */
  readonly to: readonly string[]
  /** ATIS-1000082 request `time` (NumericDate); checked for freshness when present (E3). */
  readonly time?: number
  /** The numbers the call was retargeted from (History-Info / Diversion): each div's `div.tn` must be one. */
  readonly redirects?: readonly string[]
}

/** Settings and collaborators of a verifier. */
export interface CheckEnv {
  readonly now: () => Date
  /** ±seconds for `iat` and the request `time` (RFC 8224 §6.2.3 recommends 60). */
  readonly freshnessSec: number
  /** TN options every check passes on: the longest telephone number accepted. */
  readonly tn: { readonly maxLength: number }
  /** Refuse Identity headers with more parameters than this (French MAN rule: 4); 0 = no limit. */
  readonly maxIdentityParams: number
  /** The x5u cache: `peek` answers a warm URL without a promise (optional for test doubles). */
  readonly certs: { get(url: string): Promise<CertLookup>; peek?(url: string): CertLookup | undefined }
}

/** Per-call state the checks fill in as they pass. */
export interface CallState {
  readonly input: VerifyInput
  /** The clock when the verification started (ms): one reading serves every check. */
  readonly nowMs: number
  identity?: IdentityValue
  jws?: ReceivedJws
  header?: ReceivedHeader
  claims?: ReceivedClaims
  key?: KeyObject
  spc?: string
  /** The signer's certificate (issuer, serial), once fetched and parsed. */
  cert?: CertName
  cache?: 'hit' | 'miss'
  detail?: string
  /** The call's `ppt=div` Identity headers (RFC 8946), parsed (at most MAX_DIVS). */
  divs?: IdentityValue[]
  /** How many div headers came beyond MAX_DIVS (reported, not verified). */
  divsDropped?: number
  /** Set when `dest` differs from the called number and div headers may link them (the `diversion` check). */
  diverted?: boolean
  /** Every presented div PASSporT and its outcome, the chain's hops first (div-chain.ts). */
  diversion?: readonly DivLink[]
}

/** A check: its stable name (shown by the CLI and in logs) and its function. */
export interface Check {
  readonly name: string
  run(s: CallState, env: CheckEnv): Reason | undefined | Promise<Reason | undefined>
}

const fail = (s: CallState, reason: Reason, detail: string): Reason => {
  s.detail = detail
  return reason
}
const nowSec = (s: CallState) => Math.floor(s.nowMs / 1000)

/** E3: the request's own time must be fresh. */
const requestTime: Check = {
  name: 'request_time',
  run: (s, env) =>
    s.input.time === undefined || Math.abs(nowSec(s) - s.input.time) <= env.freshnessSec
      ? undefined
      : fail(s, 'request_stale', `time ${s.input.time} vs now ${nowSec(s)}`),
}

/** Picks the `ppt=shaken` header among several (shaken + div, RFC 8946); E4/E5. */
const identity: Check = {
  name: 'identity',
  run(s) {
    if (s.input.identity.length === 0) return fail(s, 'identity_missing', 'no Identity header')
    let firstFailure: Reason | undefined
    let other: IdentityValue | undefined
    for (const raw of s.input.identity) {
      const p = parseIdentity(raw)
      if (!p.ok) {
        firstFailure ??= p.reason
        continue
      }
      const ppt = p.value.ppt
      if (ppt === 'div') {
        if ((s.divs ??= []).length < MAX_DIVS) s.divs.push(p.value)
        else s.divsDropped = (s.divsDropped ?? 0) + 1
      } else if (s.identity === undefined && (ppt === undefined || ppt === 'shaken')) s.identity = p.value
      other ??= p.value
    }
    if (s.identity) return undefined
    if (other) return fail(s, 'identity_ppt_unsupported', `ppt=${other.ppt}`)
    return fail(s, firstFailure ?? 'identity_malformed', 'no parsable Identity header')
  },
}

/** E6/E7 plus RFC 8224 parameter rules (`alg` param, parameter count). */
const info: Check = {
  name: 'info',
  run(s, env) {
    const id = s.identity!
    if (env.maxIdentityParams > 0 && id.params.length > env.maxIdentityParams)
      return fail(s, 'identity_malformed', `${id.params.length} parameters`)
    if (id.info === undefined || id.info === '') return fail(s, 'info_missing', 'no info parameter')
    const bad = infoProblem(id.info)
    if (bad) return fail(s, 'info_malformed', bad)
    if (id.alg !== undefined && id.alg !== 'ES256') return fail(s, 'alg_unsupported', `alg param ${id.alg}`)
    return undefined
  },
}

/** E9: the PASSporT header parses and names alg, ppt, typ and x5u. */
const header: Check = {
  name: 'passport_header',
  run(s) {
    const j = splitReceived(s.identity!.jws, s.identity!.base64url)
    if (!j.ok) return fail(s, j.reason, j.detail)
    s.jws = j.value
    const h = decodeHeader(j.value.header)
    if (!h.ok) return fail(s, h.reason, h.detail)
    s.header = h.value
    return undefined
  },
}

/** E10: `x5u` must equal the Identity `info` URI (ATIS-1000074 §5.3.1). */
const x5uInfo: Check = {
  name: 'x5u_equals_info',
  run: (s) =>
    s.header!.x5u === s.identity!.info ? undefined : fail(s, 'x5u_info_mismatch', `x5u ${s.header!.x5u.slice(0, 200)}`),
}

/** E11: typ must be passport (RFC 8225 §4.1). */
const typ: Check = {
  name: 'typ',
  run: (s) =>
    s.header!.typ === 'passport' ? undefined : fail(s, 'typ_unsupported', `typ ${s.header!.typ.slice(0, 40)}`),
}

/** E12: only ES256 (RFC 8588 §3); `none` and HS256 never reach a key. */
const alg: Check = {
  name: 'alg',
  run: (s) => (s.header!.alg === 'ES256' ? undefined : fail(s, 'alg_unsupported', `alg ${s.header!.alg.slice(0, 40)}`)),
}

/** E13: header ppt must be shaken, and equal the Identity `ppt` parameter when sent. */
const ppt: Check = {
  name: 'ppt',
  run(s) {
    if (s.header!.ppt !== 'shaken') return fail(s, 'ppt_unsupported', `ppt ${s.header!.ppt.slice(0, 40)}`)
    return undefined
  },
}

/** E14: claims decode strictly; E19 (attest) is judged last, as the table orders it. */
const claims: Check = {
  name: 'claims',
  run(s, env) {
    const c = decodeClaims(s.jws!.payload, env.tn.maxLength)
    if (!c.ok) return fail(s, c.reason, c.detail)
    s.claims = c.value
    return undefined
  },
}

/** E15: iat within ±freshness of now, past or future (RFC 8224 §6.2.3). */
const iatFresh: Check = {
  name: 'iat_freshness',
  run(s, env) {
    const skew = nowSec(s) - s.claims!.iat
    return Math.abs(skew) <= env.freshnessSec
      ? undefined
      : fail(s, 'iat_stale', `iat is ${skew} s ${skew > 0 ? 'old' : 'in the future'}`)
  },
}

/** E16: orig/dest equal From/To in canonical TN form (RFC 8224 §8.3; see tnKey). */
const origDest: Check = {
  name: 'orig_dest',
  run(s, env) {
    const c = s.claims!
    const from = tnKey(s.input.from, env)
    if (from === undefined || from !== tnKey(c.orig, env))
      return fail(s, 'orig_mismatch', `orig ${c.orig} vs from ${String(s.input.from).slice(0, 40)}`)
    if (calledIn(s, env, c.dest)) return undefined
    // Retargeted on the way (RFC 8946): the diversion check, once this PASSporT is verified, looks for the link.
    if (s.divs?.length) {
      s.diverted = true
      return undefined
    }
    return fail(s, 'dest_mismatch', `dest ${c.dest.join(',')} vs to ${s.input.to.join(',').slice(0, 80)}`)
  },
}

/** E8 + E17: fetch the x5u (cached), chain to an anchor, CRL, profile. */
const certificate: Check = {
  name: 'certificate',
  run(s, env) {
    const r = env.certs.peek?.(s.header!.x5u)
    return r ? certified(s, r) : env.certs.get(s.header!.x5u).then((l) => certified(s, l))
  },
}

function certified(s: CallState, r: CertLookup): Reason | undefined {
  s.cache = r.cache
  s.spc = r.spc
  s.cert = r.cert
  if (!r.ok) return fail(s, r.reason, r.detail)
  s.key = r.key
  return undefined
}

/** E18: ES256 over the received `header.payload` bytes, raw r‖s (RFC 7518 §3.4). */
const signature: Check = {
  name: 'signature',
  run(s) {
    const problem = signatureProblem(s.jws!, s.key!)
    return problem ? fail(s, 'signature_invalid', problem) : undefined
  },
}

/** True when one of the called numbers is in `tns` (compared as {@link tnKey}s). */
function calledIn(s: CallState, env: CheckEnv, tns: readonly string[]): boolean {
  for (const t of s.input.to) {
    const to = tnKey(t, env)
    if (to === undefined) continue
    for (const tn of tns) if (tnKey(tn, env) === to) return true
  }
  return false
}

/**
 * RFC 8946: every div PASSporT presented is verified and reported, and when `dest` is not the
 * called number a chain of verified ones must link them (div-chain.ts). No chain:
 * `dest_mismatch`, as without divs; a link that fails: `div_invalid` / `div_signature_invalid`.
 */
const diversion: Check = {
  name: 'diversion',
  run: (s, env) => (s.divs?.length || s.divsDropped ? divChain(s, env) : undefined),
}

async function divChain(s: CallState, env: CheckEnv): Promise<Reason | undefined> {
  const c = s.claims!
  const chain = await verifyDivChain(
    {
      divs: s.divs ?? [],
      dropped: s.divsDropped ?? 0,
      original: c,
      diverted: s.diverted === true,
      to: s.input.to,
      redirects: s.input.redirects,
      nowSec: nowSec(s),
    },
    env,
  )
  s.diversion = chain.links
  return chain.failure ? fail(s, chain.failure.reason, chain.failure.detail) : undefined
}

/** E19: attest must be A, B or C (RFC 8588 §4). */
const attest: Check = {
  name: 'attest',
  run: (s) =>
    isAttest(s.claims!.attest) ? undefined : fail(s, 'attest_invalid', `attest ${s.claims!.attest.slice(0, 20)}`),
}

/** The pipeline, in order. */
export const CHECKS: readonly Check[] = Object.freeze([
  requestTime,
  identity,
  info,
  header,
  x5uInfo,
  typ,
  alg,
  ppt,
  claims,
  iatFresh,
  origDest,
  certificate,
  signature,
  attest,
  diversion,
])
