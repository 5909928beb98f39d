/**
 * The SIP signing front driven by sipp (`sip-tester`): INVITEs over UDP and TCP get a 302
 * whose Identity header verifies (jose) and carries the level the engine decided; calls it
 * does not sign get a 302 without Identity; untrusted sources (sipp bound to 127.0.0.2, trusted
 * 127.0.0.1/32) get 403; malformed INVITEs 400; OPTIONS 200. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import fs from 'node:fs'
import { DIALECTS, dropSchema } from './helpers/dialects.js'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { stiAs } from '../src/stir/as/sti-as.js'
import { parseSip } from '../src/sip/transport.js'
import { signHandler } from '../src/sip/sign-front.js'
import { sipp } from './helpers/sipp.js'
import { scrape } from './helpers/metrics.js'



for (const dialect of DIALECTS) {
  describe(`SIP signing front with sipp [${dialect}]`, () => {
    let s: TestServer
    let w: World
    let sipPort: number
    before(async () => {
      sipPort = await freePort()
      s = await startServer(dialect, { env: { STIRHUB_ROLES: 'api,sip', SIP_SIGN_PORT: String(sipPort), STIRHUB_SIP_TRUSTED: '127.0.0.1/32' } })
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
    })
    after(async () => { await s.stop() })

    const pub = () => createPublicKey(stiAs(s.running.ctx).signer().key)

    for (const t of ['u1', 't1'] as const) {
      it(`INVITE over ${t === 'u1' ? 'UDP' : 'TCP'} → 302 with Contact and an Identity that verifies (A)`, async () => {
        const r = await sipp(sipPort, s.dataDir, 'sign-302', t, { orig: w.number.phone, dest: '+12125551212', acct: w.caller.sid })
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

    it('without X-Account-Sid the owner of the calling number is the account', async () => {
      const h = signHandler({ trusted: ['127.0.0.1/32'], ...stiAs(s.running.ctx) })
      const rq = parseSip(`INVITE sip:+12125551212@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKx\r\nFrom: <sip:${w.number.phone}@127.0.0.1>;tag=1\r\nTo: <sip:+12125551212@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`)!
      const r = (await h(rq, { protocol: 'UDP', address: '127.0.0.1', port: 5099 }))!
      assert.equal(r.status, 302)
      const { payload } = await compactVerify(String(r.headers.identity).split(';')[0]!, pub())
      assert.equal(JSON.parse(Buffer.from(payload).toString()).attest, 'A')
    })

    it('a call it does not sign (Canadian destination) → 302 without Identity', async () => {
      const r = await sipp(sipPort, s.dataDir, 'sign-302-unsigned', 'u1', { orig: w.number.phone, dest: '+14165551234', acct: w.caller.sid })
      assert.equal(r.code, 0, r.out)
    })

    it('an untrusted source → 403', async () => {
      const r = await sipp(sipPort, s.dataDir, 'sign-refused-403', 'u1', { dest: '+12125551212', from_hdr: `<sip:${w.number.phone}@127.0.0.2>` }, '127.0.0.2')
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
      c.end('INVITE sip:+1212 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt\r\nContent-Length: 50\r\n\r\ntruncated')
      const r = await sipp(sipPort, s.dataDir, 'sign-options', 'u1', {})
      assert.equal(r.code, 0, r.out)
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`SIP signing front with the store gone [${dialect}]`, () => {
    it('answers 503 (fail closed), never a signature from cached facts', async () => {
      const sipPort = await freePort()
      const s = await startServer(dialect, { env: { STIRHUB_ROLES: 'api,sip', SIP_SIGN_PORT: String(sipPort), STIRHUB_SIP_TRUSTED: '127.0.0.1/32' } })
      try {
        const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
        const invite = (n: number) => `INVITE sip:+12125551212@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKgone${n}\r\nFrom: <sip:${w.number.phone}@127.0.0.1>;tag=1\r\nTo: <sip:+12125551212@127.0.0.1>\r\nCall-ID: gone${n}\r\nCSeq: 1 INVITE\r\nX-Account-Sid: ${w.caller.sid}\r\nContent-Length: 0\r\n\r\n`
        const dgram = await import('node:dgram')
        const sock = dgram.createSocket('udp4')
        await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()))
        const ask = (n: number) => new Promise<string>((resolve) => {
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
