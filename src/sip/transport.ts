/**
 * A SIP front on UDP and TCP (RFC 3261 §18), with the npm `sip` package (kirm/sip.js) kept
 * behind this file: only its message parser and serializer are used, the sockets are ours, so
 * garbage datagrams and truncated TCP streams are dropped without ever reaching the handler or
 * crashing the process. The front is stateless (a redirect server answers each INVITE,
 * retransmissions included, with the same final response; RFC 3261 §8.2.7 allows it), so the
 * signing front (5060) and the verification front (5070) share it: `startSipFront({port, host, handler})`.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import type { Logger } from 'pino'
import * as sip from 'sip'
import { AppError } from '../domain/errors.js'
import { transientStoreError } from '../store/db.js'

/** A parsed SIP message (request or response), header names lower-case. */
export type SipMessage = sip.RawSipMessage

export interface SipRemote {
  readonly protocol: 'UDP' | 'TCP'
  readonly address: string
  readonly port: number
}

/** Answers a request with a response, or nothing (ACK, garbage). */
type SipHandler = (request: SipMessage, remote: SipRemote) => Promise<SipMessage | undefined> | SipMessage | undefined

export interface SipFrontOptions {
  /** UDP and TCP port; 0 picks a free one (both protocols get the same). */
  readonly port: number
  /** Listen address: an IPv4 or IPv6 literal (0.0.0.0 or :: for every interface) or a host name. */
  readonly host: string
  readonly handler: SipHandler
  readonly log?: Logger
  /** Largest message accepted (bytes); bigger datagrams and streams are dropped. */
  readonly maxMessageBytes?: number
  /** Open TCP connections at most (default 4096); more are closed at once, so a flood cannot take every descriptor. */
  readonly maxTcpConnections?: number
  /** Called with each response's status and the milliseconds since its request was parsed. */
  readonly responded?: (status: number, ms: number) => void
}

export interface SipFront {
  readonly port: number
  close(): Promise<void>
}

/** Parses one datagram; undefined when it is not a SIP request we can answer. */
export function parseSip(data: Buffer | string): SipMessage | undefined {
  try {
    const m = sip.parse(data)
    return m && answerable(m) ? m : undefined
  } catch {
    return undefined
  }
}

/** Whether a datagram is an ACK request: its first bytes are the method (RFC 3261 §7.1). */
const isAck = (data: Buffer) =>
  data.length > 4 && data[0] === 0x41 && data[1] === 0x43 && data[2] === 0x4b && data[3] === 0x20

/**
 * A request carries enough to address a response: a method, Via, Call-ID and CSeq (RFC 3261
 * §8.1.1), and its head is clean text.
 */
function answerable(m: SipMessage): boolean {
  const h = m.headers
  return (
    typeof m.method === 'string' &&
    Array.isArray(h?.via) &&
    h.via.length > 0 &&
    typeof h['call-id'] === 'string' &&
    typeof h.cseq === 'object' &&
    h.cseq !== null &&
    Number.isInteger(h.cseq.seq) &&
    cleanHead(m)
  )
}

// Control characters, a CR not starting a fold (CRLF then SP/HTAB, RFC 3261 §7.3.1), a bare LF.
const DIRTY = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n[ \t])|(?<!\r)\n/

/**
 * True when no text of the head holds a control character or a line break outside a fold.
 * The parser splits lines at CRLF only, so a bare CR or LF stays inside a value, and a
 * response echoes Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2): such a request is
 * dropped as garbage rather than let it add lines to our answer.
 */
function cleanHead(m: SipMessage): boolean {
  const clean = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return !DIRTY.test(v)
    if (v === null || typeof v !== 'object') return true
    if (depth > 4) return false
    for (const k in v) if (DIRTY.test(k) || !clean((v as Record<string, unknown>)[k], depth + 1)) return false
    return true
  }
  return clean(m.method, 0) && clean(m.uri, 0) && clean(m.version, 0) && clean(m.headers, 0)
}

/** A response to `rq` (copies Via, From, To, Call-ID, CSeq per RFC 3261 §8.2.6.2). */
export function sipResponse(
  rq: SipMessage,
  status: number,
  reason: string,
  headers: Record<string, unknown> = {},
): SipMessage {
  const r = sip.makeResponse(rq, status, reason, { headers })
  // A final response carries a To tag (RFC 3261 §8.2.6.2); keep the caller's if there is one.
  if (status > 100 && r.headers.to && typeof r.headers.to === 'object') {
    r.headers.to = { ...r.headers.to, params: { tag: Math.random().toString(36).slice(2, 10), ...r.headers.to.params } }
  }
  r.headers['content-length'] = 0
  return r
}

export const stringifySip = (m: SipMessage): string => sip.stringify(m)
export const parseSipUri = (s: string) => {
  try {
    return sip.parseUri(s)
  } catch {
    return undefined
  }
}

/** Starts the front; resolves when both sockets listen. */
export async function startSipFront(o: SipFrontOptions): Promise<SipFront> {
  const host = o.host
  const max = o.maxMessageBytes ?? 16384
  const answer = async (m: SipMessage, remote: SipRemote, send: (s: string) => void) => {
    const t0 = performance.now()
    try {
      const r = await o.handler(m, remote)
      if (r) {
        send(stringifySip(r))
        if (r.status) o.responded?.(r.status, performance.now() - t0)
      }
    } catch (err) {
      // A store that cannot confirm the facts (or is busy) is 503: the SBC retries or fails over.
      const unavailable = (err instanceof AppError ? err : transientStoreError(err))?.status === 503
      if (!unavailable) o.log?.error({ err, remote }, 'sip handler failed')
      const status = unavailable ? 503 : 500
      try {
        send(stringifySip(sipResponse(m, status, unavailable ? 'Service Unavailable' : 'Server Internal Error')))
        o.responded?.(status, performance.now() - t0)
      } catch {
        /* nothing to answer */
      }
    }
  }
  const listen = async (wanted: number) => {
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4')
    udp.on('error', (err) => o.log?.warn({ err }, 'sip udp error'))
    udp.on('message', (data, rinfo) => {
      // An ACK (of our final response) is absorbed whatever it says: no need to parse it.
      if (data.length > max || isAck(data)) return
      const m = parseSip(data)
      if (!m) return
      const remote: SipRemote = { protocol: 'UDP', address: rinfo.address, port: rinfo.port }
      void answer(m, remote, (s) => udp.send(Buffer.from(s, 'binary'), rinfo.port, rinfo.address))
    })
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(wanted, host, () => {
        udp.off('error', reject)
        resolve()
      })
    })
    const port = udp.address().port
    const tcp = net.createServer((sock) => serveStream(sock, max, answer, o.log))
    tcp.maxConnections = o.maxTcpConnections ?? 4096
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen(port, host, () => {
          tcp.off('error', reject)
          resolve()
        })
      })
    } catch (err) {
      udp.close()
      throw err
    }
    return { udp, tcp, port }
  }
  // Port 0: the kernel picks a free UDP port, which TCP may already use (say, as an outgoing
  // connection's local port); then another pick.
  let bound: Awaited<ReturnType<typeof listen>> | undefined
  for (let attempt = 1; !bound; attempt++) {
    try {
      bound = await listen(o.port)
    } catch (err) {
      if (o.port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 8) throw err
    }
  }
  const { udp, tcp, port } = bound
  const conns = new Set<net.Socket>()
  tcp.on('connection', (s) => {
    conns.add(s)
    s.on('close', () => conns.delete(s))
  })
  return {
    port,
    close: async () => {
      for (const s of conns) s.destroy()
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ])
    },
  }
}

type Answer = (m: SipMessage, remote: SipRemote, send: (s: string) => void) => Promise<void>

/** One TCP connection: framed by Content-Length (RFC 3261 §18.3); a flood or parse failure closes it. */
function serveStream(sock: net.Socket, max: number, answer: Answer, log?: Logger) {
  const remote: SipRemote = { protocol: 'TCP', address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 }
  sock.setEncoding('binary')
  sock.setTimeout(60_000, () => sock.destroy())
  sock.on('error', (err) => log?.debug({ err, remote }, 'sip tcp error'))
  const send = (s: string) => {
    if (!sock.destroyed) sock.write(Buffer.from(s, 'binary'))
  }
  let completed = false
  // Bytes received since a message last completed.
  let waiting = 0
  const feed = sip.makeStreamParser(
    (m) => {
      completed = true
      if (m && answerable(m)) void answer(m, remote, send)
    },
    () => sock.destroy(),
    max,
    max,
  )
  sock.on('data', (chunk: string) => {
    completed = false
    try {
      feed(chunk)
    } catch {
      return void sock.destroy()
    }
    waiting = completed ? 0 : waiting + chunk.length
    // The parser waits for Content-Length bytes, and without end when that is not a number
    // (`Content-Length: abc`): no message needs more than its head and body limits.
    if (waiting > 2 * max) sock.destroy()
  })
}
