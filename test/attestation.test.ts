/**
 * Every row of DESIGN §4's table, for the four customer shapes, through the real server:
 * `POST /stir/v1/signing` signs the exact level (checked by verifying the PASSporT with jose)
 * and `GET /stir/v1/attestation` explains it. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { compactVerify } from 'jose'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, type Creds } from './helpers/http.js'
import { addBundle, addNumberRow, buildWorld, SHAPES, type Shape, type World } from './helpers/attestation-world.js'
import {
  deleteChannelAssignment,
  deleteEntityAssignment,
  insertEntityAssignment,
} from '../src/store/assignments.repo.js'
import { changeOrigin, releaseNumber } from '../src/store/numbers.repo.js'
import { POLICY } from '../src/domain/policies.js'
import { UNVERIFIED_STEP } from '../src/domain/number-origin.js'

type Level = 'A' | 'B' | 'C' | 'none'
const US_DEST = '+12125551212'
const PAST = '2026-01-01T00:00:00.000Z'

interface Variant {
  readonly name: string
  /** Changes the world; returns the calling number and destination to use. */
  readonly apply: (s: TestServer, w: World) => Promise<{ from?: string; to?: string } | void>
  readonly expect: Readonly<Record<Shape, Level>>
}

const all = (l: Level): Record<Shape, Level> => ({ direct: l, 'isv-single': l, 'isv-sub': l, 'direct-sub': l })
/** When the number's own bundles fail, ISVs still have their primary's trust product (B); direct customers share it (C). */
const fallsTo = { direct: 'C', 'isv-single': 'B', 'isv-sub': 'B', 'direct-sub': 'C' } as const

/** Moves a bundle as the vetting team does (the operator route). */
async function setStatus(s: TestServer, sid: string, Status: string, ValidUntil?: string): Promise<void> {
  const r = await http(s.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
    auth: { bearer: ADMIN_TOKEN },
    json: { Status, ValidUntil },
  })
  assert.equal(r.status, 200, JSON.stringify(r.body))
}

async function unassign(s: TestServer, w: World, which: 'all' | 'trust') {
  const db = s.running.ctx.store.db
  let q = db.selectFrom('channel_endpoint_assignments').select('sid').where('channel_endpoint_sid', '=', w.number.sid)
  if (which === 'trust') q = q.where('slot', '=', POLICY.SHAKEN_STIR)
  for (const r of await q.execute()) await deleteChannelAssignment(db, r.sid)
}

const VARIANTS: readonly Variant[] = [
  { name: 'approved', apply: async () => {}, expect: all('A') },
  { name: 'trust product pending', apply: (s, w) => setStatus(s, w.trustSid, 'pending-review'), expect: fallsTo },
  { name: 'trust product rejected', apply: (s, w) => setStatus(s, w.trustSid, 'twilio-rejected'), expect: fallsTo },
  {
    name: 'trust product expired',
    apply: (s, w) => setStatus(s, w.trustSid, 'twilio-approved', PAST),
    expect: fallsTo,
  },
  { name: 'profile pending', apply: (s, w) => setStatus(s, w.profileSid, 'in-review'), expect: fallsTo },
  { name: 'number unassigned', apply: (s, w) => unassign(s, w, 'all'), expect: all('B') },
  { name: 'number on the profile, not the trust product', apply: (s, w) => unassign(s, w, 'trust'), expect: all('B') },
  {
    name: 'number of an unrelated account',
    expect: all('B'),
    apply: async (s) => ({ from: (await buildWorld(s.url, s.running.ctx.store.db, 'direct')).number.phone }),
  },
  {
    name: 'number released',
    expect: all('B'),
    apply: async (s, w) => {
      await s.running.ctx.store.db.transaction().execute((trx) => releaseNumber(trx, w.caller.sid, w.number.sid))
    },
  },
  // Right-to-use origins (DESIGN §2): the world's number was bought from the inventory.
  { name: 'number origin operator', apply: (s, w) => setOrigin(s, w, 'operator'), expect: all('A') },
  { name: 'number origin hosted', apply: (s, w) => setOrigin(s, w, 'hosted'), expect: all('A') },
  {
    name: 'number origin unverified (stored before origins)',
    apply: (s, w) => setOrigin(s, w, 'unverified'),
    expect: all('B'),
  },
  {
    name: 'number origin unverified, then confirmed by the operator',
    expect: all('A'),
    apply: async (s, w) => {
      await setOrigin(s, w, 'unverified')
      assert.equal((await signedLevel(s, w.caller, w.number.phone, US_DEST)).level, 'B')
      const r = await http(s.url, 'POST', `/admin/v1/PhoneNumbers/${w.number.phone}/Confirm`, {
        auth: { bearer: ADMIN_TOKEN },
      })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.deepEqual([r.body.right_to_use_origin, r.body.changed], ['operator', true])
    },
  },
  {
    name: 'number released through the API',
    expect: all('B'),
    apply: async (s, w) => {
      const r = await http(
        s.url,
        'DELETE',
        `/2010-04-01/Accounts/${w.caller.sid}/IncomingPhoneNumbers/${w.number.sid}.json`,
        { auth: w.caller },
      )
      assert.equal(r.status, 204)
    },
  },
  { name: 'non-US destination (Canada, also +1)', apply: async () => ({ to: '+14165551234' }), expect: all('none') },
  {
    // Rule 2 needs T linked to P; an ISV customer's own pair does not depend on the top's link.
    name: 'top trust product unlinked from the primary profile',
    apply: async (s, w) => {
      await unlink(s, w.topTrustSid, w.topProfileSid)
    },
    expect: { direct: 'C', 'isv-single': 'A', 'isv-sub': 'A', 'direct-sub': 'C' },
  },
  {
    name: 'top trust product unlinked, calling from a number on no bundle',
    apply: async (s, w) => {
      await unlink(s, w.topTrustSid, w.topProfileSid)
      return { from: (await addNumberRow(s.running.ctx.store.db, w.caller.sid)).phone }
    },
    expect: all('C'),
  },
]

/** Sets the world number's right-to-use origin in the store (hosted orders are not built yet). */
async function setOrigin(s: TestServer, w: World, origin: string): Promise<void> {
  assert.ok(await changeOrigin(s.running.ctx.store.db, w.number.sid, 'inventory', origin, new Date().toISOString()))
}

/** Removes the link from `bundleSid` to `objectSid` as the EntityAssignments route does. */
async function unlink(s: TestServer, bundleSid: string, objectSid: string): Promise<void> {
  const db = s.running.ctx.store.db
  const row = await db
    .selectFrom('entity_assignments')
    .select('sid')
    .where('bundle_sid', '=', bundleSid)
    .where('object_sid', '=', objectSid)
    .executeTakeFirstOrThrow()
  await deleteEntityAssignment(db, row.sid)
}

const signReq = (from: string, to: string, attest = 'A') => ({
  signingRequest: {
    attest,
    dest: { tn: [to] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: from },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
})

/** Signs through the API and returns the level actually signed (verified with jose), or 'none'. */
async function signedLevel(
  s: TestServer,
  caller: Creds,
  from: string,
  to: string,
): Promise<{ level: Level; claims?: any }> {
  const r = await http(s.url, 'POST', '/stir/v1/signing', { auth: caller, json: signReq(from, to) })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const identity: string | undefined = r.body.signingResponse.identity
  if (!identity) return { level: 'none' }
  const jws = identity.split(';')[0]!
  const pub = createPublicKey(s.running.ctx.stiAs.signer().key)
  const { payload } = await compactVerify(jws, pub)
  const claims = JSON.parse(Buffer.from(payload).toString('utf8'))
  return { level: claims.attest, claims }
}

for (const dialect of DIALECTS) {
  describe(`attestation table (DESIGN §4) [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    for (const shape of SHAPES) {
      for (const v of VARIANTS) {
        it(`${shape}: ${v.name} → ${v.expect[shape]}`, async () => {
          const w = await buildWorld(s.url, s.running.ctx.store.db, shape)
          // Signed once first, so the server holds this call's facts: each change must reach them.
          assert.equal((await signedLevel(s, w.caller, w.number.phone, US_DEST)).level, 'A')
          const o = (await v.apply(s, w)) ?? {}
          const from = o.from ?? w.number.phone
          const to = o.to ?? US_DEST
          const { level, claims } = await signedLevel(s, w.caller, from, to)
          assert.equal(level, v.expect[shape])
          const ex = await http(
            s.url,
            'GET',
            `/stir/v1/attestation?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
            { auth: w.caller },
          )
          assert.equal(ex.status, 200)
          assert.equal(ex.body.level ?? 'none', v.expect[shape])
          if (level !== 'none') {
            const acct = await s.running.ctx.store.db
              .selectFrom('accounts')
              .select('origid')
              .where('sid', '=', w.caller.sid)
              .executeTakeFirstOrThrow()
            assert.equal(claims.origid, acct.origid, "origid is the account's stable one")
            assert.equal(claims.orig.tn, from.slice(1))
            assert.deepEqual(claims.dest.tn, [to.slice(1)])
          }
          if (level === 'A') assert.equal(ex.body.bundles.trust_product_sid, w.trustSid)
          else assert.ok(ex.body.missing_for_a.length > 0 || level === 'none', 'says what is missing for A')
          if (v.name.startsWith('number origin unverified (')) assert.equal(ex.body.missing_for_a[0], UNVERIFIED_STEP)
          // Steps to reach B only below B.
          assert.equal(ex.body.missing_for_b.length > 0, level === 'C', 'steps for B exactly when C')
        })
      }
    }

    it('a requested attest lowers the level, never raises it', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const low = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: signReq(w.number.phone, US_DEST, 'C'),
      })
      assert.equal(low.headers.get('x-attestation'), 'C')
      const other = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: w.caller,
        json: signReq('+12125550199', US_DEST, 'A'),
      })
      assert.equal(other.headers.get('x-attestation'), 'B')
    })

    it('an ISV with 33 000 customer trust products in its own account: B and A decided from a small rule-3 set; a link added or removed applies at the next call', async () => {
      const db = s.running.ctx.store.db
      const w = await buildWorld(s.url, db, 'isv-single')
      // More trust products than SQLite binds parameters in one statement (32 766), each linked
      // to a customer's secondary profile, as an ISV holds them.
      const secondary = await addBundle(db, w.top.sid, POLICY.SECONDARY_PROFILE, 'twilio-approved', w.topProfileSid)
      const now = new Date().toISOString()
      for (let c = 0; c < 33; c++) {
        const sids = Array.from({ length: 1000 }, (_, i) => `BU${String(c * 1000 + i).padStart(32, '0')}`)
        await db
          .insertInto('bundles')
          .values(
            sids.map((sid) => ({
              sid,
              account_sid: w.top.sid,
              kind: 'trust-product',
              policy_sid: POLICY.SHAKEN_STIR,
              friendly_name: 't',
              email: 'ops@example.com',
              status: 'twilio-approved',
              status_callback: null,
              valid_until: null,
              errors: null,
              failure_reason: null,
              submitted_at: null,
              date_created: now,
              date_updated: now,
            })),
          )
          .execute()
        await db
          .insertInto('entity_assignments')
          .values(
            sids.map((sid) => ({
              sid: `BV${sid.slice(2)}`,
              bundle_sid: sid,
              account_sid: w.top.sid,
              object_sid: secondary,
              date_created: now,
            })),
          )
          .execute()
      }
      const own = await addNumberRow(db, w.top.sid)
      assert.equal((await signedLevel(s, w.top, own.phone, US_DEST)).level, 'B')
      assert.equal((await signedLevel(s, w.caller, w.number.phone, US_DEST)).level, 'A')
      const explained = await s.running.ctx.stiAs.index.explain(w.top.sid, own.phone.slice(1), US_DEST.slice(1))
      assert.ok(explained!.facts.bundles.size <= 4, `rule 3 looked at ${explained!.facts.bundles.size} bundles`)
      // The top's only link from trust product to primary profile goes, then comes back.
      await unlink(s, w.topTrustSid, w.topProfileSid)
      assert.equal((await signedLevel(s, w.top, own.phone, US_DEST)).level, 'C')
      // As a process that starts now would: load the rule-3 set while the link is missing.
      s.running.ctx.stiAs.index.invalidate()
      assert.equal((await signedLevel(s, w.top, own.phone, US_DEST)).level, 'C')
      await insertEntityAssignment(db, {
        sid: `BV${w.topTrustSid.slice(2)}`,
        bundle_sid: w.topTrustSid,
        account_sid: w.top.sid,
        object_sid: w.topProfileSid,
        date_created: now,
      })
      assert.equal((await signedLevel(s, w.top, own.phone, US_DEST)).level, 'B')
    })

    it('the operator signs for any account with X-Account-Sid; an account cannot name another tenant', async () => {
      const w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const stranger = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      const op = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: { bearer: ADMIN_TOKEN },
        headers: { 'X-Account-Sid': w.caller.sid },
        json: signReq(w.number.phone, US_DEST),
      })
      assert.equal(op.status, 200)
      assert.equal(op.headers.get('x-attestation'), 'A')
      const cross = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: stranger.caller,
        headers: { 'X-Account-Sid': w.caller.sid },
        json: signReq(w.number.phone, US_DEST),
      })
      assert.equal(cross.status, 404)
      assert.equal(cross.body.requestError.serviceException.messageId, 'SVC4003')
      const unknown = await http(s.url, 'POST', '/stir/v1/signing', {
        auth: { bearer: ADMIN_TOKEN },
        headers: { 'X-Account-Sid': 'AC' + '0'.repeat(32) },
        json: signReq(w.number.phone, US_DEST),
      })
      assert.equal(unknown.status, 404)
      const noAuth = await http(s.url, 'POST', '/stir/v1/signing', { json: signReq(w.number.phone, US_DEST) })
      assert.equal(noAuth.status, 401)
      assert.equal(noAuth.body.requestError.policyException.messageId, 'POL4001')
      // Once the operator token has been seen, near misses still fail (it is remembered, not prefixes of it).
      for (const bearer of [
        ADMIN_TOKEN.slice(0, -1),
        ADMIN_TOKEN + 'x',
        ADMIN_TOKEN.slice(0, -1) + (ADMIN_TOKEN.endsWith('a') ? 'b' : 'a'),
      ]) {
        const near = await http(s.url, 'POST', '/stir/v1/signing', {
          auth: { bearer },
          headers: { 'X-Account-Sid': w.caller.sid },
          json: signReq(w.number.phone, US_DEST),
        })
        assert.equal(near.status, 401, bearer)
      }
    })
  })
}
