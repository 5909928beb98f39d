/**
 * Branding fixtures: a local logo server whose routes a test sets (real HTTP on loopback,
 * reached through the guarded fetcher because the test server's STIRHUB_LOGO_ALLOW names it),
 * and builders of Branded Calls and CNAM trust products over plain HTTP.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { http as call, type Creds } from './http.js'
import {
  addNumber,
  assign,
  assignNumber,
  createBundle,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  submitAndApprove,
} from './onboarding.js'
import { png } from './images.js'

export const BRANDED_POLICY = 'RNb7a4c2e9d1f04c6a8e3b5d7f9a1c3e5b'
export const CNAM_POLICY = 'RNf3db3cd1fe25fcfd3c3ded065c8fea53'

/** What a logo route answers: a body with a content type, a redirect, or never (a slow server). */
type LogoRoute = { body: Buffer; type: string } | { redirect: string } | 'hang'

export interface LogoServer {
  readonly base: string
  readonly host: string
  readonly routes: Map<string, LogoRoute>
  stop(): Promise<void>
}

/** Starts the logo server on 127.0.0.1 with `/logo.png` (128×128) and the usual bad routes. */
export async function startLogoServer(): Promise<LogoServer> {
  const routes = new Map<string, LogoRoute>([
    ['/logo.png', { body: png(128, 128), type: 'image/png' }],
    ['/small.png', { body: png(32, 32), type: 'image/png' }],
    ['/big.png', { body: Buffer.alloc(2 * 1024 * 1024, 1), type: 'image/png' }],
    ['/page.html', { body: Buffer.from('<html><body>not a logo</body></html>'), type: 'image/png' }],
    [
      '/evil.svg',
      { body: Buffer.from('<svg width="100" height="100"><script>alert(1)</script></svg>'), type: 'image/svg+xml' },
    ],
    ['/slow.png', 'hang'],
  ])
  const hung = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const r = routes.get(req.url ?? '')
    if (!r) return res.writeHead(404).end()
    if (r === 'hang') {
      hung.add(res)
      return
    }
    if ('redirect' in r) return res.writeHead(302, { location: r.redirect }).end()
    res.writeHead(200, { 'content-type': r.type, 'content-length': r.body.length }).end(r.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    base: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    routes,
    stop: async () => {
      for (const r of hung) r.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function must(r: { status: number; body: any }, want: number, what: string) {
  if (r.status !== want) throw new Error(`${what}: expected ${want}, got ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/** An end user of `type` with `attributes`; its IT SID. */
export async function endUser(url: string, a: Creds, type: string, attributes: object): Promise<string> {
  return must(
    await call(url, 'POST', '/v1/EndUsers', {
      auth: a,
      form: { FriendlyName: type, Type: type, Attributes: JSON.stringify(attributes) },
    }),
    201,
    `end user ${type}`,
  ).sid
}

/** Replaces an end user's attributes. */
export async function setAttributes(url: string, a: Creds, sid: string, attributes: object) {
  return must(
    await call(url, 'POST', `/v1/EndUsers/${sid}`, { auth: a, form: { Attributes: JSON.stringify(attributes) } }),
    200,
    `update ${sid}`,
  )
}

/** An account's approved profile and SHAKEN/STIR trust product on one number, ready to brand. */
export interface Branded {
  readonly profile: string
  readonly shaken: string
  readonly pn: string
}

/** Approved primary profile + approved SHAKEN/STIR trust product on a fresh number of `a`. */
export async function readyToBrand(url: string, a: Creds, business: Record<string, unknown> = {}): Promise<Branded> {
  const pn = await addNumber(url, a)
  const profile = await makeApprovedPrimaryProfile(url, a, { numbers: [pn], business })
  const shaken = await makeTrustProduct(url, a, profile, [pn])
  await submitAndApprove(url, a, 'TrustProducts', shaken)
  return { profile, shaken, pn }
}

/** A draft branding product on `b` with its end user; returns both SIDs. */
export async function brandingProduct(
  url: string,
  a: Creds,
  b: Branded,
  kind: 'branded_calls' | 'cnam',
  attributes: Record<string, unknown>,
): Promise<{ sid: string; endUser: string }> {
  const sid = await createBundle(
    url,
    a,
    'TrustProducts',
    kind === 'cnam' ? CNAM_POLICY : BRANDED_POLICY,
    `Acme ${kind}`,
  )
  const eu = await endUser(url, a, kind === 'cnam' ? 'cnam_information' : 'branded_calls_information', attributes)
  await assign(url, a, 'TrustProducts', sid, b.profile)
  await assign(url, a, 'TrustProducts', sid, b.shaken)
  await assign(url, a, 'TrustProducts', sid, eu)
  await assignNumber(url, a, 'TrustProducts', sid, b.pn)
  return { sid, endUser: eu }
}

/** The dry-run checks of a bundle, by name. */
export async function checksOf(url: string, a: Creds, sid: string) {
  const r = must(await call(url, 'GET', `/v1/TrustProducts/${sid}/Checks`, { auth: a }), 200, 'checks')
  return {
    byName: new Map<string, { passed: boolean; evidence: string }>(r.checks.map((c: any) => [c.name, c])),
    body: r,
  }
}
