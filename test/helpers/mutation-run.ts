/**
 * A random mutation run over every HTTP route of a running server, through a raw socket (so
 * the request line, the headers and the framing can be as broken as a stranger makes them,
 * and the fast lane sees them too). Routes are collected from Fastify itself when it starts;
 * each case picks one, fills its path with a real resource of the right kind, gives it the
 * credentials of its area (account Basic, operator Bearer, ATIS), a realistic query and body,
 * and then mutates any of path, method, query, headers and body. Used by the bounded test
 * (test/mutation-run.test.ts) and the full run (bench/mutation-run.ts).
 */
import dc from 'node:diagnostics_channel'
import net from 'node:net'
import fc from 'fast-check'
import { encodeForm, mutatedForm, mutatedJsonText, mutateText, nastyText, pct } from './fuzz.js'
import { basic, bearer, POLICY_PRIMARY, type FuzzWorld } from './http-fuzz.js'

/** Every `METHOD url` that a Fastify instance in this process registered (import before starting the server). */
export const ROUTES = new Set<string>()
dc.subscribe('fastify.initialization', (msg: any) => {
  msg.fastify.addHook('onRoute', (r: { method: string | string[]; url: string }) => {
    for (const m of [r.method].flat()) ROUTES.add(`${m} ${r.url}`)
  })
})

/** One request as sent: the raw bytes' parts, for the report. */
interface SentCase {
  readonly method: string
  readonly target: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body: string
  /** The route the case started from. */
  readonly route: string
}

export interface MutationReport {
  readonly byStatus: ReadonlyMap<number, number>
  /** Cases answered with a 5xx, with the answer's first bytes. */
  readonly failures: readonly { readonly sent: SentCase; readonly status: number; readonly answer: string }[]
  /** Cases that got no answer before the timeout or the server closed the connection without one (status 0 in byStatus). */
  readonly unanswered: number
}

const DUMMY = (prefix: string) => prefix + '0'.repeat(32)

/** A real value for a path parameter, chosen by the route around it. */
function paramValue(route: string, name: string, w: FuzzWorld, certFile: string): string {
  const before = route.slice(0, route.indexOf(`:${name}`))
  if (name === 'AccountSid') return w.P.sid
  if (name === 'file') return certFile
  if (name === 'PhoneNumber') return w.phone
  if (name === 'BundleSid') return before.includes('TrustProducts') ? w.trustProduct : w.profile
  const last = before.split('/').filter(Boolean).at(-1) ?? ''
  const table: Record<string, string> = {
    Addresses: w.address,
    IncomingPhoneNumbers: w.number,
    Keys: w.key,
    EndUsers: w.endUser,
    SupportingDocuments: w.document,
    CustomerProfiles: w.profile,
    TrustProducts: w.trustProduct,
    Bundles: w.profile,
    Reviews: w.profile,
    Policies: POLICY_PRIMARY,
    EndUserTypes: 'customer_profile_business_information',
    SupportingDocumentTypes: 'customer_profile_address',
    EntityAssignments: DUMMY('BV'),
    ChannelEndpointAssignments: DUMMY('RA'),
    Evaluations: DUMMY('EL'),
  }
  return table[last] ?? DUMMY('AC')
}

function concretePath(route: string, w: FuzzWorld, certFile: string): string {
  const url = route.slice(route.indexOf(' ') + 1)
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, n: string) => paramValue(url, n, w, certFile)).replace('*', 'index.html')
}

/** The credentials of the route's area. */
function authOf(path: string, w: FuzzWorld): [string, string][] {
  if (path.startsWith('/admin/') || path === '/metrics') return [['Authorization', bearer()]]
  if (path.startsWith('/stir/')) return [['Authorization', basic(w.P)]]
  return [['Authorization', basic(w.P)]]
}

const UUID = '123e4567-e89b-42d3-a456-426614174000'

/** A realistic body for a POST route, and its content type. */
function bodyOf(path: string, w: FuzzWorld, now: number): { type: 'form' | 'json'; base: any } {
  if (path === '/stir/v1/signing')
    return {
      type: 'json',
      base: {
        signingRequest: {
          attest: 'A',
          orig: { tn: w.phone.slice(1) },
          dest: { tn: ['12125551212'] },
          iat: now,
          origid: UUID,
        },
      },
    }
  if (path === '/stir/v1/verification')
    return {
      type: 'json',
      base: {
        verificationRequest: {
          from: { tn: w.phone.slice(1) },
          to: { tn: ['12125551212'] },
          time: now,
          identity: 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln;info=<https://127.0.0.1:8443/x.pem>',
        },
      },
    }
  if (path.startsWith('/stir/')) return { type: 'json', base: { failureAction: 'continue', requireIdentity: false } }
  if (path.startsWith('/admin/v1/Accounts/') || path.startsWith('/admin/v1/PhoneNumberInventory'))
    return { type: 'json', base: { PhoneNumbers: ['+14155550170', '+14155550171'] } }
  if (path.startsWith('/admin/v1/Accounts')) return { type: 'json', base: { FriendlyName: 'Mutant Co' } }
  if (path.startsWith('/admin/v1/Bundles'))
    return { type: 'json', base: { Status: 'twilio-rejected', Errors: [18601], FailureReason: 'x' } }
  if (path.startsWith('/admin/v1/Reviewers')) return { type: 'json', base: { Name: 'Rev', Email: 'rev@example.com' } }
  if (path.startsWith('/admin/'))
    return { type: 'json', base: { Errors: [18601], Reason: 'x', ValidUntil: '2030-01-01T00:00:00Z' } }
  if (path.startsWith('/console/api/session')) return { type: 'json', base: { Username: w.P.sid, Password: w.P.token } }
  const form: Record<string, string> = path.includes('IncomingPhoneNumbers')
    ? { PhoneNumber: '+14155550172', FriendlyName: 'line' }
    : path.includes('Addresses')
      ? {
          CustomerName: 'Acme',
          Street: '1 Main St',
          City: 'Springfield',
          Region: 'IL',
          PostalCode: '62701',
          IsoCountry: 'US',
        }
      : path.includes('EntityAssignments')
        ? { ObjectSid: w.endUser }
        : path.includes('ChannelEndpointAssignments')
          ? { ChannelEndpointType: 'phone-number', ChannelEndpointSid: w.number }
          : path.includes('Evaluations')
            ? { PolicySid: POLICY_PRIMARY }
            : path.includes('EndUsers')
              ? {
                  FriendlyName: 'eu',
                  Type: 'customer_profile_business_information',
                  Attributes: '{"business_name":"Acme"}',
                }
              : path.includes('SupportingDocuments')
                ? { FriendlyName: 'doc', Type: 'customer_profile_address', Attributes: '{}' }
                : path.includes('CustomerProfiles') || path.includes('TrustProducts')
                  ? { FriendlyName: 'b', Email: 'b@example.com', PolicySid: POLICY_PRIMARY }
                  : { FriendlyName: 'x' }
  return { type: 'form', base: form }
}

const QUERY_BASE = 'PageSize=20&Page=0&FriendlyName=x&Status=draft&from=%2B14155550142&to=%2B12125551212'
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'FOO', 'get', 'PRI']
const EXTRA_HEADERS: readonly (readonly [string, fc.Arbitrary<string>])[] = [
  ['X-Account-Sid', fc.constantFrom(DUMMY('AC'), 'ACxyz', '')],
  ['I-Twilio-Idempotency-Token', fc.oneof(nastyText, fc.constant('tok-1'))],
  ['X-Forwarded-For', fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1')],
  ['Accept', fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml;q=0.1')],
  ['Cookie', fc.constantFrom('stirhub_session=abc', 'stirhub_session=%zz', '=;;=')],
  ['X-RequestID', nastyText],
  ['Transfer-Encoding', fc.constantFrom('chunked', 'gzip', 'identity')],
  ['Expect', fc.constantFrom('100-continue', 'nothing')],
  ['Content-Encoding', fc.constantFrom('gzip', 'br')],
  [
    'Authorization',
    fc.constantFrom(
      'Basic',
      'Basic !!!',
      'Bearer',
      'Bearer ' + 'x'.repeat(300),
      'Basic ' + Buffer.from(':').toString('base64'),
      'Digest x',
    ),
  ],
  ['X-Huge', fc.constantFrom('x'.repeat(20_000), 'y'.repeat(70_000))],
]

interface Plan {
  readonly route: string
  readonly method: string
  readonly target: string
  readonly headers: [string, string][]
  readonly body: string
}

/** The arbitrary of a case for `routes`, in the world `w`. */
function mutationCases(routes: readonly string[], w: FuzzWorld, now: () => number): fc.Arbitrary<Plan> {
  const certFile = w.server.running.ctx.stiAs.signer().x5u.split('/').at(-1) ?? 'x.pem'
  // Each kind of mutation in a quarter of the cases: most cases keep enough of a valid request to reach the handler.
  const flag = fc.nat({ max: 3 }).map((n) => n === 0)
  return fc
    .record({ r: fc.nat({ max: routes.length - 1 }), flags: fc.array(flag, { minLength: 8, maxLength: 8 }) })
    .chain(({ r, flags }) => {
      const route = routes[r]!
      const routeMethod = route.slice(0, route.indexOf(' '))
      const path = concretePath(route, w, certFile)
      const [mutPath, mutMethod, mutQuery, mutHeaders, mutBody, noAuth, extra, rawCl] = flags
      const b = bodyOf(path.split('?')[0]!, w, now())
      const body =
        routeMethod === 'POST' || mutBody
          ? b.type === 'form'
            ? mutBody
              ? mutatedForm(b.base)
              : fc.constant(encodeForm(Object.entries(b.base)))
            : mutBody
              ? mutatedJsonText(b.base)
              : fc.constant(JSON.stringify(b.base))
          : fc.constant('')
      return fc
        .record({
          method: mutMethod ? fc.constantFrom(...METHODS) : fc.constant(routeMethod),
          path: mutPath ? mutateText(path, 2) : fc.constant(path),
          query: mutQuery ? mutateText(QUERY_BASE, 3) : fc.constantFrom('', QUERY_BASE),
          body,
          type: fc.constantFrom(
            b.type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
            b.type === 'form' ? 'application/x-www-form-urlencoded; charset=utf-8' : 'application/json; charset=utf-8',
          ),
          typeMut: mutHeaders ? fc.option(nastyText.map((s) => 'application/' + s)) : fc.constant(null),
          extra: extra
            ? fc.array(
                fc.constantFrom(...EXTRA_HEADERS).chain(([n, v]) => v.map((x) => [n, x] as [string, string])),
                { maxLength: 3 },
              )
            : fc.constant([] as [string, string][]),
          clDelta: rawCl ? fc.constantFrom(-5, -1, 1, 'abc', '1e400', '-1', ' 0') : fc.constant(0),
        })
        .map((c) => {
          // A request-target is ASCII (RFC 9112 §3.2): what a mutation put outside it is sent percent-encoded, as clients do.
          const target =
            [...c.path].map((ch) => (ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) < 0x7f ? ch : pct(ch))).join('') +
            (c.query
              ? '?' +
                [...c.query].map((ch) => (ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) < 0x7f ? ch : pct(ch))).join('')
              : '')
          const headers: [string, string][] = [...(noAuth ? [] : authOf(path, w)), ...c.extra]
          if (c.body !== '' || c.method === 'POST') headers.push(['Content-Type', c.typeMut ?? c.type])
          const length = Buffer.byteLength(c.body)
          if (c.body !== '' || c.method === 'POST')
            headers.push([
              'Content-Length',
              typeof c.clDelta === 'number' ? String(Math.max(0, length + c.clDelta)) : c.clDelta,
            ])
          return {
            route,
            method: c.method,
            target: target.startsWith('/') || target.startsWith('*') ? target : '/' + target,
            headers,
            body: c.body,
          }
        })
    })
}

/** Header values go out as latin1 bytes: a character beyond it is sent as its UTF-8 bytes. */
const wire = (s: string) => Buffer.from(s, 'utf8').toString('latin1')

/** Sends one case on a new connection; the status answered (0: none before `timeoutMs` or the close) and the answer's first bytes. */
function send(port: number, p: Plan, timeoutMs = 2000): Promise<{ status: number; answer: string }> {
  const head = `${p.method} ${p.target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${p.headers.map(([k, v]) => `${k}: ${wire(v).replace(/[\r\n]/g, ' ')}`).join('\r\n')}${p.headers.length ? '\r\n' : ''}\r\n`
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0)
    const c = net.connect(port, '127.0.0.1')
    let settled = false
    const done = (status: number) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      c.destroy()
      resolve({ status, answer: buf.subarray(0, 400).toString('latin1') })
    }
    const timer = setTimeout(() => done(statusOf(buf)), timeoutMs)
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d])
      const complete = completeResponse(buf, p.method)
      if (complete) done(complete)
    })
    c.on('error', () => done(statusOf(buf)))
    c.on('close', () => done(statusOf(buf)))
    c.write(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(p.body, 'utf8')]))
  })
}

const statusOf = (buf: Buffer) =>
  Number(/^HTTP\/1\.[01] (\d{3})/.exec(buf.subarray(0, 20).toString('latin1'))?.[1] ?? 0)

/** The status of the first final response in `buf` once it is complete, else 0. */
function completeResponse(buf: Buffer, method: string): number {
  let start = 0
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start)
    if (end < 0) return 0
    const head = buf.subarray(start, end).toString('latin1')
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)
    if (status >= 100 && status < 200) {
      start = end + 4
      continue
    }
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1]
    const bodyLen = buf.length - end - 4
    if (method === 'HEAD' || status === 204 || status === 304) return status
    if (length !== undefined) return bodyLen >= Number(length) ? status : 0
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) return buf.subarray(end + 4).includes('0\r\n\r\n') ? status : 0
    return 0
  }
}

/** Runs `count` cases (8 at a time) against the server of `w`; seeded, so a run replays. */
export async function mutationRun(
  w: FuzzWorld,
  count: number,
  seed: number,
  routes: readonly string[] = [...ROUTES].sort(),
): Promise<MutationReport> {
  const plans = fc.sample(
    mutationCases(routes, w, () => Math.floor(Date.now() / 1000)),
    { numRuns: count, seed },
  )
  const byStatus = new Map<number, number>()
  const failures: { sent: SentCase; status: number; answer: string }[] = []
  let next = 0
  const worker = async () => {
    while (next < plans.length) {
      const p = plans[next++]!
      const { status, answer } = await send(w.server.port, p)
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
      if (status >= 500) failures.push({ sent: p, status, answer })
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return { byStatus, failures, unanswered: byStatus.get(0) ?? 0 }
}

/** The report as text: counts by status, then every 5xx with the request that caused it. */
export function formatReport(r: MutationReport): string {
  const lines = [
    `by status: ${[...r.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s || 'no answer'}: ${n}`)
      .join(', ')}`,
  ]
  for (const f of r.failures) {
    lines.push(
      `${f.status} from ${f.sent.route}:`,
      `  ${f.sent.method} ${f.sent.target}`,
      ...f.sent.headers.map(([k, v]) => `  ${k}: ${JSON.stringify(v.slice(0, 200))}`),
      `  body: ${JSON.stringify(f.sent.body.slice(0, 400))}`,
      `  answer: ${JSON.stringify(f.answer.slice(0, 300))}`,
    )
  }
  return lines.join('\n')
}
