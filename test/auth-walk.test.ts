/**
 * Walks EVERY route the app registers (collected from Fastify itself, so routes added later
 * are covered without editing this file) and checks who may call it:
 *  - no credentials, or wrong ones → 401 with the area's WWW-Authenticate challenge (every
 *    route except the public ones);
 *  - /admin/* with an account's Basic credentials → 401 (staff tokens only);
 *  - customer routes, from the table in helpers/route-walk.ts: another tenant on a resource of
 *    account P → 404; P's sub-account on P's resource → 404; P on its sub-account's → 2xx.
 * A route that is neither skipped nor in the table fails the first test, naming the table.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import dc from 'node:diagnostics_channel'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { WALK, type WalkEntry, type WalkRequest, type World } from './helpers/route-walk.js'

/**
 * Routes not walked, and why: the probes answer every caller by design (they reveal only
 * up/ready), and the OpenAPI document and its docs page describe the public API surface, no
 * account data. HEAD routes are Fastify's automatic twins of GET routes (same hooks).
 */
const SKIP: readonly RegExp[] = [
  /^GET \/healthz$/,
  /^GET \/readyz$/,
  /^GET \/openapi\.json$/,
  /^\w+ \/docs(\/|$)/,
  /^HEAD /,
]

/** Every `METHOD url` registered by any Fastify instance in this process. */
const registered = new Set<string>()
dc.subscribe('fastify.initialization', (msg: any) => {
  msg.fastify.addHook('onRoute', (r: { method: string | string[]; url: string }) => {
    for (const m of [r.method].flat()) registered.add(`${m} ${r.url}`)
  })
})

const PARAM = /:[A-Za-z0-9_]+/g
/** The table key of a route: parameter names erased. */
const keyOf = (route: string) => route.replace(PARAM, ':')
const DUMMY = 'AC' + '0'.repeat(32)

/** The concrete path of `route` with `params` in order (a dummy SID for any not given). */
function pathFor(route: string, req: WalkRequest = {}): string {
  const url = route.slice(route.indexOf(' ') + 1)
  let i = 0
  const path = url.replace(PARAM, () => encodeURIComponent(req.params?.[i++] ?? DUMMY)).replace('*', 'x')
  return req.query ? `${path}?${req.query}` : path
}

const methodOf = (route: string) => route.slice(0, route.indexOf(' '))

async function send(w: World, route: string, req: WalkRequest, auth: Creds | null) {
  return http(w.url, methodOf(route), pathFor(route, req), {
    auth,
    form: req.form,
    json: req.json,
    headers: req.headers,
  })
}

const is2xx = (s: number) => s >= 200 && s < 300

/** The WWW-Authenticate a 401 of `route` carries: the schemes its area takes (src/api/auth-challenge.ts). */
function challengeOf(route: string): string {
  const path = route.slice(route.indexOf(' ') + 1)
  if (path.startsWith('/admin/')) return 'Bearer realm="stirhub"'
  return path.startsWith('/stir/') || path.startsWith('/v1/cnam/')
    ? 'Basic realm="stirhub", Bearer realm="stirhub"'
    : 'Basic realm="stirhub"'
}

function walked(): string[] {
  return [...registered].filter((r) => !SKIP.some((re) => re.test(r))).sort()
}

async function checkOwned(w: World, route: string, e: Extract<WalkEntry, { kind: 'owned' }>) {
  for (const [who, name] of [
    [w.O, 'another tenant'],
    [w.S, 'the sub-account'],
  ] as const) {
    const r = await send(w, route, await e.make(w, w.P), who)
    assert.equal(
      r.status,
      404,
      `${route}: ${name} on the parent's resource must get 404, got ${r.status} ${JSON.stringify(r.body)}`,
    )
  }
  const ok = await send(w, route, await e.make(w, w.S), w.P)
  assert.ok(
    is2xx(ok.status),
    `${route}: the parent on its sub-account's resource must get 2xx, got ${ok.status} ${JSON.stringify(ok.body)}`,
  )
}

async function checkTenancy(w: World, route: string, e: WalkEntry) {
  if (e.kind === 'owned') return checkOwned(w, route, e)
  if (e.kind !== 'shared' && e.kind !== 'own') return
  const req = e.make ? await e.make(w, w.P) : {}
  const r = await send(w, route, req, w.O)
  assert.ok(
    is2xx(r.status),
    `${route}: any authenticated account must get 2xx, got ${r.status} ${JSON.stringify(r.body)}`,
  )
  if (req.leak)
    assert.ok(
      !JSON.stringify(r.body).includes(req.leak),
      `${route}: another tenant's answer shows ${req.leak} of account ${w.P.sid}`,
    )
}

for (const dialect of DIALECTS) {
  describe(`auth walk over every route [${dialect}]`, () => {
    let s: TestServer
    let w: World
    before(async () => {
      // Every route is probed with bad credentials from one address: the failure limit (rate-limit.test.ts) would stop the walk.
      s = await startServer(dialect, { env: { STIRHUB_AUTH_FAILURE_LIMIT: '0' } })
      const P = await newAccount(s.url, 'Walk Parent')
      const S = await newSubAccount(s.url, P, 'Walk Sub')
      const O = await newAccount(s.url, 'Walk Other')
      w = { url: s.url, P, S, O }
    })
    after(async () => {
      await s.stop()
    })

    it('every route is either skipped, an /admin route, or in the walk table', () => {
      const routes = walked()
      assert.ok(routes.length > 20, `only ${routes.length} routes were collected: is the onRoute hook still wired?`)
      const unknown = routes.filter((r) => !r.split(' ')[1]!.startsWith('/admin/') && !(keyOf(r) in WALK))
      assert.deepEqual(
        unknown,
        [],
        `These routes are not in the auth walk's table. Add each to WALK in test/helpers/route-walk.ts ` +
          `as public (say why), auth-only, shared, own or owned (with a make() that creates a real resource of the owner):\n  ${unknown.join('\n  ')}`,
      )
    })

    it('no credentials, or wrong ones, get 401 on every non-public route', async () => {
      const bad: Creds = { sid: w.P.sid, token: 'f'.repeat(32) }
      for (const route of walked()) {
        const e = WALK[keyOf(route)]
        if (e?.kind === 'public') continue
        for (const auth of [null, bad]) {
          const r = await send(w, route, {}, auth)
          assert.equal(
            r.status,
            401,
            `${route} with ${auth ? 'a wrong token' : 'no credentials'}: got ${r.status} ${JSON.stringify(r.body)}`,
          )
          assert.equal(r.headers.get('www-authenticate'), challengeOf(route), `${route}: the 401's challenge`)
        }
      }
    })

    it("admin routes refuse an account's Basic credentials with 401", async () => {
      const admin = walked().filter((r) => r.split(' ')[1]!.startsWith('/admin/'))
      assert.ok(admin.length >= 2)
      for (const route of admin) {
        const r = await send(w, route, { params: [w.P.sid] }, w.P)
        assert.equal(r.status, 401, `${route} with customer credentials: got ${r.status} ${JSON.stringify(r.body)}`)
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="stirhub"', `${route}: the 401's challenge`)
      }
    })

    it('tenancy: other tenant 404, sub-account on parent 404, parent on sub-account 2xx', async (t) => {
      for (const route of walked()) {
        const e = WALK[keyOf(route)]
        if (!e || e.kind === 'public' || e.kind === 'auth-only') continue
        await t.test(`${route} (${e.kind})`, () => checkTenancy(w, route, e))
      }
    })
  })
}
