/**
 * Verifying Rich Call Data (RFC 9795; docs/branding.md "Verifying Rich Call Data") on SQLite
 * and PostgreSQL: a branded call signed by stirhub (REST and the SIP front with X-Call-Reason)
 * verifies with jose and with stirhub's own verifier, which reports the name, logo and reason
 * (REST `rcd`; SIP display name and Call-Info purpose=icon). Each bad input drops the RCD with
 * its documented reason while the SHAKEN verdict stands: a logo whose bytes changed, an rcdi
 * digest that does not match, a logo at a forbidden address, oversized, slow or not an image,
 * a logo rcdi does not cover, malformed claims. A tampered `nam` breaks the signature (the
 * PASSporT signs it; rcdi covers only what URLs reference).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import nodeHttp from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { http, type Creds } from './helpers/http.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { addBrandedProduct, sriDigest } from './helpers/brand-facts.js'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { useTrunk } from './helpers/sip-trunks.js'
import { sipp } from './helpers/sipp.js'
import { parseSip } from '../src/sip/transport.js'
import { signHandler } from '../src/sip/sign-front.js'
import { trunkDirectoryOf } from '../src/sip/trunk-directory.js'

const DEST = '+12125551212'
const LOGO = Buffer.from('\x89PNG\r\n\x1a\n a small logo')
const nowSec = () => Math.floor(Date.now() / 1000)

for (const dialect of DIALECTS) {
  describe(`verifying Rich Call Data [${dialect}]`, () => {
    let s: TestServer
    let certs: CertServer
    let slow: nodeHttp.Server
    let slowBase: string
    let pki: TestPki
    let w: World
    let sipSign: number
    let sipVerify: number
    const logoUrl = () => `${certs.base}/logo.png`

    before(async () => {
      certs = await startCertServer()
      pki = await buildTestPki(new Date(), certs.base)
      certs.routes.set('/sp.pem', { body: pki.chainPem('good') })
      const png = { 'content-type': 'image/png' }
      certs.routes.set('/logo.png', { body: LOGO, headers: png } as never)
      certs.routes.set('/swapped.png', { body: Buffer.from('another image'), headers: png } as never)
      certs.routes.set('/big.png', { body: Buffer.alloc(300 * 1024, 1), headers: png } as never)
      certs.routes.set('/page.png', { body: LOGO, headers: { 'content-type': 'text/html' } } as never)
      certs.routes.set('/gone.png', { status: 404, body: '' } as never)
      // A logo server that answers after the fetch deadline (2 s).
      slow = nodeHttp.createServer((_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(LOGO), 3000).unref()
      })
      await new Promise<void>((ok) => slow.listen(0, '127.0.0.1', ok))
      slowBase = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`
      const anchors = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'rcdv-')), 'roots.pem')
      fs.writeFileSync(anchors, pki.root.pem)
      sipSign = await freePort()
      sipVerify = await freePort()
      s = await startServer(dialect, {
        env: {
          STIRHUB_ROLES: 'api,sip',
          SIP_SIGN_PORT: String(sipSign),
          SIP_VERIFY_PORT: String(sipVerify),
          STIRHUB_SIP_TRUSTED: '127.0.0.1/32',
          STIRHUB_X5U_ALLOW: `${new URL(certs.base).host},${new URL(slowBase).host}`,
          STIRHUB_TRUST_ANCHORS: anchors,
        },
      })
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, {
        name: 'Acme Pharmacy',
        logoUrl: logoUrl(),
        logoDigest: sriDigest(LOGO),
        reasons: ['Prescription ready'],
      })
      await useTrunk(s.url, w.caller.sid)
    })
    after(async () => {
      await s.stop()
      await certs.close()
      slow.closeAllConnections()
      await new Promise((ok) => slow.close(ok))
    })

    const verify = async (identity: string, from = w.number.phone, auth: Creds = w.caller) => {
      const r = await http(s.url, 'POST', '/stir/v1/verification', {
        auth,
        json: { verificationRequest: { from: { tn: from }, to: { tn: [DEST] }, time: nowSec(), identity } },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return r.body.verificationResponse
    }
    /** Signs a call of the branded number through REST; its Identity header value. */
    const signed = async (over: Record<string, unknown> = {}) => {
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: {
          signingRequest: {
            attest: 'A',
            dest: { tn: [DEST] },
            iat: nowSec(),
            orig: { tn: w.number.phone },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
            ...over,
          },
        },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return r.body.signingResponse.identity as string
    }

    it('a branded call signed by stirhub verifies with jose and with its verifier, which reports name, logo and reason', async () => {
      const identity = await signed({ crn: 'Prescription ready' })
      const { payload } = await compactVerify(
        identity.split(';')[0]!,
        createPublicKey(s.running.ctx.stiAs.signer().key),
      )
      const claims = JSON.parse(Buffer.from(payload).toString())
      assert.deepEqual(claims.rcd, { icn: logoUrl(), nam: 'Acme Pharmacy' })
      const before = certs.hits.get('/logo.png') ?? 0
      assert.deepEqual(await verify(identity), {
        verstat: 'TN-Validation-Passed',
        rcd: { nam: 'Acme Pharmacy', icn: logoUrl(), crn: 'Prescription ready' },
      })
      // The logo is cached by URL: a second call does not fetch it again.
      assert.deepEqual((await verify(await signed())).rcd, { nam: 'Acme Pharmacy', icn: logoUrl() })
      assert.ok((certs.hits.get('/logo.png') ?? 0) - before <= 1, 'fetched at most once')
    })

    it('a call without Rich Call Data answers exactly as before', async () => {
      const plain = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: plain.caller,
        json: {
          signingRequest: {
            attest: 'A',
            dest: { tn: [DEST] },
            iat: nowSec(),
            orig: { tn: plain.number.phone },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        },
      })
      assert.deepEqual(await verify(r.body.signingResponse.identity, plain.number.phone, plain.caller), {
        verstat: 'TN-Validation-Passed',
      })
    })

    it('a tampered nam breaks the signature: the call fails and carries no RCD', async () => {
      const [jws, ...params] = (await signed()).split(';')
      const [h, p, sig] = jws!.split('.')
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
      claims.rcd.nam = 'Acme Bank'
      const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.')
      const v = await verify([forged, ...params].join(';'))
      assert.equal(v.verstat, 'TN-Validation-Failed')
      assert.equal(v.reasondesc, 'PASSporT signature validation failed')
      assert.equal(v.rcd, undefined)
    })

    it('a logo whose bytes changed on its server fails rcd_integrity_failed, the SHAKEN verdict standing', async () => {
      certs.routes.set('/changing.png', { body: LOGO, headers: { 'content-type': 'image/png' } } as never)
      const id = () => forged({ icn: `${certs.base}/changing.png` }, { '/icn': sriDigest(LOGO) })
      assert.equal((await verify(id(), '+12155550121')).rcd.nam, 'Acme Pharmacy')
      certs.routes.set('/changing.png', {
        body: Buffer.from('new bytes'),
        headers: { 'content-type': 'image/png' },
      } as never)
      // Cached until its TTL: the change is seen once the entry expires (dropped here).
      s.running.ctx.stiVs.icons.clear()
      const v = await verify(id(), '+12155550121')
      assert.equal(v.verstat, 'TN-Validation-Passed')
      assert.equal(v.rcdreason, 'rcd_integrity_failed')
      assert.equal(v.rcd, undefined)
    })

    /** A PASSporT for 12155550121 signed by the test PKI's good leaf with these RCD claims. */
    const forged = (rcd: Record<string, unknown> | undefined, rcdi?: unknown, crn?: unknown) => {
      const x5u = `${certs.base}/sp.pem`
      const claims = shakenClaims(nowSec(), { dest: { tn: [DEST.slice(1)] } })
      const extra: Record<string, unknown> = {}
      if (rcd !== undefined) extra.rcd = { nam: 'Acme Pharmacy', ...rcd }
      if (rcdi !== undefined) extra.rcdi = rcdi
      if (crn !== undefined) extra.crn = crn
      return identityOf(forgeJws(shakenHeader(x5u), { ...claims, ...extra }, pki.leaves.good.key), x5u)
    }

    const BAD: readonly [string, () => string, string][] = [
      [
        'rcdi digest that does not match',
        () => forged({ icn: logoUrl() }, { '/icn': sriDigest('other') }),
        'rcd_integrity_failed',
      ],
      [
        'logo bytes swapped',
        () => forged({ icn: `${certs.base}/swapped.png` }, { '/icn': sriDigest(LOGO) }),
        'rcd_integrity_failed',
      ],
      ['logo not covered by rcdi', () => forged({ icn: logoUrl() }), 'rcd_integrity_failed'],
      [
        'logo at a private address',
        () => forged({ icn: 'https://10.1.2.3/logo.png' }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      [
        'logo at loopback on another port',
        () => forged({ icn: 'https://127.0.0.1:9/logo.png' }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      [
        'logo over http',
        () => forged({ icn: 'http://logo.example.com/l.png' }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      [
        'oversized logo',
        () => forged({ icn: `${certs.base}/big.png` }, { '/icn': sriDigest(Buffer.alloc(300 * 1024, 1)) }),
        'rcd_icon_unavailable',
      ],
      [
        'slow logo server',
        () => forged({ icn: `${slowBase}/logo.png` }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      [
        'not an image',
        () => forged({ icn: `${certs.base}/page.png` }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      [
        'logo not found',
        () => forged({ icn: `${certs.base}/gone.png` }, { '/icn': sriDigest(LOGO) }),
        'rcd_icon_unavailable',
      ],
      ['rcd not an object', () => forgedRaw({ rcd: 'Acme' }), 'rcd_invalid'],
      ['nam with a control character', () => forged({ nam: 'Acme\u0007' }), 'rcd_invalid'],
      ['nam with a bidi override', () => forged({ nam: 'Acme \u202eknab' }), 'rcd_invalid'],
      ['rcdi digest not in integrity form', () => forged({ icn: logoUrl() }, { '/icn': 'md5-abc' }), 'rcd_invalid'],
      ['rcdi naming no URL', () => forged({}, { '/jcl': sriDigest(LOGO) }), 'rcd_invalid'],
      ['crn not a string', () => forged({}, undefined, 7), 'rcd_invalid'],
    ]
    /** Like {@link forged}, with raw extra claims. */
    const forgedRaw = (extra: Record<string, unknown>) => {
      const x5u = `${certs.base}/sp.pem`
      const claims = shakenClaims(nowSec(), { dest: { tn: [DEST.slice(1)] } })
      return identityOf(forgeJws(shakenHeader(x5u), { ...claims, ...extra }, pki.leaves.good.key), x5u)
    }

    for (const [name, identity, reason] of BAD) {
      it(`${name}: ${reason}, TN-Validation-Passed stands`, async () => {
        const t0 = performance.now()
        const v = await verify(identity(), '+12155550121')
        assert.equal(v.verstat, 'TN-Validation-Passed', JSON.stringify(v))
        assert.equal(v.rcdreason, reason, JSON.stringify(v))
        assert.ok(v.rcdreasondesc.length > 10)
        assert.equal(v.rcd, undefined)
        assert.ok(performance.now() - t0 < 5000, 'within the fetch deadline')
      })
    }

    for (const t of ['u1', 't1'] as const) {
      it(`SIP over ${t === 'u1' ? 'UDP' : 'TCP'}: the sign front signs rcd and the SBC's X-Call-Reason; the verify front puts the name and Call-Info`, async () => {
        const r = await sipp(sipSign, s.dataDir, 'sign-302-branded', t, {
          orig: w.number.phone,
          dest: DEST,
          acct: w.caller.sid,
          crn: 'Prescription ready',
        })
        assert.equal(r.code, 0, r.out + r.log)
        const identity = /IDENTITY (\S+)/.exec(r.log)?.[1]
        assert.ok(identity, r.log)
        const { payload } = await compactVerify(
          identity.split(';')[0]!,
          createPublicKey(s.running.ctx.stiAs.signer().key),
        )
        const claims = JSON.parse(Buffer.from(payload).toString())
        assert.equal(claims.crn, 'Prescription ready')
        assert.equal(claims.rcd.nam, 'Acme Pharmacy')
        const v = await sipp(sipVerify, s.dataDir, 'verify-302-branded', t, {
          orig: w.number.phone,
          dest: DEST,
          acct: w.caller.sid,
          identity,
        })
        assert.equal(v.code, 0, v.out + v.log)
        assert.match(v.log, /VERSTAT=verstat=TN-Validation-Passed\|/)
        assert.match(v.log, /PAI=\s*"Acme Pharmacy" <sip:/)
        assert.match(v.log, new RegExp(`CALLINFO=\\s*<${logoUrl().replace(/[.]/g, '\\.')}>;purpose=icon\\|`))
      })
    }

    it('SIP: a call without RCD gets no display name and no Call-Info', async () => {
      const plain = forgedRaw({})
      const v = await sipp(sipVerify, s.dataDir, 'verify-302-branded', 'u1', {
        orig: '+12155550121',
        dest: DEST,
        acct: w.caller.sid,
        identity: plain,
      })
      assert.equal(v.code, 0, v.out + v.log)
      assert.match(v.log, /VERSTAT=verstat=TN-Validation-Passed\|/)
      assert.match(v.log, /PAI=\s*<sip:/)
      assert.match(v.log, /CALLINFO=\|/)
    })

    it('SIP: a bad X-Call-Reason is refused with 400; an unapproved one is not signed', async () => {
      const h = signHandler({
        trusted: ['127.0.0.1/32'],
        ...s.running.ctx.stiAs,
        trunks: trunkDirectoryOf(s.running.ctx.store, s.running.ctx.version),
      })
      const invite = (reason: string) =>
        parseSip(
          `INVITE sip:${DEST}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKr${Math.random()}\r\n` +
            `From: <sip:${w.number.phone}@127.0.0.1>;tag=1\r\nTo: <sip:${DEST}@127.0.0.1>\r\nCall-ID: r${Math.random()}\r\n` +
            `CSeq: 1 INVITE\r\nX-Call-Reason: ${reason}\r\nContent-Length: 0\r\n\r\n`,
        )!
      const remote = { protocol: 'UDP', address: '127.0.0.1', port: 5099 } as const
      const bad = (await h(invite('x'.repeat(300)), remote))!
      assert.equal(bad.status, 400)
      assert.match(String(bad.reason), /X-Call-Reason/)
      const other = (await h(invite('Your account is locked'), remote))!
      assert.equal(other.status, 302)
      const { payload } = await compactVerify(
        String(other.headers.identity).split(';')[0]!,
        createPublicKey(s.running.ctx.stiAs.signer().key),
      )
      const claims = JSON.parse(Buffer.from(payload).toString())
      assert.equal(claims.crn, undefined)
      assert.equal(claims.rcd.nam, 'Acme Pharmacy')
    })
  })
}
