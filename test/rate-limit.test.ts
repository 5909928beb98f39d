/**
 * Request limits over real HTTP: per account on the REST API (Twilio 20429) and on /stir
 * (ATIS POL4029), both with Retry-After and without touching other accounts; failed
 * authentications per client address and credentials (a SID, a token), the address read from
 * X-Forwarded-For only behind a trusted proxy.
 * In-memory and per process, so one store suffices.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodeHttp from 'node:http'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { call } from '../src/cli/client.js'

/** A GET from a chosen loopback source address (Linux answers all of 127/8). */
function getFrom(port: number, localAddress: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, fail) => {
    nodeHttp
      .get({ host: '127.0.0.1', port, path, localAddress, headers }, (res) => {
        res.resume()
        ok(res.statusCode!)
      })
      .on('error', fail)
  })
}
/** Any request from a chosen loopback source address; the body is JSON. */
function requestFrom(
  port: number,
  localAddress: string,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((ok, fail) => {
    const req = nodeHttp
      .request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          localAddress,
          headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let text = ''
          res.on('data', (d) => {
            text += d
          })
          res.on('end', () => ok({ status: res.statusCode!, body: text ? JSON.parse(text) : null }))
        },
      )
      .on('error', fail)
    req.end(json === undefined ? undefined : JSON.stringify(json))
  })
}
const basic = (c: Creds) => 'Basic ' + Buffer.from(`${c.sid}:${c.token}`).toString('base64')

describe('rate limits', () => {
  describe('per account', () => {
    let srv: TestServer
    let a: Creds
    let b: Creds
    before(async () => {
      srv = await startServer('sqlite', {
        env: { STIRHUB_API_RATE_LIMIT: '0.5', STIRHUB_STIR_RATE_LIMIT: '0.5', STIRHUB_AUTH_FAILURE_LIMIT: '0' },
      })
      a = await newAccount(srv.url, 'Busy Co')
      b = await newAccount(srv.url, 'Quiet Co')
    })
    after(() => srv.stop())

    it('answers an account past its REST rate with 429 20429 and Retry-After; other accounts go on', async () => {
      const list = (c: Creds) => http(srv.url, 'GET', '/v1/EndUsers', { auth: c })
      // One request every 2 s, bursts of one: slow enough that a busy test machine cannot refill in between.
      assert.equal((await list(a)).status, 200)
      const limited = await list(a)
      assert.equal(limited.status, 429)
      assert.equal(limited.body.code, 20429)
      assert.equal(limited.body.status, 429)
      assert.match(limited.body.message, /Too Many Requests: over this account's request rate; retry in 2 s/)
      assert.equal(limited.headers.get('retry-after'), '2')
      assert.equal((await list(b)).status, 200)
      await new Promise((r) => setTimeout(r, 2100))
      assert.equal((await list(a)).status, 200)
    })

    it('the CLI client waits as Retry-After says and sends again', async () => {
      const c = await newAccount(srv.url, 'Scripted Co')
      const t0 = performance.now()
      for (let i = 0; i < 2; i++)
        assert.deepEqual(
          (await call({ url: srv.url, basic: `${c.sid}:${c.token}` }, 'GET', '/v1/EndUsers')).results,
          [],
        )
      // The second after a 429 and the two seconds it asked for.
      assert.ok(performance.now() - t0 >= 1900, `took ${performance.now() - t0} ms`)
    })

    it('limits /stir per account named by the SBC, in ATIS form (POL4029)', async () => {
      const sign = (sid: string) =>
        http(srv.url, 'POST', '/stir/v1/signing', {
          auth: { bearer: ADMIN_TOKEN },
          headers: { 'x-account-sid': sid, 'x-requestid': 'r1' },
          json: {
            signingRequest: {
              attest: 'C',
              dest: { tn: ['12025550143'] },
              iat: Math.floor(Date.now() / 1000),
              orig: { tn: '12155550121' },
              origid: '123e4567-e89b-12d3-a456-426614174000',
            },
          },
        })
      assert.equal((await sign(a.sid)).status, 200)
      const limited = await sign(a.sid)
      assert.equal(limited.status, 429)
      assert.equal(limited.body.requestError.policyException.messageId, 'POL4029')
      assert.equal(
        limited.body.requestError.policyException.text,
        "Too many requests: over this account's signing and verification rate; retry in 2 s",
      )
      assert.equal(limited.headers.get('retry-after'), '2')
      assert.equal(limited.headers.get('x-requestid'), 'r1')
      assert.equal((await sign(b.sid)).status, 200)
    })
  })

  describe('failed authentications per client address and credentials', () => {
    let srv: TestServer
    let a: Creds
    let other: Creds
    before(async () => {
      srv = await startServer('sqlite', {
        env: { STIRHUB_AUTH_FAILURE_LIMIT: '3', STIRHUB_TRUST_PROXY: '127.0.0.9/32' },
      })
      a = await newAccount(srv.url, 'Target Co')
      other = await newAccount(srv.url, 'Neighbour Co')
    })
    after(() => srv.stop())
    const wrong = (c: Creds): Creds => ({ sid: c.sid, token: 'guess' })

    it('refuses a SID guessed at from an address, before any check, on every area; other SIDs and addresses pass', async () => {
      const get = (from: string, auth: string, path = '/v1/EndUsers') =>
        getFrom(srv.port, from, path, { authorization: auth })
      for (let i = 0; i < 3; i++) assert.equal(await get('127.0.0.2', basic(wrong(a))), 401)
      // Even the right token gets 429 now: guessing at this SID from this address has stopped.
      assert.equal(await get('127.0.0.2', basic(a)), 429)
      const stir = await new Promise<{ status: number; body: string }>((ok, fail) => {
        nodeHttp
          .get(
            {
              host: '127.0.0.1',
              port: srv.port,
              path: '/stir/v1/attestation?from=12155550121&to=12025550143',
              localAddress: '127.0.0.2',
              headers: { authorization: basic(a) },
            },
            (res) => {
              let body = ''
              res.on('data', (d) => {
                body += d
              })
              res.on('end', () => ok({ status: res.statusCode!, body }))
            },
          )
          .on('error', fail)
      })
      assert.equal(stir.status, 429)
      assert.match(stir.body, /POL4029/)
      // Another customer behind the same address (a NAT, a load balancer) is not locked out, nor the SID from elsewhere.
      assert.equal(await get('127.0.0.2', basic(other)), 200)
      assert.equal(await get('127.0.0.3', basic(a)), 200)
      // A wrong bearer token locks out only itself: the operator's token still passes from that address.
      for (let i = 0; i < 3; i++)
        assert.equal(await get('127.0.0.2', 'Bearer not-the-operator-token', '/admin/v1/Reviews'), 401)
      assert.equal(await get('127.0.0.2', 'Bearer not-the-operator-token', '/admin/v1/Reviews'), 429)
      assert.equal(await get('127.0.0.2', `Bearer ${ADMIN_TOKEN}`, '/admin/v1/Reviews'), 200)
    })

    it('counts console sign-ins that fail, not a signed-out browser; a wrong staff token locks out only itself', async () => {
      const signIn = (from: string, body: Record<string, unknown>) =>
        requestFrom(srv.port, from, 'POST', '/console/api/session', body)
      const status = async (from: string, body: Record<string, unknown>) => (await signIn(from, body)).status
      for (let i = 0; i < 6; i++)
        assert.equal((await requestFrom(srv.port, '127.0.0.5', 'GET', '/console/api/session')).status, 401)
      assert.equal(await status('127.0.0.5', { Username: a.sid, Password: a.token }), 201)
      for (let i = 0; i < 3; i++) assert.equal(await status('127.0.0.6', { Username: a.sid, Password: 'guess' }), 401)
      assert.equal(await status('127.0.0.6', { Username: a.sid, Password: a.token }), 429)
      assert.equal(await status('127.0.0.6', { Username: other.sid, Password: other.token }), 201)
      // A wrong staff token locks out itself from that address, not every reviewer.
      const reviewer = await http(srv.url, 'POST', '/admin/v1/Reviewers', {
        auth: { bearer: ADMIN_TOKEN },
        json: { Name: 'Rita', Email: 'rita@example.net' },
      })
      assert.equal(reviewer.status, 201)
      for (let i = 0; i < 3; i++) assert.equal(await status('127.0.0.7', { Token: 'not-a-token-at-all' }), 401)
      assert.equal(await status('127.0.0.7', { Token: 'not-a-token-at-all' }), 429)
      const signedIn = await signIn('127.0.0.7', { Token: reviewer.body.token })
      assert.equal(signedIn.status, 201)
      assert.equal(signedIn.body.role, 'reviewer')
    })

    it('reads the client from X-Forwarded-For only when the peer is a trusted proxy', async () => {
      const viaProxy = (client: string, c: Creds) =>
        getFrom(srv.port, '127.0.0.9', '/v1/EndUsers', { authorization: basic(c), 'x-forwarded-for': client })
      for (let i = 0; i < 3; i++) assert.equal(await viaProxy('203.0.113.9', wrong(other)), 401)
      assert.equal(await viaProxy('203.0.113.9', other), 429)
      assert.equal(await viaProxy('203.0.113.10', other), 200)
      // From an untrusted peer the header is ignored: the peer itself is the client.
      const direct = (c: Creds) =>
        getFrom(srv.port, '127.0.0.4', '/v1/EndUsers', { authorization: basic(c), 'x-forwarded-for': '203.0.113.10' })
      for (let i = 0; i < 3; i++) assert.equal(await direct(wrong(other)), 401)
      assert.equal(await direct(other), 429)
      assert.equal(await viaProxy('203.0.113.10', other), 200)
    })
  })

  describe('failed bearer tokens at the default limit', () => {
    let srv: TestServer
    let a: Creds
    before(async () => {
      srv = await startServer('sqlite')
      a = await newAccount(srv.url, 'Signed Co')
    })
    after(() => srv.stop())
    const admin = (from: string, token: string) =>
      getFrom(srv.port, from, '/admin/v1/Reviews', { authorization: `Bearer ${token}` })

    it('60 wrong tokens from one address lock out none of the staff there; one wrong token sent 51 times locks out itself', async () => {
      const reviewer = await http(srv.url, 'POST', '/admin/v1/Reviewers', {
        auth: { bearer: ADMIN_TOKEN },
        json: { Name: 'Rita', Email: 'rita@example.net' },
      })
      assert.equal(reviewer.status, 201)
      for (let i = 0; i < 60; i++) assert.equal(await admin('127.0.0.11', `wrong-token-${i}`), 401, `wrong token ${i}`)
      assert.equal(await admin('127.0.0.11', ADMIN_TOKEN), 200)
      assert.equal(await admin('127.0.0.11', reviewer.body.token), 200)
      // The SBC's signing with the operator token, from the same address (the fast lane's check too).
      const signing = await requestFrom(
        srv.port,
        '127.0.0.11',
        'POST',
        '/stir/v1/signing',
        {
          signingRequest: {
            attest: 'C',
            dest: { tn: ['12025550143'] },
            iat: Math.floor(Date.now() / 1000),
            orig: { tn: '12155550121' },
            origid: '123e4567-e89b-12d3-a456-426614174000',
          },
        },
        { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-account-sid': a.sid },
      )
      assert.equal(signing.status, 200)
      assert.ok(signing.body.signingResponse.identity)

      for (let i = 0; i < 50; i++) assert.equal(await admin('127.0.0.12', 'the-same-wrong-token'), 401)
      assert.equal(await admin('127.0.0.12', 'the-same-wrong-token'), 429)
      assert.equal(await admin('127.0.0.12', ADMIN_TOKEN), 200)
      assert.equal(await admin('127.0.0.12', reviewer.body.token), 200)
      assert.equal(await admin('127.0.0.12', 'the-same-wrong-token'), 429)
    })
  })
})
