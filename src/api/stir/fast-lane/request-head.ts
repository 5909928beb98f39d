/**
 * A strict reader for the one shape of HTTP/1.1 request the fast lane answers itself (see
 * fast-lane.ts): a request line it names exactly, CRLF-terminated `name: value` fields of
 * printable ASCII, each field at most once, `Host` and `Content-Length` present, no
 * `Transfer-Encoding`, `Expect`, `Upgrade` or `Proxy-Connection`, and a keep-alive connection
 * (Host, Content-Length, Connection and those four are all the fields llhttp and Node's server
 * act on: llhttp reads `Proxy-Connection` as `Connection`; a request's `Keep-Alive` changes
 * nothing in either). Everything else is "other" and goes to Node's own parser untouched.
 * Being a strict subset of what Node accepts, read the same way, is the safety argument: the
 * two never disagree on where a request ends.
 */

/** Where a request starts in the buffer, and what the reader made of it. */
export type RequestHead =
  /** More bytes are needed to decide. */
  | { readonly kind: 'incomplete' }
  /** Not in the subset: leave it to Node's parser. */
  | { readonly kind: 'other' }
  | {
      readonly kind: 'request'
      /** Index into `lines` of the request line matched. */
      readonly line: number
      /**
       * Field names lower-cased (as Node's `req.headers`); values without surrounding whitespace.
       * A Map, not an object: an object's keys would be interned, which cost a third of the read.
       */
      readonly headers: ReadonlyMap<string, string>
      /** Offsets of the body and of the byte after it. */
      readonly bodyStart: number
      readonly end: number
    }

/** Above this a head is not the fast lane's (Node's own limit is 16 KiB). */
export const MAX_HEAD = 8192
const MAX_FIELDS = 64
const REFUSED = new Set(['transfer-encoding', 'expect', 'upgrade', 'proxy-connection'])

// RFC 9110 §5.6.2 tchar.
const TOKEN = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN[c.charCodeAt(0)] = 1

const isWs = (b: number) => b === 0x20 || b === 0x09
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1')

/**
 * Names the lane's routes and the reader itself look up, as constants: a field with one of these
 * names is keyed by the constant (no new string, and lookups compare by identity), any other by
 * its own text lower-cased.
 */
const KNOWN_NAMES = [
  'host',
  'content-length',
  'content-type',
  'authorization',
  'x-account-sid',
  'x-requestid',
  'connection',
  'user-agent',
  'accept',
  'accept-encoding',
  'transfer-encoding',
  'expect',
  'upgrade',
  'proxy-connection',
]
const KNOWN_BY_LENGTH: string[][] = []
for (const n of KNOWN_NAMES) (KNOWN_BY_LENGTH[n.length] ??= []).push(n)

/** The field name text[from, to) lower-cased: a known name's constant, or a new string. */
function fieldName(text: string, from: number, to: number): string {
  known: for (const k of KNOWN_BY_LENGTH[to - from] ?? []) {
    for (let i = 0; i < k.length; i++) {
      const c = text.charCodeAt(from + i)
      // ASCII letters only differ by 0x20 in case; tchars that are not letters compare as they are.
      if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== k.charCodeAt(i)) continue known
    }
    return k
  }
  return text.slice(from, to).toLowerCase()
}

/**
 * V8 makes a slice this long or longer a view into its parent string; a Map lookup keyed by a
 * view compares it character by character through the parent (about 75 ns each), so values
 * that long are copied out of the buffer instead (one call into Node, about 45 ns).
 */
const SLICE_MIN = 13

/**
 * Reads the request starting at `start` of `buf`. `lines` are the accepted request lines
 * ("POST /path HTTP/1.1", no CRLF), as latin1 buffers; `maxBody` bounds Content-Length.
 */
export function readRequestHead(buf: Buffer, start: number, lines: readonly Buffer[], maxBody: number): RequestHead {
  const avail = buf.length - start
  let line = -1
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    const n = Math.min(avail, l.length)
    if (buf.compare(l, 0, n, start, start + n) !== 0) continue
    if (avail < l.length + 2) return { kind: 'incomplete' }
    if (buf[start + l.length] === 0x0d && buf[start + l.length + 1] === 0x0a) {
      line = i
      break
    }
  }
  if (line < 0) return { kind: 'other' }
  // The fields, found and decoded at once: one call into Node per request, not two per field.
  const fieldsStart = start + lines[line]!.length + 2
  const blank = buf.indexOf(CRLFCRLF, fieldsStart - 2)
  if (blank < 0 || blank + 4 - start > MAX_HEAD)
    return avail >= MAX_HEAD || blank >= 0 ? { kind: 'other' } : { kind: 'incomplete' }
  const text = blank + 2 > fieldsStart ? buf.toString('latin1', fieldsStart, blank + 2) : ''
  const headers = new Map<string, string>()
  let fields = 0
  for (let pos = 0; pos < text.length; ) {
    const eol = text.indexOf('\r\n', pos)
    // name: one or more tchars, then ':' at once (no whitespace before it, RFC 9112 §5.1).
    let i = pos
    for (let c = text.charCodeAt(i); c < 128 && TOKEN[c] === 1; c = text.charCodeAt(++i));
    if (i === pos || text.charCodeAt(i) !== 0x3a) return { kind: 'other' }
    // value: visible ASCII, space and tab only; no obs-text, controls, bare CR or LF.
    let a = i + 1
    let b = eol
    for (let j = a; j < b; j++) {
      const c = text.charCodeAt(j)
      if (c !== 0x09 && (c < 0x20 || c > 0x7e)) return { kind: 'other' }
    }
    while (a < b && isWs(text.charCodeAt(a))) a++
    while (b > a && isWs(text.charCodeAt(b - 1))) b--
    const name = fieldName(text, pos, i)
    if (headers.has(name) || REFUSED.has(name) || ++fields > MAX_FIELDS) return { kind: 'other' }
    // Node's parser refuses whitespace after a Content-Length (found by the differential test).
    if (b !== eol && name === 'content-length') return { kind: 'other' }
    headers.set(name, b - a < SLICE_MIN ? text.slice(a, b) : buf.toString('latin1', fieldsStart + a, fieldsStart + b))
    pos = eol + 2
  }
  const length = headers.get('content-length')
  const connection = headers.get('connection')
  if (!headers.has('host') || length === undefined || !/^\d{1,9}$/.test(length)) return { kind: 'other' }
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return { kind: 'other' }
  const size = Number(length)
  if (size > maxBody) return { kind: 'other' }
  return { kind: 'request', line, headers, bodyStart: blank + 4, end: blank + 4 + size }
}
