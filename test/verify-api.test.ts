/**
 * `POST /stir/v1/verification` over real HTTP on both engines: outcomes as 200 with verstat
 * and reason fields, malformed calls as ATIS SVC errors, auth like signing, per-account policy
 * and outcome counters by reason and SPC, fuzzed input never a 5xx.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buildTestPki, serveRepository, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'

const nowSec = () => Math.floor(Date.now() / 1000)

for (const dialect of DIALECTS) {
  describe(`STI-VS REST (${dialect})`, () => {
    let srv: TestServer
    let certs: CertServer
    let pki: TestPki
    let acct: Creds
    let other: Creds
    let anchors: string

    before(async () => {
      certs = await startCertServer()
      pki = await buildTestPki(new Date(), certs.base)
      serveRepository(certs, pki)
      anchors = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchors-')), 'roots.pem')
      fs.writeFileSync(anchors, pki.root.pem)
      srv = await startServer(dialect, {
        env: { STIRHUB_X5U_ALLOW: new URL(certs.base).host, STIRHUB_TRUST_ANCHORS: anchors },
      })
      acct = await newAccount(srv.url, 'Verifier Co')
      other = await newAccount(srv.url, 'Other Co')
    })
    after(async () => {
      await srv.stop()
      await certs.close()
      fs.rmSync(path.dirname(anchors), { recursive: true, force: true })
    })

    const x5u = () => `${certs.base}/sp.pem`
    const request = (identity: unknown, over: Record<string, unknown> = {}) => ({
      verificationRequest: {
        from: { tn: '12155550121' },
        to: { tn: ['12025550143'] },
        time: nowSec(),
        identity,
        ...over,
      },
    })
    const goodIdentity = () =>
      identityOf(forgeJws(shakenHeader(x5u()), shakenClaims(nowSec()), pki.leaves.good.key), x5u())
    const post = (
      json: unknown,
      auth: Creds | { bearer: string } | null = acct,
      headers: Record<string, string> = {},
    ) => http(srv.url, 'POST', '/stir/v1/verification', { auth, json, headers })

    it('answers a good call TN-Validation-Passed, echoing X-RequestID', async () => {
      const r = await post(request(goodIdentity()), acct, { 'x-requestid': 'req-1' })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.deepEqual(r.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } })
      assert.equal(r.headers.get('x-requestid'), 'req-1')
    })

    it('answers failures with 200, verstat and reason fields', async () => {
      const forged = identityOf(forgeJws(shakenHeader(x5u()), shakenClaims(nowSec()), pki.leaves.revoked.key), x5u())
      const r = await post(request(forged))
      assert.equal(r.status, 200)
      assert.deepEqual(r.body.verificationResponse, {
        verstat: 'TN-Validation-Failed',
        reasoncode: 438,
        reasontext: 'Invalid Identity Header',
        reasondesc: 'PASSporT signature validation failed',
      })
      const stale = await post(request(goodIdentity(), { time: nowSec() - 600 }))
      assert.equal(stale.body.verificationResponse.reasoncode, 403)
      assert.equal(stale.body.verificationResponse.verstat, 'No-TN-Validation')
      const mismatch = await post(request(goodIdentity(), { from: { tn: '+1 215 555 0199' } }))
      assert.equal(mismatch.body.verificationResponse.reasoncode, 438)
    })

    it('an API-only process fetches the CRLs its signers name and refuses a revoked certificate', async () => {
      const revokedUrl = `${certs.base}/revoked.pem`
      const revoked = () =>
        identityOf(forgeJws(shakenHeader(revokedUrl), shakenClaims(nowSec()), pki.leaves.revoked.key), revokedUrl)
      let r = await post(request(revoked()))
      // The CRL URL is learned from the first path validated; the process fetches it moments later.
      for (let i = 0; i < 150 && r.body.verificationResponse?.reasoncode !== 437; i++) {
        await new Promise((res) => setTimeout(res, 100))
        r = await post(request(revoked()))
      }
      assert.deepEqual(r.body.verificationResponse, {
        verstat: 'TN-Validation-Failed',
        reasoncode: 437,
        reasontext: 'Unsupported Credential',
        reasondesc: r.body.verificationResponse.reasondesc,
      })
      assert.match(r.body.verificationResponse.reasondesc, /revoked/i)
      assert.equal((await post(request(goodIdentity()))).body.verificationResponse.verstat, 'TN-Validation-Passed')
    })

    it('verifies a forwarded call whose Identity headers come joined in one value (shaken, div)', async () => {
      const div = (key: 'good' | 'revoked') =>
        identityOf(
          forgeJws(
            { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: x5u() },
            { dest: { tn: ['12025550188'] }, div: { tn: '12025550143' }, iat: nowSec(), orig: { tn: '12155550121' } },
            pki.leaves[key].key,
          ),
          x5u(),
          ';alg=ES256;ppt=div',
        )
      const forwarded = (key: 'good' | 'revoked') =>
        request(`${goodIdentity()}, ${div(key)}`, { to: { tn: ['12025550188'] } })
      assert.deepEqual((await post(forwarded('good'))).body, {
        verificationResponse: {
          verstat: 'TN-Validation-Passed',
          diversion: [{ from: '12025550143', to: ['12025550188'], spc: '1234', status: 'verified' }],
        },
      })
      assert.equal((await post(forwarded('revoked'))).body.verificationResponse.verstat, 'TN-Validation-Failed')
      // Without the div, the called number is not the PASSporT's.
      assert.equal(
        (await post(request(goodIdentity(), { to: { tn: ['12025550188'] } }))).body.verificationResponse.reasoncode,
        438,
      )
    })

    it('refuses malformed calls with the SVC catalogue (E1/E2)', async () => {
      const cases: [unknown, number, string, string?][] = [
        [{}, 400, 'SVC4001', 'verificationRequest'],
        [{ verificationRequest: { from: { tn: '1' }, to: { tn: ['2'] }, time: nowSec() } }, 400, 'SVC4001', 'identity'],
        [request(goodIdentity(), { from: undefined }), 400, 'SVC4001', 'from'],
        [request(goodIdentity(), { to: { tn: '12025550143' } }), 400, 'SVC4005', 'to'],
        [request(goodIdentity(), { time: '1700000000' }), 400, 'SVC4005', 'time'],
        [request(42), 400, 'SVC4005', 'identity'],
        [request(goodIdentity(), { from: { tn: 'Bob' } }), 400, 'SVC4005', 'from'],
        [[1, 2], 400, 'SVC4006'],
      ]
      for (const [json, status, id, variable] of cases) {
        const r = await post(json)
        assert.equal(r.status, status, JSON.stringify([json, r.body]))
        const ex = r.body.requestError.serviceException
        assert.equal(ex.messageId, id)
        if (variable) assert.equal(ex.variables[0], variable)
      }
      const ct = await http(srv.url, 'POST', '/stir/v1/verification', {
        auth: acct,
        raw: 'x',
        headers: { 'content-type': 'text/plain' },
      })
      assert.equal(ct.status, 415)
      const bad = await http(srv.url, 'POST', '/stir/v1/verification', {
        auth: acct,
        raw: '{"verificationRequest":',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(bad.status, 400)
      assert.equal(bad.body.requestError.serviceException.messageId, 'SVC4006')
      assert.equal((await http(srv.url, 'GET', '/stir/v1/verification', { auth: acct })).status, 405)
    })

    it('authenticates like signing: 401 without credentials, operator with X-Account-Sid, 404 for another tenant', async () => {
      assert.equal((await post(request(goodIdentity()), null)).status, 401)
      const op = await post(request(goodIdentity()), { bearer: ADMIN_TOKEN }, { 'x-account-sid': acct.sid })
      assert.equal(op.body.verificationResponse.verstat, 'TN-Validation-Passed')
      const cross = await post(request(goodIdentity()), acct, { 'x-account-sid': other.sid })
      assert.equal(cross.status, 404)
    })

    it('turns fuzzed Identity values into verdicts, never a 5xx', async () => {
      const good = goodIdentity()
      const jws = good.split(';')[0]!
      const fuzz = [
        '',
        ';;;',
        'a.b.c',
        '..',
        '....',
        'x'.repeat(20_000),
        good.slice(0, 50),
        good + ';info',
        '<<<>>>',
        '"unterminated',
        `${jws};info=<${'a'.repeat(5000)}>`,
        `${jws};info=<https://169.254.169.254/latest>`,
        `${jws};info=<file:///etc/passwd>`,
        `${Buffer.from('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[').toString('base64url')}.e30.AAAA;info=<${x5u()}>`,
        `${Buffer.from('{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":["a"]}').toString('base64url')}.e30.AAAA;info=<${x5u()}>`,
        '\u0000\u0001\u0002',
        '☃.☃.☃;info=<☃>',
      ]
      for (const f of fuzz) {
        const r = await post(request(f))
        assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${r.status} for ${f.slice(0, 40)}`)
        if (r.status === 200) assert.notEqual(r.body.verificationResponse.verstat, 'TN-Validation-Passed')
      }
    })

    it('follows the trust anchors file: a withdrawn root stops passing at the next check, a restored one passes again', async () => {
      const vs = srv.running.ctx.stiVs
      const verstat = async () => (await post(request(goodIdentity()))).body.verificationResponse
      assert.equal((await verstat()).verstat, 'TN-Validation-Passed') // cached chain
      const touch = (pem: string, at: number) => {
        fs.writeFileSync(anchors, pem)
        fs.utimesSync(anchors, at, at)
      }
      try {
        touch('', Date.now() / 1000 + 10)
        vs.refreshTrust()
        const refused = await verstat()
        assert.equal(refused.verstat, 'TN-Validation-Failed')
        assert.equal(refused.reasoncode, 437, JSON.stringify(refused))
      } finally {
        touch(pki.root.pem, Date.now() / 1000 + 20)
        vs.refreshTrust()
      }
      assert.equal((await verstat()).verstat, 'TN-Validation-Passed')
    })

    it('counts outcomes by reason and SPC, and keeps a per-account verify policy', async () => {
      const before = await http(srv.url, 'GET', '/stir/v1/verification/stats', { auth: other })
      assert.deepEqual(before.body, { stats: [] })
      await post(request(goodIdentity()), other)
      await post(request(goodIdentity()), other)
      await post(request(goodIdentity(), { from: { tn: '12155550199' } }), other)
      const s = await http(srv.url, 'GET', '/stir/v1/verification/stats', { auth: other })
      assert.deepEqual(s.body.stats, [
        { reason: 'orig_mismatch', spc: '', count: 1 },
        { reason: 'passed', spc: '1234', count: 2 },
      ])
      const p0 = await http(srv.url, 'GET', '/stir/v1/verification/policy', { auth: other })
      assert.deepEqual(p0.body, { failureAction: 'continue', requireIdentity: false })
      const p1 = await http(srv.url, 'POST', '/stir/v1/verification/policy', {
        auth: other,
        json: { failureAction: 'reject', requireIdentity: true },
      })
      assert.deepEqual(p1.body, { failureAction: 'reject', requireIdentity: true })
      const bad = await http(srv.url, 'POST', '/stir/v1/verification/policy', {
        auth: other,
        json: { failureAction: 'explode' },
      })
      assert.equal(bad.status, 400)
      assert.deepEqual((await http(srv.url, 'GET', '/stir/v1/verification/policy', { auth: acct })).body, {
        failureAction: 'continue',
        requireIdentity: false,
      })
    })
  })
}
