/**
 * A raw HTTP/1.1 client over node:net, for tests that choose every byte sent and must see every
 * byte back and how the server ends the connection: responses are framed as a client would
 * (Content-Length, chunked, or up to the close), interim 1xx ones included.
 */
import net from 'node:net'

interface RawResponse {
  /** Status line and fields, without the blank line. */
  readonly head: string
  readonly status: number
  /** The Connection field, lower-cased, if any. */
  readonly connection: string | undefined
  readonly body: string
}

const field = (head: string, name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r]*)`, 'i').exec(head)?.[1]

/** The decoded chunked body starting at `at`, and where it ends; undefined while incomplete. */
function chunked(raw: string, at: number): { readonly body: string; readonly end: number } | undefined {
  let body = ''
  for (;;) {
    const eol = raw.indexOf('\r\n', at)
    if (eol < 0) return undefined
    const size = parseInt(raw.slice(at, eol), 16)
    if (Number.isNaN(size)) return { body, end: raw.length }
    if (size === 0) {
      const end = raw.indexOf('\r\n\r\n', eol)
      return end < 0 ? undefined : { body, end: end + 4 }
    }
    if (raw.length < eol + 2 + size + 2) return undefined
    body += raw.slice(eol + 2, eol + 2 + size)
    at = eol + 2 + size + 2
  }
}

/** The responses in `raw` (latin1), in order; one without a length ends at the end of `raw`. */
function readResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = []
  let at = 0
  while (at < raw.length) {
    const blank = raw.indexOf('\r\n\r\n', at)
    if (blank < 0) break
    const head = raw.slice(at, blank)
    const status = Number(head.slice(9, 12))
    const length = field(head, 'content-length')
    let body = ''
    let end = blank + 4
    if (status >= 200 && status !== 204 && status !== 304) {
      if (length !== undefined) {
        end += Number(length)
        if (end > raw.length) break
        body = raw.slice(blank + 4, end)
      } else if (/chunked/i.test(field(head, 'transfer-encoding') ?? '')) {
        const c = chunked(raw, blank + 4)
        if (c === undefined) break
        body = c.body
        end = c.end
      } else {
        body = raw.slice(blank + 4)
        end = raw.length
      }
    }
    out.push({ head, status, connection: field(head, 'connection')?.toLowerCase(), body })
    at = end
  }
  return out
}

export interface Delivery {
  /** The bytes, written in this order. */
  readonly writes: readonly string[]
  /** Between two writes: wait for one more final answer (a client that waits for each), else `gapMs`. */
  readonly lockstep?: boolean
  readonly gapMs?: number
  /** Half-close (FIN) after the last write. */
  readonly fin?: boolean
  /** The final answers expected, one per request. */
  readonly requests: number
  /**
   * Sent once the expected answers are in, unless the client ended the connection: answered,
   * it tells that the server kept the connection open (even past an answer that said close),
   * with no wait for a timeout; a server that closed it resets the probe.
   */
  readonly probe?: string
  /** Read nothing until this settles (a slow reader). */
  readonly readAfter?: Promise<unknown>
}

export interface Conversation {
  readonly raw: string
  readonly responses: RawResponse[]
  /** The server closed (or reset) the connection. */
  readonly ended: boolean
}

/** Without a byte for this long while the client waits, the server is taken to wait too. */
const QUIET_MS = 500

/** One connection to 127.0.0.1:`port` that sends `d.writes` as `d` says and reads until the server ends it or has nothing more to say. */
export function converse(port: number, d: Delivery): Promise<Conversation> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1')
    if (d.readAfter !== undefined) c.pause()
    let raw = ''
    let expected = d.requests
    let sent = false
    let probed = false
    let done = false
    let quiet: NodeJS.Timeout | undefined
    let answered = () => undefined as void
    const finals = () => readResponses(raw).filter((r) => r.status >= 200)
    const finish = (ended: boolean) => {
      if (done) return
      done = true
      clearTimeout(quiet)
      c.destroy()
      resolve({ raw, responses: readResponses(raw), ended })
    }
    const arm = () => {
      clearTimeout(quiet)
      quiet = setTimeout(() => finish(false), QUIET_MS)
    }
    const check = () => {
      answered()
      if (!sent || done) return
      const rs = finals()
      if (rs.length < expected) return
      // Ended by the client: the server's close is what remains to see.
      if (d.fin || d.probe === undefined) return
      if (probed) return finish(false)
      probed = true
      expected++
      c.write(d.probe)
    }
    c.on('data', (b: Buffer) => {
      raw += b.toString('latin1')
      if (sent) arm()
      check()
    })
    // A reset is an end too; 'close' follows.
    c.on('error', () => undefined)
    c.on('close', () => finish(true))
    c.on('connect', async () => {
      for (let i = 0; i < d.writes.length && !done; i++) {
        c.write(d.writes[i]!)
        if (i === d.writes.length - 1) break
        if (d.lockstep) {
          await new Promise<void>((next) => {
            const t = setTimeout(next, QUIET_MS)
            answered = () => {
              if (done || finals().length > i) {
                clearTimeout(t)
                answered = () => undefined
                next()
              }
            }
            answered()
          })
        } else {
          await new Promise((next) => setTimeout(next, d.gapMs ?? 1))
        }
      }
      if (d.fin && !done) c.end()
      if (d.readAfter !== undefined) {
        await d.readAfter
        c.resume()
      }
      sent = true
      arm()
      check()
    })
  })
}
