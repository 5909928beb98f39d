import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, twoServersOnOneStore, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount } from './helpers/http.js'

for (const dialect of DIALECTS) {
  describe(`accounts [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('operator creates an account; the token is shown once and works', async () => {
      const r = await http(s.url, 'POST', '/admin/v1/Accounts', {
        auth: { bearer: ADMIN_TOKEN },
        form: { FriendlyName: 'Acme' },
      })
      assert.equal(r.status, 201)
      assert.match(r.body.sid, /^AC[0-9a-f]{32}$/)
      assert.match(r.body.auth_token, /^[0-9a-f]{32}$/)
      const fetched = await http(s.url, 'GET', `/2010-04-01/Accounts/${r.body.sid}.json`, {
        auth: { sid: r.body.sid, token: r.body.auth_token },
      })
      assert.equal(fetched.status, 200)
      assert.equal(fetched.body.friendly_name, 'Acme')
      assert.equal(fetched.body.auth_token, null)
      assert.match(fetched.body.date_created, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/)
    })

    it('the operator route refuses a missing or wrong token and names a missing parameter', async () => {
      assert.equal((await http(s.url, 'POST', '/admin/v1/Accounts', { json: { FriendlyName: 'x' } })).status, 401)
      assert.equal(
        (
          await http(s.url, 'POST', '/admin/v1/Accounts', {
            auth: { bearer: 'nope-nope-nope-nope' },
            json: { FriendlyName: 'x' },
          })
        ).status,
        401,
      )
      const r = await http(s.url, 'POST', '/admin/v1/Accounts', { auth: { bearer: ADMIN_TOKEN }, json: {} })
      assert.equal(r.status, 400)
      assert.equal(r.body.code, 20001)
      assert.match(r.body.message, /FriendlyName/)
    })

    it('bad credentials get 20003; the stored token is only a hash', async () => {
      const a = await newAccount(s.url)
      const r = await http(s.url, 'GET', '/v1/Policies', { auth: { sid: a.sid, token: 'f'.repeat(32) } })
      assert.equal(r.status, 401)
      assert.deepEqual(Object.keys(r.body).sort(), ['code', 'message', 'more_info', 'status'])
      assert.equal(r.body.code, 20003)
      const row = await s.running.ctx.store.db
        .selectFrom('accounts')
        .selectAll()
        .where('sid', '=', a.sid)
        .executeTakeFirstOrThrow()
      assert.notEqual(row.auth_token_hash, a.token)
      assert.ok(!row.auth_token_sealed.includes(a.token))
    })

    it('a parent creates, lists, fetches and updates sub-accounts; never the reverse', async () => {
      const parent = await newAccount(s.url, 'Parent')
      const sub = await newSubAccount(s.url, parent, 'Child')
      const other = await newAccount(s.url, 'Other')
      const list = await http(s.url, 'GET', '/2010-04-01/Accounts.json', { auth: parent })
      assert.equal(list.status, 200)
      assert.deepEqual(list.body.accounts.map((a: any) => a.sid).sort(), [parent.sid, sub.sid].sort())
      assert.equal(
        (await http(s.url, 'GET', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: parent })).body.owner_account_sid,
        parent.sid,
      )
      assert.equal((await http(s.url, 'GET', `/2010-04-01/Accounts/${parent.sid}.json`, { auth: sub })).status, 404)
      assert.equal((await http(s.url, 'GET', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: other })).status, 404)
      assert.equal(
        (await http(s.url, 'POST', '/2010-04-01/Accounts.json', { auth: sub, form: { FriendlyName: 'grandchild' } }))
          .status,
        403,
      )
      const upd = await http(s.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
        auth: parent,
        form: { FriendlyName: 'Renamed', Status: 'suspended' },
      })
      assert.equal(upd.status, 200)
      assert.equal(upd.body.friendly_name, 'Renamed')
      assert.equal(upd.body.status, 'suspended')
      assert.equal((await http(s.url, 'GET', '/v1/Policies', { auth: sub })).status, 403)
    })

    it("the parent's token acts as a sub-account, and API keys act as their account", async () => {
      const parent = await newAccount(s.url, 'P2')
      const sub = await newSubAccount(s.url, parent)
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { auth: { sid: sub.sid, token: parent.token } })).status,
        200,
      )
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { auth: { sid: parent.sid, token: sub.token } })).status,
        401,
      )
      const key = await http(s.url, 'POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, {
        auth: parent,
        form: { FriendlyName: 'ci' },
      })
      assert.equal(key.status, 201)
      assert.match(key.body.sid, /^SK/)
      const eu = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: { sid: key.body.sid, token: key.body.secret },
        form: { FriendlyName: 'x', Type: 'authorized_representative_1' },
      })
      assert.equal(eu.status, 201)
      assert.equal(eu.body.account_sid, parent.sid)
      assert.equal(
        (await http(s.url, 'GET', `/2010-04-01/Accounts/${parent.sid}/Keys/${key.body.sid}.json`, { auth: parent }))
          .body.secret,
        undefined,
      )
      assert.equal(
        (await http(s.url, 'DELETE', `/2010-04-01/Accounts/${parent.sid}/Keys/${key.body.sid}.json`, { auth: parent }))
          .status,
        204,
      )
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { auth: { sid: key.body.sid, token: key.body.secret } })).status,
        401,
      )
    })

    it('an API key uses the API but manages no credentials: sub-accounts and keys take the auth token (403, 20003)', async () => {
      const parent = await newAccount(s.url, 'Keyed Co')
      const sub = await newSubAccount(s.url, parent, 'Keyed Child')
      const mkKey = async (name: string) =>
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, {
            auth: parent,
            form: { FriendlyName: name },
          })
        ).body
      const key = await mkKey('app')
      const other = await mkKey('other app')
      const asKey = { sid: key.sid, token: key.secret }
      const refused = async (method: string, path: string, form?: Record<string, string>) => {
        const r = await http(s.url, method, path, { auth: asKey, form })
        assert.equal(r.status, 403, `${method} ${path}`)
        assert.equal(r.body.code, 20003, `${method} ${path}`)
        assert.match(r.body.message, /auth token/)
      }
      await refused('POST', '/2010-04-01/Accounts.json', { FriendlyName: 'minted' })
      await refused('POST', `/2010-04-01/Accounts/${sub.sid}.json`, { Status: 'suspended' })
      await refused('POST', `/2010-04-01/Accounts/${parent.sid}.json`, { FriendlyName: 'Renamed by key' })
      await refused('POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, { FriendlyName: 'minted' })
      await refused('GET', `/2010-04-01/Accounts/${parent.sid}/Keys.json`)
      await refused('GET', `/2010-04-01/Accounts/${parent.sid}/Keys/${other.sid}.json`)
      await refused('DELETE', `/2010-04-01/Accounts/${parent.sid}/Keys/${other.sid}.json`)
      // Nothing changed: no new sub-account, the sub-account active, the other key alive.
      const accounts = await http(s.url, 'GET', '/2010-04-01/Accounts.json', { auth: asKey })
      assert.equal(accounts.status, 200, 'reading accounts stays open to a key')
      assert.deepEqual(accounts.body.accounts.map((a: any) => [a.friendly_name, a.status]).sort(), [
        ['Keyed Child', 'active'],
        ['Keyed Co', 'active'],
      ])
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { auth: { sid: other.sid, token: other.secret } })).status,
        200,
      )
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUsers', { auth: asKey })).status,
        200,
        'the key still works where keys may',
      )
      // The auth token, and the parent's token acting as the sub-account, may.
      assert.equal(
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${sub.sid}/Keys.json`, {
            auth: { sid: sub.sid, token: parent.token },
            form: { FriendlyName: 'child key' },
          })
        ).status,
        201,
      )
      assert.equal(
        (await http(s.url, 'DELETE', `/2010-04-01/Accounts/${parent.sid}/Keys/${other.sid}.json`, { auth: parent }))
          .status,
        204,
      )
      assert.equal(
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
            auth: parent,
            form: { Status: 'suspended' },
          })
        ).body.status,
        'suspended',
      )
    })
  })

  // Each process caches verified credentials (credential-cache.ts): a change made through
  // another process must still take effect on the very next request.
  describe(`credentials changed on another server take effect at once [${dialect}]`, () => {
    const pair = twoServersOnOneStore(dialect)

    it('a suspended sub-account is refused on the server that had cached its credentials', async () => {
      const { a, b } = pair
      const parent = await newAccount(a.url, 'P')
      const sub = await newSubAccount(a.url, parent)
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: sub })).status, 200)
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: sub })).status, 200)
      assert.equal(
        (
          await http(a.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
            auth: parent,
            form: { Status: 'suspended' },
          })
        ).status,
        200,
      )
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: sub })).status, 403)
      assert.equal(
        (
          await http(a.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
            auth: parent,
            form: { Status: 'active' },
          })
        ).status,
        200,
      )
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: sub })).status, 200)
    })

    it('a deleted API key stops working everywhere; a new sub-account is reachable everywhere', async () => {
      const { a, b } = pair
      const parent = await newAccount(a.url, 'P')
      const key = await http(a.url, 'POST', `/2010-04-01/Accounts/${parent.sid}/Keys.json`, {
        auth: parent,
        form: { FriendlyName: 'ci' },
      })
      const viaKey = { sid: key.body.sid, token: key.body.secret }
      assert.equal((await http(b.url, 'GET', '/2010-04-01/Accounts.json', { auth: viaKey })).status, 200)
      assert.equal(
        (await http(a.url, 'DELETE', `/2010-04-01/Accounts/${parent.sid}/Keys/${key.body.sid}.json`, { auth: parent }))
          .status,
        204,
      )
      assert.equal((await http(b.url, 'GET', '/2010-04-01/Accounts.json', { auth: viaKey })).status, 401)

      const before = await http(b.url, 'GET', '/2010-04-01/Accounts.json', { auth: parent })
      assert.equal(before.body.accounts.length, 1)
      const sub = await newSubAccount(a.url, parent)
      const list = await http(b.url, 'GET', '/2010-04-01/Accounts.json', { auth: parent })
      assert.deepEqual(list.body.accounts.map((x: any) => x.sid).sort(), [parent.sid, sub.sid].sort())
      assert.equal((await http(b.url, 'GET', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: parent })).status, 200)
    })
  })
}
