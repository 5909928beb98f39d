/**
 * Verification analytics per signer on both engines: real calls verified through `POST
 * /stir/v1/verification` with PASSporTs from three signers (certificates with SPCs 1234, 5678
 * and 9012 under one trusted intermediate), passing and failing for different reasons, placed
 * in different hours and days by the server's clock; then `GET /stir/v1/calls/analytics` (the
 * account and its sub-accounts, nobody else's) and `GET /admin/v1/calls/analytics` (all
 * inbound traffic, unnamed verifications included).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { KeyObject } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { buildTestPki, startCertServer, type CertServer } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const operator = { bearer: ADMIN_TOKEN }

/** 12:30 UTC today: calls are placed at fixed hours of fixed days around it. */
const NOON = Math.floor(Date.now() / DAY) * DAY + 12.5 * HOUR

for (const dialect of DIALECTS) {
  describe(`verification analytics per signer (${dialect})`, () => {
    let srv: TestServer
    let certs: CertServer
    let anchors: string
    let now = NOON
    let keys: Record<'s1234' | 's5678' | 's9012' | 'expired', KeyObject>
    let acct: Creds
    let sub: Creds
    let peer: Creds
    let stranger: Creds

    before(async () => {
      certs = await startCertServer()
      // Certificates valid from 11 days before today: the clock moves back up to two days.
      const pki = await buildTestPki(new Date(NOON - 10 * DAY), certs.base)
      const [s5678, s9012] = [await pki.signer('5678'), await pki.signer('9012')]
      certs.routes.set('/1234.pem', { body: pki.chainPem('good') })
      certs.routes.set('/5678.pem', { body: s5678.chain })
      certs.routes.set('/9012.pem', { body: s9012.chain })
      certs.routes.set('/expired.pem', { body: pki.chainPem('expired') })
      certs.routes.set('/crl', { body: pki.crl, headers: { 'content-type': 'application/pkix-crl' } })
      keys = { s1234: pki.leaves.good.key, s5678: s5678.key, s9012: s9012.key, expired: pki.leaves.expired.key }
      anchors = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchors-')), 'roots.pem')
      fs.writeFileSync(anchors, pki.root.pem)
      srv = await startServer(dialect, {
        clock: () => new Date(now),
        env: { STIRHUB_X5U_ALLOW: new URL(certs.base).host, STIRHUB_TRUST_ANCHORS: anchors },
      })
      acct = await newAccount(srv.url, 'Receiving Co')
      sub = await newSubAccount(srv.url, acct, 'Receiving Sub')
      peer = await newAccount(srv.url, 'Peer Co')
      stranger = await newAccount(srv.url, 'Stranger Co')
    })
    after(async () => {
      await srv?.stop()
      await certs?.close()
      if (anchors) fs.rmSync(path.dirname(anchors), { recursive: true, force: true })
    })

    const sec = () => Math.floor(now / 1000)
    type Call = {
      /** Whose certificate the x5u names. */
      x5u: '1234' | '5678' | '9012' | 'expired'
      /** Whose key signs (another signer's key: the signature does not verify). */
      key?: keyof typeof keys
      attest: 'A' | 'B' | 'C'
      iatAgo?: number
    }
    /** Verifies one call for `who` at the clock's time; returns its verstat and reason code. */
    async function verify(c: Call, who: Creds = acct) {
      const x5u = `${certs.base}/${c.x5u}.pem`
      const key = keys[c.key ?? (c.x5u === 'expired' ? 'expired' : (`s${c.x5u}` as keyof typeof keys))]
      const identity = identityOf(
        forgeJws(shakenHeader(x5u), shakenClaims(sec() - (c.iatAgo ?? 0), { attest: c.attest }), key),
        x5u,
      )
      const r = await http(srv.url, 'POST', '/stir/v1/verification', {
        auth: who,
        json: {
          verificationRequest: { from: { tn: '12155550121' }, to: { tn: ['12025550143'] }, time: sec(), identity },
        },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return r.body.verificationResponse as { verstat: string; reasoncode?: number }
    }
    const analytics = (auth: Creds | { bearer: string }, query = '', area = 'stir') =>
      http(srv.url, 'GET', `/${area}/v1/calls/analytics${query}`, { auth })

    it('counts calls per signer, level, outcome and reason, in the hours and days they were verified', async () => {
      // Two days ago: 1234 signs two A calls that pass.
      now = NOON - 2 * DAY
      for (let i = 0; i < 2; i++)
        assert.equal((await verify({ x5u: '1234', attest: 'A' })).verstat, 'TN-Validation-Passed')
      // Today 10:30: 5678 passes a B and fails two A's (signed with a key that is not its
      // certificate's); the sub-account receives a C from 9012 that passes.
      now = NOON - 2 * HOUR
      assert.equal((await verify({ x5u: '5678', attest: 'B' })).verstat, 'TN-Validation-Passed')
      for (let i = 0; i < 2; i++)
        assert.equal((await verify({ x5u: '5678', key: 's1234', attest: 'A' })).reasoncode, 438)
      assert.equal((await verify({ x5u: '9012', attest: 'C' }, sub)).verstat, 'TN-Validation-Passed')
      // Today 12:30: 1234 passes an A and fails an A on its expired certificate; 9012 fails
      // three B's; an A whose iat is ten minutes old fails before any certificate is read.
      now = NOON
      assert.equal((await verify({ x5u: '1234', attest: 'A' })).verstat, 'TN-Validation-Passed')
      assert.equal((await verify({ x5u: 'expired', attest: 'A' })).reasoncode, 437)
      for (let i = 0; i < 3; i++)
        assert.equal((await verify({ x5u: '9012', key: 's5678', attest: 'B' })).reasoncode, 438)
      assert.equal((await verify({ x5u: '1234', attest: 'A', iatAgo: 600 })).reasoncode, 403)
      // Another customer's call: the operator sees it, this account does not.
      assert.equal((await verify({ x5u: '1234', attest: 'B' }, peer)).verstat, 'TN-Validation-Passed')

      const r = await analytics(acct)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const a = r.body
      assert.equal(a.window, '7d')
      assert.equal(a.bucket, 'day')
      assert.equal(a.until, new Date(NOON).toISOString().replace('.000Z', 'Z'))
      assert.equal(a.since, new Date(NOON - 12.5 * HOUR - 6 * DAY).toISOString().replace('.000Z', 'Z'))
      const bySpc = Object.fromEntries(a.signers.map((s: { spc: string }) => [s.spc, s]))
      assert.deepEqual(bySpc['1234'], {
        spc: '1234',
        total: 4,
        passed: 3,
        failed: 1,
        attest: { A: 4, B: 0, C: 0 },
        failed_a: 1,
        reasons: { cert_expired: 1 },
      })
      assert.deepEqual(bySpc['5678'], {
        spc: '5678',
        total: 3,
        passed: 1,
        failed: 2,
        attest: { A: 2, B: 1, C: 0 },
        failed_a: 2,
        reasons: { signature_invalid: 2 },
      })
      assert.deepEqual(bySpc['9012'], {
        spc: '9012',
        total: 4,
        passed: 1,
        failed: 3,
        attest: { A: 0, B: 3, C: 1 },
        failed_a: 0,
        reasons: { signature_invalid: 3 },
      })
      // The stale call failed before its certificate was read: no signer is known.
      assert.deepEqual(bySpc[''], {
        spc: '',
        total: 1,
        passed: 0,
        failed: 1,
        attest: { A: 1, B: 0, C: 0 },
        failed_a: 1,
        reasons: { iat_stale: 1 },
      })
      assert.deepEqual(
        a.signers.map((s: { spc: string }) => s.spc),
        ['1234', '9012', '5678', ''],
        'most calls first, ties by SPC',
      )
      assert.deepEqual(a.top_failing, ['9012', '5678', '1234'])
      assert.deepEqual(a.top_failed_a, ['5678', '1234'])
      // Seven UTC days, oldest first: two calls two days ago, ten today.
      assert.equal(a.series.length, 7)
      assert.equal(a.series[6].t, `${new Date(NOON).toISOString().slice(0, 10)}T00:00:00Z`)
      assert.deepEqual(a.series[4], { t: a.series[4].t, passed: 2, failed: 0, A: 2, B: 0, C: 0 })
      assert.deepEqual(a.series[6], { t: a.series[6].t, passed: 3, failed: 7, A: 5, B: 4, C: 1 })
      assert.deepEqual(
        a.series.map((p: { passed: number; failed: number }) => p.passed + p.failed),
        [0, 0, 0, 0, 2, 0, 10],
      )
    })

    it('24h is per hour: the last 24 hours, the call two days ago left out', async () => {
      const a = (await analytics(acct, '?window=24h')).body
      assert.equal(a.bucket, 'hour')
      assert.equal(a.series.length, 24)
      assert.equal(a.series[23].t, `${new Date(NOON).toISOString().slice(0, 13)}:00:00Z`)
      assert.deepEqual(a.series[21], { t: a.series[21].t, passed: 2, failed: 2, A: 2, B: 1, C: 1 })
      assert.deepEqual(a.series[23], { t: a.series[23].t, passed: 1, failed: 5, A: 3, B: 3, C: 0 })
      assert.equal(a.signers.find((s: { spc: string }) => s.spc === '1234').passed, 1)
      for (const w of ['30d', '90d']) {
        const long = (await analytics(acct, `?window=${w}`)).body
        assert.equal(long.series.length, Number(w.slice(0, -1)))
        assert.equal(
          long.signers.reduce((n: number, s: { total: number }) => n + s.total, 0),
          12,
        )
      }
    })

    it('a customer sees its own account and its sub-accounts only; the operator sees all inbound traffic', async () => {
      const own = (await analytics(sub)).body
      assert.deepEqual(
        own.signers.map((s: { spc: string; total: number }) => [s.spc, s.total]),
        [['9012', 1]],
        "a sub-account sees its own calls, not its parent's",
      )
      const none = (await analytics(stranger)).body
      assert.deepEqual([none.signers, none.top_failing, none.top_failed_a], [[], [], []])
      assert.ok(none.series.every((p: { passed: number; failed: number }) => p.passed + p.failed === 0))
      // The operator acting for an account (X-Account-Sid) sees that account's view.
      const named = await http(srv.url, 'GET', '/stir/v1/calls/analytics', {
        auth: operator,
        headers: { 'x-account-sid': sub.sid },
      })
      assert.deepEqual(named.body.signers, own.signers)
      // Across tenants: another account named is 404, as everywhere in /stir.
      const cross = await http(srv.url, 'GET', '/stir/v1/calls/analytics', {
        auth: acct,
        headers: { 'x-account-sid': peer.sid },
      })
      assert.equal(cross.status, 404)

      // A verification no account was named for, as the SIP verify front reports one.
      const vs = srv.running.ctx.stiVs
      const x5u = `${certs.base}/5678.pem`
      const input = {
        identity: [identityOf(forgeJws(shakenHeader(x5u), shakenClaims(sec(), { attest: 'C' }), keys.s5678), x5u)],
        from: '+12155550121',
        to: ['+12025550143'],
        time: sec(),
      }
      const verdict = await vs.verifier.verify(input)
      assert.equal(verdict.reason, 'passed')
      vs.observe(undefined, input, verdict, { transport: 'sip' })
      // Counted once the recorder has looked up who holds the called number (no one: the operator's '').
      await srv.running.ctx.calls.flush()

      const all = (await analytics(operator, '', 'admin')).body
      const bySpc = Object.fromEntries(all.signers.map((s: { spc: string }) => [s.spc, s]))
      assert.equal(bySpc['1234'].total, 5, "the peer's call counts")
      assert.deepEqual(bySpc['1234'].attest, { A: 4, B: 1, C: 0 })
      assert.equal(bySpc['5678'].total, 4, 'the unnamed verification counts')
      assert.deepEqual(bySpc['5678'].attest, { A: 2, B: 1, C: 1 })
      assert.equal(
        all.series.reduce((n: number, p: { passed: number; failed: number }) => n + p.passed + p.failed, 0),
        14,
      )
      assert.deepEqual(all.top_failing, ['9012', '5678', '1234'])
      // Operator only: a customer's credentials are refused.
      assert.equal((await analytics(acct, '', 'admin')).status, 401)
    })

    it('refuses a window it does not know, naming the field', async () => {
      for (const q of ['?window=1y', '?window=', '?window=7D', '?window=24h&window=7d']) {
        const c = await analytics(acct, q)
        assert.equal(c.status, 400, `${q}: ${JSON.stringify(c.body)}`)
        assert.equal(c.body.requestError.serviceException.messageId, 'SVC4005')
        assert.equal(c.body.requestError.serviceException.variables[0], 'window')
        const o = await analytics(operator, q, 'admin')
        assert.equal(o.status, 400, `${q}: ${JSON.stringify(o.body)}`)
        assert.match(o.body.message, /window/)
      }
    })
  })
}
