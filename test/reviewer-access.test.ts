/**
 * Taking a reviewer's access back, on two servers sharing one store: the operator lists
 * reviewers (no token in sight), rotates a token (the old one gets 401 on the very next
 * request of either server, and a console session signed in with it ends), disables a
 * reviewer (its token refused; DELETE does the same) and enables it again; reviewers may do
 * none of it. Every change is in the audit log. The `stirhub reviewers` CLI drives the same.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, twoServersOnOneStore } from './helpers/server.js'
import { http } from './helpers/http.js'
import { runCliInProcess } from './helpers/cli.js'

const operator = { bearer: ADMIN_TOKEN }

for (const dialect of DIALECTS) {
  describe(`reviewer access [${dialect}]`, () => {
    const pair = twoServersOnOneStore(dialect)
    const queue = (url: string, token: string) => http(url, 'GET', '/admin/v1/Reviews', { auth: { bearer: token } })
    const newReviewer = async (name: string) => {
      const r = await http(pair.a.url, 'POST', '/admin/v1/Reviewers', {
        auth: operator,
        json: { Name: name, Email: `${name.toLowerCase()}@example.com` },
      })
      assert.equal(r.status, 201)
      return { sid: r.body.sid as string, token: r.body.token as string }
    }

    it('rotation: the new token is shown once, the old one is refused on the next request everywhere, its console session too', async () => {
      const { a, b } = pair
      const rita = await newReviewer('Rita')
      assert.equal((await queue(b.url, rita.token)).status, 200)
      const signIn = await http(a.url, 'POST', '/console/api/session', { json: { Token: rita.token } })
      assert.equal(signIn.status, 201)
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ')
      assert.equal((await http(b.url, 'GET', '/admin/v1/Reviews', { headers: { cookie } })).status, 200)

      const rotated = await http(a.url, 'POST', `/admin/v1/Reviewers/${rita.sid}/Token`, { auth: operator })
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body))
      assert.equal(rotated.body.sid, rita.sid)
      assert.notEqual(rotated.body.token, rita.token)
      assert.equal((await queue(b.url, rita.token)).status, 401, 'the old token on the other server')
      assert.equal((await queue(a.url, rita.token)).status, 401)
      assert.equal(
        (await http(b.url, 'GET', '/admin/v1/Reviews', { headers: { cookie } })).status,
        401,
        'the console session signed in with it',
      )
      assert.equal((await queue(b.url, rotated.body.token)).status, 200)

      const list = await http(b.url, 'GET', '/admin/v1/Reviewers', { auth: operator })
      const row = list.body.results.find((r: any) => r.sid === rita.sid)
      assert.deepEqual([row.status, row.name], ['active', 'Rita'])
      assert.ok(!JSON.stringify(list.body).includes(rotated.body.token) && !('token' in row), 'no token listed')
      assert.equal(
        (await http(a.url, 'POST', `/admin/v1/Reviewers/${rita.sid}/Token`, { auth: { bearer: rotated.body.token } }))
          .status,
        403,
        'a reviewer may not rotate',
      )
    })

    it('disable refuses the token at once (POST Status or DELETE); enable accepts it again; audited', async () => {
      const { a, b } = pair
      const ron = await newReviewer('Ron')
      assert.equal((await queue(b.url, ron.token)).status, 200)
      const off = await http(a.url, 'POST', `/admin/v1/Reviewers/${ron.sid}`, {
        auth: operator,
        json: { Status: 'disabled' },
      })
      assert.equal(off.body.status, 'disabled')
      assert.equal((await queue(b.url, ron.token)).status, 401, 'disabled')
      assert.equal(
        (await http(a.url, 'POST', '/console/api/session', { json: { Token: ron.token } })).status,
        401,
        'no console sign-in either',
      )
      assert.equal(
        (await http(a.url, 'POST', `/admin/v1/Reviewers/${ron.sid}`, { auth: operator, json: { Status: 'active' } }))
          .body.status,
        'active',
      )
      assert.equal((await queue(b.url, ron.token)).status, 200, 'enabled again')
      assert.equal((await http(a.url, 'DELETE', `/admin/v1/Reviewers/${ron.sid}`, { auth: operator })).status, 204)
      assert.equal((await queue(b.url, ron.token)).status, 401, 'deleted = disabled')
      assert.equal(
        (await http(a.url, 'DELETE', `/admin/v1/Reviewers/RV${'0'.repeat(32)}`, { auth: operator })).status,
        404,
      )
      const events = (await http(a.url, 'GET', `/admin/v1/Events?ResourceSid=${ron.sid}`, { auth: operator })).body
        .results
      assert.deepEqual(
        events.map((e: any) => `${e.type} ${e.actor}`),
        [
          'reviewer.disabled operator',
          'reviewer.enabled operator',
          'reviewer.disabled operator',
          'reviewer.created operator',
        ],
      )
    })

    it('the CLI lists, rotates, disables and enables', async () => {
      const { a } = pair
      const sam = await newReviewer('Sam')
      const opts = ['--url', a.url, '--token', ADMIN_TOKEN]
      assert.match(
        (await runCliInProcess(['reviewers', 'list', ...opts])).out,
        new RegExp(`${sam.sid}\\s+active\\s+Sam`),
      )
      const rotated = await runCliInProcess(['reviewers', 'rotate', sam.sid, ...opts])
      assert.equal(rotated.code, 0, rotated.err)
      const token = /Token\s+(\S+)/.exec(rotated.out)![1]!
      assert.equal((await queue(a.url, sam.token)).status, 401)
      assert.equal((await queue(a.url, token)).status, 200)
      assert.equal((await runCliInProcess(['reviewers', 'disable', sam.sid, ...opts])).out, `${sam.sid}  disabled`)
      assert.equal((await queue(a.url, token)).status, 401)
      assert.equal((await runCliInProcess(['reviewers', 'enable', sam.sid, ...opts])).out, `${sam.sid}  active`)
      assert.equal((await queue(a.url, token)).status, 200)
    })
  })
}
