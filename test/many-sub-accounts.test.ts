/**
 * A parent account sees its sub-accounts' resources; an ISV may hold tens of thousands of them.
 * Every tenancy-scoped lookup must work past the engines' bound-parameter limits (SQLite 32 766
 * per statement), on SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { addNumber, createBundle, PRIMARY_POLICY } from './helpers/onboarding.js'

const MORE_SUB_ACCOUNTS = 33_000

for (const dialect of DIALECTS) {
  describe(`a parent with ${MORE_SUB_ACCOUNTS} sub-accounts [${dialect}]`, () => {
    let s: TestServer
    let parent: Creds
    let sub: Creds
    before(async () => {
      s = await startServer(dialect)
      parent = await newAccount(s.url, 'Big ISV')
      sub = await newSubAccount(s.url, parent, 'Customer 1')
      const db = s.running.ctx.store.db
      const now = new Date().toISOString()
      for (let c = 0; c < MORE_SUB_ACCOUNTS / 1000; c++) {
        await db
          .insertInto('accounts')
          .values(
            Array.from({ length: 1000 }, (_, i) => ({
              sid: `AC${String(c * 1000 + i).padStart(32, '0')}`,
              parent_sid: parent.sid,
              friendly_name: 'customer',
              status: 'active',
              auth_token_hash: 'x',
              auth_token_sealed: 'x',
              origid: '00000000-0000-4000-8000-000000000000',
              date_created: now,
              date_updated: now,
            })),
          )
          .execute()
      }
    })
    after(async () => {
      await s?.stop()
    })

    it("reads a sub-account's profile, end user and number, and assigns its number to the parent's profile", async () => {
      const profile = await createBundle(s.url, sub, 'CustomerProfiles', PRIMARY_POLICY)
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}`, { auth: parent })).status, 200)
      const eu = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: sub,
        form: { FriendlyName: 'rep', Type: 'authorized_representative_1', Attributes: '{}' },
      })
      assert.equal(eu.status, 201, JSON.stringify(eu.body))
      assert.equal((await http(s.url, 'GET', `/v1/EndUsers/${eu.body.sid}`, { auth: parent })).status, 200)
      const pn = await addNumber(s.url, parent, sub.sid)
      assert.equal(
        (await http(s.url, 'GET', `/2010-04-01/Accounts/${sub.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: parent }))
          .status,
        200,
      )
      const own = await createBundle(s.url, parent, 'CustomerProfiles', PRIMARY_POLICY)
      const a = await http(s.url, 'POST', `/v1/CustomerProfiles/${own}/ChannelEndpointAssignments`, {
        auth: parent,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pn },
      })
      assert.equal(a.status, 201, JSON.stringify(a.body))
      // Tenancy still holds: another account sees none of it.
      const stranger = await newAccount(s.url, 'Stranger')
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}`, { auth: stranger })).status, 404)
      assert.equal((await http(s.url, 'GET', `/v1/EndUsers/${eu.body.sid}`, { auth: stranger })).status, 404)
    })

    it('the console session counts them without listing them, and its dashboard pages and searches them', async () => {
      const signed = await http(s.url, 'POST', '/console/api/session', {
        json: { Username: parent.sid, Password: parent.token },
      })
      assert.equal(signed.status, 201)
      assert.equal(signed.body.sub_account_count, MORE_SUB_ACCOUNTS + 1)
      assert.ok(JSON.stringify(signed.body).length < 1000, 'a small session, whatever the number of sub-accounts')
      const page = await http(s.url, 'GET', '/console/api/sub-accounts?PageSize=10', { auth: parent })
      assert.equal(page.body.sub_accounts.length, 10)
      assert.ok(page.body.meta.next_page_url)
      const found = await http(s.url, 'GET', '/console/api/sub-accounts?Search=customer%201', { auth: parent })
      assert.deepEqual(
        found.body.sub_accounts.map((a: any) => a.sid),
        [sub.sid],
      )
    })
  })
}
