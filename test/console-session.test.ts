/**
 * The console's session API and cookie bridge, over real HTTP on both engines: sign-in with
 * each kind of credential, HttpOnly/SameSite cookies, CSRF on state-changing calls, tenant
 * isolation through the cookie, sign-out, and no privilege beyond the credential.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodeHttp from 'node:http'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Res } from './helpers/http.js'

/** Signs in and returns the Cookie header to send back plus the CSRF token. */
async function signIn(base: string, json: Record<string, string>): Promise<{ res: Res; cookie: string; csrf: string }> {
  const res = await http(base, 'POST', '/console/api/session', { json })
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { res, cookie, csrf: res.body?.csrf_token }
}

for (const dialect of DIALECTS) {
  describe(`console session [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('signs in with an account SID and auth token into an HttpOnly, SameSite=Strict cookie without the secret', async () => {
      const a = await newAccount(s.url, 'Cookie Co')
      const { res, cookie, csrf } = await signIn(s.url, { Username: a.sid, Password: a.token })
      assert.equal(res.status, 201)
      assert.equal(res.body.kind, 'account')
      assert.equal(res.body.account_sid, a.sid)
      assert.equal(JSON.stringify(res.body).includes(a.token), false)
      const setCookies = res.headers.getSetCookie()
      const session = setCookies.find((c) => c.startsWith('stirhub_session='))!
      assert.match(session, /HttpOnly/)
      assert.match(session, /SameSite=Strict/)
      assert.equal(session.includes(a.token), false)
      assert.ok(csrf.length >= 32)
      const me = await http(s.url, 'GET', '/console/api/session', { headers: { cookie } })
      assert.equal(me.status, 200)
      assert.equal(me.body.friendly_name, 'Cookie Co')
    })

    it('refuses bad credentials and forged cookies with 401', async () => {
      const a = await newAccount(s.url)
      assert.equal((await signIn(s.url, { Username: a.sid, Password: 'f'.repeat(32) })).res.status, 401)
      assert.equal((await signIn(s.url, { Token: 'not-a-real-token-at-all' })).res.status, 401)
      const missing = await signIn(s.url, { Username: a.sid })
      assert.equal(missing.res.status, 400)
      assert.match(missing.res.body.message, /Password/)
      const forged = await http(s.url, 'GET', '/console/api/session', {
        headers: { cookie: 'stirhub_session=v1.AAAA.BBBB' },
      })
      assert.equal(forged.status, 401)
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { headers: { cookie: 'stirhub_session=v1.AAAA.BBBB' } })).status,
        401,
      )
    })

    it('refuses a sign-in another site posts (a form, text/plain, a cross-site Origin or Sec-Fetch-Site) with no cookie set', async () => {
      const a = await newAccount(s.url, 'Victim Co')
      const creds = { Username: a.sid, Password: a.token }
      const refused = (r: Res, status: number, code: number) => {
        assert.equal(r.status, status, JSON.stringify(r.body))
        assert.equal(r.body.code, code)
        assert.deepEqual(r.headers.getSetCookie(), [])
      }
      // What an HTML form can send cross-site without a preflight.
      refused(await http(s.url, 'POST', '/console/api/session', { form: creds }), 415, 20415)
      refused(
        await http(s.url, 'POST', '/console/api/session', {
          raw: JSON.stringify(creds),
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        20415,
      )
      refused(
        await http(s.url, 'POST', '/console/api/session', { form: creds, headers: { origin: 'https://evil.example' } }),
        403,
        20403,
      )
      const crossOrigin = await http(s.url, 'POST', '/console/api/session', {
        json: creds,
        headers: { origin: 'https://evil.example' },
      })
      refused(crossOrigin, 403, 20403)
      assert.match(crossOrigin.body.message, /Cross-site sign-in refused: Origin https:\/\/evil\.example/)
      refused(
        await http(s.url, 'POST', '/console/api/session', { json: creds, headers: { origin: 'null' } }),
        403,
        20403,
      )
      for (const site of ['cross-site', 'same-site']) {
        refused(
          await http(s.url, 'POST', '/console/api/session', {
            json: creds,
            headers: { 'sec-fetch-site': site, origin: s.url },
          }),
          403,
          20403,
        )
      }
      // The console's own page: same origin by PUBLIC_URL or by the browser's word; no browser at all.
      for (const headers of [{ origin: s.url }, { 'sec-fetch-site': 'same-origin', origin: s.url }, {}] as Record<
        string,
        string
      >[]) {
        const ok = await http(s.url, 'POST', '/console/api/session', { json: creds, headers })
        assert.equal(ok.status, 201, JSON.stringify(headers))
        assert.equal(ok.headers.getSetCookie().length, 2)
      }
      // A name PUBLIC_URL does not give (localhost for 127.0.0.1): the Origin matches the Host the browser sent.
      const byHost = (origin: string) =>
        new Promise<number>((ok, fail) => {
          const body = JSON.stringify(creds)
          nodeHttp
            .request(
              s.url + '/console/api/session',
              {
                method: 'POST',
                headers: {
                  host: `localhost:${s.port}`,
                  origin,
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                },
              },
              (res) => {
                res.resume()
                ok(res.statusCode!)
              },
            )
            .on('error', fail)
            .end(body)
        })
      assert.equal(await byHost(`http://localhost:${s.port}`), 201)
      assert.equal(await byHost(`http://localhost:${s.port + 1}`), 403)
    })

    it('console responses carry a CSP that forbids framing, nosniff and a Referrer-Policy; API responses are left alone', async () => {
      for (const path of ['/console/', '/console/api/session', '/console/api/stats']) {
        const r = await fetch(s.url + path)
        const csp = r.headers.get('content-security-policy') ?? ''
        assert.match(csp, /frame-ancestors 'none'/, path)
        assert.match(csp, /script-src 'self'(;|$)/, path)
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path)
        assert.equal(r.headers.get('referrer-policy'), 'same-origin', path)
        assert.equal(r.headers.get('x-frame-options'), 'DENY', path)
      }
      assert.equal((await fetch(`${s.url}/v1/EndUsers`)).headers.get('content-security-policy'), null)
    })

    it('the cookie works on API routes; state changes need the CSRF header', async () => {
      const a = await newAccount(s.url)
      const { cookie, csrf } = await signIn(s.url, { Username: a.sid, Password: a.token })
      const form = { FriendlyName: 'Rep', Type: 'authorized_representative_1', Attributes: '{"first_name":"Ann"}' }
      const noCsrf = await http(s.url, 'POST', '/v1/EndUsers', { headers: { cookie }, form })
      assert.equal(noCsrf.status, 403)
      assert.equal(noCsrf.body.code, 20403)
      const wrong = await http(s.url, 'POST', '/v1/EndUsers', {
        headers: { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) },
        form,
      })
      assert.equal(wrong.status, 403)
      const ok = await http(s.url, 'POST', '/v1/EndUsers', { headers: { cookie, 'x-csrf-token': csrf }, form })
      assert.equal(ok.status, 201)
      assert.equal(ok.body.account_sid, a.sid)
      const list = await http(s.url, 'GET', '/v1/EndUsers', { headers: { cookie } })
      assert.equal(list.status, 200)
      assert.equal(list.body.results.length, 1)
    })

    it("another tenant's resource answers 404 through the cookie too", async () => {
      const a = await newAccount(s.url, 'A')
      const b = await newAccount(s.url, 'B')
      const made = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: b,
        form: { FriendlyName: 'B rep', Type: 'authorized_representative_1' },
      })
      assert.equal(made.status, 201)
      const { cookie } = await signIn(s.url, { Username: a.sid, Password: a.token })
      const r = await http(s.url, 'GET', `/v1/EndUsers/${made.body.sid}`, { headers: { cookie } })
      assert.equal(r.status, 404)
      assert.equal(r.body.code, 20404)
    })

    it('an API key and a parent token sign in as the account they reach; sub-accounts are listed', async () => {
      const parent = await newAccount(s.url, 'Parent')
      const sub = await newSubAccount(s.url, parent, 'Child')
      const key = await http(s.url, 'POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, {
        auth: parent,
        form: { FriendlyName: 'console' },
      })
      assert.equal(key.status, 201)
      const viaKey = await signIn(s.url, { Username: key.body.sid, Password: key.body.secret })
      assert.equal(viaKey.res.status, 201)
      assert.equal(viaKey.res.body.via, 'api-key')
      assert.equal(viaKey.res.body.sub_account_count, 1)
      assert.equal(
        'sub_account_sids' in viaKey.res.body,
        false,
        'the session does not list them: there may be tens of thousands',
      )
      const viaParent = await signIn(s.url, { Username: sub.sid, Password: parent.token })
      assert.equal(viaParent.res.body.account_sid, sub.sid)
      assert.equal(viaParent.res.body.via, 'parent-token')
    })

    it('an account session gets no admin access; an operator session does, with CSRF', async () => {
      const a = await newAccount(s.url)
      const acct = await signIn(s.url, { Username: a.sid, Password: a.token })
      const denied = await http(s.url, 'POST', '/admin/v1/Accounts', {
        headers: { cookie: acct.cookie, 'x-csrf-token': acct.csrf },
        json: { FriendlyName: 'x' },
      })
      assert.equal(denied.status, 401)
      const op = await signIn(s.url, { Token: ADMIN_TOKEN })
      assert.equal(op.res.status, 201)
      assert.deepEqual([op.res.body.kind, op.res.body.role], ['admin', 'operator'])
      const made = await http(s.url, 'POST', '/admin/v1/Accounts', {
        headers: { cookie: op.cookie, 'x-csrf-token': op.csrf },
        json: { FriendlyName: 'By console' },
      })
      assert.equal(made.status, 201)
      const customer = await http(s.url, 'GET', '/v1/EndUsers', { headers: { cookie: op.cookie } })
      assert.equal(customer.status, 401)
    })

    it('X-Stirhub-Account acts in an own sub-account only, like ACsub:parentToken', async () => {
      const parent = await newAccount(s.url, 'Parent')
      const sub = await newSubAccount(s.url, parent, 'Child')
      const stranger = await newAccount(s.url, 'Stranger')
      const { cookie, csrf } = await signIn(s.url, { Username: parent.sid, Password: parent.token })
      const form = { FriendlyName: 'Rep', Type: 'authorized_representative_1' }
      const made = await http(s.url, 'POST', '/v1/EndUsers', {
        headers: { cookie, 'x-csrf-token': csrf, 'x-stirhub-account': sub.sid },
        form,
      })
      assert.equal(made.status, 201)
      assert.equal(made.body.account_sid, sub.sid)
      const refused = await http(s.url, 'POST', '/v1/EndUsers', {
        headers: { cookie, 'x-csrf-token': csrf, 'x-stirhub-account': stranger.sid },
        form,
      })
      assert.equal(refused.status, 401)
      const key = await http(s.url, 'POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, {
        auth: parent,
        form: { FriendlyName: 'k' },
      })
      const viaKey = await signIn(s.url, { Username: key.body.sid, Password: key.body.secret })
      const keyed = await http(s.url, 'GET', '/v1/EndUsers', {
        headers: { cookie: viaKey.cookie, 'x-stirhub-account': sub.sid },
      })
      assert.equal(keyed.status, 401, 'an API key secret is not a parent token')
    })

    it('dashboard stats cover the account and its sub-accounts, never another tenant', async () => {
      const parent = await newAccount(s.url, 'Stats Parent')
      const sub = await newSubAccount(s.url, parent, 'Stats Child')
      const stranger = await newAccount(s.url, 'Stats Stranger')
      const { cookie } = await signIn(s.url, { Username: parent.sid, Password: parent.token })
      const r = await http(s.url, 'GET', '/console/api/stats', { headers: { cookie } })
      assert.equal(r.status, 200)
      assert.deepEqual(r.body.accounts.map((a: any) => a.account_sid).sort(), [parent.sid, sub.sid].sort())
      assert.equal(JSON.stringify(r.body).includes(stranger.sid), false)
      assert.deepEqual(
        r.body.accounts.map((a: any) => [a.signing, a.verification]),
        [
          [[], []],
          [[], []],
        ],
      )
      // One call signed by the sub-account (C: nothing approved), one verified by the parent.
      const signed = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: sub,
        json: {
          signingRequest: {
            attest: 'A',
            dest: { tn: ['+12125551212'] },
            iat: Math.floor(Date.now() / 1000),
            orig: { tn: '+12155550121' },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        },
      })
      assert.equal(signed.headers.get('x-attestation'), 'C')
      const checked = await http(s.url, 'POST', '/stir/v1/verification', {
        auth: parent,
        json: {
          verificationRequest: {
            from: { tn: '+12155550121' },
            to: { tn: ['+12125551212'] },
            time: Math.floor(Date.now() / 1000),
            identity: 'not-a-jws;info=<https://cert.example.org/x.pem>',
          },
        },
      })
      assert.equal(checked.status, 200)
      const counted = new Map(
        (await http(s.url, 'GET', '/console/api/stats', { headers: { cookie } })).body.accounts.map((a: any) => [
          a.account_sid,
          a,
        ]),
      )
      assert.deepEqual(
        (counted.get(sub.sid) as any).signing.map((c: any) => [c.attest, c.count]),
        [['C', 1]],
      )
      assert.deepEqual((counted.get(sub.sid) as any).verification, [])
      assert.deepEqual((counted.get(parent.sid) as any).signing, [])
      assert.equal(
        (counted.get(parent.sid) as any).verification.reduce((n: number, v: any) => n + v.count, 0),
        1,
      )
      // A page asks for the accounts it shows; each must be the caller's.
      const one = await http(s.url, 'GET', `/console/api/stats?Accounts=${sub.sid}`, { headers: { cookie } })
      assert.deepEqual(
        one.body.accounts.map((a: any) => a.account_sid),
        [sub.sid],
      )
      assert.equal(
        (await http(s.url, 'GET', `/console/api/stats?Accounts=${sub.sid},${stranger.sid}`, { headers: { cookie } }))
          .status,
        404,
      )
      assert.equal(
        (
          await http(
            s.url,
            'GET',
            `/console/api/stats?Accounts=${Array(101)
              .fill(sub.sid)
              .map((x, i) => x + i)
              .join(',')}`,
            { headers: { cookie } },
          )
        ).status,
        400,
      )
      assert.equal((await http(s.url, 'GET', '/console/api/stats')).status, 401)
      assert.equal((await http(s.url, 'GET', '/console/api/stats?Hours=0', { headers: { cookie } })).status, 400)
    })

    it("sub-accounts come a page at a time, newest first, searched by SID or name start; never another tenant's", async () => {
      const parent = await newAccount(s.url, 'Pager Parent')
      const names = ['Alpha Dental', 'alpine tours', 'Beta 100%', 'Beta 1000', 'Gamma_x', 'Gammax']
      const subs = []
      for (const n of names) subs.push(await newSubAccount(s.url, parent, n))
      const stranger = await newAccount(s.url, 'Alpha Stranger')
      const strangerSub = await newSubAccount(s.url, stranger, 'Alpha Stranger Child')
      const { cookie } = await signIn(s.url, { Username: parent.sid, Password: parent.token })
      const list = async (q: string) => {
        const r = await http(s.url, 'GET', `/console/api/sub-accounts${q}`, { headers: { cookie } })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body
      }
      // Paging follows next_page_url until it is null; newest first, each once.
      const seen: any[] = []
      let page = await list('?PageSize=4')
      for (;;) {
        seen.push(...page.sub_accounts)
        if (!page.meta.next_page_url) break
        page = await list(new URL(page.meta.next_page_url).search)
      }
      assert.deepEqual(seen.map((a) => a.friendly_name).sort(), [...names].sort())
      const dates = seen.map((a) => Date.parse(a.date_created))
      assert.deepEqual(
        dates,
        [...dates].sort((a, b) => b - a),
        'newest first',
      )
      assert.deepEqual(Object.keys((await list('?PageSize=1')).sub_accounts[0]).sort(), [
        'date_created',
        'friendly_name',
        'sid',
        'status',
      ])
      const found = async (search: string) =>
        (await list(`?Search=${encodeURIComponent(search)}`)).sub_accounts.map((a: any) => a.friendly_name).sort()
      assert.deepEqual(await found('alp'), ['Alpha Dental', 'alpine tours'], 'a name start, any case; no other tenant')
      assert.deepEqual(await found('Beta 100%'), ['Beta 100%'], 'LIKE wildcards match themselves')
      assert.deepEqual(await found('gamma_'), ['Gamma_x'])
      assert.deepEqual(await found(subs[3]!.sid), ['Beta 1000'])
      assert.deepEqual(await found(strangerSub.sid), [], "another tenant's sub-account is not found")
      assert.deepEqual(await found('zzz'), [])
      // A sub-account has none; the route needs credentials; Basic auth works as well as the session.
      const child = await signIn(s.url, { Username: subs[0]!.sid, Password: subs[0]!.token })
      assert.deepEqual(
        (await http(s.url, 'GET', '/console/api/sub-accounts', { headers: { cookie: child.cookie } })).body
          .sub_accounts,
        [],
      )
      assert.equal((await http(s.url, 'GET', '/console/api/sub-accounts')).status, 401)
      assert.equal(
        (await http(s.url, 'GET', '/console/api/sub-accounts', { auth: parent })).body.sub_accounts.length,
        names.length,
      )
      assert.equal(
        (await http(s.url, 'GET', '/console/api/sub-accounts?PageSize=0', { headers: { cookie } })).status,
        400,
      )
    })

    it('sign-out needs the CSRF header and clears both cookies', async () => {
      const a = await newAccount(s.url)
      const { cookie, csrf } = await signIn(s.url, { Username: a.sid, Password: a.token })
      assert.equal((await http(s.url, 'DELETE', '/console/api/session', { headers: { cookie } })).status, 403)
      const out = await http(s.url, 'DELETE', '/console/api/session', { headers: { cookie, 'x-csrf-token': csrf } })
      assert.equal(out.status, 204)
      const cleared = out.headers.getSetCookie()
      assert.equal(cleared.length, 2)
      for (const c of cleared) assert.match(c, /=; Path=\/; Max-Age=0/)
    })

    it('sign-out ends the session on the server: a copy of the cookie is refused, other sessions go on', async () => {
      const a = await newAccount(s.url)
      const one = await signIn(s.url, { Username: a.sid, Password: a.token })
      const two = await signIn(s.url, { Username: a.sid, Password: a.token })
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles', { headers: { cookie: one.cookie } })).status, 200)
      assert.equal(
        (
          await http(s.url, 'DELETE', '/console/api/session', {
            headers: { cookie: one.cookie, 'x-csrf-token': one.csrf },
          })
        ).status,
        204,
      )
      // The same cookie replayed (another tab, or a stolen copy) no longer reaches the session or the API.
      assert.equal((await http(s.url, 'GET', '/console/api/session', { headers: { cookie: one.cookie } })).status, 401)
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles', { headers: { cookie: one.cookie } })).status, 401)
      assert.equal(
        (
          await http(s.url, 'POST', '/v1/EndUsers', {
            headers: { cookie: one.cookie, 'x-csrf-token': one.csrf },
            form: { FriendlyName: 'x', Type: 'authorized_representative_1' },
          })
        ).status,
        401,
      )
      // Signing out twice is harmless; the other session and the credential itself still work.
      assert.equal(
        (
          await http(s.url, 'DELETE', '/console/api/session', {
            headers: { cookie: one.cookie, 'x-csrf-token': one.csrf },
          })
        ).status,
        204,
      )
      assert.equal((await http(s.url, 'GET', '/console/api/session', { headers: { cookie: two.cookie } })).status, 200)
      assert.equal((await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: a })).status, 200)
    })
  })
}
