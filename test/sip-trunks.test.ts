/**
 * SIP trunks: the SIP signing front signs for the account of the trunk an INVITE arrives on,
 * never for the owner of the caller ID. On two servers sharing one store (a: api and sip; b:
 * api), trusted SBCs 127.0.0.0/8 and ::1, the multi-tenant SBC 127.0.0.3: an INVITE from a
 * source with no trunk carrying a vetted customer's number (and that customer's X-Account-Sid)
 * gets 403, counted, not A (sipp); a trunk created through b's API applies to a's next INVITE,
 * which is signed for the trunk's account, so the vetted number is not ours (B); tgrp (RFC
 * 4904) chooses among trunks sharing an SBC, the most specific block wins, IPv6 too;
 * X-Account-Sid counts only from the multi-tenant SBC. The admin API validates CIDRs, the
 * account and trunk groups, pages, audits; `stirhub trunks` drives it.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, freePort, startServer, type TestServer } from './helpers/server.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { http } from './helpers/http.js'
import { sipp } from './helpers/sipp.js'
import { scrape } from './helpers/metrics.js'
import { createTrunk } from './helpers/sip-trunks.js'
import { signHandler } from '../src/sip/sign-front.js'
import { trunkDirectoryOf } from '../src/sip/trunk-directory.js'
import { parseSip } from '../src/sip/transport.js'
import { runCliInProcess } from './helpers/cli.js'

const operator = { bearer: ADMIN_TOKEN }
const REFUSED = (why: string) => new RegExp(`STATUS SIP/2\\.0 403 Forbidden \\(${why}\\) IDENTITY \\n`)

for (const dialect of DIALECTS) {
  describe(`SIP trunks: the account is the trunk's, never the caller ID's [${dialect}]`, () => {
    let a: TestServer
    let b: TestServer
    let sipPort: number
    /** The vetted customer (its number gets A on its own trunk) and another vetted customer (B for numbers not its own). */
    let w: World
    let o: World
    before(async () => {
      sipPort = await freePort()
      a = await startServer(dialect, {
        env: {
          STIRHUB_ROLES: 'api,sip',
          SIP_SIGN_PORT: String(sipPort),
          STIRHUB_SIP_TRUSTED: '127.0.0.0/8,::1/128',
          STIRHUB_SIP_MULTI_TENANT: '127.0.0.3/32',
        },
      })
      b = await startServer(dialect, { shareWith: a })
      w = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      o = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
    })
    after(async () => {
      await b?.stop()
      await a?.stop()
    })

    const pub = () => createPublicKey(a.running.ctx.stiAs.signer().key)
    const claimsOf = async (identity: string) =>
      JSON.parse(Buffer.from((await compactVerify(identity.split(';')[0]!, pub())).payload).toString())
    const origidOf = async (sid: string) =>
      (
        await a.running.ctx.store.db
          .selectFrom('accounts')
          .select('origid')
          .where('sid', '=', sid)
          .executeTakeFirstOrThrow()
      ).origid
    const refusals = async () => (await scrape(a.url)).get('stirhub_sip_sign_responses_total{status="403"}') ?? 0
    /** sipp from `bind` asking to sign a call from `orig`, naming `acct` in X-Account-Sid; the claims signed. */
    const signed = async (bind: string, orig: string, acct: string) => {
      const r = await sipp(sipPort, a.dataDir, 'sign-302', 'u1', { orig, dest: '+12125551212', acct }, bind)
      assert.equal(r.code, 0, r.out + r.log)
      const identity = /IDENTITY (\S+)/.exec(r.log)?.[1]
      assert.ok(identity, r.log)
      return claimsOf(identity)
    }
    const refused = (bind: string, orig: string, acct: string) =>
      sipp(sipPort, a.dataDir, 'sign-refused-inactive', 'u1', { orig, dest: '+12125551212', acct }, bind)

    /** The front's handler without sockets, with this server's settings, STI-AS and trunks. */
    const handler = () =>
      signHandler({
        trusted: a.running.ctx.config.sipTrusted,
        multiTenant: a.running.ctx.config.sipMultiTenant,
        ...a.running.ctx.stiAs,
        trunks: trunkDirectoryOf(a.running.ctx.store, a.running.ctx.version),
      })
    let n = 0
    /** Asks the handler, from `address`, to sign a call from `orig`; its status, reason and attestation. */
    const ask = async (address: string, o: { orig: string; uri?: string; contact?: string; acct?: string }) => {
      const uri = o.uri ?? 'sip:+12125551212@127.0.0.1'
      const rq = parseSip(
        `INVITE ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKtk${++n}\r\nFrom: <sip:${o.orig}@127.0.0.1>;tag=1\r\n` +
          `To: <sip:+12125551212@127.0.0.1>\r\nCall-ID: tk${n}\r\nCSeq: 1 INVITE\r\n${o.contact ? `Contact: ${o.contact}\r\n` : ''}${o.acct ? `X-Account-Sid: ${o.acct}\r\n` : ''}Content-Length: 0\r\n\r\n`,
      )!
      const r = (await handler()(rq, { protocol: 'UDP', address, port: 5099 }))!
      return {
        status: r.status,
        reason: r.reason,
        attest: r.headers.identity ? (await claimsOf(String(r.headers.identity))).attest : undefined,
      }
    }

    it("an INVITE from a source with no trunk, carrying a vetted customer's number and X-Account-Sid, gets 403 (counted), never A", async () => {
      const before403 = await refusals()
      const r = await refused('127.0.0.2', w.number.phone, w.caller.sid)
      assert.equal(r.code, 0, r.out + r.log)
      assert.match(r.log, REFUSED('no SIP trunk for this source'))
      assert.equal(await refusals(), before403 + 1, 'stirhub_sip_sign_responses_total{status="403"}')
    })

    it('a trunk created through the API applies to the next INVITE in every process: signed for its account (a vetted number not its own: B); deleted, refused again', async () => {
      const created = await createTrunk(b.url, o.caller.sid, ['127.0.0.2/32'])
      assert.equal(created.status, 201, JSON.stringify(created.body))
      // The vetted customer's number and its X-Account-Sid, from o's SBC: o's call, so B with o's origid.
      const c = await signed('127.0.0.2', w.number.phone, w.caller.sid)
      assert.deepEqual([c.attest, c.orig.tn, c.origid], ['B', w.number.phone.slice(1), await origidOf(o.caller.sid)])
      assert.equal((await signed('127.0.0.2', o.number.phone, w.caller.sid)).attest, 'A', "o's own number on o's trunk")
      // Moved to w through the other server: w's number is w's again.
      assert.equal(
        (
          await http(b.url, 'POST', `/admin/v1/SipTrunks/${created.body.sid}`, {
            auth: operator,
            json: { AccountSid: w.caller.sid },
          })
        ).status,
        200,
      )
      assert.equal((await signed('127.0.0.2', w.number.phone, o.caller.sid)).attest, 'A')
      assert.equal(
        (await http(b.url, 'DELETE', `/admin/v1/SipTrunks/${created.body.sid}`, { auth: operator })).status,
        204,
      )
      const r = await refused('127.0.0.2', w.number.phone, w.caller.sid)
      assert.match(r.log, REFUSED('no SIP trunk for this source'))
    })

    it('X-Account-Sid names the account only from a multi-tenant SBC (127.0.0.3); anywhere else it is ignored', async () => {
      assert.equal((await signed('127.0.0.3', w.number.phone, w.caller.sid)).attest, 'A')
      const named = await signed('127.0.0.3', w.number.phone, o.caller.sid)
      assert.deepEqual([named.attest, named.origid], ['B', await origidOf(o.caller.sid)], "honoured: o's call")
      assert.deepEqual(
        await ask('127.0.0.3', { orig: w.number.phone }),
        { status: 403, reason: 'Forbidden (no SIP trunk for this source)', attest: undefined },
        'no header, no trunk',
      )
      assert.equal((await ask('127.0.0.3', { orig: w.number.phone, acct: 'AC123' })).status, 400)
      // On a trunk of o's at 127.0.0.6, w's header changes nothing (a bad one neither).
      assert.equal((await createTrunk(a.url, o.caller.sid, ['127.0.0.6/32'])).status, 201)
      assert.equal((await ask('127.0.0.6', { orig: w.number.phone, acct: w.caller.sid })).attest, 'B')
      assert.equal((await ask('127.0.0.6', { orig: w.number.phone, acct: 'AC123' })).attest, 'B')
    })

    it('tgrp (Request-URI or Contact, RFC 4904) chooses among trunks sharing an SBC; the most specific block wins; IPv6', async () => {
      for (const [acct, src, tgrp] of [
        [w, '127.0.0.4/32', 'tg-w'],
        [o, '127.0.0.4/32', 'tg/o'],
        [o, '127.1.0.0/16'],
        [w, '127.1.0.5/32'],
        [w, '::1/128'],
      ] as const) {
        const r = await createTrunk(a.url, acct.caller.sid, [src], tgrp)
        assert.equal(r.status, 201, JSON.stringify(r.body))
      }
      const orig = w.number.phone
      const uri = (tgrp: string) => `sip:+12125551212;tgrp=${tgrp};trunk-context=sbc.example.net@127.0.0.1;user=phone`
      assert.equal((await ask('127.0.0.4', { orig, uri: uri('tg-w') })).attest, 'A')
      assert.equal((await ask('127.0.0.4', { orig, uri: uri('tg%2Dw') })).attest, 'A', '%-escaped')
      assert.equal(
        (await ask('127.0.0.4', { orig, contact: `<sip:${orig};tgrp=tg%2Fo;trunk-context=sbc.example.net@127.0.0.4>` }))
          .attest,
        'B',
        'the originating trunk group in Contact',
      )
      const ambiguous = {
        status: 403,
        reason: 'Forbidden (ambiguous SIP trunk for this source: tgrp must name one)',
        attest: undefined,
      }
      assert.deepEqual(await ask('127.0.0.4', { orig }), ambiguous, 'no tgrp')
      assert.deepEqual(await ask('127.0.0.4', { orig, uri: uri('tg-x') }), ambiguous, 'a tgrp naming none')
      assert.deepEqual(
        await ask('127.0.0.4', {
          orig,
          uri: uri('tg-w'),
          contact: `<sip:${orig};tgrp=tg/o;trunk-context=x@127.0.0.4>`,
        }),
        ambiguous,
        'naming both',
      )
      assert.equal((await ask('127.1.0.5', { orig })).attest, 'A', 'the /32 over the /16')
      assert.equal((await ask('::ffff:127.1.0.5', { orig })).attest, 'A', 'IPv4-mapped')
      assert.equal((await ask('127.1.0.6', { orig })).attest, 'B', 'the /16')
      assert.equal((await ask('::1', { orig })).attest, 'A', 'IPv6')
      // No INVITE could tell these from the first two: refused.
      const again = await createTrunk(a.url, o.caller.sid, ['127.0.0.4/32', '10.0.0.0/8'], 'tg-w')
      assert.deepEqual([again.status, again.body.code], [409, 20409])
    })

    it("a suspended trunk account's calls get 403 with the reason; active again, signed", async () => {
      const v = await buildWorld(a.url, a.running.ctx.store.db, 'direct')
      assert.equal((await createTrunk(a.url, v.caller.sid, ['127.0.0.7/32'])).status, 201)
      assert.equal((await ask('127.0.0.7', { orig: v.number.phone })).attest, 'A')
      assert.equal(
        (
          await http(b.url, 'POST', `/admin/v1/Accounts/${v.caller.sid}`, {
            auth: operator,
            json: { Status: 'suspended' },
          })
        ).status,
        200,
      )
      assert.deepEqual(await ask('127.0.0.7', { orig: v.number.phone }), {
        status: 403,
        reason: 'Forbidden (account suspended)',
        attest: undefined,
      })
      assert.equal(
        (
          await http(b.url, 'POST', `/admin/v1/Accounts/${v.caller.sid}`, {
            auth: operator,
            json: { Status: 'active' },
          })
        ).status,
        200,
      )
      assert.equal((await ask('127.0.0.7', { orig: v.number.phone })).attest, 'A')
    })

    it('the admin API validates CIDRs (IPv4, IPv6), the account and the trunk group; pages; audits every change', async () => {
      const bad = async (body: Record<string, unknown>, param: string) => {
        const r = await http(a.url, 'POST', '/admin/v1/SipTrunks', {
          auth: operator,
          json: { FriendlyName: 'x', AccountSid: w.caller.sid, SourceAddresses: ['198.51.100.0/24'], ...body },
        })
        assert.equal(r.status, 400, JSON.stringify(r.body))
        assert.match(r.body.message, new RegExp(param), JSON.stringify(body))
      }
      for (const cidr of ['10.0.0.0/33', '10.0.0/8', 'sbc.example.net/32', '2001:db8::/129', 'fe80::1%eth0/64', ''])
        await bad({ SourceAddresses: [cidr] }, 'SourceAddresses')
      await bad({ AccountSid: `AC${'0'.repeat(32)}` }, 'AccountSid')
      await bad({ TrunkGroup: 'a b' }, 'TrunkGroup')
      const closed = await http(a.url, 'POST', '/admin/v1/Accounts', {
        auth: operator,
        json: { FriendlyName: 'Gone Co' },
      })
      await http(a.url, 'POST', `/admin/v1/Accounts/${closed.body.sid}`, { auth: operator, json: { Status: 'closed' } })
      await bad({ AccountSid: closed.body.sid }, 'AccountSid')

      // A form takes a comma-separated list; blocks are kept in canonical form.
      const made = await http(a.url, 'POST', '/admin/v1/SipTrunks', {
        auth: operator,
        form: {
          FriendlyName: 'Form SBC',
          AccountSid: w.caller.sid,
          SourceAddresses: '198.51.100.7, 2001:DB8:0:0:1::5/64,198.51.100.7/32',
        },
      })
      assert.equal(made.status, 201, JSON.stringify(made.body))
      assert.deepEqual(
        [made.body.source_addresses, made.body.trunk_group],
        [['198.51.100.7/32', '2001:db8::/64'], null],
      )
      const sid = made.body.sid as string
      const changed = await http(a.url, 'POST', `/admin/v1/SipTrunks/${sid}`, {
        auth: operator,
        json: { TrunkGroup: 'east', FriendlyName: 'East SBC' },
      })
      assert.deepEqual(
        [changed.status, changed.body.trunk_group, changed.body.friendly_name, changed.body.source_addresses.length],
        [200, 'east', 'East SBC', 2],
      )
      assert.equal(
        (await http(a.url, 'POST', `/admin/v1/SipTrunks/${sid}`, { auth: operator, json: { TrunkGroup: '' } })).body
          .trunk_group,
        null,
      )
      assert.equal(
        (
          await http(a.url, 'POST', `/admin/v1/SipTrunks/TK${'0'.repeat(32)}`, {
            auth: operator,
            json: { TrunkGroup: 'x' },
          })
        ).status,
        404,
      )

      const first = await http(a.url, 'GET', `/admin/v1/SipTrunks?AccountSid=${w.caller.sid}&PageSize=1`, {
        auth: operator,
      })
      assert.equal(first.body.results.length, 1)
      assert.equal(first.body.results[0].sid, sid, 'newest first')
      const next = await http(
        a.url,
        'GET',
        new URL(first.body.meta.next_page_url).pathname + new URL(first.body.meta.next_page_url).search,
        { auth: operator },
      )
      assert.equal(next.status, 200)
      assert.ok(next.body.results.length === 1 && next.body.results[0].sid !== sid)
      assert.ok(next.body.results.every((t: any) => t.account_sid === w.caller.sid))

      assert.equal((await http(a.url, 'DELETE', `/admin/v1/SipTrunks/${sid}`, { auth: operator })).status, 204)
      assert.equal((await http(a.url, 'DELETE', `/admin/v1/SipTrunks/${sid}`, { auth: operator })).status, 404)
      const events = (await http(a.url, 'GET', `/admin/v1/Events?ResourceSid=${sid}`, { auth: operator })).body.results
      assert.deepEqual(
        events.map((e: any) => `${e.type} ${e.actor} ${e.account_sid === w.caller.sid}`),
        [
          'sip_trunk.deleted operator true',
          'sip_trunk.updated operator true',
          'sip_trunk.updated operator true',
          'sip_trunk.created operator true',
        ],
      )
      assert.deepEqual(events[2].data.after.trunk_group, 'east')
    })

    it('stirhub trunks add|list|update|remove', async () => {
      const base = ['--url', a.url, '--token', ADMIN_TOKEN]
      const add = await runCliInProcess([
        'trunks',
        'add',
        '--account',
        o.caller.sid,
        '--source',
        '203.0.113.0/24',
        '--source',
        '2001:db8:5::/48',
        '--tgrp',
        'west',
        '--name',
        'West SBC',
        ...base,
      ])
      assert.equal(add.code, 0, add.err)
      const sid = /^(TK[0-9a-f]{32})/.exec(add.out)?.[1]
      assert.ok(sid, add.out)
      assert.match(add.out, /203\.0\.113\.0\/24,2001:db8:5::\/48 {2}tgrp=west {2}West SBC/)
      assert.match(
        (await runCliInProcess(['trunks', 'list', '--account', o.caller.sid, ...base])).out,
        new RegExp(`${sid} {2}${o.caller.sid}`),
      )
      const upd = await runCliInProcess(['trunks', 'update', sid, '--source', '203.0.113.9/32', '--tgrp', '', ...base])
      assert.equal(upd.code, 0, upd.err)
      assert.match(upd.out, /203\.0\.113\.9\/32 {2}no tgrp/)
      const wrong = await runCliInProcess([
        'trunks',
        'add',
        '--account',
        o.caller.sid,
        '--source',
        '203.0.113.0/40',
        ...base,
      ])
      assert.equal(wrong.code, 1)
      assert.match(wrong.err, /400.*SourceAddresses/)
      assert.equal((await runCliInProcess(['trunks', 'remove', sid, ...base])).code, 0)
      assert.doesNotMatch((await runCliInProcess(['trunks', 'list', ...base])).out, new RegExp(sid))
    })
  })
}
