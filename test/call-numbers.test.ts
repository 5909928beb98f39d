/**
 * The numbers a call names, decided at every ATIS REST entry point as numbers are placed on
 * accounts (domain/e164.ts `parseTn`): each spelling of one number gets one answer and the
 * canonical TN in the PASSporT; a 10-digit number is NANP (+1), never a country code; a number
 * valid nowhere is refused with SVC4005 naming its parameter and nothing is signed; a valid
 * number of another country is a non-US destination. `POST /stir/v1/signing`, `GET
 * /stir/v1/attestation` and `POST /stir/v1/verification`, on SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http } from './helpers/http.js'
import { addNumberRow, assignNumberRow, buildWorld, type World } from './helpers/attestation-world.js'
import { forgeJws, identityOf, shakenClaims } from './helpers/passport-forge.js'
import { POLICY } from '../src/domain/policies.js'
import { signIdentity } from '../src/stir/passport/index.js'
import { signingCountsByAccount } from '../src/store/signing-counters.repo.js'

/** The account's number that gets A, and a US destination: in canonical form. */
const ORIG = '12127362000'
const DEST = '13109570142'
/** Spellings of ORIG and DEST the REST bodies take (`[0-9+.-() ]`). */
const ORIG_SPELLINGS = [
  '+12127362000',
  '12127362000',
  '2127362000',
  '+1 (212) 736-2000',
  '(212) 736-2000',
  '1-212-736-2000',
  '212.736.2000',
]
const DEST_SPELLINGS = ['+13109570142', '13109570142', '3109570142', '+1 (310) 957-0142', '310 957 0142']
/** Numbers that are no valid number anywhere: +1 with 9 and 11 national digits, Morocco's +212 with too few. */
const INVALID = ['+1212736200', '+121273620001', '1212736200', '121273620001', '+2127362000', '+15555550100']

const nowSec = () => Math.floor(Date.now() / 1000)
const signing = (orig: string, dest: string[], over: Record<string, unknown> = {}) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: dest },
    iat: nowSec(),
    orig: { tn: orig },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    ...over,
  },
})

for (const dialect of DIALECTS) {
  describe(`the numbers calls name, at the ATIS REST entry points [${dialect}]`, () => {
    let s: TestServer
    let w: World
    before(async () => {
      s = await startServer(dialect)
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      // The account also holds +1 212 736 2000, on the bundles that give its other number A.
      const db = s.running.ctx.store.db
      const n = await addNumberRow(db, w.caller.sid, `+${ORIG}`)
      await assignNumberRow(db, w.profileSid, w.caller.sid, n.sid, 'customer-profile')
      await assignNumberRow(db, w.trustSid, w.caller.sid, n.sid, POLICY.SHAKEN_STIR)
    })
    after(async () => {
      await s.stop()
    })

    const sign = (json: unknown) => http(s.url, 'POST', '/stir/v1/signing', { auth: w.caller, json })
    const claimsOf = async (identity: string) => {
      const { payload } = await compactVerify(
        identity.split(';')[0]!,
        createPublicKey(s.running.ctx.stiAs.signer().key),
      )
      return JSON.parse(Buffer.from(payload).toString())
    }
    const explain = (from: string, to: string) =>
      http(s.url, 'GET', `/stir/v1/attestation?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
        auth: w.caller,
      })
    const verify = (from: string, to: string[], identity: string) =>
      http(s.url, 'POST', '/stir/v1/verification', {
        auth: w.caller,
        json: { verificationRequest: { from: { tn: from }, to: { tn: to }, time: nowSec(), identity } },
      })
    const refused = (r: { status: number; body: any }, param: string, why: string) => {
      assert.equal(r.status, 400, `${why}: ${JSON.stringify(r.body)}`)
      const ex = r.body.requestError.serviceException
      assert.equal(ex.messageId, 'SVC4005', why)
      assert.equal(ex.variables[0], param, why)
      assert.match(ex.text, /not a valid telephone number/, why)
    }

    it('signs every spelling of the calling number as the one number the account holds: A, orig.tn canonical', async () => {
      for (const orig of ORIG_SPELLINGS) {
        const r = await sign(signing(orig, [DEST]))
        assert.equal(r.status, 200, `${orig}: ${JSON.stringify(r.body)}`)
        assert.equal(r.headers.get('x-attestation'), 'A', orig)
        const c = await claimsOf(r.body.signingResponse.identity)
        assert.equal(c.orig.tn, ORIG, orig)
        assert.deepEqual(c.dest.tn, [DEST], orig)
      }
    })

    it("signs every spelling of a 10-digit US destination as a US call (not the Netherlands' +31)", async () => {
      for (const dest of DEST_SPELLINGS) {
        const r = await sign(signing(ORIG, [dest]))
        assert.equal(r.status, 200, `${dest}: ${JSON.stringify(r.body)}`)
        assert.deepEqual((await claimsOf(r.body.signingResponse.identity)).dest.tn, [DEST], dest)
      }
      // A number that is not the account's, in national form: B, still +1 (not Morocco's +212).
      const other = await sign(signing('2125550100', ['3109570142']))
      assert.equal(other.headers.get('x-attestation'), 'B')
      assert.equal((await claimsOf(other.body.signingResponse.identity)).orig.tn, '12125550100')
    })

    it('refuses a calling or called number that is valid nowhere with SVC4005, and signs nothing', async () => {
      const x = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      for (const bad of INVALID) {
        refused(
          await http(s.url, 'POST', '/stir/v1/signing', { auth: x.caller, json: signing(bad, [DEST]) }),
          'orig',
          `orig ${bad}`,
        )
        refused(
          await http(s.url, 'POST', '/stir/v1/signing', { auth: x.caller, json: signing(x.number.phone, [DEST, bad]) }),
          'dest',
          `dest ${bad}`,
        )
        // A div hop: the new target and the diverting number are decided as a SHAKEN call's.
        const div = {
          signingRequest: {
            ppt: 'div',
            orig: { tn: '12125550150' },
            dest: { tn: [DEST] },
            div: { tn: x.number.phone },
            iat: nowSec(),
          },
        }
        refused(
          await http(s.url, 'POST', '/stir/v1/signing', {
            auth: x.caller,
            json: { signingRequest: { ...div.signingRequest, dest: { tn: [bad] } } },
          }),
          'dest',
          `div dest ${bad}`,
        )
        refused(
          await http(s.url, 'POST', '/stir/v1/signing', {
            auth: x.caller,
            json: { signingRequest: { ...div.signingRequest, div: { tn: bad } } },
          }),
          'div',
          `div ${bad}`,
        )
      }
      await s.running.ctx.stiAs.counter.flush()
      assert.equal(
        (await signingCountsByAccount(s.running.ctx.store.db, [x.caller.sid])).get(x.caller.sid),
        undefined,
        'nothing signed or counted',
      )
    })

    it('a valid number of another country is a non-US destination (not signed, with a reason), however spelled', async () => {
      for (const dest of [
        '+442071838750',
        '442071838750',
        '+44 20 7183 8750',
        '4165551234',
        '+1 416 555 1234',
        '4532121212',
      ]) {
        const r = await sign(signing(ORIG, [dest]))
        assert.equal(r.status, 200, `${dest}: ${JSON.stringify(r.body)}`)
        assert.equal(r.body.signingResponse.identity, undefined, dest)
        assert.equal(r.body.signingResponse.reason, 'not-us-destination', dest)
        assert.match(r.body.signingResponse.reasontext, /is not a US number/, dest)
      }
    })

    it('explains every spelling as signing decides it (tel: URIs too); refuses invalid numbers naming from/to', async () => {
      for (const from of [...ORIG_SPELLINGS, 'tel:+1-212-736-2000']) {
        for (const to of [...DEST_SPELLINGS, 'tel:+1-310-957-0142']) {
          const r = await explain(from, to)
          assert.equal(r.status, 200, `${from} → ${to}: ${JSON.stringify(r.body)}`)
          assert.equal(r.body.level, 'A', `${from} → ${to}`)
          assert.equal(r.body.from, ORIG)
          assert.equal(r.body.to, DEST)
        }
      }
      assert.equal((await explain('2127362000', '442071838750')).body.rule, 'not-us-destination')
      for (const bad of INVALID) {
        refused(await explain(bad, DEST), 'from', `from ${bad}`)
        refused(await explain(ORIG, bad), 'to', `to ${bad}`)
      }
    })

    it('verifies a call whose From/To are spelled any way against its canonical orig/dest', async () => {
      const signed = await sign(signing('2127362000', ['3109570142']))
      const identity: string = signed.body.signingResponse.identity
      for (const from of ORIG_SPELLINGS) {
        for (const to of DEST_SPELLINGS) {
          const r = await verify(from, [to], identity)
          assert.deepEqual(r.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } }, `${from} → ${to}`)
        }
      }
      // Another valid number is still a mismatch (438).
      assert.equal((await verify('2127362001', [DEST], identity)).body.verificationResponse.reasoncode, 438)
      assert.equal((await verify(ORIG, ['3109570143'], identity)).body.verificationResponse.reasoncode, 438)
    })

    it('refuses a verification whose from or to is valid nowhere with SVC4005 (E2): it never passes', async () => {
      for (const bad of INVALID) {
        // Signed for exactly that (invalid) number: only the request's numbers are judged.
        const identity = signIdentity(s.running.ctx.stiAs.signer(), {
          attest: 'A',
          dest: { tn: [DEST] },
          iat: nowSec(),
          orig: { tn: bad.replace(/^\+/, '') },
          origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
        }).identity
        refused(await verify(bad, [DEST], identity), 'from', `from ${bad}`)
        refused(await verify(ORIG, [DEST, bad], identity), 'to', `to ${bad}`)
      }
    })

    it('a PASSporT whose orig.tn is no valid number fails with 438 against any valid From', async () => {
      const key = s.running.ctx.stiAs.signer()
      const { x5u } = key
      for (const [orig, reason] of [
        ['Bob', 'claims_invalid'],
        ['1212736200', 'orig_mismatch'],
        ['2127362000x', 'claims_invalid'],
      ] as const) {
        const identity = identityOf(
          forgeJws(
            { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u },
            shakenClaims(nowSec(), { orig: { tn: orig }, dest: { tn: [DEST] } }),
            key.key,
          ),
          x5u,
        )
        const r = await verify(ORIG, [DEST], identity)
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.verificationResponse.reasoncode, 438, orig)
        assert.equal(r.body.verificationResponse.verstat, 'No-TN-Validation', orig)
        assert.equal(
          r.body.verificationResponse.reasondesc,
          reason === 'claims_invalid'
            ? 'PASSporT claims are missing or malformed'
            : "PASSporT 'orig' does not match the calling number",
          orig,
        )
      }
    })
  })
}
