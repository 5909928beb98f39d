/**
 * Strict decoding of a received PASSporT (RFC 8225 §4-5, RFC 8588): the JWS is split into
 * its received base64url parts, the header and the claims are parsed with size limits and
 * checked for type, each failure named by a verification reason. Nothing is re-serialised;
 * the signing input is the received `header.payload` bytes.
 */
import { isUuid, tryCanonicalTn, type Attest } from '../passport/index.js'
import type { Reason } from './reasons.js'

/** The received JWS, split. */
export interface ReceivedJws {
  readonly header: string
  readonly payload: string
  readonly signature: Buffer
  /** ASCII bytes of `header.payload` as received: what the signer signed. */
  readonly signingInput: Buffer
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
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: Reason; readonly detail: string }

const fail = <T>(reason: Reason, detail: string): Decoded<T> => ({ ok: false, reason, detail })

/** Caps on decoded JSON: real headers are ~100 bytes and claims ~200. */
const MAX_JSON_BYTES = 4096

const B64U = /^[A-Za-z0-9_-]+$/

/** Splits `h.p.s` (full form only; `..s` is caught earlier as compact form). */
export function splitReceived(jws: string): Decoded<ReceivedJws> {
  const parts = jws.split('.')
  if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) return fail('identity_malformed', 'JWS needs three non-empty parts')
  if (!B64U.test(parts[0]) || !B64U.test(parts[1]) || !B64U.test(parts[2])) return fail('identity_malformed', 'JWS parts are not base64url')
  return {
    ok: true,
    value: {
      header: parts[0], payload: parts[1],
      signature: Buffer.from(parts[2], 'base64url'),
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
    },
  }
}

/** base64url → JSON object, or undefined for anything else (array, null, bad UTF-8, too big). */
export function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  if (part.length > (MAX_JSON_BYTES * 4) / 3 + 4) return undefined
  const text = Buffer.from(part, 'base64url').toString('utf8')
  if (text.includes('\uFFFD')) return undefined
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
  return typeof v === 'string' ? tryCanonicalTn(v, { maxLength }) : undefined
}

function claimsShape(c: Record<string, unknown>, maxTn: number): Decoded<Omit<ReceivedClaims, 'attest'>> {
  const orig = c.orig as Record<string, unknown> | undefined
  const dest = c.dest as Record<string, unknown> | undefined
  if (orig === null || typeof orig !== 'object' || Array.isArray(orig)) return fail('claims_invalid', "'orig' is not an object")
  if (dest === null || typeof dest !== 'object' || Array.isArray(dest)) return fail('claims_invalid', "'dest' is not an object")
  const o = tnOf(orig.tn, maxTn)
  if (o === undefined) return fail('claims_invalid', "'orig.tn' is not a telephone number string")
  // RFC 8225 §5.2.1: dest.tn is an array even for one number.
  if (!Array.isArray(dest.tn) || dest.tn.length === 0 || dest.tn.length > 32) return fail('claims_invalid', "'dest.tn' is not a non-empty array")
  const d = dest.tn.map((x) => tnOf(x, maxTn))
  if (d.some((x) => x === undefined)) return fail('claims_invalid', "'dest.tn' holds a value that is not a telephone number")
  // RFC 8588 errata 6656: iat is a JSON integer, never a quoted string.
  if (typeof c.iat !== 'number' || !Number.isSafeInteger(c.iat) || c.iat < 0) return fail('claims_invalid', "'iat' is not an integer NumericDate")
  if (!isUuid(c.origid)) return fail('claims_invalid', "'origid' is not a UUID")
  return { ok: true, value: { orig: o, dest: d as string[], iat: c.iat, origid: c.origid } }
}

/**
 * Decodes the claims strictly: E14 (`claims_invalid`) for a payload that is not an object or a
 * claim that is missing or of the wrong type. The attest value is returned as received: E19
 * (`attest_invalid`) is its own, later check ({@link isAttest}).
 */
export function decodeClaims(part: string, maxTnLength = 15): Decoded<ReceivedClaims> {
  const c = decodeJsonObject(part)
  if (!c) return fail('claims_invalid', 'payload is not a JSON object')
  for (const k of ['attest', 'dest', 'iat', 'orig', 'origid']) {
    if (c[k] === undefined) return fail('claims_invalid', `payload lacks '${k}'`)
  }
  const shape = claimsShape(c, maxTnLength)
  if (!shape.ok) return shape
  const attest = typeof c.attest === 'string' ? c.attest : JSON.stringify(c.attest)
  return { ok: true, value: { ...shape.value, attest } }
}

/** RFC 8588 §4: attest is one of A, B, C. */
export function isAttest(v: string): v is Attest {
  return v === 'A' || v === 'B' || v === 'C'
}
