/**
 * Call records through the search API, on both stores: a call signed over REST (both lanes)
 * and over SIP (sipp through the sign front), and a call verified over REST and over SIP (the
 * verify front), each found in `GET /stir/v1/calls` within 2 s with the decision's rule,
 * reasons, bundles and number origin, or the signer's SPC, certificate, x5u host, verstat and
 * reason. The cross-tenant matrix (parent, sub-account, sibling, stranger, operator), every
 * filter and its validation, keyset paging with checked tokens, and the CSV export (the same
 * rows as JSON, formula cells guarded).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, freePort, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { buildWorld, usNumber, type World } from './helpers/attestation-world.js'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { sipp } from './helpers/sipp.js'
import { useTrunk } from './helpers/sip-trunks.js'
import { csvCell } from '../src/api/calls/calls-csv.js'
import fc from 'fast-check'
import { fuzzParams, nastyText, pct } from './helpers/fuzz.js'

const operator = { bearer: ADMIN_TOKEN }
const ORIG = '+12155550121'
const DEST = '+12025550143'
const nowSec = () => Math.floor(Date.now() / 1000)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  assert.equal(cell + row.join(''), '', 'the CSV ends with CRLF')
  return rows
}

describe('CSV cells', () => {
  it('quotes per RFC 4180 and guards formula cells with a single quote', () => {
    assert.equal(csvCell('plain'), 'plain')
    assert.equal(csvCell(null), '')
    assert.equal(csvCell('a,b'), '"a,b"')
    assert.equal(csvCell('say "hi"'), '"say ""hi"""')
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"')
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`)
    assert.equal(csvCell('+12125550100'), "'+12125550100")
    assert.equal(csvCell('-1'), "'-1")
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
    assert.equal(csvCell('\tcmd'), "'\tcmd")
  })
})

for (const dialect of DIALECTS) {
  describe(`call records: search, detail, tenancy, filters, paging, CSV [${dialect}]`, () => {
    let s: TestServer
    let certs: CertServer
    let pki: TestPki
    let signPort: number
    let verifyPort: number
    let w: World
    /** The ISV (w.top), its sub-account placing A calls (w.caller), a sibling sub-account and a stranger. */
    let sibling: Creds
    let stranger: Creds

    before(async () => {
      certs = await startCertServer()
      pki = await buildTestPki(new Date(), certs.base)
      certs.routes.set('/sp.pem', { body: pki.chainPem('good') })
      signPort = await freePort()
      verifyPort = await freePort()
      const anchors = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'calls-')), 'roots.pem')
      fs.writeFileSync(anchors, pki.root.pem)
      s = await startServer(dialect, {
        env: {
          STIRHUB_ROLES: 'api,sip',
          SIP_SIGN_PORT: String(signPort),
          SIP_VERIFY_PORT: String(verifyPort),
          STIRHUB_SIP_TRUSTED: '127.0.0.1/32',
          STIRHUB_X5U_ALLOW: new URL(certs.base).host,
          STIRHUB_TRUST_ANCHORS: anchors,
        },
      })
      w = await buildWorld(s.url, s.running.ctx.store.db, 'isv-sub')
      await useTrunk(s.url, w.caller.sid)
      sibling = await newSubAccount(s.url, w.top, 'Sibling Co')
      stranger = await newAccount(s.url, 'Stranger Co')
    })
    after(async () => {
      await s?.stop()
      await certs?.close()
    })

    const calls = (auth: Creds | { bearer: string }, query = '', headers: Record<string, string> = {}) =>
      http(s.url, 'GET', `/stir/v1/calls${query ? `?${query}` : ''}`, { auth, headers })
    const admin = (query = '') => http(s.url, 'GET', `/admin/v1/calls${query ? `?${query}` : ''}`, { auth: operator })

    /** Polls the search until `found` picks a record; fails past 2 s from `since` (performance.now()). */
    async function appears(auth: Creds, query: string, found: (c: any) => boolean, since: number): Promise<any> {
      for (;;) {
        const r = await calls(auth, query)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const hit = (r.body.calls as any[]).find(found)
        if (hit) {
          assert.ok(performance.now() - since < 2000, `found after ${Math.round(performance.now() - since)} ms`)
          return hit
        }
        if (performance.now() - since > 2000) assert.fail(`no record for ${query} within 2 s`)
        await sleep(50)
      }
    }

    const signRest = (a: Creds, orig: string, requestId: string, dest = '12125551212') =>
      http(s.url, 'POST', '/stir/v1/signing', {
        auth: a,
        headers: { 'x-requestid': requestId },
        json: {
          signingRequest: {
            attest: 'A',
            orig: { tn: orig.replace(/^\+/, '') },
            dest: { tn: [dest] },
            iat: nowSec(),
            origid: randomUUID(),
          },
        },
      })

    const forged = (origid: string) =>
      identityOf(
        forgeJws(shakenHeader(`${certs.base}/sp.pem`), shakenClaims(nowSec(), { origid }), pki.leaves.good.key),
        `${certs.base}/sp.pem`,
      )

    it('a call signed over REST, on Fastify and on the fast lane, is found within 2 s with its decision', async () => {
      for (const lane of ['first', 'fast']) {
        const rid = `rest-${lane}-${randomUUID()}`
        const t0 = performance.now()
        const r = await signRest(w.caller, w.number.phone, rid)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        const c = await appears(w.caller, `from=${encodeURIComponent(w.number.phone)}`, (x) => x.request_id === rid, t0)
        assert.equal(c.kind, 'signed')
        assert.equal(c.ppt, 'shaken')
        assert.equal(c.transport, 'rest')
        assert.equal(c.attest, 'A')
        assert.equal(c.account_sid, w.caller.sid)
        assert.equal(c.parent_account_sid, w.top.sid)
        assert.equal(c.from, w.number.phone)
        assert.deepEqual(c.to, ['+12125551212'])
        assert.match(c.origid, /^[0-9a-f-]{36}$/)
        assert.match(c.identity_hash, /^[0-9a-f]{64}$/)
        assert.equal(c.verification, null)
        assert.equal(c.decision.rule, 'full-attestation')
        assert.ok(c.decision.reasons.length > 0, JSON.stringify(c.decision))
        assert.equal(c.decision.profile_sid, w.profileSid)
        assert.equal(c.decision.trust_product_sid, w.trustSid)
        assert.equal(c.decision.number_origin, 'inventory')
        assert.equal(c.url, `${s.url}/stir/v1/calls/${c.sid}`)
        const one = await http(s.url, 'GET', `/stir/v1/calls/${c.sid}`, { auth: w.caller })
        assert.equal(one.status, 200)
        assert.deepEqual(one.body, c)
      }
    })

    it('a call signed over SIP (sipp through the sign front) is found within 2 s with its decision', async () => {
      const t0 = performance.now()
      const r = await sipp(signPort, s.dataDir, 'sign-302', 'u1', {
        orig: w.number.phone,
        dest: '+12125551213',
        acct: w.caller.sid,
      })
      assert.equal(r.code, 0, r.out)
      const c = await appears(w.caller, 'to=%2B12125551213', (x) => x.transport === 'sip', t0)
      assert.equal(c.kind, 'signed')
      assert.equal(c.attest, 'A')
      assert.equal(c.from, w.number.phone)
      assert.ok(c.request_id, 'the SIP Call-ID is kept')
      assert.equal(c.decision.rule, 'full-attestation')
      assert.ok(c.decision.reasons.length > 0)
      assert.equal(c.decision.profile_sid, w.profileSid)
      assert.equal(c.decision.trust_product_sid, w.trustSid)
      assert.equal(c.decision.number_origin, 'inventory')
    })

    it('a call verified over REST and one over SIP (the verify front) are found within 2 s with the signer', async () => {
      const host = new URL(certs.base).host
      for (const via of ['rest', 'sip'] as const) {
        const origid = randomUUID()
        const t0 = performance.now()
        if (via === 'rest') {
          const r = await http(s.url, 'POST', '/stir/v1/verification', {
            auth: w.caller,
            json: {
              // Spelled otherwise than the PASSporT: the record keeps the canonical numbers.
              verificationRequest: {
                from: { tn: '+1 215 555 0121' },
                to: { tn: [DEST] },
                time: nowSec(),
                identity: forged(origid),
              },
            },
          })
          assert.equal(r.status, 200, JSON.stringify(r.body))
          assert.equal(r.body.verificationResponse.verstat, 'TN-Validation-Passed', JSON.stringify(r.body))
        } else {
          const r = await sipp(verifyPort, s.dataDir, 'verify-302', 'u1', {
            orig: ORIG,
            dest: DEST,
            acct: w.caller.sid,
            identity: forged(origid),
          })
          assert.equal(r.code, 0, r.out + r.log)
        }
        const c = await appears(w.caller, `origid=${origid}`, () => true, t0)
        assert.equal(c.kind, 'verified')
        assert.equal(c.transport, via)
        assert.equal(c.origid, origid)
        assert.equal(c.attest, 'A')
        assert.equal(c.from, ORIG)
        assert.deepEqual(c.to, [DEST])
        assert.equal(c.account_sid, w.caller.sid)
        assert.equal(c.decision, null)
        assert.equal(c.verification.verstat, 'TN-Validation-Passed')
        assert.equal(c.verification.reason, 'passed')
        assert.equal(c.verification.spc, '1234')
        assert.match(c.verification.cert_issuer, /Test SHAKEN/)
        assert.match(c.verification.cert_serial, /^[0-9A-Fa-f:]+$/)
        assert.equal(c.verification.x5u_host, host)
      }
    })

    it('tenancy: the parent sees its own and its sub-accounts calls, a sub-account only its own, a stranger none', async () => {
      const t0 = performance.now()
      const mark = randomUUID()
      for (const [who, tag] of [
        [w.top, 'top'],
        [sibling, 'sibling'],
        [stranger, 'stranger'],
      ] as const) {
        const r = await signRest(who, usNumber(), `${tag}-${mark}`)
        assert.equal(r.status, 200, JSON.stringify(r.body))
      }
      await appears(stranger, '', (x) => x.request_id === `stranger-${mark}`, t0)
      await appears(sibling, '', (x) => x.request_id === `sibling-${mark}`, t0)
      const all = async (auth: Creds, headers: Record<string, string> = {}) => {
        const r = await calls(auth, 'PageSize=1000', headers)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        return r.body.calls as any[]
      }
      const accounts = (rows: any[]) => new Set(rows.map((c) => c.account_sid))
      const top = await appears(w.top, 'PageSize=1000', (x) => x.request_id === `top-${mark}`, t0)
      assert.deepEqual(
        accounts(await all(w.top)),
        new Set([w.top.sid, w.caller.sid, sibling.sid]),
        'the ISV sees its own and both sub-accounts',
      )
      assert.deepEqual(accounts(await all(w.caller)), new Set([w.caller.sid]), 'a sub-account only its own')
      assert.deepEqual(accounts(await all(sibling)), new Set([sibling.sid]), 'a sibling none of the other')
      assert.deepEqual(accounts(await all(stranger)), new Set([stranger.sid]), 'a stranger only its own')
      // The parent naming one sub-account with X-Account-Sid sees that one's only.
      assert.deepEqual(accounts(await all(w.top, { 'x-account-sid': w.caller.sid })), new Set([w.caller.sid]))
      // A sub-account naming its parent, or a stranger naming the ISV: 404.
      assert.equal((await calls(w.caller, '', { 'x-account-sid': w.top.sid })).status, 404)
      assert.equal((await calls(stranger, '', { 'x-account-sid': w.top.sid })).status, 404)
      // The operator on /stir names the account as on every /stir route.
      assert.deepEqual(accounts(await all(operator as never, { 'x-account-sid': sibling.sid })), new Set([sibling.sid]))

      const callerCall = (await all(w.caller))[0]
      const detail = (auth: Creds) => http(s.url, 'GET', `/stir/v1/calls/${callerCall.sid}`, { auth })
      assert.equal((await detail(w.top)).status, 200, "the parent reads its sub-account's record")
      assert.equal((await detail(w.caller)).status, 200)
      for (const [who, name] of [
        [sibling, 'sibling'],
        [stranger, 'stranger'],
      ] as const) {
        const r = await detail(who)
        assert.equal(r.status, 404, name)
        assert.equal(r.body.requestError.serviceException.messageId, 'SVC4003')
      }
      const topDetail = await http(s.url, 'GET', `/stir/v1/calls/${top.sid}`, { auth: w.caller })
      assert.equal(topDetail.status, 404, "a sub-account cannot read its parent's record")
      assert.equal((await http(s.url, 'GET', '/stir/v1/calls/CLnot-a-sid', { auth: w.caller })).status, 404)

      // The operator: every account, or one account and its sub-accounts.
      const every = await admin('PageSize=1000')
      assert.equal(every.status, 200)
      const everyAccounts = accounts(every.body.calls)
      for (const a of [w.top, w.caller, sibling, stranger]) assert.ok(everyAccounts.has(a.sid), a.sid)
      const isv = await admin(`account=${w.top.sid}&PageSize=1000`)
      assert.deepEqual(accounts(isv.body.calls), new Set([w.top.sid, w.caller.sid, sibling.sid]))
      const one = await http(s.url, 'GET', `/admin/v1/calls/${callerCall.sid}`, { auth: operator })
      assert.equal(one.status, 200)
      assert.equal(one.body.url, `${s.url}/admin/v1/calls/${callerCall.sid}`)
      assert.equal((await http(s.url, 'GET', `/admin/v1/calls/CL${'0'.repeat(32)}`, { auth: operator })).status, 404)
      assert.equal((await http(s.url, 'GET', '/admin/v1/calls', { auth: w.top })).status, 401, 'customers are refused')
    })

    it('every filter narrows to exactly the matching records', async () => {
      // A verification that fails (the signed calling number is not the caller's).
      const failedId = randomUUID()
      const t0 = performance.now()
      const v = await http(s.url, 'POST', '/stir/v1/verification', {
        auth: w.caller,
        json: {
          verificationRequest: {
            from: { tn: '12155550199' },
            to: { tn: [DEST] },
            time: nowSec(),
            identity: forged(failedId),
          },
        },
      })
      assert.equal(v.status, 200)
      const failed = await appears(w.caller, `origid=${failedId}`, () => true, t0)
      assert.equal(failed.verification.reason, 'orig_mismatch')
      assert.equal(failed.verification.verstat, v.body.verificationResponse.verstat, 'the verstat answered')
      const rows = (await calls(w.caller, 'PageSize=1000')).body.calls as any[]
      assert.ok(rows.length >= 5, `records so far: ${rows.length}`)
      const check = async (query: string, keep: (c: any) => boolean) => {
        const r = await calls(w.caller, `${query}&PageSize=1000`)
        assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`)
        const want = rows.filter(keep).map((c) => c.sid)
        assert.ok(want.length > 0, `${query} matches something`)
        assert.deepEqual(
          r.body.calls.map((c: any) => c.sid),
          want,
          query,
        )
      }
      const ten = w.number.phone.slice(2)
      await check(`from=${ten}`, (c) => c.from === w.number.phone)
      await check(
        `from=${encodeURIComponent(`+1 (${ten.slice(0, 3)}) ${ten.slice(3, 6)}-${ten.slice(6)}`)}`,
        (c) => c.from === w.number.phone,
      )
      await check('to=12125551212', (c) => c.to[0] === '+12125551212')
      await check(`to=${encodeURIComponent(DEST)}`, (c) => c.to[0] === DEST)
      const verified = rows.find((c) => c.kind === 'verified')
      await check(`origid=${verified.origid.toUpperCase()}`, (c) => c.origid === verified.origid)
      await check('attest=A', (c) => c.attest === 'A')
      await check('kind=verified', (c) => c.kind === 'verified')
      await check('kind=signed', (c) => c.kind === 'signed')
      await check('outcome=signed', (c) => c.kind === 'signed' && c.identity_hash !== null)
      await check('outcome=passed', (c) => c.kind === 'verified' && c.verification.reason === 'passed')
      const mid = rows[Math.floor(rows.length / 2)]
      await check(`since=${encodeURIComponent(mid.date_created)}`, (c) => c.date_created >= mid.date_created)
      await check(`until=${encodeURIComponent(mid.date_created)}`, (c) => c.date_created < mid.date_created)
      // A time with an offset is the same instant.
      const plus2 = new Date(Date.parse(mid.date_created) + 2 * 3600_000).toISOString().replace('Z', '+02:00')
      await check(`since=${encodeURIComponent(plus2)}`, (c) => c.date_created >= mid.date_created)
      await check('since=2000-01-01&until=2999-12-31', () => true)
      await check('outcome=failed', (c) => c.kind === 'verified' && c.verification.reason !== 'passed')
      const none = await calls(w.caller, 'outcome=failed&attest=B')
      assert.deepEqual(none.body.calls, [])
      const notSigned = await signRest(w.caller, w.number.phone, `non-us-${randomUUID()}`, '442071838750')
      assert.equal(notSigned.status, 200)
      const c = await appears(w.caller, 'outcome=not-signed', () => true, performance.now())
      assert.equal(c.attest, null)
      assert.equal(c.identity_hash, null)
      assert.equal(c.decision.rule, 'not-us-destination')
    })

    it('bad filters: 400 naming the field, in the ATIS format on /stir and the Twilio format on /admin', async () => {
      for (const [query, field] of [
        ['since=yesterday', 'since'],
        ['until=2026-12-06T10%3A00%3A00', 'until'],
        ['since=2026-13-01', 'since'],
        ['until=2026-02-30', 'until'],
        ['since=2026-12-06T25%3A00Z', 'since'],
        ['attest=D', 'attest'],
        ['kind=diverted', 'kind'],
        ['outcome=maybe', 'outcome'],
        ['kind=signed&outcome=passed', 'outcome'],
        ['origid=not-a-uuid', 'origid'],
        ['from=hello', 'from'],
        ['to=123', 'to'],
        ['PageSize=0', 'PageSize'],
        ['Page=100000', 'Page'],
        ['PageToken=garbage', 'PageToken'],
      ]) {
        const r = await calls(w.caller, query!)
        assert.equal(r.status, 400, `${query}: ${JSON.stringify(r.body)}`)
        const e = r.body.requestError.serviceException
        assert.equal(e.messageId, 'SVC4005', query)
        assert.equal(e.variables[0], field, `${query}: ${JSON.stringify(e)}`)
        const a = await admin(query!)
        assert.equal(a.status, 400, `admin ${query}`)
        assert.match(a.body.message, new RegExp(field!), `admin ${query}: ${a.body.message}`)
      }
      const bad = await admin('account=ACnope')
      assert.equal(bad.status, 400)
      assert.match(bad.body.message, /account/)
    })

    it('fuzzed filter values: a page or a 400 naming a field, never a 5xx, on both areas', async () => {
      const FIELDS = ['from', 'to', 'origid', 'attest', 'kind', 'outcome', 'since', 'until', 'PageToken', 'Page']
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...FIELDS),
          fc.oneof(nastyText, fc.constantFrom('2026-12-06T10:00:00+0530', '+1 212 555 0100', '9'.repeat(40))),
          fc.boolean(),
          async (field, value, asOperator) => {
            const query = `${field}=${pct(value)}`
            const r = asOperator ? await admin(query) : await calls(w.caller, query)
            assert.ok(r.status === 200 || r.status === 400, `${query} → ${r.status} ${JSON.stringify(r.body)}`)
          },
        ),
        fuzzParams(150),
      )
    })

    it('pages newest first across PageTokens; a tampered or forged token is 400', async () => {
      const a = await newSubAccount(s.url, w.top, 'Pager Co')
      const t0 = performance.now()
      for (let i = 0; i < 7; i++) assert.equal((await signRest(a, usNumber(), `page-${i}`)).status, 200)
      const full = await (async () => {
        for (;;) {
          const r = await calls(a, 'PageSize=100')
          if (r.body.calls.length === 7) return r.body.calls as any[]
          assert.ok(performance.now() - t0 < 2000, 'seven records within 2 s')
          await sleep(50)
        }
      })()
      const sorted = [...full].sort((x, y) =>
        x.date_created === y.date_created ? (x.sid < y.sid ? 1 : -1) : x.date_created < y.date_created ? 1 : -1,
      )
      assert.deepEqual(
        full.map((c) => c.sid),
        sorted.map((c) => c.sid),
        'newest first',
      )
      const seen: string[] = []
      let next: string | null = `/stir/v1/calls?PageSize=3`
      const sizes: number[] = []
      while (next) {
        const r = await http(s.url, 'GET', next.replace(s.url, ''), { auth: a })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        sizes.push(r.body.calls.length)
        seen.push(...r.body.calls.map((c: any) => c.sid))
        next = r.body.meta.next_page_url
        if (next) assert.match(next, /PageToken=PT/)
      }
      assert.deepEqual(sizes, [3, 3, 1])
      assert.deepEqual(
        seen,
        full.map((c) => c.sid),
      )
      // Page numbers without a token reach the same rows.
      const page2 = await calls(a, 'PageSize=3&Page=2')
      assert.deepEqual(
        page2.body.calls.map((c: any) => c.sid),
        seen.slice(6),
      )
      const first = await calls(a, 'PageSize=3')
      const token = new URL(first.body.meta.next_page_url).searchParams.get('PageToken')!
      const forge = (v: unknown) => 'PT' + Buffer.from(JSON.stringify(v)).toString('base64url')
      for (const t of [
        token.slice(0, -3),
        token.slice(0, 2) + 'x' + token.slice(3),
        forge(['2026-12-06T00:00:00.000Z', "CL' OR 1=1 --"]),
        forge(['yesterday', `CL${'0'.repeat(32)}`]),
        forge({ d: 1 }),
      ]) {
        const r = await calls(a, `PageSize=3&PageToken=${encodeURIComponent(t)}`)
        assert.equal(r.status, 400, `${t}: ${JSON.stringify(r.body)}`)
        assert.equal(r.body.requestError.serviceException.variables[0], 'PageToken')
      }
    })

    it('CSV export: the same rows as JSON for the same filter, header first, numbers guarded', async () => {
      for (const query of ['', 'kind=signed', `from=${encodeURIComponent(w.number.phone)}`]) {
        const json = await calls(w.caller, `${query}&PageSize=1000`)
        const res = await fetch(`${s.url}/stir/v1/calls?${query}`, {
          headers: {
            accept: 'text/csv',
            authorization: `Basic ${Buffer.from(`${w.caller.sid}:${w.caller.token}`).toString('base64')}`,
          },
        })
        assert.equal(res.status, 200)
        assert.match(res.headers.get('content-type') ?? '', /^text\/csv/)
        const [header, ...rows] = parseCsv(await res.text())
        assert.equal(header![0], 'sid')
        const col = (name: string) => header!.indexOf(name)
        assert.deepEqual(
          rows.map((r) => r[col('sid')]),
          json.body.calls.map((c: any) => c.sid),
          query,
        )
        for (const [i, c] of (json.body.calls as any[]).entries()) {
          const r = rows[i]!
          assert.equal(r[col('from')], `'${c.from}`)
          assert.equal(r[col('attest')], c.attest ?? '')
          assert.equal(r[col('rule')], c.decision?.rule ?? '')
          assert.equal(r[col('reasons')], c.decision ? c.decision.reasons.join('; ') : '')
          assert.equal(r[col('spc')], c.verification?.spc ?? '')
        }
      }
      const asked = async (accept: string) =>
        (
          await fetch(`${s.url}/stir/v1/calls`, {
            headers: {
              accept,
              authorization: `Basic ${Buffer.from(`${w.caller.sid}:${w.caller.token}`).toString('base64')}`,
            },
          })
        ).headers.get('content-type')
      assert.match((await asked('text/csv;q=0.9, application/json')) ?? '', /^application\/json/)
      assert.match((await asked('application/json;q=0.5, text/csv')) ?? '', /^text\/csv/)
      assert.match((await asked('*/*')) ?? '', /^application\/json/)
      const bad = await fetch(`${s.url}/stir/v1/calls?attest=Z`, {
        headers: {
          accept: 'text/csv',
          authorization: `Basic ${Buffer.from(`${w.caller.sid}:${w.caller.token}`).toString('base64')}`,
        },
      })
      assert.equal(bad.status, 400, 'a bad filter is refused before any CSV')
      const ops = await fetch(`${s.url}/admin/v1/calls?account=${w.top.sid}`, {
        headers: { accept: 'text/csv', authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      assert.equal(ops.status, 200)
      const [, ...opsRows] = parseCsv(await ops.text())
      const opsJson = await admin(`account=${w.top.sid}&PageSize=1000`)
      assert.equal(opsRows.length, opsJson.body.calls.length)
    })
  })
}
