/**
 * `stirhub demo` against a real server: both onboarding paths and a hosted-number order
 * complete through the real API and review queue, the four signed calls come out A, B, C
 * and A (the hosted number), two of them verify, and all six are on record.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { runDemo } from '../src/cli/demo.command.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

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
    assert.deepEqual(r.verified, ['TN-Validation-Passed', 'TN-Validation-Passed'])
    assert.ok(
      lines.some((l) => l.includes('[29/29] ✓')),
      'the progress display counts every step',
    )
    assert.equal(lines.filter((l) => l.includes('✓')).length, 29, lines.join('\n'))
    // The calls are on record, written by the server's own timer (the demo cannot flush it).
    const records = async () =>
      s.running.ctx.store.db
        .selectFrom('call_records')
        .select(['kind', 'attest', 'account_sid', 'reason', 'rule'])
        .orderBy('date_created')
        .execute()
    for (let i = 0; i < 40 && (await records()).length < 6; i++) await sleep(100)
    const recorded = await records()
    assert.deepEqual(
      recorded.filter((c) => c.kind === 'signed').map((c) => c.attest),
      ['A', 'B', 'C', 'A'],
    )
    assert.ok(recorded.filter((c) => c.kind === 'signed').every((c) => c.rule !== null))
    assert.deepEqual(
      recorded.filter((c) => c.kind === 'verified').map((c) => [c.attest, c.reason, c.account_sid]),
      [
        ['A', 'passed', r.isv.sid],
        ['C', 'passed', r.isv.sid],
      ],
    )
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
