/**
 * ATIS-1000082 `POST /stir/v1/signing`: bodies, the SVC/POL error catalogue, X-RequestID, the
 * identity it returns (verified with jose) and the signing counters. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey, type KeyObject } from 'node:crypto'
import { request } from 'node:http'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { compactVerify, decodeProtectedHeader } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, type Creds } from './helpers/http.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { signingCountsByAccount } from '../src/store/signing-counters.repo.js'

const body = (over: Record<string, unknown> = {}, from = '+12155550121') => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: ['12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    ...over,
  },
})

/** A div request (RFC 8946): the call from `orig`, forwarded by `div` to `dest`. */
const divBody = (div: string, over: Record<string, unknown> = {}) => ({
  signingRequest: {
    ppt: 'div',
    orig: { tn: '12125550150' },
    dest: { tn: ['12125550177'] },
    div: { tn: div },
    iat: Math.floor(Date.now() / 1000),
    ...over,
  },
})

const exec = promisify(execFile)
const basic = (c: Creds) => 'Basic ' + Buffer.from(`${c.sid}:${c.token}`).toString('base64')

/** A POST with a chunked body (no Content-Length), which fetch cannot send. */
function chunkedPost(url: string, auth: string, payload: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let data = ''
        res.on('data', (c) => {
          data += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }))
      },
    )
    r.on('error', reject)
    r.end(payload)
  })
}

/** secsipidx accepts `identity` under `key`'s public half, and refuses it with one signature character changed. */
async function assertSecsipidxVerifies(identity: string, key: KeyObject): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secsipidx-'))
  try {
    fs.writeFileSync(path.join(dir, 'identity.txt'), identity)
    fs.writeFileSync(path.join(dir, 'pub.pem'), createPublicKey(key).export({ type: 'spki', format: 'pem' }))
    const ok = await exec('/usr/bin/secsipidx', [
      '-check',
      '-expire',
      '300',
      '-fidentity',
      path.join(dir, 'identity.txt'),
      '-fpubkey',
      path.join(dir, 'pub.pem'),
    ])
    assert.match(ok.stdout + ok.stderr, /ok|valid/i)
    // Negative control: the same identity with a flipped signature character must fail.
    const bad = identity.replace(
      /\.([\w-])([\w-]*);info/,
      (_m: string, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest};info`,
    )
    fs.writeFileSync(path.join(dir, 'bad.txt'), bad)
    await assert.rejects(
      exec('/usr/bin/secsipidx', [
        '-check',
        '-expire',
        '300',
        '-fidentity',
        path.join(dir, 'bad.txt'),
        '-fpubkey',
        path.join(dir, 'pub.pem'),
      ]),
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

for (const dialect of DIALECTS) {
  describe(`POST /stir/v1/signing [${dialect}]`, () => {
    let s: TestServer
    let w: World
    before(async () => {
      s = await startServer(dialect)
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
    })
    after(async () => {
      await s.stop()
    })

    it('signs: signingResponse.identity is <jws>;info=<x5u>;alg=ES256;ppt=shaken and verifies with jose', async () => {
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: body({}, w.number.phone),
        headers: { 'X-RequestID': 'req-42' },
      })
      assert.equal(r.status, 200)
      assert.equal(r.headers.get('x-requestid'), 'req-42')
      const m = /^([\w-]+\.[\w-]+\.[\w-]+);info=<([^>]+)>;alg=ES256;ppt=shaken$/.exec(r.body.signingResponse.identity)
      assert.ok(m, r.body.signingResponse.identity)
      const signer = s.running.ctx.stiAs.signer()
      const { payload } = await compactVerify(m[1]!, createPublicKey(signer.key))
      assert.deepEqual(decodeProtectedHeader(m[1]!), { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: m[2] })
      assert.equal(m[2], signer.x5u)
      const claims = JSON.parse(Buffer.from(payload).toString())
      assert.equal(claims.attest, 'A')
      assert.deepEqual(Object.keys(claims), ['attest', 'dest', 'iat', 'orig', 'origid'])
    })

    it('the identity verifies with secsipidx (an independent implementation)', async () => {
      const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: body({}, w.number.phone) })
      await assertSecsipidxVerifies(r.body.signingResponse.identity, s.running.ctx.stiAs.signer().key)
    })

    it('a non-US destination gets no identity, with a reason', async () => {
      const r = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: body({ dest: { tn: ['+14165551234'] } }, w.number.phone),
      })
      assert.equal(r.status, 200)
      assert.equal(r.body.signingResponse.identity, undefined)
      assert.equal(r.body.signingResponse.reason, 'not-us-destination')
      assert.match(r.body.signingResponse.reasontext, /not a US number/)
    })

    it('"ppt":"div": a div PASSporT for a call forwarded from the account\'s number; the pair verifies', async () => {
      // The call as its caller's provider signed it, to our customer's number.
      const iat = Math.floor(Date.now() / 1000)
      const orig = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: {
          signingRequest: {
            attest: 'C',
            dest: { tn: [w.number.phone.slice(1)] },
            iat,
            orig: { tn: '12125550150' },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        },
      })
      assert.ok(orig.body.signingResponse.identity, JSON.stringify(orig.body))
      const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: divBody(w.number.phone) })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const div: string = r.body.signingResponse.identity
      assert.match(div, /;info=<[^>]+>;alg=ES256;ppt=div$/)
      const { payload } = await compactVerify(div.split(';')[0]!, createPublicKey(s.running.ctx.stiAs.signer().key))
      const claims = JSON.parse(Buffer.from(payload).toString())
      assert.deepEqual(claims, {
        dest: { tn: ['12125550177'] },
        div: { tn: w.number.phone.slice(1) },
        iat: claims.iat,
        orig: { tn: '12125550150' },
      })
      const verified = await http(s.url, 'POST', '/stir/v1/verification', {
        auth: w.caller,
        json: {
          verificationRequest: {
            from: { tn: '12125550150' },
            to: { tn: ['12125550177'] },
            time: iat,
            identity: `${orig.body.signingResponse.identity},${div}`,
          },
        },
      })
      assert.deepEqual(verified.body, {
        verificationResponse: {
          verstat: 'TN-Validation-Passed',
          diversion: [{ from: w.number.phone.slice(1), to: ['12125550177'], spc: '1234', status: 'verified' }],
        },
      })
      // Counted for the account that holds the number, as a forwarding hop.
      await s.running.ctx.stiAs.counter.flush()
      const rows = (await signingCountsByAccount(s.running.ctx.store.db, [w.caller.sid])).get(w.caller.sid)!
      assert.equal(
        rows.filter((x) => x.attest === 'div').reduce((n, x) => n + x.count, 0),
        1,
      )
      // A number the account does not hold: no identity, and why.
      const other = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: divBody('12125550166') })
      assert.equal(other.body.signingResponse.identity, undefined)
      assert.equal(other.body.signingResponse.reason, 'diverting-number-not-held')
    })

    const cases: Array<[string, unknown, number, string, string?]> = [
      ['missing signingRequest', {}, 400, 'SVC4001', 'signingRequest'],
      ['missing attest', { signingRequest: { ...body().signingRequest, attest: undefined } }, 400, 'SVC4001', 'attest'],
      ['missing orig', { signingRequest: { ...body().signingRequest, orig: undefined } }, 400, 'SVC4001', 'orig'],
      ['missing dest', { signingRequest: { ...body().signingRequest, dest: undefined } }, 400, 'SVC4001', 'dest'],
      ['missing iat', { signingRequest: { ...body().signingRequest, iat: undefined } }, 400, 'SVC4001', 'iat'],
      ['missing origid', { signingRequest: { ...body().signingRequest, origid: undefined } }, 400, 'SVC4001', 'origid'],
      ['attest W', body({ attest: 'W' }), 400, 'SVC4005', 'attest'],
      ['iat as a string', body({ iat: '1632412033' }), 400, 'SVC4005', 'iat'],
      // Dated ahead, a PASSporT would turn fresh after a revocation; dated behind, every verifier refuses it.
      ['iat an hour ahead', body({ iat: Math.floor(Date.now() / 1000) + 3600 }), 400, 'SVC4005', 'iat'],
      ['iat a day old', body({ iat: Math.floor(Date.now() / 1000) - 86_400 }), 400, 'SVC4005', 'iat'],
      [
        'div: iat an hour ahead',
        divBody('12125550100', { iat: Math.floor(Date.now() / 1000) + 3600 }),
        400,
        'SVC4005',
        'iat',
      ],
      ['origid not a UUID', body({ origid: 'ref' }), 400, 'SVC4005', 'origid'],
      ['dest.tn empty', body({ dest: { tn: [] } }), 400, 'SVC4005', 'dest'],
      ['dest.tn a string', body({ dest: { tn: '12125551212' } }), 400, 'SVC4005', 'dest'],
      ['orig letters', body({ orig: { tn: 'Bob' } }), 400, 'SVC4005', 'orig'],
      ['orig too long', body({ orig: { tn: '1'.repeat(20) } }), 400, 'SVC4005', 'orig'],
      ['a JSON array body', [1, 2], 400, 'SVC4006'],
      ['ppt neither shaken nor div', body({ ppt: 'xyz' }), 400, 'SVC4005', 'ppt'],
      [
        'div: missing div',
        { signingRequest: { ...divBody('12125550100').signingRequest, div: undefined } },
        400,
        'SVC4001',
        'div',
      ],
      ['div: div letters', divBody('Bob'), 400, 'SVC4005', 'div'],
      [
        'div: two new targets',
        divBody('12125550100', { dest: { tn: ['12125550177', '12125550178'] } }),
        400,
        'SVC4005',
        'dest',
      ],
    ]
    for (const [name, json, status, id, param] of cases) {
      it(`${name} → ${status} ${id}`, async () => {
        const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json })
        assert.equal(r.status, status, JSON.stringify(r.body))
        const ex = r.body.requestError.serviceException
        assert.equal(ex.messageId, id)
        if (param) assert.equal(ex.variables[0], param)
        assert.equal(typeof ex.text, 'string')
      })
    }

    it('malformed JSON → 400 SVC4006; form body → 415 SVC4004; no Content-Length → 411 SVC4007; GET → 405 POL4050', async () => {
      const bad = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        raw: '{"signingRequest":',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(bad.status, 400)
      assert.equal(bad.body.requestError.serviceException.messageId, 'SVC4006')
      const form = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, form: { a: '1' } })
      assert.equal(form.status, 415)
      assert.equal(form.body.requestError.serviceException.messageId, 'SVC4004')
      const chunked = await chunkedPost(`${s.url}/stir/v1/signing`, basic(w.caller), JSON.stringify(body()))
      assert.equal(chunked.status, 411)
      assert.equal(chunked.body.requestError.serviceException.messageId, 'SVC4007')
      const get = await http(s.url, 'GET', '/stir/v1/signing', { auth: w.caller, headers: { 'X-RequestID': 'r1' } })
      assert.equal(get.status, 405)
      assert.equal(get.body.requestError.policyException.messageId, 'POL4050')
      assert.equal(get.headers.get('x-requestid'), 'r1')
      const empty = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        raw: '',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(empty.status, 400)
      assert.equal(empty.body.requestError.serviceException.messageId, 'SVC4000')
      const huge = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        raw: JSON.stringify({ x: 'y'.repeat(2_000_000) }),
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(huge.status, 413)
      assert.equal(huge.body.requestError.policyException.messageId, 'POL4013')
    })

    it('counts signings per account, hour and level', async () => {
      const x = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      for (const from of [x.number.phone, x.number.phone, '+12125550100']) {
        assert.equal(
          (await http(s.url, 'POST', '/stir/v1/signing', { auth: x.caller, json: body({}, from) })).status,
          200,
        )
      }
      await http(s.url, 'POST', '/stir/v1/signing', {
        auth: x.caller,
        json: body({ dest: { tn: ['+442071838750'] } }, x.number.phone),
      })
      await s.running.ctx.stiAs.counter.flush()
      const rows = (await signingCountsByAccount(s.running.ctx.store.db, [x.caller.sid])).get(x.caller.sid)!
      const by = Object.fromEntries(rows.map((r) => [r.attest, Number(r.count)]))
      assert.deepEqual(by, { A: 2, B: 1, none: 1 })
      assert.match(rows[0]!.hour, /^\d{4}-\d{2}-\d{2}T\d{2}$/)
    })

    it('explains a decision: GET /stir/v1/attestation', async () => {
      const r = await http(
        s.url,
        'GET',
        `/stir/v1/attestation?from=${encodeURIComponent('+12125550100')}&to=12125551212`,
        { auth: w.caller },
      )
      assert.equal(r.status, 200)
      assert.equal(r.body.level, 'B')
      assert.equal(r.body.rule, 'partial-attestation')
      assert.ok(r.body.missing_for_a.some((m: string) => /IncomingPhoneNumber/.test(m)))
      const bad = await http(s.url, 'GET', '/stir/v1/attestation?from=abc&to=12125551212', { auth: w.caller })
      assert.equal(bad.status, 400)
      assert.equal(bad.body.requestError.serviceException.messageId, 'SVC4005')
      const missing = await http(s.url, 'GET', '/stir/v1/attestation?from=12125551212', { auth: w.caller })
      assert.equal(missing.status, 400)
      assert.equal(missing.body.requestError.serviceException.messageId, 'SVC4001')
    })
  })
}

describe('STIRHUB_NATIVE_SIGNER=off: node:crypto signs, and says so', () => {
  let s: TestServer
  let w: World
  before(async () => {
    s = await startServer('sqlite', { env: { STIRHUB_NATIVE_SIGNER: 'off' } })
    w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
  })
  after(async () => {
    await s.stop()
  })

  it('signs A with node:crypto; secsipidx verifies it; /admin/v1/Platform names the backend', async () => {
    const platform = await http(s.url, 'GET', '/admin/v1/Platform', { auth: { bearer: ADMIN_TOKEN } })
    assert.deepEqual(platform.body.es256_signer, { native: false, detail: 'node:crypto (STIRHUB_NATIVE_SIGNER=off)' })
    const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json: body({}, w.number.phone) })
    assert.equal(r.headers.get('x-attestation'), 'A')
    await assertSecsipidxVerifies(r.body.signingResponse.identity, s.running.ctx.stiAs.signer().key)
  })
})
