/**
 * A strict reader for the one shape of HTTP/1.1 request the fast lane answers itself (see
 * fast-lane.ts): a request line it names exactly, CRLF-terminated `name: value` fields of
 * printable ASCII, each field at most once, `Host` and `Content-Length` present, no
 * `Transfer-Encoding`, `Expect` or `Upgrade`, and a keep-alive connection. Everything else is
 * "other" and goes to Node's own parser untouched. Being a strict subset of what Node accepts,
 * read the same way, is the safety argument: the two never disagree on where a request ends.
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
    /** Field names lower-cased (as Node's `req.headers`); values without surrounding whitespace. */
    readonly headers: Readonly<Record<string, string>>
    /** Offsets of the body and of the byte after it. */
    readonly bodyStart: number
    readonly end: number
  }

/** Above this a head is not the fast lane's (Node's own limit is 16 KiB). */
export const MAX_HEAD = 8192
const MAX_FIELDS = 64
const REFUSED = new Set(['transfer-encoding', 'expect', 'upgrade'])

// RFC 9110 §5.6.2 tchar.
const TOKEN = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1

const isWs = (b: number) => b === 0x20 || b === 0x09

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
    if (buf[start + l.length] === 0x0d && buf[start + l.length + 1] === 0x0a) { line = i; break }
  }
  if (line < 0) return { kind: 'other' }
  const headers: Record<string, string> = Object.create(null)
  let fields = 0
  let pos = start + lines[line]!.length + 2
  for (;;) {
    const eol = buf.indexOf('\r\n', pos, 'latin1')
    if (eol < 0) return avail >= MAX_HEAD ? { kind: 'other' } : { kind: 'incomplete' }
    if (eol + 2 - start > MAX_HEAD) return { kind: 'other' }
    if (eol === pos) { pos += 2; break }
    // name: one or more tchars, then ':' at once (no whitespace before it, RFC 9112 §5.1).
    let i = pos
    while (i < eol && buf[i]! < 128 && TOKEN[buf[i]!] === 1) i++
    if (i === pos || i === eol || buf[i] !== 0x3a) return { kind: 'other' }
    const name = buf.toString('latin1', pos, i).toLowerCase()
    // value: visible ASCII, space and tab only; no obs-text, controls, bare CR or LF.
    let a = i + 1
    let b = eol
    for (let j = a; j < b; j++) {
      const c = buf[j]!
      if (c !== 0x09 && (c < 0x20 || c > 0x7e)) return { kind: 'other' }
    }
    while (a < b && isWs(buf[a]!)) a++
    while (b > a && isWs(buf[b - 1]!)) b--
    if (name in headers || REFUSED.has(name) || ++fields > MAX_FIELDS) return { kind: 'other' }
    // Node's parser refuses whitespace after a Content-Length (found by the differential test).
    if (b !== eol && name === 'content-length') return { kind: 'other' }
    headers[name] = buf.toString('latin1', a, b)
    pos = eol + 2
  }
  const length = headers['content-length']
  const connection = headers.connection
  if (headers.host === undefined || length === undefined || !/^\d{1,9}$/.test(length)) return { kind: 'other' }
  if (connection !== undefined && connection.toLowerCase() !== 'keep-alive') return { kind: 'other' }
  const size = Number(length)
  if (size > maxBody) return { kind: 'other' }
  return { kind: 'request', line, headers, bodyStart: pos, end: pos + size }
}
