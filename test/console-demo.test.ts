/**
 * `stirhub demo` against a real server: both onboarding paths complete through the real API
 * and review queue, and the three signed calls come out A, B and C.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { runDemo } from '../src/cli/demo.command.js'

describe('stirhub demo', () => {
  let s: TestServer
  before(async () => { s = await startServer('sqlite') })
  after(async () => { await s?.stop() })

  it('onboards a direct customer and an ISV sub-account customer, then signs A, B and C', async () => {
    const lines: string[] = []
    const r = await runDemo({ url: s.url, op: { url: s.url, bearer: ADMIN_TOKEN }, out: (l) => lines.push(l) })
    assert.deepEqual(r.levels, ['A', 'B', 'C'])
    assert.ok(lines.some((l) => l.includes('[22/22] ✓')), 'the progress display counts every step')
    assert.equal(lines.filter((l) => l.includes("✓")).length, 22, lines.join('\n'))
    const profiles = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: r.isv })
    assert.ok(profiles.body.results.every((p: any) => p.status === 'twilio-approved'))
    const subs = await http(s.url, 'GET', '/2010-04-01/Accounts.json', { auth: r.isv })
    const pizza = subs.body.accounts.find((a: any) => a.friendly_name === 'Pizza Planet')
    const secondary = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: { sid: pizza.sid, token: r.isv.token } })
    assert.equal(secondary.body.results[0].policy_sid, 'RNdfbf3fae0e1107f8aded0e7cead80bf5')
    assert.equal(secondary.body.results[0].status, 'twilio-approved')
    // Every number was bought from the inventory the operator loaded.
    const nums = await http(s.url, 'GET', `/2010-04-01/Accounts/${r.direct.sid}/IncomingPhoneNumbers.json`, { auth: r.direct })
    assert.deepEqual(nums.body.incoming_phone_numbers.map((n: any) => n.right_to_use_origin), ['inventory', 'inventory'])
    const held = await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?Status=held', { auth: { bearer: ADMIN_TOKEN } })
    assert.equal(held.body.results.length, 4)
  })
})
