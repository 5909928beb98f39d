/**
 * Outbound HTTP(S) behind SSRF guards, for every fetch whose URL comes from outside: x5u
 * certificates (ATIS-1000074 §5.3.1; Asterisk's curl_utils rules) and customer status callbacks.
 *
 * Scheme, host and port are checked against the rules and the allow list before any
 * connection; the address check runs in the DNS lookup of each connection and again on the
 * address actually connected to, not on a name resolved earlier, so DNS rebinding cannot slip
 * a private address past it. Redirects are followed only to the same host and port, re-checked each hop.
 * One deadline covers connect, headers and body, so a slow-loris server cannot hold a caller.
 */
import dns from 'node:dns'
import net from 'node:net'
import { Agent, buildConnector, request } from 'undici'
import { AppError } from '../domain/errors.js'
import { isAllowedHost, isForbiddenAddress } from './address-policy.js'

/** Why a guarded fetch was refused or failed: stable values callers map to their own outcomes. */
export type FetchRefusal =
  | 'bad_url'
  | 'scheme'
  | 'port'
  | 'userinfo'
  | 'query'
  | 'address'
  | 'redirect'
  | 'timeout'
  | 'too_large'
  | 'network'

/** The rules one kind of outbound fetch runs under. */
export interface GuardRules {
  /** Schemes allowed for hosts not on the allow list (allowed hosts may also use http). */
  readonly schemes: readonly ('http:' | 'https:')[]
  /** Ports allowed for hosts not on the allow list; undefined = any. */
  readonly ports?: readonly number[]
  /** `host[:port]` entries that may be reached over http and at private or loopback addresses. */
  readonly allow: readonly string[]
  readonly allowUserinfo?: boolean
  readonly allowQuery?: boolean
  /** Whole-request deadline (connect + headers + body), ms. */
  readonly timeoutMs: number
  /** Largest body accepted, bytes. */
  readonly maxBytes: number
  /** Same-host redirects followed (other hosts are always refused). */
  readonly maxRedirects?: number
}

interface GuardedRequest {
  readonly method?: 'GET' | 'POST'
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

export interface GuardedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
  /** The URL finally answered (after same-host redirects). */
  readonly url: string
}

/** A fetcher bound to one rule set, with its own connection pool. */
export interface GuardedFetcher {
  fetch(url: string, req?: GuardedRequest): Promise<GuardedResponse>
  close(): Promise<void>
}

/** A GET whose answer must be 200: its body, or a `network` refusal naming the status. */
export function bodyOf(fetcher: GuardedFetcher): (url: string) => Promise<Buffer> {
  return async (url) => {
    const r = await fetcher.fetch(url)
    if (r.status !== 200) throw refusal('network', `${url}: HTTP ${r.status}`)
    return r.body
  }
}

/** Builds the refusal error; `details.kind` carries the FetchRefusal. */
function refusal(kind: FetchRefusal, message: string): AppError {
  return new AppError('OUTBOUND_REFUSED', message, { kind })
}

/** The FetchRefusal carried by an error, or 'network' for anything else. */
export function refusalKind(e: unknown): FetchRefusal {
  if (e instanceof AppError && e.key === 'OUTBOUND_REFUSED') return e.details?.kind as FetchRefusal
  return 'network'
}

function defaultPort(u: URL): number {
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
}

/** Checks a URL against the static rules (scheme, port, userinfo, query, literal address). */
export function checkUrl(raw: string, rules: GuardRules): URL {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw refusal('bad_url', 'not an absolute URL')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw refusal('scheme', `scheme ${u.protocol} not allowed`)
  const port = defaultPort(u)
  const allowed = isAllowedHost(rules.allow, u.hostname, port)
  if (!allowed && !rules.schemes.includes(u.protocol as 'http:'))
    throw refusal('scheme', `${u.protocol} not allowed for ${u.hostname}`)
  if (!allowed && rules.ports && !rules.ports.includes(port)) throw refusal('port', `port ${port} not allowed`)
  if (!rules.allowUserinfo && (u.username || u.password)) throw refusal('userinfo', 'userinfo not allowed')
  if (!rules.allowQuery && u.search) throw refusal('query', 'query not allowed')
  const literal = u.hostname.replace(/^\[|\]$/g, '')
  if (net.isIP(literal) && !allowed && isForbiddenAddress(literal))
    throw refusal('address', `address ${literal} not allowed`)
  return u
}

type LookupCb = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void

/**
 * dns.lookup that drops forbidden addresses unless `admitPrivate`, so a rebinding name never
 * reaches connect.
 */
function guardedLookup(admitPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, cb: LookupCb): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addrs) => {
      if (err) return cb(err, [])
      const list = (addrs as dns.LookupAddress[]).filter((a) => admitPrivate || !isForbiddenAddress(a.address))
      if (list.length === 0)
        return cb(
          refusal('address', `${hostname} resolves only to forbidden addresses`) as unknown as NodeJS.ErrnoException,
          [],
        )
      if (options.all) cb(null, list)
      else cb(null, list[0]!.address, list[0]!.family)
    })
  }
}

function makeAgent(rules: GuardRules): Agent {
  const allowedHost = (h: string, port: number) => isAllowedHost(rules.allow, h, port)
  const options = { timeout: rules.timeoutMs } as const
  // Two connectors, chosen per connection by the exact host:port rule before any lookup: one
  // whose lookup may return private addresses, for targets an entry admits on this port, and
  // one whose lookup drops them, for everything else (an allowed name on another port too).
  // So no TCP or TLS handshake ever reaches a port the allow list does not name.
  const admitted = buildConnector({ ...options, lookup: guardedLookup(true) } as buildConnector.BuildOptions)
  const strict = buildConnector({ ...options, lookup: guardedLookup(false) } as buildConnector.BuildOptions)
  const connect: buildConnector.connector = (opts, cb) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80)
    const allowed = allowedHost(opts.hostname, port)
    // A literal address skips the lookup: judged here too (checkUrl did), before connecting.
    const literal = opts.hostname.replace(/^\[|\]$/g, '')
    if (!allowed && net.isIP(literal) && isForbiddenAddress(literal))
      return cb(refusal('address', `address ${literal} not allowed`), null)
    ;(allowed ? admitted : strict)(opts, (err, socket) => {
      if (err || !socket) return cb(err ?? refusal('network', 'no socket'), null)
      // Kept as a second line: the peer address of the socket actually opened.
      const ip = socket.remoteAddress ?? ''
      if (isForbiddenAddress(ip) && !allowed) {
        socket.destroy()
        return cb(refusal('address', `connected address ${ip} not allowed`), null)
      }
      cb(null, socket)
    })
  }
  return new Agent({ connect, headersTimeout: rules.timeoutMs, bodyTimeout: rules.timeoutMs, connections: 8 })
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let n = 0
  for await (const c of body) {
    n += c.length
    if (n > max) throw refusal('too_large', `body larger than ${max} bytes`)
    chunks.push(c)
  }
  return Buffer.concat(chunks)
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

async function oneHop(agent: Agent, u: URL, req: GuardedRequest, rules: GuardRules, signal: AbortSignal) {
  const res = await request(u, {
    dispatcher: agent,
    method: req.method ?? 'GET',
    headers: req.headers,
    body: req.body,
    signal,
  })
  // Undici emits 'error' on a destroyed body; a refused body is expected, not a crash.
  res.body.on('error', () => {})
  const headers = flatHeaders(res.headers)
  if (res.statusCode >= 300 && res.statusCode < 400 && headers.location) {
    res.body.destroy()
    return { redirect: headers.location, status: res.statusCode, headers }
  }
  const len = Number(headers['content-length'] ?? 0)
  if (len > rules.maxBytes) {
    res.body.destroy()
    throw refusal('too_large', `content-length ${len} over ${rules.maxBytes}`)
  }
  const body = await readCapped(res.body, rules.maxBytes)
  return { status: res.statusCode, headers, body }
}

function mapError(e: unknown, signal: AbortSignal, timeoutMs: number): AppError {
  if (e instanceof AppError) return e
  const cause = (e as { cause?: unknown })?.cause
  if (cause instanceof AppError) return cause
  if (signal.aborted) return refusal('timeout', `no complete answer within ${timeoutMs} ms`)
  const code = (e as { code?: string })?.code ?? ''
  if (/TIMEOUT/.test(code)) return refusal('timeout', `timed out (${code})`)
  return refusal('network', (e as Error)?.message ?? 'network error')
}

/**
 * Creates a fetcher bound to `rules`. Every call re-checks the URL, follows only same-host
 * redirects, enforces one overall deadline and the body cap, and never throws anything but an
 * `OUTBOUND_REFUSED` AppError whose `details.kind` is a FetchRefusal.
 */
export function createGuardedFetcher(rules: GuardRules): GuardedFetcher {
  const agent = makeAgent(rules)
  return {
    async fetch(url, req = {}) {
      const ac = new AbortController()
      const timer = setTimeout(() => ac.abort(), rules.timeoutMs)
      try {
        let u = checkUrl(url, rules)
        const origin = `${u.protocol}//${u.host}`
        for (let hop = 0; ; hop++) {
          const r = await oneHop(agent, u, req, rules, ac.signal)
          if (!('redirect' in r)) return { status: r.status, headers: r.headers, body: r.body, url: u.toString() }
          if (hop >= (rules.maxRedirects ?? 2)) throw refusal('redirect', 'too many redirects')
          let next: URL
          try {
            next = new URL(r.redirect!, u)
          } catch {
            throw refusal('redirect', 'bad redirect location')
          }
          if (`${next.protocol}//${next.host}` !== origin)
            throw refusal('redirect', `redirect to another host (${next.host}) refused`)
          u = checkUrl(next.toString(), rules)
        }
      } catch (e) {
        throw mapError(e, ac.signal, rules.timeoutMs)
      } finally {
        clearTimeout(timer)
      }
    },
    close: () => agent.close(),
  }
}
