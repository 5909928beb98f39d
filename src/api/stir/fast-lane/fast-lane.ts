/**
 * The fast lane: a per-connection front of Node's HTTP server that answers the per-call
 * routes (STI-AS signing, STI-VS verification) itself. Through Node's `http` and Fastify, a
 * signing call spends more on request and response objects, hooks and stream plumbing than on
 * its signature; read straight off the socket it costs a fifth less CPU in all
 * (docs/scaling.md).
 *
 * Each new connection starts here. A request in the strict subset request-head.ts reads, on a
 * route given here, goes to that route's `answer`; anything else — another route, a request
 * split across reads, an odd header, or a route declining it — hands the connection, with
 * every byte not yet answered, to Node's own connection listener for good, so Fastify serves
 * it as if the lane were not there. Routes decline before any side effect, which keeps error
 * handling, logging and counting in one place: the Fastify routes.
 *
 * The end of the stream is read as Node's server reads it: after the client's FIN the lane
 * answers the requests it holds whole, hands anything else to Node's parser with the end, and
 * ends the connection once nothing is left. While the server sets `maxRequestsPerSocket`, a
 * count Node keeps per connection where the lane cannot add to it, connections are Node's alone.
 */
import { STATUS_CODES, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { MAX_HEAD, readRequestHead } from './request-head.js'
import { epochMs } from '../../../domain/time.js'

export interface FastRequest {
  /** Lower-cased names, as Node's `req.headers` (each field appears once). */
  readonly headers: ReadonlyMap<string, string>
  readonly body: Buffer
  readonly remoteAddress: string | undefined
  /** `performance.now()` when the request was read. */
  readonly arrived: number
}

interface FastResponse {
  readonly status: number
  /** Besides content-length and the connection fields, which the lane writes. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface FastRoute {
  readonly method: 'POST'
  readonly path: string
  readonly maxBody: number
  /** The response, or undefined to leave the request to Node's server (before any side effect). */
  answer(req: FastRequest): Promise<FastResponse | undefined>
}

export interface FastLane {
  /** Connections the lane holds now. */
  readonly connections: number
  /** For the server's close: drops idle connections, ends busy ones after their response. */
  close(): void
}

/** The Date field, built once a second as Node does. */
let dateSecond = -1
let dateText = ''
function httpDate(): string {
  const s = Math.floor(epochMs() / 1000)
  if (s !== dateSecond) {
    dateSecond = s
    dateText = new Date(s * 1000).toUTCString()
  }
  return dateText
}

const NOT_FIELD_VALUE = /[^\t\x20-\x7e]/

/** The response as one string, and whether it is ASCII (then written as latin1, one byte per character, not encoded as UTF-8). */
function format(
  res: FastResponse,
  keepAlive: string,
  close: boolean,
): { readonly text: string; readonly ascii: boolean } {
  let head = `HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? 'Unknown'}\r\n`
  for (const k in res.headers) {
    const v = res.headers[k]!
    // Values echoed from a request passed request-head.ts; this guards the rest (a line break would split the response).
    if (NOT_FIELD_VALUE.test(v))
      throw new Error(`header ${k} holds a line break or a character outside printable ASCII`)
    head += `${k}: ${v}\r\n`
  }
  const length = Buffer.byteLength(res.body)
  head += `content-length: ${length}\r\nDate: ${httpDate()}\r\n${close ? 'Connection: close\r\n' : keepAlive}\r\n`
  // A UTF-8 length equal to the character count: every character is ASCII (field values are, see above).
  return { text: head + res.body, ascii: length === res.body.length }
}

/** The Connection and Keep-Alive fields for an idle timeout, built once per setting. */
let keepAliveMs = -1
let keepAliveText = ''
function keepAliveField(ms: number): string {
  if (ms !== keepAliveMs) {
    keepAliveMs = ms
    keepAliveText = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(ms / 1000)}\r\n`
  }
  return keepAliveText
}

type Listener = (...args: unknown[]) => void

export interface FastLaneOptions {
  /** Hears errors thrown by a route or the formatter; the connection is then dropped. */
  readonly failed: (err: unknown) => void
  /** Hears each request answered and each connection handed to Node's server. */
  readonly counted?: (outcome: 'answered' | 'handed_off') => void
}

/** Puts the lane in front of `server`'s connection listener (Node's own, the only one: anything else there is refused). */
export function installFastLane(server: Server, routes: readonly FastRoute[], opts: FastLaneOptions): FastLane {
  const counted = opts.counted ?? (() => undefined)
  const listeners = server.listeners('connection')
  if (listeners.length !== 1)
    throw new Error(`the fast lane expects Node's own connection listener alone, found ${listeners.length}`)
  const node = listeners[0] as (socket: Socket) => void
  const lines = routes.map((r) => Buffer.from(`${r.method} ${r.path} HTTP/1.1`, 'latin1'))
  const maxBody = Math.max(...routes.map((r) => r.maxBody))
  const open = new Set<{ readonly socket: Socket; readonly idle: () => boolean }>()
  let closing = false

  const front = (socket: Socket) => {
    if (closing || (server.maxRequestsPerSocket ?? 0) > 0) return node.call(server, socket)
    let buf: Buffer | undefined
    let busy = false
    let held = false
    // The stream emitted its end (the client's FIN): nothing more will come, and nothing can be unshifted.
    let ended = false
    // The socket's idle timeout as last set: set again only when the server's setting changes.
    let timeout = server.headersTimeout
    const remoteAddress = socket.remoteAddress
    const conn = { socket, idle: () => !busy }
    open.add(conn)

    const onData = (chunk: Buffer) => {
      buf = buf === undefined ? chunk : Buffer.concat([buf, chunk])
      if (!busy) void serve()
      // Pipelined requests wait in `buf`; past one request's worth, stop reading until answered.
      else if (buf.length > MAX_HEAD + maxBody && !held) {
        held = true
        socket.pause()
      }
    }
    // Node's rules for idle connections: headersTimeout before a first request, keepAliveTimeout after one.
    const onTimeout = () => {
      if (!busy) socket.destroy()
    }
    // Node's server ends the socket at the FIN (allowHalfOpen keeps it open otherwise); a busy lane does once it has answered.
    const onEnd = () => {
      ended = true
      if (!busy) socket.end()
    }
    const onGone = () => {
      open.delete(conn)
    }
    socket.on('data', onData)
    socket.on('end', onEnd)
    socket.on('timeout', onTimeout)
    socket.on('error', onGone)
    socket.on('close', onGone)
    socket.setTimeout(timeout)

    function handOff(): void {
      counted('handed_off')
      open.delete(conn)
      socket.off('data', onData).off('end', onEnd).off('timeout', onTimeout).off('error', onGone).off('close', onGone)
      socket.setTimeout(0)
      socket.pause()
      const dataListeners = socket.listenerCount('data')
      const endListeners = socket.listenerCount('end')
      node.call(server, socket)
      const nodeData = socket.listeners('data').slice(dataListeners) as Listener[]
      const nodeEnd = socket.listeners('end').slice(endListeners) as Listener[]
      // Node's server ends the socket at the end of the stream, dropping the answers still
      // pending. Alone, it reads the EOF on a later turn of the event loop than the bytes before
      // it, so calls that answer within a turn (each waits for one: store-version.ts) are
      // answered first. Bytes the lane hands over may come with the end in one turn, so Node's
      // listener hears the end a turn later: the inner setImmediate runs on the turn after the
      // one where the handed calls' own run. Not once Node has let go of the socket: destroyed
      // (its parser freed for reuse) or upgraded (its data listener gone).
      for (const f of nodeEnd) socket.off('end', f)
      const atEnd = () =>
        setImmediate(() =>
          setImmediate(() => {
            if (socket.destroyed || !nodeData.every((f) => socket.listeners('data').includes(f))) return
            for (const f of nodeEnd) f.call(socket)
          }),
        )
      const rest = buf
      buf = undefined
      if (ended) {
        // After its end a stream refuses unshift (ERR_STREAM_UNSHIFT_AFTER_END_EVENT): Node's listener reads the bytes as from a socket read.
        if (rest !== undefined) for (const f of nodeData) f.call(socket, rest)
        return void atEnd()
      }
      socket.once('end', atEnd)
      if (rest !== undefined) socket.unshift(rest)
      socket.resume()
    }

    async function serve(): Promise<void> {
      busy = true
      try {
        while (buf !== undefined) {
          // Set while the connection was on the lane: Node counts from here, as it does from the moment it is set.
          if ((server.maxRequestsPerSocket ?? 0) > 0) return handOff()
          const head = readRequestHead(buf, 0, lines, maxBody)
          if (
            head.kind !== 'request' ||
            head.end > buf.length ||
            head.end - head.bodyStart > routes[head.line]!.maxBody
          )
            return handOff()
          const res = await routes[head.line]!.answer({
            headers: head.headers,
            body: buf.subarray(head.bodyStart, head.end),
            remoteAddress,
            arrived: performance.now(),
          })
          if (res === undefined) return handOff()
          if (socket.destroyed) return
          // More may have arrived while answering: `buf` grew, the answered request still first.
          buf = buf.length > head.end ? buf.subarray(head.end) : undefined
          counted('answered')
          // Node's socket restarts the timer on every read and write: arming it again per response only costs.
          if (timeout !== server.keepAliveTimeout) socket.setTimeout((timeout = server.keepAliveTimeout))
          const out = format(res, keepAliveField(timeout), closing)
          const flushed = socket.write(out.text, out.ascii ? 'latin1' : 'utf8')
          if (closing) return void socket.end()
          // A client that does not read its answers: Node's server has the flow control for it
          // (after the FIN, with nothing left to read, the lane's end waits for the writes alone).
          if (!flushed && (buf !== undefined || !ended)) return handOff()
        }
        if (ended) return void socket.end()
        if (held) {
          held = false
          socket.resume()
        }
      } catch (err) {
        opts.failed(err)
        socket.destroy()
      } finally {
        busy = false
      }
    }
  }

  server.removeListener('connection', node)
  server.on('connection', front)
  return {
    get connections() {
      return open.size
    },
    close() {
      closing = true
      for (const c of open) if (c.idle()) c.socket.destroy()
    },
  }
}
