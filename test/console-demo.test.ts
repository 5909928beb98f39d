/**
 * `stirhub demo` against a real server: both onboarding paths and a hosted-number order
 * complete through the real API and review queue, and the four signed calls come out A, B, C
 * and A (the hosted number).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { runDemo } from '../src/cli/demo.command.js'

describe('stirhub demo', () => {
  let s: TestServer
  before(async () => {
    s = await startServer('sqlite')
  })
  after(async () => {
    await s?.stop()
  })

  it('onboards a direct customer and an ISV sub-account customer, hosts a number, then signs A, B, C and A', async () => {
    const lines: string[] = []
    const r = await runDemo({ url: s.url, op: { url: s.url, bearer: ADMIN_TOKEN }, out: (l) => lines.push(l) })
    assert.deepEqual(r.levels, ['A', 'B', 'C', 'A'])
    assert.ok(
      lines.some((l) => l.includes('[27/27] ✓')),
      'the progress display counts every step',
    )
    assert.equal(lines.filter((l) => l.includes('✓')).length, 27, lines.join('\n'))
    const profiles = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: r.isv })
    assert.ok(profiles.body.results.every((p: any) => p.status === 'twilio-approved'))
    const subs = await http(s.url, 'GET', '/2010-04-01/Accounts.json', { auth: r.isv })
    const pizza = subs.body.accounts.find((a: any) => a.friendly_name === 'Pizza Planet')
    const secondary = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: { sid: pizza.sid, token: r.isv.token } })
    assert.equal(secondary.body.results[0].policy_sid, 'RNdfbf3fae0e1107f8aded0e7cead80bf5')
    assert.equal(secondary.body.results[0].status, 'twilio-approved')
    // Every number was bought from the inventory the operator loaded.
    const nums = await http(s.url, 'GET', `/2010-04-01/Accounts/${r.direct.sid}/IncomingPhoneNumbers.json`, {
      auth: r.direct,
    })
    assert.deepEqual(nums.body.incoming_phone_numbers.map((n: any) => n.right_to_use_origin).sort(), [
      'hosted',
      'inventory',
      'inventory',
    ])
    // The hosted number came through an order a reviewer approved.
    const orders = await http(s.url, 'GET', '/v2/HostedNumber/Orders', { auth: r.direct })
    assert.deepEqual(
      orders.body.items.map((o: any) => o.status),
      ['completed'],
    )
    const decided = await http(s.url, 'GET', `/admin/v1/Reviews?Status=twilio-approved&Kind=hosted-number-order`, {
      auth: { bearer: ADMIN_TOKEN },
    })
    assert.deepEqual(
      decided.body.results.map((x: any) => x.bundle_sid),
      [orders.body.items[0].sid],
    )
    const held = await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?Status=held', {
      auth: { bearer: ADMIN_TOKEN },
    })
    assert.equal(held.body.results.length, 4)
  })
})
