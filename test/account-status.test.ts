/**
 * The operator's account status (`POST /admin/v1/Accounts/{AC}`), on two servers sharing one
 * store: suspending a top-level account refuses, on the very next request of the other server
 * (whose credential cache and fast lane had just served it), its own and its sub-account's
 * API calls and signing — by its own credentials, by an SBC with the operator token and
 * X-Account-Sid, and on the SIP signing front for its SIP trunk (403 with the reason, counted) — and ends its
 * console session for good. Reactivation restores signing; closing is final. All audited.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, freePort, startServer, type TestServer } from './helpers/server.js'
import { http, newSubAccount, type Creds } from './helpers/http.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { sipp } from './helpers/sipp.js'
import { scrape } from './helpers/metrics.js'
import { signHandler } from '../src/sip/sign-front.js'
import { trunkDirectoryOf } from '../src/sip/trunk-directory.js'
import { useTrunk } from './helpers/sip-trunks.js'
import { parseSip } from '../src/sip/transport.js'

const operator = { bearer: ADMIN_TOKEN }
const call = (from: string) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: ['12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
})
const setStatus = (url: string, sid: string, Status: string) =>
  http(url, 'POST', `/admin/v1/Accounts/${sid}`, { auth: operator, json: { Status } })

for (const dialect of DIALECTS) {
  describe(`account status set by the operator [${dialect}]`, () => {
    let a: TestServer
    let b: TestServer
    let sipPort: number
    before(async () => {
      sipPort = await freePort()
      a = await startServer(dialect, {
        env: { STIRHUB_ROLES: 'api,sip', SIP_SIGN_PORT: String(sipPort), STIRHUB_SIP_TRUSTED: '127.0.0.1/32' },
      })
      b = await startServer(dialect, { shareWith: a })
    })
    after(async () => {
      await b?.stop()
      await a?.stop()
    })

    /** Signing on b by the account's credentials and by an SBC (operator token + X-Account-Sid). */
    const signs = async (w: World) => ({
      own: await http(b.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: call(w.number.phone) }),
      sbc: await http(b.url, 'POST', '/stir/v1/signing', {
        auth: operator,
        headers: { 'x-account-sid': w.caller.sid },
        json: call(w.number.phone),
      }),
    })
    /** An INVITE on w's SIP trunk (127.0.0.1/32), sipp. */
    const sipCall = (w: World) =>
      sipp(sipPort, a.dataDir, 'sign-refused-inactive', 'u1', {
        orig: w.number.phone,
        dest: '+12125551212',
        acct: w.caller.sid,
      })
    const signIn = async (c: Creds) => {
      const res = await http(a.url, 'POST', '/console/api/session', { json: { Username: c.sid, Password: c.token } })
      assert.equal(res.status, 201, JSON.stringify(res.body))
      return res.headers
        .getSetCookie()
        .map((x) => x.split(';')[0])
        .join('; ')
    }

    it('suspending a top-level account stops it and its sub-accounts on the next request everywhere; reactivating restores them', async () => {
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct-sub')
      await useTrunk(a.url, w.caller.sid)
      const cookie = await signIn(w.top)
      assert.equal((await http(a.url, 'GET', '/v1/Policies', { headers: { cookie } })).status, 200)
      for (let i = 0; i < 3; i++) {
        const r = await signs(w)
        assert.equal(r.own.status, 200, JSON.stringify(r.own.body))
        assert.equal(r.sbc.status, 200, JSON.stringify(r.sbc.body))
      }
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: w.top })).status, 200)

      const s = await setStatus(a.url, w.top.sid, 'suspended')
      assert.equal(s.status, 200, JSON.stringify(s.body))
      assert.equal(s.body.status, 'suspended')
      const r = await signs(w)
      assert.equal(r.own.status, 403, 'the sub-account of a suspended account signing with its own credentials')
      assert.equal(r.sbc.status, 403, 'an SBC signing for it')
      assert.equal(r.sbc.body.requestError.policyException.messageId, 'POL4003')
      assert.match(r.sbc.body.requestError.policyException.variables[0], /is suspended/)
      assert.ok(!JSON.stringify(r).includes('identity'))
      const api = await http(b.url, 'GET', '/v1/Policies', { auth: w.top })
      assert.equal(api.status, 403)
      assert.equal(api.body.code, 20005)
      const before403 = (await scrape(a.url)).get('stirhub_sip_sign_responses_total{status="403"}') ?? 0
      const sip = await sipCall(w)
      assert.equal(sip.code, 0, sip.out + sip.log)
      assert.match(sip.log, /STATUS SIP\/2\.0 403 Forbidden \(account suspended\) IDENTITY \n/)
      assert.equal(
        (await scrape(a.url)).get('stirhub_sip_sign_responses_total{status="403"}'),
        before403 + 1,
        'counted',
      )
      // The console session ends: 401 now, and still after the account is active again.
      assert.equal((await http(a.url, 'GET', '/v1/Policies', { headers: { cookie } })).status, 401)
      assert.equal((await http(b.url, 'GET', '/console/api/session', { headers: { cookie } })).status, 401)

      assert.equal((await setStatus(b.url, w.top.sid, 'active')).status, 200)
      const again = await signs(w)
      assert.equal(again.own.status, 200)
      assert.equal(again.sbc.status, 200)
      assert.match(again.sbc.body.signingResponse.identity, /;ppt=shaken$/)
      assert.equal(
        (await http(a.url, 'GET', '/console/api/session', { headers: { cookie } })).status,
        401,
        'an ended session stays ended',
      )

      const events = (await http(a.url, 'GET', `/admin/v1/Events?ResourceSid=${w.top.sid}`, { auth: operator })).body
        .results
      assert.deepEqual(
        events.map((e: any) => [e.type, e.actor, e.data.from, e.data.to]),
        [
          ['account.activated', 'operator', 'suspended', 'active'],
          ['account.suspended', 'operator', 'active', 'suspended'],
        ],
      )
    })

    it("a sub-account suspended on its own stays suspended when its parent comes back; the SIP front refuses its trunk's calls", async () => {
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct-sub')
      assert.equal((await setStatus(a.url, w.caller.sid, 'suspended')).status, 200)
      assert.equal((await setStatus(a.url, w.top.sid, 'suspended')).status, 200)
      assert.equal((await setStatus(a.url, w.top.sid, 'active')).status, 200)
      assert.equal((await signs(w)).own.status, 403)
      // The account is the trunk's.
      await useTrunk(a.url, w.caller.sid)
      const h = signHandler({
        trusted: ['127.0.0.1/32'],
        ...a.running.ctx.stiAs,
        trunks: trunkDirectoryOf(a.running.ctx.store, a.running.ctx.version),
      })
      const invite = parseSip!(
        [
          'INVITE sip:+12125551212@127.0.0.1 SIP/2.0',
          'Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-1',
          `From: <sip:${w.number.phone}@127.0.0.1>;tag=1`,
          'To: <sip:+12125551212@127.0.0.1>',
          'Call-ID: inactive-holder',
          'CSeq: 1 INVITE',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      )
      const res = await h(invite!, { protocol: 'UDP', address: '127.0.0.1', port: 5099 } as any)
      assert.equal(res?.status, 403)
      assert.equal(res?.reason, 'Forbidden (account suspended)')
      assert.equal((await setStatus(a.url, w.caller.sid, 'active')).status, 200)
      assert.equal((await signs(w)).own.status, 200)
    })

    it('closing is final: credentials get 401, reactivation 400; a parent closes its sub-account the same way', async () => {
      const w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      const sub = await newSubAccount(a.url, w.top)
      assert.equal(
        (await http(a.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: w.top, form: { Status: 'closed' } }))
          .status,
        200,
      )
      assert.equal(
        (await http(a.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, { auth: w.top, form: { Status: 'active' } }))
          .body.code,
        20001,
      )
      assert.equal((await setStatus(a.url, w.top.sid, 'closed')).body.status, 'closed')
      assert.equal((await http(b.url, 'GET', '/v1/Policies', { auth: w.top })).status, 401)
      assert.equal((await signs(w)).sbc.status, 403)
      const reopen = await setStatus(a.url, w.top.sid, 'active')
      assert.equal(reopen.status, 400)
      assert.equal(reopen.body.code, 20001)
      assert.match(reopen.body.message, /closing is final/)
      assert.equal((await setStatus(a.url, 'AC' + '0'.repeat(32), 'suspended')).status, 404)
      assert.equal(
        (await http(a.url, 'POST', `/admin/v1/Accounts/${w.top.sid}`, { auth: w.top, json: { Status: 'active' } }))
          .status,
        401,
        'operator only',
      )
      const events = (
        await http(a.url, 'GET', `/admin/v1/Events?Type=account.closed&AccountSid=${sub.sid}`, { auth: operator })
      ).body.results
      assert.deepEqual(
        events.map((e: any) => e.actor),
        [`account:${w.top.sid}`],
      )
    })
  })
}
