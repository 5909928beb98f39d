import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'

for (const dialect of DIALECTS) {
  describe(`idempotent retries [${dialect}]`, () => {
    let s: TestServer
    before(async () => { s = await startServer(dialect) })
    after(async () => { await s.stop() })

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

    it('the same token on a different request is refused; tokens are per account; no token means no dedupe', async () => {
      const a = await newAccount(s.url)
      const b = await newAccount(s.url)
      const headers = { 'I-Twilio-Idempotency-Token': 'shared' }
      assert.equal((await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form: { FriendlyName: 'x', Type: 'authorized_representative_1' }, headers })).status, 201)
      const clash = await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form: { FriendlyName: 'y', Type: 'authorized_representative_1' }, headers })
      assert.equal(clash.status, 400)
      assert.match(clash.body.message, /Idempotency/)
      assert.equal((await http(s.url, 'POST', '/v1/EndUsers', { auth: b, form: { FriendlyName: 'y', Type: 'authorized_representative_1' }, headers })).status, 201)
      await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form: { FriendlyName: 'z', Type: 'authorized_representative_1' } })
      await http(s.url, 'POST', '/v1/EndUsers', { auth: a, form: { FriendlyName: 'z', Type: 'authorized_representative_1' } })
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { auth: a })).body.results.length, 3)
    })
  })
}
