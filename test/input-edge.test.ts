/**
 * Bad input at the HTTP edge (src/api/input-guards.ts, stored-json.ts, edge-errors.ts,
 * allowed-methods.ts, auth-challenge.ts) gets a Twilio-shaped 4xx on both stores, never a 500
 * and never a stored row: NUL and lone surrogates anywhere, numbers out of range, JSON nested
 * too deep or too large, malformed URLs and requests, unsupported methods, and 401s without a
 * challenge.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { newAccount, type Creds } from './helpers/http.js'
import { MAX_PAGE } from '../src/api/paging.js'

const basic = (c: Creds) => 'Basic ' + Buffer.from(`${c.sid}:${c.token}`).toString('base64')
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const JSON_TYPE = { 'content-type': 'application/json' }
const END_USER = 'FriendlyName=Acme&Type=customer_profile_business_information'

/** Asserts Twilio's error body `{code, message, more_info, status}` (plus `details`) with this status and code. */
function twilioError(r: LightMyRequestResponse, status: number, code: number, message?: RegExp): void {
  assert.equal(r.statusCode, status, r.body)
  const b = r.json()
  assert.deepEqual(
    Object.keys(b)
      .filter((k) => k !== 'details')
      .sort(),
    ['code', 'message', 'more_info', 'status'],
    r.body,
  )
  assert.equal(b.code, code, r.body)
  assert.equal(b.status, status)
  assert.equal(b.more_info, `https://www.twilio.com/docs/errors/${code}`)
  if (message) assert.match(b.message, message)
}

/** `levels` JSON objects nested in one another, as text. */
const nestedJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels)

/** Raw bytes to the server's socket; resolves with everything it answers before closing. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1' }, () => c.write(bytes))
    let out = ''
    c.on('data', (d) => {
      out += d.toString('latin1')
    })
    c.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(out) : reject(err)))
    c.on('close', () => resolve(out))
  })
}

for (const dialect of DIALECTS) {
  describe(`bad input at the HTTP edge [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    let auth: Record<string, string>
    const inject = (o: InjectOptions) => s.running.app!.inject(o)
    const endUsers = async () =>
      (await inject({ method: 'GET', url: '/v1/EndUsers', headers: auth })).json().results.length as number

    before(async () => {
      s = await startServer(dialect)
      a = await newAccount(s.url)
      auth = { authorization: basic(a) }
    })
    after(async () => {
      await s.stop()
    })

    it('NUL in a form field, a JSON field, a query filter or a PageToken: 400 21250 naming the field, nothing stored', async () => {
      const before = await endUsers()
      const cases: Array<[string, InjectOptions, RegExp]> = [
        [
          'form field',
          {
            method: 'POST',
            url: '/v1/EndUsers',
            headers: { ...auth, ...FORM },
            payload: 'FriendlyName=a%00b&Type=customer_profile_business_information',
          },
          /FriendlyName/,
        ],
        [
          'JSON field',
          {
            method: 'POST',
            url: '/v1/EndUsers',
            headers: { ...auth, ...JSON_TYPE },
            payload: '{"FriendlyName":"a\\u0000b","Type":"customer_profile_business_information"}',
          },
          /FriendlyName/,
        ],
        [
          'inside Attributes sent as JSON',
          {
            method: 'POST',
            url: '/v1/EndUsers',
            headers: { ...auth, ...JSON_TYPE },
            payload:
              '{"FriendlyName":"a","Type":"customer_profile_business_information","Attributes":{"business_name":"x\\u0000"}}',
          },
          /Attributes\.business_name/,
        ],
        [
          'inside Attributes sent as a form string',
          {
            method: 'POST',
            url: '/v1/EndUsers',
            headers: { ...auth, ...FORM },
            payload: `${END_USER}&Attributes=${encodeURIComponent('{"business_name":"x\\u0000"}')}`,
          },
          /Attributes\.business_name/,
        ],
        [
          'a field name',
          { method: 'POST', url: '/v1/EndUsers', headers: { ...auth, ...FORM }, payload: `${END_USER}&X%00=1` },
          /body: a field name/,
        ],
        [
          'query filter',
          { method: 'GET', url: '/v1/CustomerProfiles?FriendlyName=a%00', headers: auth },
          /FriendlyName/,
        ],
        ['PageToken', { method: 'GET', url: '/v1/EndUsers?PageToken=PT%00', headers: auth }, /PageToken/],
        [
          '2010 API form field',
          {
            method: 'POST',
            url: `/2010-04-01/Accounts/${a.sid}/Addresses.json`,
            headers: { ...auth, ...FORM },
            payload: 'CustomerName=A%00&Street=1+Main&City=Springfield&Region=IL&PostalCode=62701&IsoCountry=US',
          },
          /CustomerName/,
        ],
        [
          'admin JSON field',
          {
            method: 'POST',
            url: '/admin/v1/Accounts',
            headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...JSON_TYPE },
            payload: '{"FriendlyName":"\\u0000"}',
          },
          /FriendlyName/,
        ],
        ['console path', { method: 'GET', url: '/console/%00' }, /path/],
      ]
      for (const [why, req, field] of cases) {
        const r = await inject(req)
        twilioError(r, 400, 21250, field)
        assert.match(r.json().message, /U\+0000/, why)
      }
      assert.equal(await endUsers(), before)
    })

    it('a lone surrogate in JSON is refused as NUL is; surrogate pairs and other control characters are kept', async () => {
      const lone = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...JSON_TYPE },
        payload: '{"FriendlyName":"a\\ud800b","Type":"customer_profile_business_information"}',
      })
      twilioError(lone, 400, 21250, /FriendlyName: holds a lone UTF-16 surrogate/)
      const name = 'tab\there \uD83D\uDE00 \x1b'
      const ok = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...JSON_TYPE },
        payload: JSON.stringify({ FriendlyName: name, Type: 'customer_profile_business_information' }),
      })
      assert.equal(ok.statusCode, 201, ok.body)
      const back = await inject({ method: 'GET', url: `/v1/EndUsers/${ok.json().sid}`, headers: auth })
      assert.equal(back.json().friendly_name, name)
    })

    it("NUL in a /stir call is refused in ATIS's body, naming the member", async () => {
      const r = await inject({
        method: 'POST',
        url: '/stir/v1/signing',
        headers: { ...auth, ...JSON_TYPE },
        payload: JSON.stringify({
          signingRequest: {
            attest: 'A',
            dest: { tn: ['12125551212'] },
            iat: 1,
            orig: { tn: '12125550100' },
            origid: 'x\0',
          },
        }),
      })
      assert.equal(r.statusCode, 400)
      assert.deepEqual(r.json().requestError.serviceException.variables.slice(0, 1), ['signingRequest.origid'])
    })

    it('numbers coerced to Infinity or past 2^53 - 1 are 400 naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['/v1/EndUsers?PageSize=1e400', 'PageSize'],
        ['/v1/EndUsers?PageSize=Infinity', 'PageSize'],
        ['/v1/EndUsers?Page=99999999999999999999', 'Page'],
        ['/v1/EndUsers?Page=1e308', 'Page'],
        [`/2010-04-01/Accounts/${'AC'}x/IncomingPhoneNumbers.json?Page=1e308`.replace('ACx', a.sid), 'Page'],
        ['/admin/v1/Reviews?PageSize=1e400', 'PageSize'],
        ['/console/api/stats?Hours=1e400', 'Hours'],
      ]
      for (const [url, field] of cases) {
        const headers = url.startsWith('/admin/') ? { authorization: `Bearer ${ADMIN_TOKEN}` } : auth
        twilioError(
          await inject({ method: 'GET', url, headers }),
          400,
          20001,
          new RegExp(`^Invalid parameter ${field}: (is out of range|must be <= )`),
        )
      }
      const json = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...JSON_TYPE },
        payload: '{"FriendlyName":"a","Type":"customer_profile_business_information","Attributes":{"n":1e400}}',
      })
      twilioError(json, 400, 20001, /Attributes\.n: is out of range/)
      // The largest page whose row offset stays a safe integer is still a page (empty); one more is refused.
      assert.equal(
        (await inject({ method: 'GET', url: `/v1/EndUsers?Page=${MAX_PAGE}&PageSize=1000`, headers: auth })).statusCode,
        200,
      )
      twilioError(
        await inject({ method: 'GET', url: `/v1/EndUsers?Page=${MAX_PAGE + 1}`, headers: auth }),
        400,
        20001,
        /^Invalid parameter Page: must be <= /,
      )
    })

    it('Attributes: 100,000 levels, 33 levels or over 64 KiB are 400 naming Attributes; 32 levels are stored', async () => {
      const before = await endUsers()
      const deepJson = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...JSON_TYPE },
        payload: `{"FriendlyName":"a","Type":"customer_profile_business_information","Attributes":${nestedJson(100_000)}}`,
      })
      twilioError(deepJson, 400, 20001, /^Invalid parameter Attributes: nests deeper than 32 levels/)
      const deepForm = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...FORM },
        payload: `${END_USER}&Attributes=${encodeURIComponent(nestedJson(20_000))}`,
      })
      twilioError(deepForm, 400, 20001, /^Invalid parameter Attributes: nests deeper than 32 levels/)
      const over = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...FORM },
        payload: `${END_USER}&Attributes=${encodeURIComponent(nestedJson(33))}`,
      })
      twilioError(over, 400, 20001, /Attributes: nests deeper than 32 levels/)
      const big = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...FORM },
        payload: `${END_USER}&Attributes=${encodeURIComponent(JSON.stringify({ a: 'x'.repeat(70_000) }))}`,
      })
      twilioError(big, 400, 20001, /^Invalid parameter Attributes: is \d+ bytes as JSON, over the limit of 65536/)
      assert.equal(await endUsers(), before)

      const at = await inject({
        method: 'POST',
        url: '/v1/EndUsers',
        headers: { ...auth, ...FORM },
        payload: `${END_USER}&Attributes=${encodeURIComponent(nestedJson(32))}`,
      })
      assert.equal(at.statusCode, 201, at.body)
      // An update goes through the same limits.
      const update = await inject({
        method: 'POST',
        url: `/v1/EndUsers/${at.json().sid}`,
        headers: { ...auth, ...JSON_TYPE },
        payload: `{"Attributes":${nestedJson(100_000)}}`,
      })
      twilioError(update, 400, 20001, /Attributes: nests deeper than 32 levels/)
    })

    it("malformed URLs and bodies get Twilio's body, never the framework's or a 500", async () => {
      twilioError(
        await inject({ method: 'GET', url: '/certs/%E0%A4%A' }),
        400,
        20001,
        /URL: holds malformed percent-encoding/,
      )
      twilioError(
        await inject({ method: 'GET', url: '/v1/CustomerProfiles/%E0%A4%A', headers: auth }),
        400,
        20001,
        /URL/,
      )
      twilioError(
        await inject({ method: 'GET', url: `/v1/CustomerProfiles/BU${'0'.repeat(200)}`, headers: auth }),
        404,
        20404,
      )
      // A literal % in a console path is a client-side route (the SPA), or 404 when the console is not built.
      const pct = await inject({ method: 'GET', url: '/console/%25' })
      assert.ok(pct.statusCode === 200 || pct.statusCode === 404, `${pct.statusCode} ${pct.body}`)
      twilioError(
        await inject({
          method: 'POST',
          url: '/v1/EndUsers',
          headers: { ...auth, ...JSON_TYPE },
          payload: '{"FriendlyName":',
        }),
        400,
        20001,
        /body: is not valid JSON/,
      )
      twilioError(
        await inject({
          method: 'POST',
          url: '/v1/EndUsers',
          headers: { ...auth, 'content-type': 'text/xml' },
          payload: '<a/>',
        }),
        415,
        20415,
      )
      twilioError(
        await inject({
          method: 'POST',
          url: '/v1/EndUsers',
          headers: { ...auth, ...FORM },
          payload: `${END_USER}&Attributes=${'x'.repeat(1_100_000)}`,
        }),
        413,
        20413,
      )
      const stir = await inject({ method: 'GET', url: '/stir/v1/%E0%A4%A', headers: auth })
      assert.equal(stir.statusCode, 400)
      assert.equal(stir.json().requestError.serviceException.messageId, 'SVC4005')
    })

    it("a head over 16 KiB gets 431, a malformed request 400 and an unknown expectation 417, in Twilio's body", async () => {
      const big = await raw(s.port, `GET /v1/EndUsers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
      assert.match(big, /^HTTP\/1\.1 431 /)
      assert.deepEqual(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)), {
        code: 20431,
        message: 'Request header fields too large',
        more_info: 'https://www.twilio.com/docs/errors/20431',
        status: 431,
      })
      const bad = await raw(s.port, 'GET /v1/EndUsers HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n')
      assert.match(bad, /^HTTP\/1\.1 400 /)
      assert.equal(JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4)).code, 20001)
      const expect = await raw(
        s.port,
        'POST /v1/EndUsers HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n',
      )
      assert.match(expect, /^HTTP\/1\.1 417 /)
      assert.equal(JSON.parse(expect.slice(expect.indexOf('\r\n\r\n') + 4)).code, 20417)
    })

    it('a known path with another method is 405 (20004) with Allow; an unknown path stays 404', async () => {
      const put = await inject({ method: 'PUT', url: '/v1/CustomerProfiles', headers: auth })
      twilioError(put, 405, 20004, /PUT/)
      assert.equal(put.headers.allow, 'GET, HEAD, POST')
      const del = await inject({ method: 'DELETE', url: '/v1/Policies', headers: auth })
      twilioError(del, 405, 20004)
      assert.equal(del.headers.allow, 'GET, HEAD')
      const sub = await inject({
        method: 'PUT',
        url: `/v1/CustomerProfiles/BU${'0'.repeat(32)}/EntityAssignments/`,
        headers: auth,
      })
      assert.equal(sub.headers.allow, 'GET, HEAD, POST')
      const legacy = await inject({ method: 'PUT', url: `/2010-04-01/Accounts/${a.sid}.json`, headers: auth })
      twilioError(legacy, 405, 20004)
      assert.equal(legacy.headers.allow, 'GET, HEAD, POST')
      twilioError(await inject({ method: 'PUT', url: '/v1/Nope', headers: auth }), 404, 20404)
      twilioError(await inject({ method: 'GET', url: '/v1/CustomerProfilesX', headers: auth }), 404, 20404)
      // /stir renders it as ATIS POL4050, also with Allow.
      const stir = await inject({ method: 'GET', url: '/stir/v1/signing', headers: auth })
      assert.equal(stir.statusCode, 405)
      assert.equal(stir.json().requestError.policyException.messageId, 'POL4050')
      assert.equal(stir.headers.allow, 'POST')
      assert.equal(
        (await inject({ method: 'POST', url: '/stir/v1/attestation', headers: auth })).headers.allow,
        'GET, HEAD',
      )
    })

    it("every 401 carries the area's WWW-Authenticate challenge; a browser script gets one that opens no dialog", async () => {
      const cases: Array<[InjectOptions, string]> = [
        [{ method: 'GET', url: '/v1/EndUsers' }, 'Basic realm="stirhub"'],
        [
          { method: 'GET', url: `/2010-04-01/Accounts/${a.sid}.json`, headers: { authorization: 'Basic eDp5' } },
          'Basic realm="stirhub"',
        ],
        [{ method: 'GET', url: '/console/api/session' }, 'Basic realm="stirhub"'],
        [{ method: 'GET', url: '/admin/v1/Reviews' }, 'Bearer realm="stirhub"'],
        [
          { method: 'GET', url: '/admin/v1/Reviews', headers: { 'x-requested-with': 'XMLHttpRequest' } },
          'Bearer realm="stirhub"',
        ],
        [
          { method: 'POST', url: '/stir/v1/signing', headers: JSON_TYPE, payload: '{}' },
          'Basic realm="stirhub", Bearer realm="stirhub"',
        ],
        [
          { method: 'GET', url: '/v1/EndUsers', headers: { 'x-requested-with': 'XMLHttpRequest' } },
          'Cookie realm="stirhub"',
        ],
        [
          {
            method: 'GET',
            url: '/console/api/session',
            headers: { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' },
          },
          'Cookie realm="stirhub"',
        ],
        // A page load, and Node's fetch (Sec-Fetch-Mode alone), are challenged as any client.
        [
          {
            method: 'GET',
            url: '/v1/EndUsers',
            headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
          },
          'Basic realm="stirhub"',
        ],
        [{ method: 'GET', url: '/v1/EndUsers', headers: { 'sec-fetch-mode': 'cors' } }, 'Basic realm="stirhub"'],
      ]
      for (const [req, challenge] of cases) {
        const r = await inject(req)
        assert.equal(r.statusCode, 401, `${req.method} ${req.url}`)
        assert.equal(r.headers['www-authenticate'], challenge, `${req.method} ${req.url}`)
      }
    })
  })
}
