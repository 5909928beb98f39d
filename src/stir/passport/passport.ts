/**
 * SHAKEN PASSporT (RFC 8225 + RFC 8588): build the header and claims, encode the signing
 * input as canonical JSON (RFC 8225 §9), sign ES256 with raw r‖s (RFC 7518 §3.4; es256.ts).
 * This is the STI-AS hot path: the base64url header is computed once per x5u, the payload is
 * assembled from validated parts, and no JOSE library is involved.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { errors } from '../../domain/errors.js'
import { systemClock } from '../../domain/time.js'
import { canonicalJson } from './canonical-json.js'
import { es256Sign } from './es256.js'
import { canonicalTn, type TnOptions } from './tn.js'

/** RFC 8588 §4 attestation levels. */
export type Attest = 'A' | 'B' | 'C'
const ATTEST_LEVELS: readonly Attest[] = Object.freeze(['A', 'B', 'C'])

/** PASSporT header (RFC 8225 §4, RFC 8588 §3); members in canonical order. */
interface PassportHeader {
  readonly alg: 'ES256'
  readonly ppt: string
  readonly typ: 'passport'
  readonly x5u: string
}

/** RFC 9795 §5.1 `rcd`: the display name and, when a logo was approved, its URL; members in canonical order. */
interface RcdClaim {
  readonly icn?: string
  readonly nam: string
}

/**
 * SHAKEN claims (RFC 8588 §4-§5), TNs already canonical; members in canonical order. A branded
 * call adds RFC 9795's `crn` (call reason), `rcd` and `rcdi` (JSON pointer → digest of the
 * content a URL in `rcd` references).
 */
export interface ShakenClaims {
  readonly attest: Attest
  readonly crn?: string
  readonly dest: { readonly tn: readonly string[] }
  readonly iat: number
  readonly orig: { readonly tn: string }
  readonly origid: string
  readonly rcd?: RcdClaim
  readonly rcdi?: Readonly<Record<string, string>>
}

/** What a caller gives to sign a call: TNs in any common notation, one or more destinations. */
export interface ShakenInput {
  readonly attest: Attest
  readonly orig: string
  readonly dest: string | readonly string[]
  /** NumericDate seconds; defaults to the `now` option. */
  readonly iat?: number
  readonly origid: string
}

/** The signing key and the URL of its certificate (see `ctx.signer`). */
export interface PassportKey {
  readonly key: KeyObject
  readonly x5u: string
}

const TN_CHARS = /^[0-9]+$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** True when `s` has the RFC 4122 textual UUID shape `origid` requires (RFC 8588 §4). */
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID.test(s)
}

// An account signs every call with the same origid: the UUID pattern runs once per origid,
// not per call (bounded, for callers that pass a new one each time).
const checkedOrigids = new Set<string>()
function isCheckedOrigid(s: string): boolean {
  if (checkedOrigids.has(s)) return true
  if (!isUuid(s)) return false
  if (checkedOrigids.size >= 10_000) checkedOrigids.clear()
  checkedOrigids.add(s)
  return true
}

/** The SHAKEN header for a certificate URL. */
function passportHeader(x5u: string, ppt = 'shaken'): PassportHeader {
  return { alg: 'ES256', ppt, typ: 'passport', x5u }
}

const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64url')
// The payload's bytes only live until they are base64url-encoded: one buffer serves every call.
let scratch = Buffer.allocUnsafe(1024)
function asciiB64u(s: string): string {
  if (s.length > scratch.length) scratch = Buffer.allocUnsafe(2 * s.length)
  return scratch.toString('base64url', 0, scratch.write(s, 0, 'latin1'))
}

// A signer uses one or two x5u at a time (two during a rotation); the bound only guards
// against a caller that passes a new URL per call.
const headerCache = new Map<string, string>()
const HEADER_CACHE_MAX = 64

/** base64url of the canonical header, cached per (ppt, x5u). */
export function encodeHeader(x5u: string, ppt = 'shaken'): string {
  if (x5u === lastHeader.x5u && ppt === lastHeader.ppt) return lastHeader.h
  const k = ppt + '\n' + x5u
  let h = headerCache.get(k)
  if (h === undefined) {
    if (headerCache.size >= HEADER_CACHE_MAX) headerCache.clear()
    h = b64u(canonicalJson(passportHeader(x5u, ppt) as unknown as Record<string, string>))
    headerCache.set(k, h)
  }
  lastHeader = { x5u, ppt, h }
  return h
}
let lastHeader = { x5u: '', ppt: '', h: '' }

/**
 * Validates and canonicalizes the caller's claims. Throws the catalogue's invalid-parameter
 * errors naming the claim (attest, orig, dest, iat, origid).
 */
export function shakenClaims(input: ShakenInput, opts: TnOptions & { readonly now?: () => Date } = {}): ShakenClaims {
  if (!ATTEST_LEVELS.includes(input.attest)) throw errors.invalid('attest', 'must be A, B or C')
  const destList = typeof input.dest === 'string' ? [input.dest] : input.dest
  if (!Array.isArray(destList) || destList.length === 0)
    throw errors.invalid('dest', 'needs at least one telephone number')
  const iat = input.iat ?? Math.floor((opts.now ?? systemClock)().getTime() / 1000)
  // RFC 8588 errata 6656: iat is a JSON integer, never a string.
  if (!Number.isSafeInteger(iat) || iat < 0)
    throw errors.invalid('iat', 'must be a non-negative integer (NumericDate seconds)')
  if (!isUuid(input.origid)) throw errors.invalid('origid', 'must be a UUID (RFC 4122)')
  return {
    attest: input.attest,
    dest: { tn: Object.freeze(destList.map((d) => canonicalTn(d, { ...opts, param: 'dest' }))) },
    iat,
    orig: { tn: canonicalTn(input.orig, { ...opts, param: 'orig' }) },
    origid: input.origid,
  }
}

/** The parts SHAKEN and div claims share: a NumericDate and digit-only TNs (nothing can break out of a string). */
function isCanonicalCall(c: Pick<ShakenClaims, 'iat' | 'orig' | 'dest'>): boolean {
  return (
    Number.isSafeInteger(c.iat) &&
    c.iat >= 0 &&
    TN_CHARS.test(c.orig.tn) &&
    c.dest.tn.length > 0 &&
    c.dest.tn.every((t) => TN_CHARS.test(t))
  )
}

/**
 * Canonical payload JSON for validated claims. Every SHAKEN part is digits, a UUID or A/B/C,
 * so string concatenation in canonical member order equals `canonicalJson(claims)` (tested);
 * the RFC 9795 texts (`crn`, `nam`, `icn`, digests) go through JSON.stringify, as canonicalJson
 * writes strings.
 */
export function payloadJson(c: ShakenClaims): string {
  // Hand-built claims skip shakenClaims(); check the parts so nothing can break out of a string.
  if (!ATTEST_LEVELS.includes(c.attest) || !isCheckedOrigid(c.origid) || !isCanonicalCall(c)) {
    throw errors.invalid('passport', 'claims are not canonical SHAKEN claims (use shakenClaims())')
  }
  const shaken = `"dest":{"tn":["${c.dest.tn.join('","')}"]},"iat":${c.iat},"orig":{"tn":"${c.orig.tn}"},"origid":"${c.origid}"`
  if (c.crn === undefined && c.rcd === undefined && c.rcdi === undefined) return `{"attest":"${c.attest}",${shaken}}`
  return `{"attest":"${c.attest}",${c.crn !== undefined ? `"crn":${JSON.stringify(c.crn)},` : ''}${shaken}${richCallDataJson(c)}}`
}

/**
 * `,"rcd":{…},"rcdi":{…}` in canonical order, or '' (RFC 9795 §5–6). A branded number signs
 * the same `rcd` object on every call (signing-service.ts keeps one per grant), so its JSON is
 * kept with it.
 */
function richCallDataJson(c: ShakenClaims): string {
  if (c.rcd === undefined) return c.rcdi !== undefined ? `,"rcdi":${canonicalJson(c.rcdi)}` : ''
  const held = rcdJsonOf.get(c.rcd)
  if (held !== undefined && held.rcdi === c.rcdi) return held.json
  if (typeof c.rcd.nam !== 'string') throw errors.invalid('passport', "rcd needs a 'nam' string")
  let json = `,"rcd":{${c.rcd.icn !== undefined ? `"icn":${JSON.stringify(c.rcd.icn)},` : ''}"nam":${JSON.stringify(c.rcd.nam)}}`
  if (c.rcdi !== undefined) json += `,"rcdi":${canonicalJson(c.rcdi)}`
  rcdJsonOf.set(c.rcd, { rcdi: c.rcdi, json })
  return json
}
const rcdJsonOf = new WeakMap<RcdClaim, { readonly rcdi: ShakenClaims['rcdi']; readonly json: string }>()

/** The payload's base64url: one byte per character for the all-ASCII SHAKEN claims, UTF-8 once RCD text may not be. */
function payloadB64u(c: ShakenClaims): string {
  const json = payloadJson(c)
  return c.crn === undefined && c.rcd === undefined && c.rcdi === undefined ? asciiB64u(json) : b64u(json)
}

/**
 * Claims of a div PASSporT (RFC 8946 §3; ATIS-1000085 for SHAKEN): the call from `orig` was
 * retargeted by `div` (the number that diverted it) to `dest`. TNs canonical; no `attest` or
 * `origid`. Members in canonical order.
 */
export interface DivClaims {
  readonly dest: { readonly tn: readonly string[] }
  readonly div: { readonly tn: string }
  readonly iat: number
  readonly orig: { readonly tn: string }
}

/** Canonical payload JSON for div claims, every part checked (digits and an integer only). */
export function divPayloadJson(c: DivClaims): string {
  if (!isCanonicalCall(c) || !TN_CHARS.test(c.div.tn)) {
    throw errors.invalid('passport', 'claims are not canonical div claims')
  }
  return `{"dest":{"tn":["${c.dest.tn.join('","')}"]},"div":{"tn":"${c.div.tn}"},"iat":${c.iat},"orig":{"tn":"${c.orig.tn}"}}`
}

/** Signs a div PASSporT (header `ppt:"div"`), full form. */
export function signDivPassport(signer: PassportKey, claims: DivClaims): string {
  const input = encodeHeader(signer.x5u, 'div') + '.' + asciiB64u(divPayloadJson(claims))
  return input + '.' + es256Sign(input, signer.key)
}

/** `B64U(header) "." B64U(payload)`: the bytes ES256 signs (RFC 7515 §5.1). */
export function signingInput(x5u: string, claims: ShakenClaims, ppt = 'shaken'): string {
  return encodeHeader(x5u, ppt) + '.' + payloadB64u(claims)
}

/**
 * Signs a SHAKEN PASSporT and returns its full-form compact JWS (`header.payload.signature`;
 * SHAKEN forbids the `..sig` compact form, ATIS-1000074 §5.3.3). `claims` may be validated
 * {@link ShakenClaims} or a raw {@link ShakenInput} (validated here).
 */
export function signPassport(
  signer: PassportKey,
  claims: ShakenClaims | ShakenInput,
  opts: TnOptions & { readonly now?: () => Date } = {},
): string {
  const c = isValidated(claims) ? claims : shakenClaims(claims, opts)
  const input = signingInput(signer.x5u, c)
  return input + '.' + es256Sign(input, signer.key)
}

function isValidated(c: ShakenClaims | ShakenInput): c is ShakenClaims {
  return typeof c.dest === 'object' && !Array.isArray(c.dest) && typeof c.orig === 'object'
}

/** The three parts of a compact JWS, kept as the received bytes (never re-serialized). */
export interface JwsParts {
  readonly header: string
  readonly payload: string
  readonly signature: string
  readonly signingInput: string
}

/** Splits `h.p.s`; undefined when it does not have exactly three base64url parts. */
export function splitJws(jws: string): JwsParts | undefined {
  const m = /^([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/.exec(jws)
  if (!m) return undefined
  return { header: m[1]!, payload: m[2]!, signature: m[3]!, signingInput: `${m[1]}.${m[2]}` }
}

/**
 * Why an ES256 signature's base64url text is not the one encoding of 64 bytes, or undefined
 * when it is: 86 characters, the last carrying no bits past the 64th byte (RFC 4648 §3.5). A
 * decoder ignores those bits, so without this check four texts would verify for one signature.
 */
export function es256SignatureTextProblem(signature: string): string | undefined {
  if (signature.length !== 86) return `signature is ${Buffer.from(signature, 'base64url').length} bytes`
  if (!'AQgw'.includes(signature[85]!))
    return 'signature is not canonical base64url (its last character carries bits past the 64 bytes)'
  return undefined
}

/** Verifies an ES256 JWS signature over the received bytes with a public key. */
export function verifyJwsSignature(jws: string, publicKey: KeyObject): boolean {
  const p = splitJws(jws)
  if (!p || es256SignatureTextProblem(p.signature)) return false
  const sig = Buffer.from(p.signature, 'base64url')
  return cryptoVerify('sha256', Buffer.from(p.signingInput, 'utf8'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
}
