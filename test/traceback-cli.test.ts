/**
 * `stirhub traceback`: an HTTP client of POST /admin/v1/traceback, so it runs against the first
 * configured engine only. One run goes through the real binary (its wiring); the rest run the
 * same commander program in-process.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import {
  addNumber,
  assignNumber,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  submitAndApprove,
} from './helpers/onboarding.js'
import { runCli, runCliInProcess } from './helpers/cli.js'

for (const dialect of DIALECTS.slice(0, 1)) {
  describe(`stirhub traceback [${dialect}]`, () => {
    let s: TestServer
    let account: string
    let profile: string
    let phone: string
    let identity: string
    let iat: number
    before(async () => {
      s = await startServer(dialect)
      const c = await newAccount(s.url, 'Shell Caller Co')
      account = c.sid
      profile = await makeApprovedPrimaryProfile(s.url, c)
      const pn = await addNumber(s.url, c)
      phone = (await http(s.url, 'GET', `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: c }))
        .body.phone_number
      await assignNumber(s.url, c, 'CustomerProfiles', profile, pn)
      const tp = await makeTrustProduct(s.url, c, profile, [pn])
      await submitAndApprove(s.url, c, 'TrustProducts', tp)
      iat = Math.floor(Date.now() / 1000)
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: c,
        json: {
          signingRequest: {
            attest: 'A',
            dest: { tn: ['12025550143'] },
            iat,
            orig: { tn: phone },
            origid: randomUUID(),
          },
        },
      })
      identity = r.body.signingResponse.identity
      await s.running.ctx.calls.flush()
    })
    after(async () => {
      await s.stop()
    })
    const opts = () => ['--url', s.url, '--token', ADMIN_TOKEN]

    it('--identity prints who placed the call, the business, the number and why (the real binary)', async () => {
      const r = await runCli(['traceback', '--identity', identity], {
        STIRHUB_URL: s.url,
        STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      })
      assert.equal(r.code, 0, r.err)
      assert.match(r.out, /^Signed by us {4}certificate CR[0-9a-f]{32} \(active\)/m)
      assert.match(
        r.out,
        new RegExp(`^Call {12}CL[0-9a-f]{32} .* rest {2}\\${phone} → \\+12025550143 {2}attest A$`, 'm'),
      )
      assert.match(r.out, new RegExp(`^Account {9}${account} {2}Shell Caller Co {2}\\(active\\)$`, 'm'))
      assert.match(r.out, new RegExp(`^Business {8}Acme Inc {2}\\(profile ${profile}, twilio-approved`, 'm'))
      assert.match(r.out, /^Registration {4}EIN, 12-3456789$/m)
      assert.match(r.out, /^Address {9}1 Main St, San Francisco, CA 94105, US$/m)
      assert.match(r.out, /^Representative {2}Jane Doe, CEO, jane@acme\.example\.com/m)
      assert.match(r.out, /^Trust product {3}BU[0-9a-f]{32} {2}twilio-approved/m)
      assert.match(r.out, new RegExp(`^Number {10}\\${phone} {2}origin inventory when signed`, 'm'))
      assert.match(r.out, /^Decision {8}A {2}\(full-attestation\)\nWhy:\n {2}- /m)
    })

    it('--origid --orig --dest --time, --json, a header not ours, and a bad body', async () => {
      const origid = JSON.parse(Buffer.from(identity.split('.')[1]!, 'base64url').toString()).origid
      const j = await runCliInProcess([
        'traceback',
        '--origid',
        origid,
        '--orig',
        phone,
        '--dest',
        '+1 202 555 0143',
        '--time',
        String(iat),
        '--json',
        ...opts(),
      ])
      assert.equal(j.code, 0, j.err)
      const answer = JSON.parse(j.out)
      assert.equal(answer.account.sid, account)
      assert.equal(answer.calls.length, 1)
      const [h, p, sig] = identity.split(';')[0]!.split('.')
      const forged = `${h}.${p}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`
      const notOurs = await runCliInProcess(['traceback', '--identity', forged, ...opts()])
      assert.equal(notOurs.code, 0, notOurs.err)
      assert.match(notOurs.out, /^NOT signed by this platform: the signature does not verify/)
      const bad = await runCliInProcess(['traceback', '--origid', 'nope', ...opts()])
      assert.notEqual(bad.code, 0)
      assert.match(bad.err, /400 \(20001\).*origid/)
      const none = await runCliInProcess(['traceback', '--url', s.url, '--token', ''])
      assert.notEqual(none.code, 0)
    })
  })
}
