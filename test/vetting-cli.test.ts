import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { addAddress, makeCompliantProfile, randomUsNumber, submit } from './helpers/onboarding.js'
import { fileOrder, ORDERS } from './helpers/hosted-numbers.js'
import { runCli, runCliInProcess } from './helpers/cli.js'

// The CLI is an HTTP client: the engine behind the server does not change what it does, so
// it runs against the first configured engine only. One command runs through the real binary
// (its wiring); the rest run the same commander program in-process (a CLI start costs seconds).
for (const dialect of DIALECTS.slice(0, 1)) {
  describe(`stirhub reviews CLI [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('a reviewer lists, claims and approves from the shell; bad codes fail with the API message', async () => {
      const acct = await newAccount(s.url, 'Shell Co')
      const bu = await makeCompliantProfile(s.url, acct)
      await submit(s.url, acct, 'CustomerProfiles', bu)
      const made = await runCliInProcess([
        'reviewers',
        'create',
        '--name',
        'Cli Reviewer',
        '--email',
        'cli@ops.example.com',
        '--url',
        s.url,
        '--token',
        ADMIN_TOKEN,
      ])
      assert.equal(made.code, 0, made.err)
      const token = /Token\s+(\S+)/.exec(made.out)![1]!
      const env = { STIRHUB_URL: s.url, STIRHUB_REVIEWER_TOKEN: token, STIRHUB_ADMIN_TOKEN: '' }

      const list = await runCli(['reviews', 'list'], env)
      assert.equal(list.code, 0, list.err)
      assert.match(list.out, new RegExp(`${bu}\\s+customer-profile\\s+pending-review\\s+due \\S+\\s+unclaimed`))
      const opts = ['--url', s.url, '--token', token]
      const claimed = await runCliInProcess(['reviews', 'claim', bu, ...opts])
      assert.equal(claimed.code, 0, claimed.err)
      assert.match(claimed.out, /status in-review/)
      assert.match(claimed.out, /ok {3}policy_requirements: all requirements/)
      const bad = await runCliInProcess(['reviews', 'reject', bu, '--errors', '18699', '--reason', 'x', ...opts])
      assert.notEqual(bad.code, 0)
      assert.match(bad.err, /400 \(20001\).*18699 is not a rejection code/)
      // The fixture's representative has a fiction number: approving needs a stated reason.
      const unreasoned = await runCliInProcess(['reviews', 'approve', bu, ...opts])
      assert.notEqual(unreasoned.code, 0)
      assert.match(unreasoned.err, /400 \(22218\).*failed checks: representative_phones/)
      const ok = await runCliInProcess([
        'reviews',
        'approve',
        bu,
        '--override-reason',
        'Called the representative',
        ...opts,
      ])
      assert.equal(ok.code, 0, ok.err)
      assert.match(ok.out, /status twilio-approved/)
      assert.equal(
        (await http(s.url, 'GET', `/v1/CustomerProfiles/${bu}`, { auth: acct })).body.status,
        'twilio-approved',
      )
    })

    it('hosted-number orders: listed by kind, shown with their LOA, rejected with a reason and no codes', async () => {
      const acct = await newAccount(s.url, 'Shell Hosting')
      const phone = randomUsNumber()
      const hr = (await fileOrder(s.url, acct, phone, await addAddress(s.url, acct))).body.sid
      const opts = ['--url', s.url, '--token', ADMIN_TOKEN]
      const list = await runCliInProcess(['reviews', 'list', '--kind', 'hosted-number-order', ...opts])
      assert.match(list.out, new RegExp(`${hr}\\s+hosted-number-order\\s+pending-review`))
      const claimed = await runCliInProcess(['reviews', 'claim', hr, ...opts])
      assert.equal(claimed.code, 0, claimed.err)
      assert.match(claimed.out, new RegExp(`number \\${phone}  LOA signed by Jane Doe <jane@acme.example.com>, CEO`))
      assert.match(
        claimed.out,
        /FAIL loa_signer_is_representative: the account has no approved primary business profile/,
      )
      const rejected = await runCliInProcess([
        'reviews',
        'reject',
        hr,
        '--reason',
        'No business profile to check the LOA against',
        ...opts,
      ])
      assert.equal(rejected.code, 0, rejected.err)
      assert.match(rejected.out, /status twilio-rejected/)
      const order = (await http(s.url, 'GET', `${ORDERS}/${hr}`, { auth: acct })).body
      assert.deepEqual([order.status, order.failure_reason], ['failed', 'No business profile to check the LOA against'])
    })
  })
}
