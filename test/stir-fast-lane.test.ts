/**
 * The HTTP fast lane (src/api/stir/fast-lane, src/api/stir/stir.fast-lane.ts) answers signing
 * and verification calls exactly as the Fastify routes do: the same bytes (but the date and
 * the signature) for every kind of call, on two servers sharing one store and one clock, one
 * with the lane and one without. Calls the lane must decline reach Fastify, and credentials
 * suspended elsewhere stop at once.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newSubAccount, type Creds } from './helpers/http.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { scrape } from './helpers/metrics.js'
import type { Clock } from '../src/domain/time.js'

const basic = (c: Creds, token = c.token) => 'Basic ' + Buffer.from(`${c.sid}:${token}`).toString('base64')

/** One request over a new connection, raw bytes in and out (the server keeps it alive; we close). */
function exchange(
  port: number,
  body: string,
  fields: Record<string, string>,
  localAddress = '127.0.0.1',
  path = '/stir/v1/signing',
): Promise<string> {
  const head = Object.entries({
    Host: '127.0.0.1',
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1', localAddress }, () =>
      c.write(`POST ${path} HTTP/1.1\r\n${head}\r\n${body}`),
    )
    let out = ''
    c.on('data', (d) => {
      out += d.toString('latin1')
      const end = out.indexOf('\r\n\r\n')
      const len = Number(/content-length: (\d+)/i.exec(out)?.[1] ?? -1)
      if (end >= 0 && len >= 0 && out.length >= end + 4 + len) {
        c.destroy()
        resolve(out)
      }
    })
    c.on('error', reject)
  })
}

/** A signingRequest body for an A call from `from`, dated now unless `over` says otherwise. */
const signingCall = (from: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    signingRequest: {
      attest: 'A',
      dest: { tn: ['12125551212'] },
      iat: Math.floor(Date.now() / 1000),
      orig: { tn: from },
      origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
      ...over,
    },
  })

/**
 * Both servers' clock: the system's, held still while a test compares answers that carry it
 * (an iat out of range is refused with the signer's clock in seconds).
 */
let heldAt: number | undefined
const clock: Clock = () => new Date(heldAt ?? Date.now())

/** The response with what must differ between two servers masked: the date and the signature. */
const masked = (raw: string) =>
  raw.replace(/\r\nDate: [^\r]+/, '\r\nDate: -').replace(/(\.[\w-]+\.)[\w-]{86};info/g, '$1SIG;info')

for (const dialect of DIALECTS) {
  describe(`HTTP fast lane on /stir/v1 [${dialect}]`, () => {
    let lane: TestServer
    let plain: TestServer
    let w: World
    before(async () => {
      lane = await startServer(dialect, { clock })
      // The same PUBLIC_URL, so both put the same x5u in their PASSporTs.
      plain = await startServer(dialect, {
        clock,
        shareWith: lane,
        env: { STIRHUB_HTTP_FAST_LANE: 'off', PUBLIC_URL: lane.url },
      })
      w = await buildWorld(lane.url, lane.running.ctx.store.db, 'direct')
    })
    after(async () => {
      await plain.stop()
      await lane.stop()
    })

    it("answers every kind of call with the Fastify route's bytes", async (t) => {
      heldAt = Date.now()
      t.after(() => {
        heldAt = undefined
      })
      const iat = Math.floor(heldAt / 1000)
      const call = (over: Record<string, unknown> = {}, from = w.number.phone) => signingCall(from, { iat, ...over })
      const auth = { Authorization: basic(w.caller) }
      // [why, body, fields, answered on the lane (else left to Fastify)]
      const cases: Array<[string, string, Record<string, string>, boolean]> = [
        ['A, with X-RequestID', call(), { ...auth, 'X-RequestID': 'req-7' }, true],
        ["B: a number that is not the caller's", call({}, '12125550100'), auth, true],
        ['a requested C lowers A', call({ attest: 'C' }), auth, true],
        ['a non-US destination: no identity, a reason', call({ dest: { tn: ['+14165551234'] } }), auth, true],
        // Numbers are decided as the Fastify route decides them (domain/e164.ts): 10 digits are +1.
        [
          "the caller's number in 10 digits, to a 10-digit destination",
          call({ dest: { tn: ['3109570142'] } }, w.number.phone.slice(2)),
          auth,
          true,
        ],
        ['a calling number valid nowhere (refused after the rate is spent)', call({}, '+1212736200'), auth, true],
        [
          'div',
          JSON.stringify({
            signingRequest: {
              ppt: 'div',
              orig: { tn: '12125550150' },
              dest: { tn: ['12125550177'] },
              div: { tn: w.number.phone },
              iat,
            },
          }),
          auth,
          true,
        ],
        ['an iat out of range (refused after the rate is spent)', call({ iat: iat - 3600 }), auth, true],
        [
          'the operator for an account',
          call(),
          { Authorization: `Bearer ${ADMIN_TOKEN}`, 'X-Account-Sid': w.caller.sid },
          true,
        ],
        ['the operator without X-Account-Sid', call(), { Authorization: `Bearer ${ADMIN_TOKEN}` }, false],
        [
          "an account that is not the caller's",
          call(),
          { ...auth, 'X-Account-Sid': 'AC00000000000000000000000000000000' },
          false,
        ],
        ['a malformed X-Account-Sid', call(), { ...auth, 'X-Account-Sid': 'nope' }, false],
        ['a wrong token', call(), { Authorization: basic(w.caller, 'wrong') }, false],
        ['no credentials', call(), {}, false],
        ['JSON that does not parse', '{"signingRequest":', auth, false],
        ['a missing member', JSON.stringify({ signingRequest: { attest: 'A' } }), auth, false],
        ['__proto__ in the body', '{"signingRequest":{"__proto__":{"x":1}}}', auth, false],
        ['a NUL in a member the route ignores (refused at the edge)', call({ note: 'x\u0000' }), auth, false],
        [
          'a number out of range in a member the route ignores',
          call().replace('{"signingRequest":{', '{"signingRequest":{"n":1e400,'),
          auth,
          false,
        ],
        ['an empty body', '', auth, false],
        ['another content type', call(), { ...auth, 'Content-Type': 'text/plain' }, false],
      ]
      // Both servers have seen these credentials (the lane answers only those it has verified).
      for (const s of [lane, plain])
        for (const a of [auth, { Authorization: `Bearer ${ADMIN_TOKEN}`, 'X-Account-Sid': w.caller.sid }])
          await exchange(s.port, call(), a)
      const answered = async () => (await scrape(lane.url)).get('stirhub_http_fast_lane_total{outcome="answered"}') ?? 0
      for (const [why, body, fields, onLane] of cases) {
        const before = await answered()
        const [a, b] = [await exchange(lane.port, body, fields), await exchange(plain.port, body, fields)]
        assert.equal(masked(a), masked(b), why)
        // The lane answers well-formed calls from known credentials, and only those.
        assert.equal(
          (await answered()) - before,
          onLane ? 1 : 0,
          `${why}: ${onLane ? 'not answered on' : 'answered on'} the lane`,
        )
        if (why.includes('in 10 digits')) assert.match(a, /\r\nx-attestation: A\r\n/)
        if (why.includes('valid nowhere'))
          assert.match(a, /^HTTP\/1\.1 400 [^]*"messageId":"SVC4005","text":"Invalid 'orig' parameter value/)
      }
      assert.equal((await scrape(plain.url)).get('stirhub_http_fast_lane_total{outcome="answered"}'), undefined)
      assert.equal(
        (await http(plain.url, 'GET', '/admin/v1/Platform', { auth: { bearer: ADMIN_TOKEN } })).body.http_fast_lane,
        false,
      )
      // The lane's signatures verify: its A call, once more.
      const raw = await exchange(lane.port, call(), auth)
      const identity = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).signingResponse.identity as string
      await compactVerify(identity.split(';')[0]!, createPublicKey(lane.running.ctx.stiAs.signer().key))
      assert.match(raw, /\r\nx-attestation: A\r\n/)
    })

    it("answers verification calls with the Fastify route's bytes, passed and failed alike", async () => {
      const auth = { Authorization: basic(w.caller) }
      const time = Math.floor(Date.now() / 1000)
      const signed = await exchange(lane.port, signingCall(w.number.phone, { iat: time }), auth)
      const identity = JSON.parse(signed.slice(signed.indexOf('\r\n\r\n') + 4)).signingResponse.identity as string
      const tampered = identity.replace(
        /\.([\w-])([\w-]*);info/,
        (_m: string, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest};info`,
      )
      const call = (over: Record<string, unknown> = {}) =>
        JSON.stringify({
          verificationRequest: { from: { tn: w.number.phone }, to: { tn: ['12125551212'] }, time, identity, ...over },
        })
      const cases: Array<[string, string, Record<string, string>, boolean]> = [
        ['passed, with X-RequestID', call(), { ...auth, 'X-RequestID': 'v-1' }, true],
        ['a changed signature', call({ identity: tampered }), auth, true],
        ['another calling number', call({ from: { tn: '12125550100' } }), auth, true],
        ['the calling number in 10 digits', call({ from: { tn: w.number.phone.slice(2) } }), auth, true],
        ['a calling number valid nowhere', call({ from: { tn: '+1212736200' } }), auth, false],
        ['a stale time', call({ time: time + 3600 }), auth, true],
        [
          'the operator for an account',
          call(),
          { Authorization: `Bearer ${ADMIN_TOKEN}`, 'X-Account-Sid': w.caller.sid },
          true,
        ],
        [
          'no identity',
          JSON.stringify({ verificationRequest: { from: { tn: w.number.phone }, to: { tn: ['12125551212'] }, time } }),
          auth,
          false,
        ],
        ['an identity that is not a string', call({ identity: 7 }), auth, false],
        ['a lone surrogate in a member the route ignores (refused at the edge)', call({ note: '\ud800' }), auth, false],
        ['a wrong token', call(), { Authorization: basic(w.caller, 'wrong') }, false],
      ]
      const path = '/stir/v1/verification'
      for (const s of [lane, plain]) await exchange(s.port, call(), auth, '127.0.0.1', path)
      const answered = async () => (await scrape(lane.url)).get('stirhub_http_fast_lane_total{outcome="answered"}') ?? 0
      for (const [why, body, fields, onLane] of cases) {
        const before = await answered()
        const [a, b] = [
          await exchange(lane.port, body, fields, '127.0.0.1', path),
          await exchange(plain.port, body, fields, '127.0.0.1', path),
        ]
        assert.equal(masked(a), masked(b), why)
        assert.equal(
          (await answered()) - before,
          onLane ? 1 : 0,
          `${why}: ${onLane ? 'not answered on' : 'answered on'} the lane`,
        )
        if (why.startsWith('passed') || why.endsWith('in 10 digits'))
          assert.match(a, /"verstat":"TN-Validation-Passed"/)
        if (why.endsWith('valid nowhere')) assert.match(a, /^HTTP\/1\.1 400 [^]*"messageId":"SVC4005"/)
        if (why === 'a changed signature') assert.match(a, /"verstat":"TN-Validation-Failed","reasoncode":438/)
      }
    })

    it("leaves credentials locked out after failed guesses from an address to Fastify's 429; elsewhere they pass", async () => {
      const s = await startServer(dialect, { shareWith: lane, env: { STIRHUB_AUTH_FAILURE_LIMIT: '2' } })
      try {
        const auth = { Authorization: basic(w.caller) }
        const call = signingCall(w.number.phone)
        const answered = async () => (await scrape(s.url)).get('stirhub_http_fast_lane_total{outcome="answered"}') ?? 0
        assert.match(await exchange(s.port, call, auth), /^HTTP\/1\.1 200 /)
        assert.match(await exchange(s.port, call, auth), /^HTTP\/1\.1 200 /)
        assert.equal(await answered(), 1)
        for (let i = 0; i < 2; i++)
          assert.match(await exchange(s.port, call, { Authorization: basic(w.caller, 'guess') }), /^HTTP\/1\.1 401 /)
        assert.match(await exchange(s.port, call, auth), /^HTTP\/1\.1 429 [^]*POL4029/)
        assert.equal(await answered(), 1)
        assert.match(await exchange(s.port, call, auth, '127.0.0.2'), /^HTTP\/1\.1 200 /)
        assert.equal(await answered(), 2)
      } finally {
        await s.stop()
      }
    })

    it('stops at once with a client holding an idle connection the lane answered on', async () => {
      const s = await startServer(dialect, { shareWith: lane })
      const auth = basic(w.caller)
      const call = signingCall(w.number.phone)
      await exchange(s.port, call, { Authorization: auth })
      const c = net.connect(s.port, '127.0.0.1')
      const answered = new Promise<void>((resolve) => c.once('data', () => resolve()))
      c.write(
        `POST /stir/v1/signing HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${call.length}\r\n\r\n${call}`,
      )
      await answered
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()))
      c.resume()
      const t0 = Date.now()
      await s.stop()
      await closed
      // Without the lane's part in the server's close, this waited for the 72 s keep-alive.
      assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`)
    })

    it('stops a suspended account on its next call, though the lane had its credentials', async () => {
      const sub = await newSubAccount(lane.url, w.top)
      const auth = { Authorization: basic(sub) }
      const call = signingCall(w.number.phone)
      assert.match(await exchange(lane.port, call, auth), /^HTTP\/1\.1 200 /)
      assert.match(await exchange(lane.port, call, auth), /^HTTP\/1\.1 200 /)
      // Suspended through the other server: the lane's process learns it from the store.
      const r = await http(plain.url, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
        auth: w.top,
        form: { Status: 'suspended' },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.match(await exchange(lane.port, call, auth), /^HTTP\/1\.1 403 /)
    })
  })
}
