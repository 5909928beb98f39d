/**
 * Which calls carry Rich Call Data (RFC 9795; docs/branding.md "Signing with Rich Call Data"),
 * through the real server on SQLite and PostgreSQL: `POST /stir/v1/signing` signs `rcd`,
 * `rcdi` and an approved `crn` only for an A call from a number on the caller's approved
 * Branded Calls product (checked by verifying the PASSporT with jose), `GET
 * /stir/v1/attestation` says why a call carries none, and a re-pinned brand or a revoked
 * product applies to the very next call.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, twoServersOnOneStore, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { addNumberRow, assignNumberRow, buildWorld, type Shape, type World } from './helpers/attestation-world.js'
import { addBrandedProduct, pinBrand, sriDigest } from './helpers/brand-facts.js'
import { NO_BRANDING } from '../src/domain/rich-call-data.js'
import { canonicalJson } from '../src/stir/passport/canonical-json.js'
import { approvedBrandsOf } from '../src/store/brands.repo.js'

const US_DEST = '+12125551212'
const PAST = '2026-01-01T00:00:00.000Z'
const LOGO_URL = 'https://brand.example.com/logo.png'
const LOGO_DIGEST = sriDigest('logo bytes')
const BRAND = { name: 'Acme Pharmacy', logoUrl: LOGO_URL, logoDigest: LOGO_DIGEST, reasons: ['Prescription ready'] }

const signReq = (from: string, over: Record<string, unknown> = {}) => ({
  signingRequest: {
    attest: 'A',
    dest: { tn: [US_DEST] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    ...over,
  },
})

/** Signs through the API; the claims of the PASSporT signed (verified with jose), or undefined. */
async function sign(s: TestServer, caller: Creds, from: string, over: Record<string, unknown> = {}) {
  const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: caller, json: signReq(from, over) })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const identity: string | undefined = r.body.signingResponse.identity
  if (!identity) return undefined
  const jws = identity.split(';')[0]!
  const { payload } = await compactVerify(jws, createPublicKey(s.running.ctx.stiAs.signer().key))
  const text = Buffer.from(payload).toString('utf8')
  const claims = JSON.parse(text)
  // RFC 8225 §9: the payload is the canonical JSON of its claims.
  assert.equal(text, canonicalJson(claims))
  return claims
}

const explain = async (s: TestServer, caller: Creds, from: string) => {
  const r = await http(s.url, 'GET', `/stir/v1/attestation?from=${encodeURIComponent(from)}&to=${US_DEST}`, {
    auth: caller,
  })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return r.body
}

/** Moves a bundle as the vetting team does. */
async function setStatus(s: TestServer, sid: string, Status: string, ValidUntil?: string): Promise<void> {
  const r = await http(s.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
    auth: { bearer: ADMIN_TOKEN },
    json: { Status, ValidUntil },
  })
  assert.equal(r.status, 200, JSON.stringify(r.body))
}

interface Row {
  readonly name: string
  /** Builds the branded side of the world; returns the calling number to use. */
  readonly apply: (s: TestServer, w: World) => Promise<string | void>
  /** The rcd expected, or the reason the explainer gives for none. */
  readonly expect: { rcd: object; rcdi?: object } | { none: string }
}

const ROWS: readonly Row[] = [
  {
    name: 'approved product with a logo',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
    },
    expect: { rcd: { icn: LOGO_URL, nam: 'Acme Pharmacy' }, rcdi: { '/icn': LOGO_DIGEST } },
  },
  {
    name: 'approved product without a logo',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, { name: 'Acme Pharmacy' })
    },
    expect: { rcd: { nam: 'Acme Pharmacy' } },
  },
  {
    name: 'product pending review',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND, 'pending-review')
    },
    expect: { none: NO_BRANDING.notOnProduct },
  },
  {
    name: 'product rejected',
    apply: async (s, w) => {
      const p = await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
      await setStatus(s, p, 'twilio-rejected')
    },
    expect: { none: NO_BRANDING.notOnProduct },
  },
  {
    name: 'product expired',
    apply: async (s, w) => {
      const p = await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
      await setStatus(s, p, 'twilio-approved', PAST)
    },
    expect: { none: NO_BRANDING.notOnProduct },
  },
  {
    name: "another account's product on the number",
    apply: async (s, w) => {
      const other = await newAccount(s.url, 'Other Brand Co')
      await addBrandedProduct(s.running.ctx.store.db, other.sid, w.number.sid, BRAND)
    },
    expect: { none: NO_BRANDING.notOnProduct },
  },
  {
    name: 'no product',
    apply: async () => {},
    expect: { none: NO_BRANDING.notOnProduct },
  },
  {
    name: 'approved product, but the SHAKEN trust product rejected (B or C)',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
      await setStatus(s, w.trustSid, 'twilio-rejected')
    },
    expect: { none: 'branding needs A' },
  },
  {
    name: 'approved product, no branding pinned',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid)
    },
    expect: { none: 'no branding was pinned' },
  },
  {
    name: 'approved product whose logo has no pinned digest',
    apply: async (s, w) => {
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, { ...BRAND, logoDigest: null })
    },
    expect: { none: 'logo has no pinned digest' },
  },
]

for (const dialect of DIALECTS) {
  describe(`signing with Rich Call Data [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    for (const shape of ['direct', 'isv-sub'] as readonly Shape[]) {
      for (const row of ROWS) {
        it(`${shape}: ${row.name}`, async () => {
          const w = await buildWorld(s.url, s.running.ctx.store.db, shape)
          // Signed once first, so the server holds this call's facts: each change must reach them.
          assert.equal((await sign(s, w.caller, w.number.phone))?.rcd, undefined)
          const from = (await row.apply(s, w)) ?? w.number.phone
          const claims = await sign(s, w.caller, from)
          const ex = await explain(s, w.caller, from)
          if ('rcd' in row.expect) {
            assert.equal(claims.attest, 'A')
            assert.deepEqual(claims.rcd, row.expect.rcd)
            assert.deepEqual(claims.rcdi, row.expect.rcdi)
            assert.equal(claims.crn, undefined, 'no reason asked, none signed')
            assert.equal(ex.branding.rcd.nam, 'Acme Pharmacy')
          } else {
            const why = row.expect.none
            assert.equal(claims?.rcd, undefined)
            assert.equal(claims?.rcdi, undefined)
            assert.equal(ex.branding.rcd, null)
            assert.ok(
              ex.branding.reasons.some((r: string) => r.includes(why)),
              JSON.stringify(ex.branding),
            )
          }
        })
      }
    }

    it('signs crn only when it is one of the approved reasons, exactly', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
      assert.equal((await sign(s, w.caller, w.number.phone, { crn: 'Prescription ready' })).crn, 'Prescription ready')
      for (const crn of ['Your account is locked', 'prescription ready', 'Prescription ready ']) {
        const c = await sign(s, w.caller, w.number.phone, { crn })
        assert.equal(c.crn, undefined, crn)
        assert.equal(c.rcd.nam, 'Acme Pharmacy', 'the branding stays')
      }
      // No branding: no reason either, whatever is asked.
      const plain = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      assert.equal((await sign(s, plain.caller, plain.number.phone, { crn: 'Prescription ready' })).crn, undefined)
    })

    it('a requested lower level carries no branding', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      await addBrandedProduct(s.running.ctx.store.db, w.caller.sid, w.number.sid, BRAND)
      const c = await sign(s, w.caller, w.number.phone, { attest: 'B', crn: 'Prescription ready' })
      assert.equal(c.attest, 'B')
      assert.equal(c.rcd, undefined)
      assert.equal(c.crn, undefined)
    })

    it('a sub-account calling from its own number on its ISV-held product is branded; a number of another sub-account is not', async () => {
      const db = s.running.ctx.store.db
      const w = await buildWorld(s.url, db, 'direct-sub')
      await addBrandedProduct(db, w.top.sid, w.number.sid, BRAND)
      assert.equal((await sign(s, w.caller, w.number.phone)).rcd.nam, 'Acme Pharmacy')
      // A sibling sub-account's number (not the caller's): no A, no branding.
      const sibling = await newSubAccount(s.url, w.top)
      const n = await addNumberRow(db, sibling.sid)
      await assignNumberRow(db, w.profileSid, w.top.sid, n.sid, 'customer-profile')
      await addBrandedProduct(db, w.top.sid, n.sid, BRAND)
      const c = await sign(s, w.caller, n.phone)
      assert.notEqual(c.attest, 'A')
      assert.equal(c.rcd, undefined)
    })

    it('a re-pinned brand and a revoked product apply to the very next call', async () => {
      const db = s.running.ctx.store.db
      const w = await buildWorld(s.url, db, 'direct')
      const p = await addBrandedProduct(db, w.caller.sid, w.number.sid, BRAND)
      assert.equal((await sign(s, w.caller, w.number.phone)).rcd.nam, 'Acme Pharmacy')
      const index = s.running.ctx.stiAs.index
      const loads = index.loads
      // Remembered: the next call reads no row.
      assert.equal((await sign(s, w.caller, w.number.phone)).rcd.nam, 'Acme Pharmacy')
      assert.equal(index.loads, loads, 'a remembered branded call reads nothing from the store')
      const digest = sriDigest('new logo bytes')
      await pinBrand(db, p, w.caller.sid, { ...BRAND, name: 'Acme Pharmacy & Co', logoDigest: digest })
      assert.equal((await approvedBrandsOf(db, [p])).get(p)?.display_name, 'Acme Pharmacy & Co', 'one row, re-pinned')
      const c = await sign(s, w.caller, w.number.phone)
      assert.equal(c.rcd.nam, 'Acme Pharmacy & Co')
      assert.deepEqual(c.rcdi, { '/icn': digest })
      await setStatus(s, p, 'twilio-rejected')
      const after = await sign(s, w.caller, w.number.phone)
      assert.equal(after.attest, 'A')
      assert.equal(after.rcd, undefined)
    })

    it('refuses a crn that is not call-reason text with 400 naming it', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      for (const crn of [42, '', 'a'.repeat(256), 'line\nbreak', 'bidi \u202e override']) {
        const r = await http(s.url, 'POST', '/stir/v1/signing', {
          auth: w.caller,
          json: signReq(w.number.phone, { crn }),
        })
        assert.equal(r.status, 400, JSON.stringify(crn))
        assert.match(JSON.stringify(r.body), /crn/)
      }
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`Rich Call Data across instances on one store [${dialect}]`, () => {
    const pair = twoServersOnOneStore(dialect)

    it('a brand re-pinned and a product revoked through one instance apply to the next call signed on the other', async () => {
      const { a, b } = pair
      const db = a.running.ctx.store.db
      const w = await buildWorld(a.url, db, 'direct')
      const p = await addBrandedProduct(db, w.caller.sid, w.number.sid, BRAND)
      // The other instance holds the call (and its brand) from here on.
      assert.equal((await sign(b, w.caller, w.number.phone)).rcd.nam, 'Acme Pharmacy')
      assert.equal((await sign(b, w.caller, w.number.phone)).rcd.nam, 'Acme Pharmacy')
      await pinBrand(db, p, w.caller.sid, { ...BRAND, name: 'Acme Health' })
      assert.equal((await sign(b, w.caller, w.number.phone)).rcd.nam, 'Acme Health')
      await setStatus(a, p, 'twilio-rejected')
      assert.equal((await sign(b, w.caller, w.number.phone)).rcd, undefined)
    })
  })
}
