/**
 * The SIP signing front driven by sipp (`sip-tester`): INVITEs over UDP and TCP, on a SIP trunk
 * for 127.0.0.1/32, get a 302 whose Identity header verifies (jose) and carries the level the
 * engine decided for the trunk's account; calls it
 * does not sign get a 302 without Identity; untrusted sources (sipp bound to 127.0.0.2, trusted
 * 127.0.0.1/32) get 403; malformed INVITEs 400; OPTIONS 200. Forwarded calls (RFC 8946): a call
 * that carries a SHAKEN PASSporT is not signed again, and one retargeted from our number gets
 * a div Identity that the verifier accepts with the original. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, randomUUID } from 'node:crypto'
import { compactVerify } from 'jose'
import fs from 'node:fs'
import { DIALECTS, dropSchema } from './helpers/dialects.js'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { parseSip, stringifySip } from '../src/sip/transport.js'
import { RateLimiter } from '../src/security/rate-limiter.js'
import { signHandler } from '../src/sip/sign-front.js'
import { sipp } from './helpers/sipp.js'
import { scrape } from './helpers/metrics.js'
import { http, newAccount } from './helpers/http.js'
import { signIdentity } from '../src/stir/passport/index.js'
import { trunkDirectoryOf } from '../src/sip/trunk-directory.js'
import { useTrunk } from './helpers/sip-trunks.js'

for (const dialect of DIALECTS) {
  describe(`SIP signing front with sipp [${dialect}]`, () => {
    let s: TestServer
    let w: World
    let sipPort: number
    before(async () => {
      sipPort = await freePort()
      s = await startServer(dialect, {
        env: { STIRHUB_ROLES: 'api,sip', SIP_SIGN_PORT: String(sipPort), STIRHUB_SIP_TRUSTED: '127.0.0.1/32' },
      })
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      await useTrunk(s.url, w.caller.sid)
    })
    after(async () => {
      await s.stop()
    })

    const pub = () => createPublicKey(s.running.ctx.stiAs.signer().key)
    /** The front's handler without sockets, over this server's STI-AS and trunks. */
    const handler = (more: Partial<Parameters<typeof signHandler>[0]> = {}) =>
      signHandler({
        trusted: ['127.0.0.1/32'],
        ...s.running.ctx.stiAs,
        trunks: trunkDirectoryOf(s.running.ctx.store, s.running.ctx.version),
        ...more,
      })

    for (const t of ['u1', 't1'] as const) {
      it(`INVITE over ${t === 'u1' ? 'UDP' : 'TCP'} → 302 with Contact and an Identity that verifies (A)`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'sign-302', t, {
          orig: w.number.phone,
          dest: '+12125551212',
          acct: w.caller.sid,
        })
        assert.equal(r.code, 0, r.out)
        const identity = /IDENTITY (\S+)/.exec(r.log)?.[1]
        assert.ok(identity, r.log)
        const { payload } = await compactVerify(identity.split(';')[0]!, pub())
        const claims = JSON.parse(Buffer.from(payload).toString())
        assert.equal(claims.attest, 'A')
        assert.equal(claims.orig.tn, w.number.phone.slice(1))
        assert.deepEqual(claims.dest.tn, ['12125551212'])
      })
    }

    for (const t of ['u1', 't1'] as const) {
      it(`a 10-digit From and Request-URI over ${t === 'u1' ? 'UDP' : 'TCP'} are +1: 302 with the canonical TNs, at the number's level (A)`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'sign-302', t, {
          orig: w.number.phone.slice(2),
          dest: '3109570142',
          acct: w.caller.sid,
        })
        assert.equal(r.code, 0, r.out)
        const identity = /IDENTITY (\S+)/.exec(r.log)?.[1]
        assert.ok(identity, r.log)
        const { payload } = await compactVerify(identity.split(';')[0]!, pub())
        const claims = JSON.parse(Buffer.from(payload).toString())
        assert.equal(claims.attest, 'A')
        assert.equal(claims.orig.tn, w.number.phone.slice(1))
        assert.deepEqual(claims.dest.tn, ['13109570142'])
      })

      it(`a From valid in no numbering plan over ${t === 'u1' ? 'UDP' : 'TCP'} → 400 naming From, no Identity`, async () => {
        for (const orig of ['+1212736200', '+121273620001', '1212736200']) {
          const r = await sipp(sipPort, s.dataDir, 'sign-refused-number', t, {
            orig,
            dest: '+13109570142',
            acct: w.caller.sid,
          })
          assert.equal(r.code, 0, r.out + r.log)
          assert.match(
            r.log,
            /STATUS SIP\/2\.0 400 Bad Request \(From is not a valid telephone number\) IDENTITY \n/,
            orig,
          )
        }
      })
    }

    it('decides P-Asserted-Identity, From, Request-URI and To as REST does; only numbers valid nowhere get 400', async () => {
      const h = handler()
      const ten = w.number.phone.slice(2)
      const invite = (o: { uri?: string; from?: string; to?: string; pai?: string; identity?: string }) =>
        parseSip(
          `INVITE ${o.uri ?? 'sip:+13109570142@127.0.0.1'} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKn${Math.random()}\r\n` +
            `From: ${o.from ?? `<sip:${w.number.phone}@127.0.0.1>`};tag=1\r\nTo: ${o.to ?? '<sip:+13109570142@127.0.0.1>'}\r\nCall-ID: n${Math.random()}\r\nCSeq: 1 INVITE\r\n` +
            `${o.pai ? `P-Asserted-Identity: ${o.pai}\r\n` : ''}${o.identity ? `Identity: ${o.identity}\r\n` : ''}Content-Length: 0\r\n\r\n`,
        )!
      const ask = async (rq: ReturnType<typeof invite>) =>
        (await h(rq, { protocol: 'UDP', address: '127.0.0.1', port: 5099 }))!
      const claims = async (rq: ReturnType<typeof invite>) => {
        const r = await ask(rq)
        assert.equal(r.status, 302)
        const { payload } = await compactVerify(String(r.headers.identity).split(';')[0]!, pub())
        return JSON.parse(Buffer.from(payload).toString())
      }
      // Every spelling of the account's number signs A with the canonical orig.
      for (const from of [
        `<sip:${ten}@127.0.0.1>`,
        `<sip:1${ten}@127.0.0.1;user=phone>`,
        `<sip:+1-${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}@127.0.0.1;user=phone>`,
        `"Caller" <sip:${w.number.phone}@127.0.0.1>`,
      ]) {
        const c = await claims(invite({ from }))
        assert.deepEqual([c.attest, c.orig.tn, c.dest.tn], ['A', w.number.phone.slice(1), ['13109570142']], from)
      }
      for (const pai of [
        `<sip:${ten}@127.0.0.1;user=phone>`,
        `<tel:+1-${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}>`,
      ]) {
        assert.equal(
          (await claims(invite({ pai, from: '<sip:anonymous@anonymous.invalid>' }))).orig.tn,
          w.number.phone.slice(1),
          pai,
        )
      }
      assert.deepEqual((await claims(invite({ uri: 'sip:3109570142@127.0.0.1' }))).dest.tn, ['13109570142'])
      assert.deepEqual((await claims(invite({ uri: 'sip:trunk@127.0.0.1', to: '<tel:310-957-0142>' }))).dest.tn, [
        '13109570142',
      ])
      // Valid nowhere: 400, its reason phrase naming the header; never a 302 with a signature.
      const refusals: Array<[Parameters<typeof invite>[0], string]> = [
        [{ from: '<sip:+1212736200@127.0.0.1>' }, 'From'],
        [{ pai: '<sip:+121273620001@127.0.0.1;user=phone>' }, 'P-Asserted-Identity'],
        [{ uri: 'sip:+1310957014@127.0.0.1' }, 'Request-URI'],
        [{ uri: 'sip:trunk@127.0.0.1', to: '<sip:1310957014@127.0.0.1>' }, 'To'],
      ]
      for (const [o, where] of refusals) {
        const r = await ask(invite(o))
        assert.equal(r.status, 400, where)
        assert.equal(r.reason, `Bad Request (${where} is not a valid telephone number)`)
        assert.equal(r.headers.identity, undefined)
      }
      // Not written as a number (anonymous), or a valid number of another country: unsigned.
      const anonymous = await ask(invite({ from: '<sip:anonymous@anonymous.invalid>' }))
      assert.deepEqual([anonymous.status, anonymous.headers.identity], [302, undefined])
      const abroad = await ask(invite({ uri: 'sip:+442071838750@127.0.0.1' }))
      assert.deepEqual([abroad.status, abroad.headers.identity], [302, undefined])
      // A forwarded call's caller is its PASSporT's orig, not ours to judge: not refused for its From.
      const carried = await ask(
        invite({
          from: '<sip:+1212736200@127.0.0.1>',
          identity: signIdentity(s.running.ctx.stiAs.signer(), {
            attest: 'A',
            dest: { tn: ['13109570142'] },
            iat: Math.floor(Date.now() / 1000),
            orig: { tn: '1212736200' },
            origid: randomUUID(),
          }).identity,
        }),
      )
      assert.deepEqual([carried.status, carried.headers.identity], [302, undefined])
    })

    it("over the account's call rate → 503 with Retry-After (the SBC goes on unsigned); other accounts are signed", async () => {
      // A multi-tenant SBC names each call's account.
      const h = handler({ multiTenant: ['127.0.0.1/32'], limit: new RateLimiter(0.5, 1) })
      const invite = (acct: string, n: number) =>
        parseSip(
          `INVITE sip:+12125551212@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKcps${n}\r\nFrom: <sip:${w.number.phone}@127.0.0.1>;tag=1\r\nTo: <sip:+12125551212@127.0.0.1>\r\nCall-ID: cps${n}\r\nCSeq: 1 INVITE\r\nX-Account-Sid: ${acct}\r\nContent-Length: 0\r\n\r\n`,
        )!
      const remote = { protocol: 'UDP', address: '127.0.0.1', port: 5099 } as const
      const first = (await h(invite(w.caller.sid, 1), remote))!
      assert.equal(first.status, 302)
      assert.ok(first.headers.identity)
      const over = (await h(invite(w.caller.sid, 2), remote))!
      assert.equal(over.status, 503)
      assert.match(stringifySip(over), /\r\nRetry-After: 2\r\n/i)
      assert.equal(over.headers.identity, undefined)
      const other = await newAccount(s.url, 'Other Co')
      assert.equal((await h(invite(other.sid, 3), remote))!.status, 302)
    })

    /** An INVITE to `target` from `from`, carrying `identity` (a forwarded call); X-Account-Sid when `acct`. */
    const forwarded = (target: string, from: string, identity: string, acct?: string) =>
      parseSip(
        `INVITE sip:${target}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKd${Math.random()}\r\nFrom: <sip:${from}@127.0.0.1>;tag=1\r\n` +
          `To: <sip:${target}@127.0.0.1>\r\nCall-ID: d${Math.random()}\r\nCSeq: 1 INVITE\r\nIdentity: ${identity}\r\n${acct ? `X-Account-Sid: ${acct}\r\n` : ''}Content-Length: 0\r\n\r\n`,
      )!
    // A multi-tenant SBC: X-Account-Sid names the account when given, else the trunk's (w's) is.
    const ask = async (rq: ReturnType<typeof parseSip>) =>
      (await handler({ multiTenant: ['127.0.0.1/32'] })(rq!, { protocol: 'UDP', address: '127.0.0.1', port: 5099 }))!
    /** What another carrier signed for a call from a caller of theirs to `to`. */
    const originalCall = (to: string) =>
      signIdentity(s.running.ctx.stiAs.signer(), {
        attest: 'A',
        dest: { tn: [to.slice(1)] },
        iat: Math.floor(Date.now() / 1000),
        orig: { tn: '12125550150' },
        origid: randomUUID(),
      }).identity

    it('a signed call to our number, forwarded elsewhere → 302 with a div Identity (RFC 8946); the pair verifies', async () => {
      const original = originalCall(w.number.phone)
      const r = await ask(forwarded('+12125550177', '+12125550150', original))
      assert.equal(r.status, 302)
      const div = String(r.headers.identity)
      assert.match(div, /;ppt=div$/)
      const { payload } = await compactVerify(div.split(';')[0]!, pub())
      assert.deepEqual(JSON.parse(Buffer.from(payload).toString()), {
        dest: { tn: ['12125550177'] },
        div: { tn: w.number.phone.slice(1) },
        iat: JSON.parse(Buffer.from(payload).toString()).iat,
        orig: { tn: '12125550150' },
      })
      // The terminating side sees the original PASSporT and the hop, and passes the call.
      const verified = await http(s.url, 'POST', '/stir/v1/verification', {
        auth: w.caller,
        json: {
          verificationRequest: {
            from: { tn: '12125550150' },
            to: { tn: ['12125550177'] },
            time: Math.floor(Date.now() / 1000),
            identity: `${original},${div}`,
          },
        },
      })
      assert.equal(verified.body.verificationResponse.verstat, 'TN-Validation-Passed')
      assert.deepEqual(
        verified.body.verificationResponse.diversion.map((l: { from: string; status: string }) => [l.from, l.status]),
        [[w.number.phone.slice(1), 'verified']],
      )
      // A second forward from the new target (not ours): no hop we may sign.
      assert.equal(
        (await ask(forwarded('+12125550188', '+12125550150', `${original},${div}`))).headers.identity,
        undefined,
      )
    })

    for (const t of ['u1', 't1'] as const) {
      it(`a forwarded call over ${t === 'u1' ? 'UDP' : 'TCP'} (sipp) → 302 with a div Identity that verifies`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'sign-302-div', t, {
          orig: '+12125550150',
          dest: '+12125550177',
          identity: originalCall(w.number.phone),
        })
        assert.equal(r.code, 0, r.out)
        const div = /DIV (\S+)/.exec(r.log)?.[1]
        assert.ok(div, r.log)
        const { payload } = await compactVerify(div.split(';')[0]!, pub())
        assert.deepEqual(JSON.parse(Buffer.from(payload).toString()).div, { tn: w.number.phone.slice(1) })
      })
    }

    it('a call that already carries its SHAKEN Identity, over UDP (sipp) → 302 with no Identity (not signed again)', async () => {
      const r = await sipp(sipPort, s.dataDir, 'sign-302-carried', 'u1', {
        orig: w.number.phone,
        dest: '+12125550177',
        acct: w.caller.sid,
        identity: originalCall('+12125550177'),
      })
      assert.equal(r.code, 0, r.out)
    })

    it('a signed call is not signed again; a hop from a number we do not hold, or for another account, gets no div', async () => {
      const cases = [
        // Named accounts: without the carried PASSporT each of these would be signed (A or B).
        {
          why: 'same target',
          rq: forwarded('+12125550177', w.number.phone, originalCall('+12125550177'), w.caller.sid),
        },
        {
          why: 'not our number',
          rq: forwarded('+12125550177', '+12125550150', originalCall('+12125550166'), w.caller.sid),
        },
        {
          why: 'another account',
          rq: forwarded(
            '+12125550177',
            '+12125550150',
            originalCall(w.number.phone),
            (await buildWorld(s.url, s.running.ctx.store.db, 'direct')).caller.sid,
          ),
        },
        {
          why: 'forwarded to a non-US number',
          rq: forwarded('+14165551234', '+12125550150', originalCall(w.number.phone)),
        },
        {
          why: 'unreadable Identity',
          rq: forwarded('+12125550177', w.number.phone, 'not-a-jws;info=<https://x.example/c.pem>'),
        },
      ]
      for (const c of cases) {
        const r = await ask(c.rq)
        assert.equal(r.status, 302, c.why)
        assert.equal(r.headers.identity, undefined, c.why)
      }
      // A suspended account's number: no hop signed for it (the same call signs while it is active).
      const other = await buildWorld(s.url, s.running.ctx.store.db, 'direct-sub')
      const call = () => forwarded('+12125550177', '+12125550150', originalCall(other.number.phone), other.caller.sid)
      assert.match(String((await ask(call())).headers.identity), /;ppt=div$/)
      assert.equal(
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${other.caller.sid}.json`, {
            auth: other.top,
            form: { Status: 'suspended' },
          })
        ).status,
        200,
      )
      assert.equal((await ask(call())).headers.identity, undefined, 'suspended')
    })

    it('a call it does not sign (Canadian destination) → 302 without Identity', async () => {
      const r = await sipp(sipPort, s.dataDir, 'sign-302-unsigned', 'u1', {
        orig: w.number.phone,
        dest: '+14165551234',
        acct: w.caller.sid,
      })
      assert.equal(r.code, 0, r.out)
    })

    it('an untrusted source → 403', async () => {
      const r = await sipp(
        sipPort,
        s.dataDir,
        'sign-refused-403',
        'u1',
        { dest: '+12125551212', from_hdr: `<sip:${w.number.phone}@127.0.0.2>` },
        '127.0.0.2',
      )
      assert.equal(r.code, 0, r.out)
    })

    for (const t of ['u1', 't1'] as const) {
      it(`a malformed INVITE (From without a SIP URI) over ${t === 'u1' ? 'UDP' : 'TCP'} → 400`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'sign-refused-400', t, { dest: '+12125551212', from_hdr: 'not a uri' })
        assert.equal(r.code, 0, r.out)
      })
    }

    it('OPTIONS → 200; garbage datagrams are dropped and the front keeps answering', async () => {
      const dgram = await import('node:dgram')
      const sock = dgram.createSocket('udp4')
      for (const junk of ['garbage', '\r\n\r\n', 'INVITE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n', 'x'.repeat(60000)]) {
        await new Promise<void>((r) => sock.send(junk, sipPort, '127.0.0.1', () => r()))
      }
      sock.close()
      const net = await import('node:net')
      const c = net.connect(sipPort, '127.0.0.1')
      await new Promise<void>((r) => c.once('connect', () => r()))
      c.end(
        'INVITE sip:+1212 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt\r\nContent-Length: 50\r\n\r\ntruncated',
      )
      const r = await sipp(sipPort, s.dataDir, 'sign-options', 'u1', {})
      assert.equal(r.code, 0, r.out)
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`SIP signing front with the store gone [${dialect}]`, () => {
    it('answers 503 (fail closed), never a signature from cached facts', async () => {
      const sipPort = await freePort()
      const s = await startServer(dialect, {
        env: { STIRHUB_ROLES: 'api,sip', SIP_SIGN_PORT: String(sipPort), STIRHUB_SIP_TRUSTED: '127.0.0.1/32' },
      })
      try {
        const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
        await useTrunk(s.url, w.caller.sid)
        const invite = (n: number) =>
          `INVITE sip:+12125551212@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKgone${n}\r\nFrom: <sip:${w.number.phone}@127.0.0.1>;tag=1\r\nTo: <sip:+12125551212@127.0.0.1>\r\nCall-ID: gone${n}\r\nCSeq: 1 INVITE\r\nX-Account-Sid: ${w.caller.sid}\r\nContent-Length: 0\r\n\r\n`
        const dgram = await import('node:dgram')
        const sock = dgram.createSocket('udp4')
        await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()))
        const ask = (n: number) =>
          new Promise<string>((resolve) => {
            sock.once('message', (m) => resolve(m.toString('utf8')))
            sock.send(invite(n), sipPort, '127.0.0.1')
          })
        // Signed while the store answers (the facts are now cached)...
        const first = await ask(1)
        assert.match(first, /^SIP\/2\.0 302 /)
        assert.match(first, /\r\nIdentity: /i)
        // ...and refused, not signed from those cached facts, once it cannot.
        await s.running.ctx.store.close()
        const second = await ask(2)
        assert.match(second, /^SIP\/2\.0 503 /)
        assert.doesNotMatch(second, /\r\nIdentity: /i)
        sock.close()
        // Operators see it on /metrics: one redirect, one refusal, and a store that did not answer.
        const m = await scrape(s.url)
        assert.equal(m.get('stirhub_sip_sign_responses_total{status="302"}'), 1)
        assert.equal(m.get('stirhub_sip_sign_responses_total{status="503"}'), 1)
        // Both responses timed, each within the histogram's range.
        assert.equal(m.get('stirhub_sip_request_duration_seconds_count{front="sign"}'), 2)
        assert.equal(m.get('stirhub_sip_request_duration_seconds_bucket{le="2.5",front="sign"}'), 2)
        assert.equal(m.get('stirhub_store_up'), 0)
      } finally {
        // The store is closed already: stop() fails at its last step, so clean up after it.
        await s.stop().catch(async () => {
          if (s.schema) await dropSchema(s.schema)
          fs.rmSync(s.dataDir, { recursive: true, force: true })
        })
      }
    })
  })
}
