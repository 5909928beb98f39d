/**
 * Forwarded calls verified end to end on both engines (RFC 8946): a call signed by this server
 * and forwarded twice by an account's numbers, each hop a div PASSporT the server signed
 * (`POST /stir/v1/signing` with `ppt: div`), verified over `POST /stir/v1/verification` with
 * the chain reported in `verificationResponse.diversion` and in the call record's reasons; the
 * request's `div.tn` (the redirecting numbers) checked against each div; broken links reported.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buyNumber, randomUsNumber, stockInventory } from './helpers/onboarding.js'

const nowSec = () => Math.floor(Date.now() / 1000)
const digits = (e164: string) => e164.slice(1)

for (const dialect of DIALECTS) {
  describe(`forwarded calls verified end to end (${dialect})`, () => {
    let s: TestServer
    let acct: Creds
    const A = '+12025550100' // the caller
    let B: string // the number called, which forwards to C
    let C: string // which forwards to D
    const D = '+12025550177'

    /** A number bought from the inventory for the account (it may then sign divs from it). */
    async function ownNumber(): Promise<string> {
      for (;;) {
        const phone = randomUsNumber()
        await stockInventory(s.url, [phone])
        if ((await buyNumber(s.url, acct, phone)).status === 201) return phone
      }
    }
    const sign = async (signingRequest: Record<string, unknown>): Promise<string> => {
      const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: acct, json: { signingRequest } })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.ok(r.body.signingResponse.identity, JSON.stringify(r.body))
      return r.body.signingResponse.identity
    }
    const shaken = () =>
      sign({ attest: 'C', dest: { tn: [digits(B)] }, iat: nowSec(), orig: { tn: digits(A) }, origid: randomUUID() })
    const div = (from: string, to: string) =>
      sign({
        ppt: 'div',
        orig: { tn: digits(A) },
        dest: { tn: [digits(to)] },
        div: { tn: digits(from) },
        iat: nowSec(),
      })
    const verify = (identity: string[], over: Record<string, unknown> = {}, requestId = randomUUID()) =>
      http(s.url, 'POST', '/stir/v1/verification', {
        auth: acct,
        headers: { 'x-requestid': requestId },
        json: {
          verificationRequest: {
            from: { tn: A },
            to: { tn: [D] },
            time: nowSec(),
            identity: identity.join(', '),
            ...over,
          },
        },
      })

    before(async () => {
      s = await startServer(dialect)
      acct = await newAccount(s.url, 'Forwarding Co')
      B = await ownNumber()
      C = await ownNumber()
    })
    after(async () => {
      await s.stop()
    })

    it('a call forwarded twice passes with the two div PASSporTs the server signed, the chain in hop order', async () => {
      const r = await verify([await shaken(), await div(C, D), await div(B, C)])
      assert.equal(r.status, 200)
      const v = r.body.verificationResponse
      assert.equal(v.verstat, 'TN-Validation-Passed', JSON.stringify(r.body))
      assert.deepEqual(
        v.diversion.map((l: { from: string; to: string[]; status: string }) => [l.from, l.to, l.status]),
        [
          [digits(B), [digits(C)], 'verified'],
          [digits(C), [digits(D)], 'verified'],
        ],
      )
      assert.ok(v.diversion.every((l: { spc: unknown }) => typeof l.spc === 'string' && l.spc.length > 0))
    })

    it("checks each div.tn against the request's redirecting numbers (div.tn)", async () => {
      const identity = [await shaken(), await div(B, C), await div(C, D)]
      const both = await verify(identity, { div: { tn: [B, `(${C.slice(2, 5)}) ${C.slice(5, 8)}-${C.slice(8)}`] } })
      assert.equal(both.body.verificationResponse.verstat, 'TN-Validation-Passed', JSON.stringify(both.body))
      const onlyB = await verify(identity, { div: { tn: [B] } })
      const v = onlyB.body.verificationResponse
      assert.equal(v.verstat, 'No-TN-Validation')
      assert.equal(v.reasoncode, 438)
      assert.match(v.reasondesc, /Diversion PASSporT/)
      assert.deepEqual(
        v.diversion.map((l: { status: string }) => l.status),
        ['verified', 'redirect_mismatch'],
      )
      for (const bad of [{ tn: 'x' }, { tn: [] }, { tn: ['Bob'] }, 'nope']) {
        const r = await verify(identity, { div: bad })
        assert.equal(r.status, 400, JSON.stringify(bad))
        assert.match(JSON.stringify(r.body), /div/)
      }
    })

    it('a missing hop is a broken link: dest_mismatch, the div it could not use reported unlinked', async () => {
      const r = await verify([await shaken(), await div(C, D)])
      const v = r.body.verificationResponse
      assert.equal(v.reasoncode, 438)
      assert.match(v.reasondesc, /'dest' does not match/)
      assert.deepEqual(v.diversion, [
        {
          from: digits(C),
          to: [digits(D)],
          spc: v.diversion[0].spc,
          status: 'unlinked',
          detail: 'not on the path from the original dest to the called number',
        },
      ])
    })

    it('a tampered div fails its signature (div_signature_invalid) and is reported so; a call without divs has no diversion', async () => {
      const original = await shaken() // first: a div older than the original is not of this call
      const good = await div(B, C)
      const [jws, ...params] = good.split(';')
      const [h, p, sig] = jws!.split('.')
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
      claims.dest.tn = [digits(D)]
      const tampered = [`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`, ...params].join(';')
      const v = (await verify([original, tampered])).body.verificationResponse
      assert.equal(v.verstat, 'TN-Validation-Failed')
      assert.equal(v.diversion[0].status, 'signature_invalid')
      const plain = await verify([await shaken()], { to: { tn: [B] } })
      assert.deepEqual(plain.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } })
    })

    it('the call record keeps the chain in its reasons', async () => {
      const requestId = randomUUID()
      await verify([await shaken(), await div(B, C), await div(C, D)], {}, requestId)
      await s.running.ctx.calls.flush()
      const row = await s.running.ctx.store.db
        .selectFrom('call_records')
        .selectAll()
        .where('request_id', '=', requestId)
        .executeTakeFirstOrThrow()
      assert.equal(row.kind, 'verified')
      assert.equal(row.reason, 'passed')
      assert.deepEqual(JSON.parse(row.reasons), [
        `div ${digits(B)} → ${digits(C)}: verified (SPC ${row.spc})`,
        `div ${digits(C)} → ${digits(D)}: verified (SPC ${row.spc})`,
      ])
    })
  })
}
