/** Reviewer-side helpers for vetting tests: reviewers, queue calls and callback receivers. */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { http as call, type Creds } from './http.js'
import { ADMIN_TOKEN } from './server.js'

export interface Reviewer {
  readonly sid: string
  readonly token: string
}

export async function newReviewer(url: string, name = 'Rita Reviewer'): Promise<Reviewer> {
  const r = await call(url, 'POST', '/admin/v1/Reviewers', {
    auth: { bearer: ADMIN_TOKEN },
    json: { Name: name, Email: `${name.split(' ')[0]!.toLowerCase()}@ops.example.com` },
  })
  if (r.status !== 201) throw new Error(`reviewer create failed: ${r.status} ${JSON.stringify(r.body)}`)
  return { sid: r.body.sid, token: r.body.token }
}

/** POST /admin/v1/Reviews/{sid}/{action} as `who` (a reviewer or the operator token). */
export function act(
  url: string,
  who: Reviewer | string,
  sid: string,
  action: 'Claim' | 'Approve' | 'Reject',
  json: unknown = {},
) {
  const bearer = typeof who === 'string' ? who : who.token
  return call(url, 'POST', `/admin/v1/Reviews/${sid}/${action}`, { auth: { bearer }, json })
}

export function review(url: string, who: Reviewer | string, sid: string) {
  return call(url, 'GET', `/admin/v1/Reviews/${sid}`, { auth: { bearer: typeof who === 'string' ? who : who.token } })
}

/** Sets a bundle's StatusCallback over the Trust Hub API. */
export async function setCallback(
  url: string,
  creds: Creds,
  kind: 'CustomerProfiles' | 'TrustProducts',
  sid: string,
  callback: string,
) {
  const r = await call(url, 'POST', `/v1/${kind}/${sid}`, { auth: creds, form: { StatusCallback: callback } })
  if (r.status !== 200) throw new Error(`set callback failed: ${r.status} ${JSON.stringify(r.body)}`)
}

export interface Received {
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly params: Record<string, string>
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer` decides each response (status code, or
 * 'hang' to never answer); every request is recorded.
 */
export async function startReceiver(answer: (n: number, r: Received) => number | 'hang' = () => 200) {
  const received: Received[] = []
  const hanging: http.ServerResponse[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const r: Received = {
        path: req.url ?? '/',
        headers: req.headers,
        params: Object.fromEntries(new URLSearchParams(body)),
      }
      received.push(r)
      const a = answer(received.length, r)
      if (a === 'hang') {
        hanging.push(res)
        return
      }
      res.writeHead(a, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    async close() {
      for (const h of hanging) h.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Polls `fn` until it returns a truthy value or `ms` pass. */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  ms = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
