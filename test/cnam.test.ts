/**
 * The CNAM feed (`GET /admin/v1/cnam.csv`, `stirhub cnam export`) and lookup
 * (`GET /v1/cnam/{E164}`) on both engines, over real approved CNAM trust products with numbers
 * assigned: what the feed holds and leaves out (not approved, expired, unassigned), RFC 4180
 * and formula-safe fields, keyset pages, and who may look up which number.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  assign,
  assignNumber,
  buyNumber,
  createBundle,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  randomUsNumber,
  setStatus,
  stockInventory,
  submit,
  submitAndApprove,
} from './helpers/onboarding.js'
import { endUser } from './helpers/branding.js'
import { runCli } from './helpers/cli.js'
import { POLICY } from '../src/domain/policy-sids.js'
import { saveApprovedBrand } from '../src/store/brands.repo.js'
import { cnamCsv } from '../src/trusthub/cnam-feed.js'

const operator = { bearer: ADMIN_TOKEN }

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
const DAY = 86_400_000

interface Num {
  readonly sid: string
  readonly phone: string
}

for (const dialect of DIALECTS) {
  describe(`CNAM feed and lookup (${dialect})`, () => {
    let s: TestServer
    let offset = 0
    let P: Creds // a parent account
    let S: Creds // its sub-account
    let O: Creds // an unrelated account
    const n: Record<string, Num> = {}
    const profiles = new Map<string, string>()
    const names = new Map<string, string>() // phone → caller name expected in the feed
    const owner = new Map<string, string>() // phone → [account, trust product]
    let expiring: string

    async function number(c: Creds): Promise<Num> {
      for (;;) {
        const phone = randomUsNumber()
        await stockInventory(s.url, [phone])
        const r = await buyNumber(s.url, c, phone)
        if (r.status === 201) {
          await assignNumber(s.url, c, 'CustomerProfiles', profiles.get(c.sid)!, r.body.sid)
          return { sid: r.body.sid, phone }
        }
      }
    }

    /** A CNAM trust product of `c` carrying `nums`, approved (unless `draft`) with `name` pinned. */
    async function cnamProduct(
      c: Creds,
      name: string,
      nums: readonly Num[],
      o: { draft?: boolean; validUntil?: string } = {},
    ): Promise<string> {
      // A CNAM product rests on the profile and an approved SHAKEN/STIR product already holding its numbers.
      const profile = profiles.get(c.sid)!
      const shaken = await makeTrustProduct(
        s.url,
        c,
        profile,
        nums.map((x) => x.sid),
      )
      await submitAndApprove(s.url, c, 'TrustProducts', shaken)
      const sid = await createBundle(s.url, c, 'TrustProducts', POLICY.CNAM, `${name} CNAM`)
      await assign(s.url, c, 'TrustProducts', sid, profile)
      await assign(s.url, c, 'TrustProducts', sid, shaken)
      await assign(
        s.url,
        c,
        'TrustProducts',
        sid,
        await endUser(s.url, c, 'cnam_information', { cnam_display_name: 'ACME' }),
      )
      for (const x of nums) await assignNumber(s.url, c, 'TrustProducts', sid, x.sid)
      if (!o.draft) {
        const sub = await submit(s.url, c, 'TrustProducts', sid)
        assert.equal(sub.status, 200, JSON.stringify(sub.body))
        const ok = await setStatus(s.url, sid, 'twilio-approved', o.validUntil ? { ValidUntil: o.validUntil } : {})
        assert.equal(ok.status, 200, JSON.stringify(ok.body))
      }
      // What the approval of a CNAM product pins (written by the approval itself in production).
      await saveApprovedBrand(s.running.ctx.store.db, {
        bundle_sid: sid,
        account_sid: c.sid,
        kind: 'cnam',
        display_name: name,
        logo_url: null,
        logo_digest: null,
        call_reasons: '[]',
        approved_at: new Date(Date.now() + offset).toISOString(),
      })
      if (!o.draft)
        for (const x of nums) {
          names.set(x.phone, name)
          owner.set(x.phone, `${c.sid},${sid}`)
        }
      return sid
    }

    before(async () => {
      s = await startServer(dialect, { clock: () => new Date(Date.now() + offset) })
      P = await newAccount(s.url, 'Parent Co')
      S = await newSubAccount(s.url, P)
      O = await newAccount(s.url, 'Other Co')
      for (const c of [P, S, O]) profiles.set(c.sid, await makeApprovedPrimaryProfile(s.url, c))
      for (const k of ['p1', 'p2', 'p3', 'draft', 'unassigned', 'removed', 'expiring']) n[k] = await number(P)
      n.s1 = await number(S)
      n.o1 = await number(O)
      await cnamProduct(P, 'Acme, "Inc"', [n.p1!, n.p2!])
      await cnamProduct(P, '=SUM(1+1)', [n.p3!])
      await cnamProduct(P, 'Drafty', [n.draft!], { draft: true })
      const withRemoved = await cnamProduct(P, 'Removed Co', [n.removed!])
      const assignments = await http(s.url, 'GET', `/v1/TrustProducts/${withRemoved}/ChannelEndpointAssignments`, {
        auth: P,
      })
      for (const a of assignments.body.results)
        assert.equal(
          (
            await http(s.url, 'DELETE', `/v1/TrustProducts/${withRemoved}/ChannelEndpointAssignments/${a.sid}`, {
              auth: P,
            })
          ).status,
          204,
        )
      names.delete(n.removed!.phone)
      owner.delete(n.removed!.phone)
      await cnamProduct(P, 'Soon Gone', [n.expiring!], { validUntil: new Date(Date.now() + DAY).toISOString() })
      expiring = n.expiring!.phone
      await cnamProduct(S, 'Sub Co', [n.s1!])
      await cnamProduct(O, 'Other Co', [n.o1!])
    })
    after(async () => {
      await s.stop()
    })

    const feed = () => http(s.url, 'GET', '/admin/v1/cnam.csv', { auth: operator })
    const lookup = (phone: string, auth: Creds | { bearer: string } | null) =>
      http(s.url, 'GET', `/v1/cnam/${encodeURIComponent(phone)}`, { auth })

    /** The feed rows expected now: every approved, unexpired, assigned number, by number. */
    const expected = () =>
      [...names.keys()].sort().map((phone) => {
        const [account, product] = owner.get(phone)!.split(',')
        return { phone, name: names.get(phone)!, account, product }
      })

    it('the feed: a header, then one RFC 4180 row per number in force, ordered by number, formula-safe', async () => {
      const r = await feed()
      assert.equal(r.status, 200)
      assert.match(r.headers.get('content-type')!, /^text\/csv/)
      assert.match(r.headers.get('content-disposition')!, /attachment; filename="cnam.csv"/)
      const text = String(r.body)
      assert.ok(text.endsWith('\r\n'))
      const lines = text.split('\r\n').slice(0, -1)
      assert.equal(lines[0], 'phone_number,caller_name,account_sid,trust_product_sid,approved_at')
      const rows = lines.slice(1)
      const want = expected()
      assert.equal(rows.length, want.length, text)
      want.forEach((w, i) => {
        const name = w.name === 'Acme, "Inc"' ? '"Acme, ""Inc"""' : w.name === '=SUM(1+1)' ? "'=SUM(1+1)" : w.name
        assert.match(
          rows[i]!,
          new RegExp(`^\\${w.phone},${name.replace(/[()+"]/g, '\\$&')},${w.account},${w.product},\\d{4}-`),
        )
      })
      // Left out: the draft product's number, one on no CNAM product, one taken off its product.
      for (const k of ['draft', 'unassigned', 'removed']) assert.ok(!text.includes(n[k]!.phone), k)
    })

    it('pages through the store by keyset: any page size gives the same feed', async () => {
      const now = new Date(Date.now() + offset).toISOString()
      const whole = (await collect(cnamCsv(s.running.ctx.store.db, now))).join('')
      for (const size of [1, 2, 3]) {
        const paged = await collect(cnamCsv(s.running.ctx.store.db, now, size))
        assert.equal(paged.join(''), whole)
        assert.ok(paged.length > 2, `page size ${size}: ${paged.length} chunks`)
      }
    })

    it("lookup: the operator any number; an account its own and its sub-accounts' only; 404 otherwise", async () => {
      const matrix: [Creds | { bearer: string }, string, number][] = [
        [operator, n.p1!.phone, 200],
        [operator, n.o1!.phone, 200],
        [operator, n.unassigned!.phone, 404],
        [operator, n.draft!.phone, 404],
        [operator, n.removed!.phone, 404],
        [P, n.p2!.phone, 200],
        [P, n.s1!.phone, 200],
        [P, n.o1!.phone, 404],
        [S, n.s1!.phone, 200],
        [S, n.p1!.phone, 404],
        [O, n.o1!.phone, 200],
        [O, n.p1!.phone, 404],
      ]
      for (const [auth, phone, status] of matrix) {
        const r = await lookup(phone, auth)
        assert.equal(r.status, status, `${JSON.stringify(auth).slice(0, 20)} ${phone}: ${JSON.stringify(r.body)}`)
        if (status === 200) assert.deepEqual(r.body, { phone_number: phone, caller_name: names.get(phone) })
        else assert.equal(r.body.code, 20404)
      }
      // Another tenant's number and a number without a name answer alike.
      const theirs = await lookup(n.o1!.phone, P)
      const none = await lookup(n.unassigned!.phone, P)
      assert.equal(theirs.body.message.replace(n.o1!.phone, 'N'), none.body.message.replace(n.unassigned!.phone, 'N'))
    })

    it('lookup: credentials and input', async () => {
      assert.equal((await lookup(n.p1!.phone, null)).status, 401)
      assert.equal((await lookup(n.p1!.phone, { bearer: 'not-the-token' })).status, 401)
      assert.equal((await lookup(n.p1!.phone, { sid: P.sid, token: 'wrong' })).status, 401)
      for (const bad of ['12', 'abc', '+1212555', `+1${'9'.repeat(30)}`]) {
        const r = await lookup(bad, operator)
        assert.equal(r.status, 400, bad)
        assert.equal(r.body.code, 21421)
        assert.match(r.body.message, /E164/)
      }
      // Any spelling of the number finds it.
      const spaced = await lookup(`${n.p1!.phone.slice(0, 2)} ${n.p1!.phone.slice(2)}`, operator)
      assert.equal(spaced.status, 200)
      // The feed is the operator's alone.
      assert.equal((await http(s.url, 'GET', '/admin/v1/cnam.csv', { auth: P })).status, 401)
      assert.equal((await http(s.url, 'GET', '/admin/v1/cnam.csv')).status, 401)
    })

    it('stirhub cnam export writes the same feed to a file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnam-'))
      try {
        const out = path.join(dir, 'cnam.csv')
        const r = await runCli(['cnam', 'export', '--out', out, '--url', s.url, '--token', ADMIN_TOKEN])
        assert.equal(r.code, 0, r.err)
        assert.match(r.err, new RegExp(`${expected().length} CNAM entries written`))
        assert.equal(fs.readFileSync(out, 'utf8'), String((await feed()).body))
        const stdout = await runCli(['cnam', 'export', '--url', s.url], { STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN })
        assert.equal(stdout.code, 0, stdout.err)
        assert.equal(stdout.out, String((await feed()).body))
        const denied = await runCli(['cnam', 'export', '--url', s.url, '--token', 'wrong'])
        assert.notEqual(denied.code, 0)
        assert.match(denied.err, /401/)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })

    it("a suspended account's names leave the feed and the lookup, its sub-accounts' too, until reactivated", async () => {
      const status = (sid: string, Status: string) =>
        http(s.url, 'POST', `/admin/v1/Accounts/${sid}`, { auth: operator, json: { Status } })
      const inFeed = async (phone: string) => String((await feed()).body).includes(phone)
      assert.equal((await status(P.sid, 'suspended')).status, 200)
      try {
        for (const x of [n.p1!, n.s1!]) {
          assert.equal((await lookup(x.phone, operator)).status, 404, x.phone)
          assert.ok(!(await inFeed(x.phone)), x.phone)
        }
        assert.equal((await lookup(n.o1!.phone, operator)).status, 200)
      } finally {
        assert.equal((await status(P.sid, 'active')).status, 200)
      }
      assert.equal((await lookup(n.s1!.phone, operator)).status, 200)
      assert.ok(await inFeed(n.p1!.phone))
    })

    it('an approval that expires leaves the feed and the lookup', async () => {
      assert.equal((await lookup(expiring, operator)).status, 200)
      assert.ok(String((await feed()).body).includes(expiring))
      offset = 2 * DAY
      try {
        assert.equal((await lookup(expiring, operator)).status, 404)
        assert.ok(!String((await feed()).body).includes(expiring))
        assert.equal((await lookup(n.p1!.phone, operator)).status, 200)
      } finally {
        offset = 0
      }
    })
  })
}
