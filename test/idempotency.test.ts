import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'

for (const dialect of DIALECTS) {
  describe(`idempotent retries [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('a retried POST with the same token replays the first response and creates nothing new', async () => {
      const a = await newAccount(s.url)
      const form = { FriendlyName: 'rep', Type: 'authorized_representative_1' }
      const headers = { 'I-Twilio-Idempotency-Token': 'retry-1' }
      const first = await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form, headers })
      const second = await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form, headers })
      assert.equal(first.status, 201)
      assert.equal(second.status, 201)
      assert.equal(second.body.sid, first.body.sid)
      assert.equal(second.headers.get('i-twilio-idempotency-replayed'), 'true')
      const list = await http(s.url, 'GET', '/v1/EndUsers', { auth: a })
      assert.equal(list.body.results.length, 1)
    })

    it("keeps a new API key's secret and a new sub-account's auth token sealed in the store; the retry still gets them", async () => {
      const a = await newAccount(s.url)
      const stored = async (key: string) =>
        await s.running.ctx.store.db
          .selectFrom('idempotency_keys')
          .select(['body', 'status_code'])
          .where('account_sid', '=', a.sid)
          .where('key', '=', key)
          .executeTakeFirstOrThrow()
      const keyPath = `/2010-04-01/Accounts/${a.sid}/Keys.json`
      const keyHeaders = { 'I-Twilio-Idempotency-Token': 'new-key-1' }
      const first = await http(s.url, 'POST', keyPath, { auth: a, form: { FriendlyName: 'ci' }, headers: keyHeaders })
      assert.equal(first.status, 201)
      assert.match(first.body.secret, /^[0-9A-Za-z]{16,}$/)
      const keyRow = await stored('new-key-1')
      assert.equal(keyRow.status_code, 201)
      assert.ok(keyRow.body, 'the body is kept')
      assert.ok(!keyRow.body.includes(first.body.secret), 'no secret in clear')
      assert.ok(!keyRow.body.includes(first.body.sid), 'the kept body is sealed whole')
      const again = await http(s.url, 'POST', keyPath, { auth: a, form: { FriendlyName: 'ci' }, headers: keyHeaders })
      assert.equal(again.headers.get('i-twilio-idempotency-replayed'), 'true')
      assert.equal(again.status, 201)
      assert.deepEqual(again.body, first.body)

      const subHeaders = { 'I-Twilio-Idempotency-Token': 'new-sub-1' }
      const sub = await http(s.url, 'POST', '/2010-04-01/Accounts.json', {
        auth: a,
        form: { FriendlyName: 'Sub' },
        headers: subHeaders,
      })
      assert.equal(sub.status, 201)
      assert.match(sub.body.auth_token, /^[0-9a-f]{32}$/)
      assert.ok(!(await stored('new-sub-1')).body!.includes(sub.body.auth_token), 'no auth token in clear')
      const subAgain = await http(s.url, 'POST', '/2010-04-01/Accounts.json', {
        auth: a,
        form: { FriendlyName: 'Sub' },
        headers: subHeaders,
      })
      assert.equal(subAgain.headers.get('i-twilio-idempotency-replayed'), 'true')
      assert.deepEqual(subAgain.body, sub.body)
    })

    it('the same token on a different request is refused; tokens are per account; no token means no dedupe', async () => {
      const a = await newAccount(s.url)
      const b = await newAccount(s.url)
      const headers = { 'I-Twilio-Idempotency-Token': 'shared' }
      assert.equal(
        (
          await http(s.url, 'POST', '/v1/EndUsers', {
            auth: a,
            form: { FriendlyName: 'x', Type: 'authorized_representative_1' },
            headers,
          })
        ).status,
        201,
      )
      const clash = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { FriendlyName: 'y', Type: 'authorized_representative_1' },
        headers,
      })
      assert.equal(clash.status, 400)
      assert.match(clash.body.message, /Idempotency/)
      assert.equal(
        (
          await http(s.url, 'POST', '/v1/EndUsers', {
            auth: b,
            form: { FriendlyName: 'y', Type: 'authorized_representative_1' },
            headers,
          })
        ).status,
        201,
      )
      await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { FriendlyName: 'z', Type: 'authorized_representative_1' },
      })
      await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { FriendlyName: 'z', Type: 'authorized_representative_1' },
      })
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { auth: a })).body.results.length, 3)
    })
  })
}
