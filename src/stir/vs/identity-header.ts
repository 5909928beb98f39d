/**
 * Parser for received SIP Identity header values (RFC 8224 §4.1):
 * `Identity: <signed-identity-digest> ;info=<absoluteURI> *(;ident-param)`.
 *
 * Each header instance is parsed on its own: a call may carry a `ppt=shaken` and several
 * `ppt=div` headers (RFC 8946), and commas are legal inside a quoted parameter, so instances
 * are never split on commas. The JWS is kept as the received bytes: the signature is checked
 * over exactly those (RFC 8225 §9 lets the signer's JSON be anything; we never re-serialise).
 */
import { JWS_B64U } from './passport-decode.js'

/** One parsed Identity header instance. */
export interface IdentityValue {
  /** The signed-identity-digest exactly as received. */
  readonly jws: string
  /** True when the digest's three parts are strictly base64url (splitReceived need not scan it again). */
  readonly base64url: boolean
  /** The `info` URI without its angle brackets; undefined when absent. */
  readonly info?: string
  readonly alg?: string
  readonly ppt?: string
  /** All parameters, lower-cased names, in order. */
  readonly params: readonly (readonly [string, string])[]
}

export type IdentityParse =
  | { readonly ok: true; readonly value: IdentityValue }
  | { readonly ok: false; readonly reason: 'identity_malformed' | 'compact_form' }

/** Longest Identity value accepted (real ones are ~800 bytes; a cap keeps fuzzed input cheap). */
export const MAX_IDENTITY_LENGTH = 16 * 1024

// base64url, plus the `+` `/` `=` of RFC 8224's base64-char rule that some stacks send; one
// linear character-class scan (no backtracking), the two dots counted separately. Real
// digests pass the strict form, in one scan that also tells the decoder it need not look again.
const JWS_CHARS = /^[A-Za-z0-9_\-+/=.]+$/
/** 'base64url' (three non-empty base64url parts), 'loose' (RFC 8224 base64 characters too), or undefined. */
const jwsShape = (s: string): 'base64url' | 'loose' | undefined => {
  if (JWS_B64U.test(s)) return 'base64url'
  const a = s.indexOf('.')
  const b = a < 0 ? -1 : s.indexOf('.', a + 1)
  // Three non-empty parts, as the strict form: an empty header or payload is no digest at all.
  return a > 0 && b > a + 1 && s.indexOf('.', b + 1) < 0 && b < s.length - 1 && JWS_CHARS.test(s) ? 'loose' : undefined
}
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/

/** Splits `;`-separated parameters, honouring `<…>` and quoted strings (slices of `s`, as received). */
function splitParams(s: string): string[] | undefined {
  const out: string[] = []
  let start = 0
  let angle = false
  let quote = false
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quote) {
      if (ch === '\\')
        i++ // an escaped character, whatever it is
      else if (ch === '"') quote = false
    } else if (ch === '"') quote = true
    else if (ch === '<') angle = true
    else if (ch === '>') angle = false
    else if (ch === ';' && !angle) {
      out.push(s.slice(start, i))
      start = i + 1
    }
  }
  if (quote || angle) return undefined
  out.push(s.slice(start))
  return out
}

function parseParam(raw: string): readonly [string, string] | undefined {
  const eq = raw.indexOf('=')
  const name = (eq < 0 ? raw : raw.slice(0, eq)).trim().toLowerCase()
  let value = eq < 0 ? '' : raw.slice(eq + 1).trim()
  if (!TOKEN.test(name)) return undefined
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
    value = value.slice(1, -1).replace(/\\(.)/g, '$1')
  return [name, value]
}

/** The parameters of an Identity value, parsed (undefined: malformed). */
interface Params {
  readonly info?: string
  readonly alg?: string
  readonly ppt?: string
  readonly params: readonly (readonly [string, string])[]
}

function parseParams(text: string): Params | undefined {
  const parts = splitParams(text)
  if (!parts) return undefined
  const params: (readonly [string, string])[] = []
  for (const p of parts) {
    if (p.trim() === '') continue
    const kv = parseParam(p)
    // A repeated info/alg/ppt is ambiguous (which one did the signer mean?): refuse it.
    if (!kv || (SINGLE.has(kv[0]) && params.some(([k]) => k === kv[0]))) return undefined
    params.push(kv)
  }
  let info = paramOf(params, 'info')
  if (info !== undefined) {
    const m = /^<([^<>]*)>$/.exec(info)
    // RFC 8224 requires the angle brackets; a bare URI is tolerated as most peers do.
    info = m ? m[1]! : info
  }
  return Object.freeze({
    info,
    alg: paramOf(params, 'alg'),
    ppt: paramOf(params, 'ppt'),
    params: Object.freeze(params),
  })
}
const SINGLE = new Set(['info', 'alg', 'ppt'])

// A signer sends the same parameters (`;info=<x5u>;alg=ES256;ppt=shaken`) on every call, so
// their parse is memoised by text; the bounds keep hostile traffic from growing it.
const paramsMemo = new Map<string, Params | null>()
const PARAMS_MEMO_MAX = 1024

function paramsOf(text: string): Params | undefined {
  let p = paramsMemo.get(text)
  if (p === undefined) {
    p = parseParams(text) ?? null
    if (paramsMemo.size >= PARAMS_MEMO_MAX) paramsMemo.clear()
    if (text.length <= 2048) paramsMemo.set(text, p)
  }
  return p ?? undefined
}

/**
 * Parses one Identity header value. `compact_form` for `..sig` (E4), `identity_malformed`
 * for anything that is not a digest followed by parameters.
 */
export function parseIdentity(raw: unknown): IdentityParse {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_IDENTITY_LENGTH)
    return { ok: false, reason: 'identity_malformed' }
  // The digest holds no ';', so only the parameters need the quote-aware scan.
  const text = raw.trim()
  const semi = text.indexOf(';')
  const params = paramsOf(semi < 0 ? '' : text.slice(semi + 1))
  if (!params) return { ok: false, reason: 'identity_malformed' }
  const jws = (semi < 0 ? text : text.slice(0, semi)).trim()
  if (/^\.\.[^.]+$/.test(jws)) return { ok: false, reason: 'compact_form' }
  const shape = jwsShape(jws)
  if (!shape) return { ok: false, reason: 'identity_malformed' }
  return {
    ok: true,
    value: {
      jws,
      base64url: shape === 'base64url',
      info: params.info,
      alg: params.alg,
      ppt: params.ppt,
      params: params.params,
    },
  }
}

function paramOf(params: readonly (readonly [string, string])[], name: string): string | undefined {
  for (const [k, v] of params) if (k === name) return v
  return undefined
}

/**
 * Splits a raw `Identity:` text that may hold several header instances joined by a SIP stack
 * into one line. A new instance starts only after a comma that is followed by a JWS-shaped
 * token and is outside `<…>` and quotes, so commas inside parameters never split.
 */
export function splitIdentityInstances(raw: string): string[] {
  const out: string[] = []
  let cur = ''
  let angle = false
  let quote = false
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!
    if (quote) {
      if (ch === '"') quote = false
    } else if (ch === '"') quote = true
    else if (ch === '<') angle = true
    else if (ch === '>') angle = false
    else if (ch === ',' && !angle && /^\s*[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*\./.test(raw.slice(i + 1, i + 2000))) {
      out.push(cur.trim())
      cur = ''
      continue
    }
    cur += ch
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}
