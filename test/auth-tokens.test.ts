/**
 * Twilio's secondary-token flow (accounts v1 AuthTokens) driven by the official `twilio` SDK:
 * both tokens authenticate while both exist; promotion ends the old primary, and deletion the
 * secondary, on the very next request of every server sharing the store — one whose
 * credential cache (and fast lane) had just verified it included.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sdk } from './helpers/twilio-sdk.js'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, twoServersOnOneStore } from './helpers/server.js'
import { http } from './helpers/http.js'
import { buildWorld } from './helpers/attestation-world.js'

const call = (from: string) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: ['12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
})
const status = async (p: Promise<unknown>) => {
  try {
    await p
    return 200
  } catch (e: any) {
    return e.status as number
  }
}

for (const dialect of DIALECTS) {
  describe(`auth tokens: secondary, promotion, deletion [${dialect}]`, () => {
    const pair = twoServersOnOneStore(dialect)

    it('promotion: both tokens work, then the old primary gets 401 on the next request of the other server (API and signing)', async () => {
      const { a, b } = pair
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const old = w.top
      const sign = (token: string) =>
        http(b.url, 'POST', '/stir/v1/signing', { auth: { sid: old.sid, token }, json: call(w.number.phone) })
      // b verifies the primary and keeps it: the API's cache and the fast lane's.
      for (let i = 0; i < 3; i++) assert.equal((await sign(old.token)).status, 200)
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: old })).status, 200)

      const secondary = await sdk(a.url, old).accounts.v1.secondaryAuthToken().create()
      assert.equal(secondary.accountSid, old.sid)
      assert.match(secondary.secondaryAuthToken, /^[0-9a-f]{32}$/)
      assert.ok(secondary.dateCreated instanceof Date && !Number.isNaN(secondary.dateCreated.getTime()))
      assert.equal(secondary.url, `${a.url}/v1/AuthTokens/Secondary`)
      const next = { sid: old.sid, token: secondary.secondaryAuthToken }
      assert.equal(
        (await http(b.url, 'GET', '/v1/Policies', { auth: next })).status,
        200,
        'the secondary authenticates',
      )
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: old })).status, 200, 'the primary still does')
      assert.equal((await sign(next.token)).status, 200)

      const promoted = await sdk(a.url, next).accounts.v1.authTokenPromotion().update()
      assert.equal(promoted.accountSid, old.sid)
      assert.equal(promoted.authToken, next.token)
      assert.equal(promoted.url, `${a.url}/v1/AuthTokens/Promote`)
      assert.equal((await sign(old.token)).status, 401, 'old primary signing on the other server')
      assert.equal(
        (await http(b.url, 'GET', '/v1/Policies', { auth: old })).status,
        401,
        'old primary on the other server',
      )
      assert.equal((await http(a.url, 'GET', '/v1/Policies', { auth: old })).status, 401, 'old primary on this server')
      assert.equal((await sign(next.token)).status, 200, 'the promoted token signs')
      assert.equal((await http(b.url, 'GET', `/2010-04-01/Accounts/${old.sid}.json`, { auth: next })).status, 200)
      // Nothing left to promote: Twilio's 404.
      assert.equal(await status(sdk(a.url, next).accounts.v1.authTokenPromotion().update()), 404)

      const events = await http(a.url, 'GET', `/admin/v1/Events?AccountSid=${old.sid}`, {
        auth: { bearer: ADMIN_TOKEN },
      })
      const types = events.body.results.map((e: any) => `${e.type} ${e.actor}`)
      assert.ok(types.includes(`auth_token.secondary_created account:${old.sid}`), types.join(', '))
      assert.ok(types.includes(`auth_token.promoted account:${old.sid}`), types.join(', '))
      assert.ok(!JSON.stringify(events.body).includes(next.token), 'no event holds a token')
    })

    it('deleting the secondary ends it on the next request everywhere; the primary goes on; API keys may not manage tokens', async () => {
      const { a, b } = pair
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const client = sdk(a.url, w.top)
      const secondary = {
        sid: w.top.sid,
        token: (await client.accounts.v1.secondaryAuthToken().create()).secondaryAuthToken,
      }
      for (let i = 0; i < 2; i++)
        assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: secondary })).status, 200)
      // A new secondary replaces the old one.
      const replaced = {
        sid: w.top.sid,
        token: (await client.accounts.v1.secondaryAuthToken().create()).secondaryAuthToken,
      }
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: secondary })).status, 401, 'a replaced secondary')
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: replaced })).status, 200)
      assert.equal(await client.accounts.v1.secondaryAuthToken().remove(), true)
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: replaced })).status, 401, 'a deleted secondary')
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: w.top })).status, 200, 'the primary stays')
      assert.equal(await status(client.accounts.v1.secondaryAuthToken().remove()), 404, 'nothing to delete')

      const key = await http(a.url, 'POST', `/2010-04-01/Accounts/${w.top.sid}/Keys.json`, {
        auth: w.top,
        form: { FriendlyName: 'ci' },
      })
      const viaKey = { sid: key.body.sid, token: key.body.secret }
      for (const path of ['/v1/AuthTokens/Secondary', '/v1/AuthTokens/Promote']) {
        assert.equal((await http(a.url, 'POST', path, { auth: viaKey })).status, 403, `${path} with an API key`)
      }
      const types = (
        await http(a.url, 'GET', `/admin/v1/Events?AccountSid=${w.top.sid}&Type=auth_token.secondary_deleted`, {
          auth: { bearer: ADMIN_TOKEN },
        })
      ).body.results
      assert.equal(types.length, 1)
    })
  })
}
