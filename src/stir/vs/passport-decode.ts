/**
 * Strict decoding of a received PASSporT (RFC 8225 §4-5, RFC 8588): the JWS is split into
 * its received base64url parts, the header and the claims are parsed with size limits and
 * checked for type, each failure named by a verification reason. Nothing is re-serialised;
 * the signing input is the received `header.payload` bytes.
 */
import { isUuid, tryCanonicalTn, type Attest } from '../passport/index.js'
import type { Reason } from './reasons.js'

/** The received JWS, split (slices of the received text). */
export interface ReceivedJws {
  readonly header: string
  readonly payload: string
  /** base64url of the signature. */
  readonly signature: string
  /** `header.payload` as received: its ASCII bytes are what the signer signed. */
  readonly signingInput: string
}

/** A decoded PASSporT header with the fields SHAKEN needs, still unchecked for value. */
export interface ReceivedHeader {
  readonly alg: string
  readonly ppt: string
  readonly typ: string
  readonly x5u: string
}

/** SHAKEN claims as received, types checked and TNs canonical. */
export interface ReceivedClaims {
  /** As received (non-strings JSON-encoded); judged by the E19 check, last in the table. */
  readonly attest: string
  readonly orig: string
  readonly dest: readonly string[]
  readonly iat: number
  readonly origid: string
  /** RFC 9795 claims as received, unjudged (rcd-check.ts verifies them once the call passed). */
  readonly rich?: ReceivedRichCallData
}

/** A PASSporT's RFC 9795 claims, raw: present only when the payload carries one of them. */
export interface ReceivedRichCallData {
  readonly rcd?: unknown
  readonly rcdi?: unknown
  readonly crn?: unknown
}

export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: Reason; readonly detail: string }

const fail = <T>(reason: Reason, detail: string): Decoded<T> => ({ ok: false, reason, detail })

/** Caps on decoded JSON: real headers are ~100 bytes and claims ~200. */
const MAX_JSON_BYTES = 4096

/** A full-form JWS: three non-empty base64url parts. */
export const JWS_B64U = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/**
 * Splits `h.p.s` (full form only; `..s` is caught earlier as compact form). `base64url`: the
 * Identity parser already found three non-empty base64url parts, so they are not scanned again.
 */
export function splitReceived(jws: string, base64url = false): Decoded<ReceivedJws> {
  // One scan for the shape every real JWS has; the slow path only names what is wrong.
  if (!base64url && !JWS_B64U.test(jws)) {
    const parts = jws.split('.')
    return parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]
      ? fail('identity_malformed', 'JWS needs three non-empty parts')
      : fail('identity_malformed', 'JWS parts are not base64url')
  }
  const a = jws.indexOf('.')
  const b = jws.indexOf('.', a + 1)
  return {
    ok: true,
    value: {
      header: jws.slice(0, a),
      payload: jws.slice(a + 1, b),
      signature: jws.slice(b + 1),
      signingInput: jws.slice(0, b),
    },
  }
}

const scratch = Buffer.allocUnsafe(MAX_JSON_BYTES + 4)

/** base64url → UTF-8 text, or undefined when too big or not UTF-8. */
function decodeText(part: string): string | undefined {
  if (part.length > (MAX_JSON_BYTES * 4) / 3 + 4) return undefined
  // Decoded into a buffer that every call reuses: the text is all that outlives this line.
  const text = scratch.toString('utf8', 0, scratch.write(part, 'base64url'))
  return text.includes('\uFFFD') ? undefined : text
}

/** base64url → JSON object, or undefined for anything else (array, null, bad UTF-8, too big). */
function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  const text = decodeText(part)
  return text === undefined ? undefined : parseObject(text)
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

// A signer sends the same header bytes on every call (one per x5u), so decoded headers are
// memoised by their base64url text; the bound keeps hostile traffic from growing it.
const headerMemo = new Map<string, Decoded<ReceivedHeader>>()
const HEADER_MEMO_MAX = 1024

/** Decodes the header; E9 when a SHAKEN member is missing (or not a string). */
export function decodeHeader(part: string): Decoded<ReceivedHeader> {
  let d = headerMemo.get(part)
  if (d === undefined) {
    d = decodeHeaderOnce(part)
    if (headerMemo.size >= HEADER_MEMO_MAX) headerMemo.clear()
    if (part.length <= 1024) headerMemo.set(part, d)
  }
  return d
}

function decodeHeaderOnce(part: string): Decoded<ReceivedHeader> {
  const h = decodeJsonObject(part)
  if (!h) return fail('header_malformed', 'header is not a JSON object')
  for (const k of ['alg', 'ppt', 'typ', 'x5u'] as const) {
    if (h[k] === undefined) return fail('header_claim_missing', `header lacks '${k}'`)
    if (typeof h[k] !== 'string') return fail('header_malformed', `header '${k}' is not a string`)
  }
  return { ok: true, value: { alg: h.alg as string, ppt: h.ppt as string, typ: h.typ as string, x5u: h.x5u as string } }
}

function tnOf(v: unknown, maxLength: number): string | undefined {
  return typeof v === 'string' ? tryCanonicalTn(v, maxLength === 15 ? E164 : { maxLength }) : undefined
}
const E164 = Object.freeze({ maxLength: 15 })

const SHAKEN_CLAIMS = ['attest', 'dest', 'iat', 'orig', 'origid'] as const

// What nearly every signer sends: the canonical form (RFC 8225 §9: members sorted, no
// whitespace) with one destination, all ASCII. One anchored scan reads it (JSON.parse was the
// largest cost of a warm verification after the signature); the capture groups admit no quote
// or backslash, so they are exactly the strings JSON.parse would give. Any other form (more
// destinations, extra claims, another order, escapes) takes the general path below.
const CANONICAL_CLAIMS = new RegExp(
  String.raw`^\{"attest":"([ABC])","dest":\{"tn":\["([0-9]{1,32})"\]\},"iat":(0|[1-9][0-9]{0,15}),` +
    String.raw`"orig":\{"tn":"([0-9]{1,32})"\},"origid":"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"\}$`,
)

/** Valid claims in the canonical form, read without JSON.parse; undefined for anything else. */
export function readCanonicalClaims(text: string, maxTnLength: number): ReceivedClaims | undefined {
  const m = CANONICAL_CLAIMS.exec(text)
  if (!m || m[2]!.length > maxTnLength || m[4]!.length > maxTnLength || !Number.isSafeInteger(Number(m[3])))
    return undefined
  return { attest: m[1]!, dest: [m[2]!], iat: Number(m[3]), orig: m[4]!, origid: m[5]! }
}

const DIV_CLAIMS = ['dest', 'div', 'iat', 'orig'] as const

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The claims every PASSporT here carries (orig, dest, iat), typed and canonical; E14 otherwise. */
function originDestination(
  c: Record<string, unknown>,
  keys: readonly string[],
  maxTn: number,
): Decoded<{ orig: string; dest: string[]; iat: number }> {
  for (const k of keys) {
    if (c[k] === undefined) return fail('claims_invalid', `payload lacks '${k}'`)
  }
  const { orig, dest, iat } = c
  if (!isObject(orig)) return fail('claims_invalid', "'orig' is not an object")
  if (!isObject(dest)) return fail('claims_invalid', "'dest' is not an object")
  const o = tnOf(orig.tn, maxTn)
  if (o === undefined) return fail('claims_invalid', "'orig.tn' is not a telephone number string")
  // RFC 8225 §5.2.1: dest.tn is an array even for one number.
  const tns = dest.tn
  if (!Array.isArray(tns) || tns.length === 0 || tns.length > 32)
    return fail('claims_invalid', "'dest.tn' is not a non-empty array")
  const d: string[] = []
  for (const x of tns) {
    const tn = tnOf(x, maxTn)
    if (tn === undefined) return fail('claims_invalid', "'dest.tn' holds a value that is not a telephone number")
    d.push(tn)
  }
  // RFC 8588 errata 6656: iat is a JSON integer, never a quoted string.
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0)
    return fail('claims_invalid', "'iat' is not an integer NumericDate")
  return { ok: true, value: { orig: o, dest: d, iat } }
}

/**
 * Decodes the claims strictly: E14 (`claims_invalid`) for a payload that is not an object or a
 * claim that is missing or of the wrong type. The attest value is returned as received: E19
 * (`attest_invalid`) is its own, later check ({@link isAttest}).
 */
export function decodeClaims(part: string, maxTnLength = 15): Decoded<ReceivedClaims> {
  const text = decodeText(part)
  if (text === undefined) return fail('claims_invalid', 'payload is not a JSON object')
  const canonical = readCanonicalClaims(text, maxTnLength)
  if (canonical) return { ok: true, value: canonical }
  const c = parseObject(text)
  if (!c) return fail('claims_invalid', 'payload is not a JSON object')
  const od = originDestination(c, SHAKEN_CLAIMS, maxTnLength)
  if (!od.ok) return od
  if (!isUuid(c.origid)) return fail('claims_invalid', "'origid' is not a UUID")
  const attest = typeof c.attest === 'string' ? c.attest : JSON.stringify(c.attest)
  const value = { attest, orig: od.value.orig, dest: od.value.dest, iat: od.value.iat, origid: c.origid }
  if (c.rcd === undefined && c.rcdi === undefined && c.crn === undefined) return { ok: true, value }
  return { ok: true, value: { ...value, rich: { rcd: c.rcd, rcdi: c.rcdi, crn: c.crn } } }
}

/** Claims of a div PASSporT (RFC 8946 §3): the call from `orig`, retargeted from `div` to `dest`. */
export interface ReceivedDivClaims {
  readonly orig: string
  readonly dest: readonly string[]
  readonly iat: number
  /** The number that diverted the call (RFC 8946 §3: `div.tn`). */
  readonly div: string
}

/** Decodes div claims as strictly as SHAKEN ones; `claims_invalid` names what is wrong. */
export function decodeDivClaims(part: string, maxTnLength = 15): Decoded<ReceivedDivClaims> {
  const c = decodeJsonObject(part)
  if (!c) return fail('claims_invalid', 'payload is not a JSON object')
  const od = originDestination(c, DIV_CLAIMS, maxTnLength)
  if (!od.ok) return od
  const div = isObject(c.div) ? tnOf(c.div.tn, maxTnLength) : undefined
  if (div === undefined) return fail('claims_invalid', "'div.tn' is not a telephone number string")
  return { ok: true, value: { ...od.value, div } }
}

/** RFC 8588 §4: attest is one of A, B, C. */
export function isAttest(v: string): v is Attest {
  return v === 'A' || v === 'B' || v === 'C'
}
