/**
 * The SIP verification front driven by sipp over UDP and TCP: 302 with verstat in the
 * P-Asserted-Identity user part for passed and (continue action) failed calls, the RFC 8224
 * rejection codes for an account whose action is reject (bad signature, stale iat, orig≠From,
 * dest≠To, x5u≠info, unsupported alg, missing Identity when required), RFC 9410 Reason: STIR.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { DIALECTS } from './helpers/dialects.js'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { scrape } from './helpers/metrics.js'
import { parseSip } from '../src/sip/transport.js'
import { verifyHandler, withVerstat } from '../src/sip/verify-front.js'
import { sipp } from './helpers/sipp.js'

const ORIG = '+12155550121'
const DEST = '+12025550143'
const nowSec = () => Math.floor(Date.now() / 1000)

describe('verstat in a URI user part', () => {
  it('adds or replaces verstat in sip and tel URIs, keeping the display name', () => {
    assert.equal(
      withVerstat('"Bob" <sip:+12155550121@host;user=phone>', 'TN-Validation-Passed'),
      '"Bob" <sip:+12155550121;verstat=TN-Validation-Passed@host;user=phone>',
    )
    assert.equal(
      withVerstat('<tel:+12155550121;verstat=No-TN-Validation>', 'TN-Validation-Failed'),
      '<tel:+12155550121;verstat=TN-Validation-Failed>',
    )
    assert.equal(withVerstat('<sip:host.example>', 'No-TN-Validation'), undefined)
  })
})

for (const dialect of DIALECTS) {
  describe(`SIP verification front with sipp [${dialect}]`, () => {
    let s: TestServer
    let certs: CertServer
    let pki: TestPki
    let sipPort: number
    const acct: Record<'continue' | 'reject' | 'reason' | 'require', Creds> = {} as never

    before(async () => {
      certs = await startCertServer()
      pki = await buildTestPki(new Date(), certs.base)
      certs.routes.set('/sp.pem', { body: pki.chainPem('good') })
      certs.routes.set('/other.pem', { body: pki.chainPem('good') })
      sipPort = await freePort()
      const anchors = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'sipv-')), 'roots.pem')
      fs.writeFileSync(anchors, pki.root.pem)
      s = await startServer(dialect, {
        env: {
          STIRHUB_ROLES: 'api,sip',
          SIP_VERIFY_PORT: String(sipPort),
          SIP_SIGN_PORT: String(await freePort()),
          STIRHUB_SIP_TRUSTED: '127.0.0.1/32',
          STIRHUB_X5U_ALLOW: new URL(certs.base).host,
          STIRHUB_TRUST_ANCHORS: anchors,
        },
      })
      for (const [k, policy] of [
        ['continue', { failureAction: 'continue' }],
        ['reject', { failureAction: 'reject' }],
        ['reason', { failureAction: 'reason' }],
        ['require', { failureAction: 'reject', requireIdentity: true }],
      ] as const) {
        acct[k] = await newAccount(s.url, k)
        const r = await http(s.url, 'POST', '/stir/v1/verification/policy', { auth: acct[k], json: policy })
        assert.equal(r.status, 200, JSON.stringify(r.body))
      }
    })
    after(async () => {
      await s.stop()
      await certs.close()
    })

    const x5u = () => `${certs.base}/sp.pem`
    const ident = (o: { header?: unknown; claims?: unknown; info?: string; key?: 'good' | 'revoked' } = {}) =>
      identityOf(
        forgeJws(o.header ?? shakenHeader(x5u()), o.claims ?? shakenClaims(nowSec()), pki.leaves[o.key ?? 'good'].key),
        o.info ?? x5u(),
      )
    const keys = (a: Creds, identity: string) => ({ orig: ORIG, dest: DEST, acct: a.sid, identity })

    for (const t of ['u1', 't1'] as const) {
      const proto = t === 'u1' ? 'UDP' : 'TCP'
      it(`${proto}: passed → 302, Contact = Request-URI, verstat=TN-Validation-Passed`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'verify-302', t, keys(acct.reject, ident()))
        assert.equal(r.code, 0, r.out + r.log)
        assert.match(r.log, /VERSTAT=verstat=TN-Validation-Passed\|/)
        assert.match(r.log, new RegExp(`CONTACT=sip:\\${DEST}@127\\.0\\.0\\.1:${sipPort}\\|`))
      })
      it(`${proto}: failures with the continue action → 302 with verstat; reason action adds Reason: STIR`, async () => {
        const bad = await sipp(sipPort, s.dataDir, 'verify-302', t, keys(acct.continue, ident({ key: 'revoked' })))
        assert.equal(bad.code, 0, bad.out + bad.log)
        assert.match(bad.log, /VERSTAT=verstat=TN-Validation-Failed\|.* REASON=\|/)
        const stale = await sipp(
          sipPort,
          s.dataDir,
          'verify-302',
          t,
          keys(acct.reason, ident({ claims: shakenClaims(nowSec() - 120) })),
        )
        assert.equal(stale.code, 0, stale.out + stale.log)
        assert.match(stale.log, /VERSTAT=verstat=No-TN-Validation\|.* REASON=STIR ;cause=403 ;text="Stale Date"\|/)
        const none = await sipp(sipPort, s.dataDir, 'verify-302-no-identity', t, keys(acct.continue, ''))
        assert.equal(none.code, 0, none.out + none.log)
        assert.match(none.log, /VERSTAT=verstat=No-TN-Validation\|/)
      })
      it(`${proto}: reject action → bad signature 438, stale iat 403, orig≠From 438, dest≠To 438, x5u≠info 436, alg 437, no Identity 428`, async () => {
        const cases: [string, string][] = [
          ['verify-reject-438', ident({ key: 'revoked' })],
          ['verify-reject-403', ident({ claims: shakenClaims(nowSec() - 120) })],
          ['verify-reject-438', ident({ claims: shakenClaims(nowSec(), { orig: { tn: '12155550199' } }) })],
          ['verify-reject-438', ident({ claims: shakenClaims(nowSec(), { dest: { tn: ['12025550199'] } }) })],
          ['verify-reject-436', ident({ info: `${certs.base}/other.pem` })],
          ['verify-reject-437', ident({ header: { ...shakenHeader(x5u()), alg: 'ES384' } })],
        ]
        for (const [name, identity] of cases) {
          const r = await sipp(sipPort, s.dataDir, name, t, keys(acct.reject, identity))
          assert.equal(r.code, 0, `${name}: ${r.out}`)
        }
        const r = await sipp(sipPort, s.dataDir, 'verify-reject-428', t, keys(acct.require, ''))
        assert.equal(r.code, 0, r.out)
      })
    }

    it('10-digit From and Request-URI (sipp, UDP) are +1: the canonical claims pass', async () => {
      const r = await sipp(sipPort, s.dataDir, 'verify-302', 'u1', {
        ...keys(acct.reject, ident()),
        orig: ORIG.slice(2),
        dest: DEST.slice(2),
      })
      assert.equal(r.code, 0, r.out + r.log)
      assert.match(r.log, /VERSTAT=verstat=TN-Validation-Passed\|/)
    })

    it('decides From/P-Asserted-Identity and To/Request-URI as signing does; numbers valid nowhere get 400', async () => {
      const h = verifyHandler({
        trusted: ['127.0.0.1/32'],
        verifier: s.running.ctx.stiVs.verifier,
        policyOf: async () => ({ failureAction: 'reject', requireIdentity: false }),
      })
      const invite = (o: { uri?: string; from?: string; to?: string; pai?: string }) =>
        parseSip(
          `INVITE ${o.uri ?? `sip:${DEST}@127.0.0.1`} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKn\r\nFrom: ${o.from ?? `<sip:${ORIG}@127.0.0.1>`};tag=1\r\n` +
            `To: ${o.to ?? `<sip:${DEST}@127.0.0.1>`}\r\nCall-ID: n${Math.random()}\r\nCSeq: 1 INVITE\r\n${o.pai ? `P-Asserted-Identity: ${o.pai}\r\n` : ''}` +
            `Identity: ${ident()}\r\nContent-Length: 0\r\n\r\n`,
        )!
      const ask = async (o: Parameters<typeof invite>[0]) =>
        (await h(invite(o), { protocol: 'UDP', address: '127.0.0.1', port: 5099 }))!
      for (const o of [
        { from: `<sip:${ORIG.slice(2)}@127.0.0.1>` },
        {
          from: '<sip:anonymous@anonymous.invalid>',
          pai: `<tel:+1-${ORIG.slice(2, 5)}-${ORIG.slice(5, 8)}-${ORIG.slice(8)}>`,
        },
        { uri: `sip:${DEST.slice(2)}@127.0.0.1`, to: `<sip:1${DEST.slice(2)}@127.0.0.1;user=phone>` },
      ]) {
        const r = await ask(o)
        assert.equal(r.status, 302, JSON.stringify(o))
        assert.match(String(r.headers['p-asserted-identity']), /verstat=TN-Validation-Passed/, JSON.stringify(o))
      }
      const refusals: Array<[Parameters<typeof invite>[0], string]> = [
        [{ from: '<sip:+1215555012@127.0.0.1>' }, 'From'],
        [{ pai: '<sip:+121555501210@127.0.0.1;user=phone>' }, 'P-Asserted-Identity'],
        [{ uri: 'sip:+1202555014@127.0.0.1', to: '<sip:2025550143x@127.0.0.1>' }, 'the called number'],
      ]
      for (const [o, where] of refusals) {
        const r = await ask(o)
        assert.equal(r.status, 400, where)
        assert.equal(r.reason, `Bad Request (${where} is not a valid telephone number)`)
      }
      // One valid called number is enough (the Request-URI of a retargeted call may be a routing number).
      assert.equal((await ask({ uri: 'sip:+1202555014@127.0.0.1' })).status, 302)
      // Not written as a number: not judged, and verified (no number matches the claims' orig).
      assert.equal((await ask({ from: '<sip:anonymous@anonymous.invalid>' })).status, 438)
    })

    it('verifies the shaken header of several joined by the SIP parser, and counts outcomes', async () => {
      const h = verifyHandler({
        trusted: ['127.0.0.1/32'],
        verifier: s.running.ctx.stiVs.verifier,
        policyOf: async () => ({ failureAction: 'reject', requireIdentity: false }),
      })
      const div = identityOf(
        forgeJws({ alg: 'ES256', ppt: 'div', typ: 'passport', x5u: x5u() }, { div: { tn: '1' } }, pki.leaves.good.key),
        x5u(),
        ';alg=ES256;ppt=div',
      )
      const msg = `INVITE sip:${DEST}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKv\r\nFrom: <sip:${ORIG}@127.0.0.1>;tag=1\r\nTo: <sip:${DEST}@127.0.0.1>\r\nCall-ID: v1\r\nCSeq: 1 INVITE\r\nIdentity: ${div}\r\nIdentity: ${ident()}\r\nContent-Length: 0\r\n\r\n`
      const r = (await h(parseSip(msg)!, { protocol: 'UDP', address: '127.0.0.1', port: 5099 }))!
      assert.equal(r.status, 302)
      assert.match(String(r.headers['p-asserted-identity']), /verstat=TN-Validation-Passed/)
      const untrusted = (await h(parseSip(msg)!, { protocol: 'UDP', address: '10.1.1.1', port: 5099 }))!
      assert.equal(untrusted.status, 403)
      const stats = await http(s.url, 'GET', '/stir/v1/verification/stats', { auth: acct.reject })
      const byReason = Object.fromEntries(
        stats.body.stats.map((x: { reason: string; count: number }) => [x.reason, x.count]),
      )
      assert.ok(byReason.passed >= 2 && byReason.signature_invalid >= 2, JSON.stringify(stats.body))
    })

    it("counts the front's responses by status on /metrics, and times them", async () => {
      const m = await scrape(s.url)
      // The sipp scenarios above: redirects with verstat, and rejections by the reject policy.
      assert.ok((m.get('stirhub_sip_verify_responses_total{status="302"}') ?? 0) >= 2)
      assert.ok((m.get('stirhub_sip_verify_responses_total{status="438"}') ?? 0) >= 1)
      const answered = [...m]
        .filter(([k]) => k.startsWith('stirhub_sip_verify_responses_total'))
        .reduce((n, [, v]) => n + v, 0)
      assert.equal(m.get('stirhub_sip_request_duration_seconds_count{front="verify"}'), answered)
    })

    it('a forwarded call passes with the div PASSporT of the diverting carrier; a forged one is rejected with 438', async () => {
      const h = verifyHandler({
        trusted: ['127.0.0.1/32'],
        verifier: s.running.ctx.stiVs.verifier,
        policyOf: async () => ({ failureAction: 'reject', requireIdentity: false }),
      })
      const FWD = '12025550188'
      const div = (key: 'good' | 'revoked') =>
        identityOf(
          forgeJws(
            { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: x5u() },
            { dest: { tn: [FWD] }, div: { tn: DEST }, iat: nowSec(), orig: { tn: ORIG } },
            pki.leaves[key].key,
          ),
          x5u(),
          ';alg=ES256;ppt=div',
        )
      const invite = (d: string) =>
        parseSip(
          `INVITE sip:${FWD}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKd\r\nFrom: <sip:${ORIG}@127.0.0.1>;tag=1\r\nTo: <sip:${FWD}@127.0.0.1>\r\nCall-ID: d1\r\nCSeq: 1 INVITE\r\nIdentity: ${ident()}\r\nIdentity: ${d}\r\nContent-Length: 0\r\n\r\n`,
        )!
      const from = { protocol: 'UDP', address: '127.0.0.1', port: 5099 } as const
      const ok = (await h(invite(div('good')), from))!
      assert.equal(ok.status, 302)
      assert.match(String(ok.headers['p-asserted-identity'] ?? ok.headers.from), /verstat=TN-Validation-Passed/)
      assert.equal((await h(invite(div('revoked')), from))!.status, 438)
    })

    it('sipp: a forwarded call gets its diversion chain in X-Stir-Diversion; div.tn is checked against History-Info', async () => {
      const FWD = '+12025550188'
      const div = identityOf(
        forgeJws(
          { alg: 'ES256', ppt: 'div', typ: 'passport', x5u: x5u() },
          { dest: { tn: [FWD.slice(1)] }, div: { tn: DEST.slice(1) }, iat: nowSec(), orig: { tn: ORIG.slice(1) } },
          pki.leaves.good.key,
        ),
        x5u(),
        ';alg=ES256;ppt=div',
      )
      const run = (hist: string) =>
        sipp(sipPort, s.dataDir, 'verify-302-div', 'u1', { ...keys(acct.reject, ident()), fwd: FWD, div, hist })
      const ok = await run(DEST)
      assert.equal(ok.code, 0, ok.out + ok.log)
      assert.match(
        ok.log,
        /VERSTAT=verstat=TN-Validation-Passed\| CHAIN=12025550143;to=12025550188;status=verified;spc=1234\|/,
      )
      // History-Info names another number: the div is not this call's diversion. To still names the
      // original number, so the call passes on its own PASSporT and the div is reported.
      const other = await run('+12025550111')
      assert.equal(other.code, 0, other.out + other.log)
      assert.match(
        other.log,
        /VERSTAT=verstat=TN-Validation-Passed\| CHAIN=12025550143;to=12025550188;status=redirect_mismatch;spc=1234\|/,
      )
    })
  })
}
