import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { stockInventory } from './helpers/onboarding.js'
import { newSid } from '../src/domain/ids.js'
import { readDecisionVersion } from '../src/store/decision-version.repo.js'
import { sdk } from './helpers/twilio-sdk.js'

const RFC2822 = /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/
/** A random valid NANP number (NPA 212 = New York; the exchange must not start with 0 or 1). */
const fresh = () =>
  `+1212${2 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`
const nums = (a: Creds) => `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`

for (const dialect of DIALECTS) {
  describe(`incoming phone numbers [${dialect}]`, () => {
    let s: TestServer
    const used = new Set<string>()
    const unique = () => {
      let n
      do n = fresh()
      while (used.has(n))
      used.add(n)
      return n
    }
    /** A fresh number in the operator's inventory: what customers can buy. */
    const stocked = async () => {
      const n = unique()
      await stockInventory(s.url, [n])
      return n
    }
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it("creates a number with Twilio's 2010 shape and fetches it", async () => {
      const a = await newAccount(s.url)
      const n = await stocked()
      const r = await http(s.url, 'POST', nums(a), {
        auth: a,
        form: { PhoneNumber: n, StatusCallback: 'https://example.com/cb' },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.match(r.body.sid, /^PN[0-9a-f]{32}$/)
      assert.equal(r.body.account_sid, a.sid)
      assert.equal(r.body.phone_number, n)
      assert.match(r.body.friendly_name, /^\(212\) \d{3}-\d{4}$/)
      assert.deepEqual(r.body.capabilities, { voice: true, sms: false, mms: false, fax: false })
      assert.equal(r.body.status, 'in-use')
      assert.equal(r.body.api_version, '2010-04-01')
      assert.equal(r.body.status_callback, 'https://example.com/cb')
      assert.match(r.body.date_created, RFC2822)
      assert.equal(r.body.uri, `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers/${r.body.sid}.json`)
      const f = await http(s.url, 'GET', r.body.uri, { auth: a })
      assert.equal(f.status, 200)
      assert.deepEqual(f.body, r.body)
    })

    it('the official twilio SDK creates, pages through, updates and releases numbers', async () => {
      const a = await newAccount(s.url)
      const client = sdk(s.url, a)
      const pns = client.api.v2010.accounts(a.sid).incomingPhoneNumbers
      const made = []
      for (let i = 0; i < 3; i++)
        made.push(await pns.create({ phoneNumber: await stocked(), friendlyName: `sdk ${i}` }))
      assert.equal(made[0]!.status, 'in-use')
      assert.ok(made[0]!.dateCreated instanceof Date && !Number.isNaN(made[0]!.dateCreated.getTime()))
      const listed = await pns.list({ pageSize: 2 })
      assert.deepEqual(listed.map((n) => n.sid).sort(), made.map((n) => n.sid).sort())
      const upd = await pns(made[1]!.sid).update({ friendlyName: 'renamed' })
      assert.equal(upd.friendlyName, 'renamed')
      assert.equal(await pns(made[1]!.sid).remove(), true)
      await assert.rejects(pns(made[1]!.sid).fetch(), (e: any) => e.status === 404 && e.code === 20404)
      await assert.rejects(
        pns.create({ phoneNumber: made[0]!.phoneNumber }),
        (e: any) => e.status === 400 && e.code === 21422,
      )
    })

    it('validates E.164 with libphonenumber (21421) and normalizes formatting', async () => {
      const a = await newAccount(s.url)
      for (const bad of ['2125550100', '+1 212', '+11234567890', 'not-a-number', '+999123456789']) {
        const r = await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: bad } })
        assert.equal(r.status, 400, bad)
        assert.equal(r.body.code, 21421, bad)
        assert.match(r.body.message, /PhoneNumber/)
      }
      const missing = await http(s.url, 'POST', nums(a), { auth: a, form: { FriendlyName: 'x' } })
      assert.equal(missing.status, 400)
      assert.equal(missing.body.code, 20001)
      const n = await stocked()
      const spaced = `+1 (${n.slice(2, 5)}) ${n.slice(5, 8)}-${n.slice(8)}`
      const r = await http(s.url, 'POST', nums(a), {
        auth: a,
        form: { PhoneNumber: spaced, FriendlyName: 'Main line' },
      })
      assert.equal(r.status, 201)
      assert.equal(r.body.phone_number, n)
      assert.equal(r.body.friendly_name, 'Main line')
    })

    it('a bought number is refused to any account with 21422 naming it', async () => {
      const a = await newAccount(s.url)
      const b = await newAccount(s.url)
      const n = await stocked()
      assert.equal((await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: n } })).status, 201)
      for (const who of [a, b]) {
        const r = await http(s.url, 'POST', nums(who), { auth: who, form: { PhoneNumber: n } })
        assert.equal(r.status, 400)
        assert.equal(r.body.code, 21422)
        assert.ok(r.body.message.includes(n), r.body.message)
      }
    })

    it('lists with PhoneNumber (contains, * wildcard) and FriendlyName filters and keyset pages', async () => {
      const a = await newAccount(s.url)
      const created: string[] = []
      for (let i = 0; i < 5; i++) {
        const r = await http(s.url, 'POST', nums(a), {
          auth: a,
          form: { PhoneNumber: await stocked(), FriendlyName: i === 2 ? 'special' : `n${i}` },
        })
        created.push(r.body.phone_number)
      }
      const seen: string[] = []
      let path: string | null = `${nums(a)}?PageSize=2`
      let pages = 0
      while (path) {
        const r = await http(s.url, 'GET', path, { auth: a })
        assert.equal(r.status, 200)
        assert.ok(r.body.incoming_phone_numbers.length <= 2)
        assert.equal(r.body.page, pages)
        seen.push(...r.body.incoming_phone_numbers.map((x: any) => x.phone_number))
        path = r.body.next_page_uri
        pages++
      }
      assert.equal(pages, 3)
      assert.deepEqual([...seen].sort(), [...created].sort())
      const target = created[3]!
      const contains = await http(s.url, 'GET', `${nums(a)}?PhoneNumber=${encodeURIComponent(target.slice(5))}`, {
        auth: a,
      })
      assert.deepEqual(
        contains.body.incoming_phone_numbers.map((x: any) => x.phone_number),
        [target],
      )
      const wild = await http(
        s.url,
        'GET',
        `${nums(a)}?PhoneNumber=${encodeURIComponent(target.slice(2, 10) + '**')}`,
        { auth: a },
      )
      assert.ok(wild.body.incoming_phone_numbers.some((x: any) => x.phone_number === target))
      assert.match(wild.body.uri, /PhoneNumber=/)
      const byName = await http(s.url, 'GET', `${nums(a)}?FriendlyName=special`, { auth: a })
      assert.deepEqual(
        byName.body.incoming_phone_numbers.map((x: any) => x.phone_number),
        [created[2]],
      )
      const badToken = await http(s.url, 'GET', `${nums(a)}?PageToken=garbage`, { auth: a })
      assert.equal(badToken.status, 400)
    })

    it('updates FriendlyName and StatusCallback', async () => {
      const a = await newAccount(s.url)
      const c = await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: await stocked() } })
      const u = await http(s.url, 'POST', c.body.uri, {
        auth: a,
        form: { FriendlyName: 'Sales', StatusCallback: 'https://example.com/x' },
      })
      assert.equal(u.status, 200)
      assert.equal(u.body.friendly_name, 'Sales')
      assert.equal(u.body.status_callback, 'https://example.com/x')
      assert.equal((await http(s.url, 'GET', c.body.uri, { auth: a })).body.friendly_name, 'Sales')
    })

    it("release answers 204 and removes the number's channel-endpoint assignments in the same transaction", async () => {
      const a = await newAccount(s.url)
      const c = await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: await stocked() } })
      const other = await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: await stocked() } })
      const db = s.running.ctx.store.db
      const now = new Date().toISOString()
      const bundle = newSid('BU')
      await db
        .insertInto('bundles')
        .values({
          sid: bundle,
          account_sid: a.sid,
          kind: 'customer-profile',
          policy_sid: 'RN6433641899984f951173ef1738c3bdd0',
          friendly_name: 'p',
          email: 'a@example.com',
          status: 'draft',
          status_callback: null,
          valid_until: null,
          errors: null,
          failure_reason: null,
          submitted_at: null,
          date_created: now,
          date_updated: now,
        })
        .execute()
      for (const pn of [c.body.sid, other.body.sid]) {
        await db
          .insertInto('channel_endpoint_assignments')
          .values({
            sid: newSid('RA'),
            bundle_sid: bundle,
            account_sid: a.sid,
            channel_endpoint_type: 'phone-number',
            channel_endpoint_sid: pn,
            slot: 'customer-profile',
            date_created: now,
          })
          .execute()
      }
      const d = await http(s.url, 'DELETE', c.body.uri, { auth: a })
      assert.equal(d.status, 204)
      assert.equal(d.body, null)
      assert.equal((await http(s.url, 'GET', c.body.uri, { auth: a })).status, 404)
      const left = await db
        .selectFrom('channel_endpoint_assignments')
        .select('channel_endpoint_sid')
        .where('bundle_sid', '=', bundle)
        .execute()
      assert.deepEqual(
        left.map((r) => r.channel_endpoint_sid),
        [other.body.sid],
      )
      // The released number can be placed again.
      assert.equal(
        (await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: c.body.phone_number } })).status,
        201,
      )
    })

    it('tenancy: another tenant and a sub-account get 404 on the parent; the parent reaches its sub-account', async () => {
      const parent = await newAccount(s.url)
      const sub = await newSubAccount(s.url, parent)
      const other = await newAccount(s.url)
      const pn = await http(s.url, 'POST', nums(parent), { auth: parent, form: { PhoneNumber: await stocked() } })
      for (const who of [other, sub]) {
        assert.equal((await http(s.url, 'GET', pn.body.uri, { auth: who })).status, 404)
        assert.equal((await http(s.url, 'DELETE', pn.body.uri, { auth: who })).status, 404)
        assert.equal((await http(s.url, 'GET', nums(parent), { auth: who })).status, 404)
        const r = await http(s.url, 'POST', nums(parent), { auth: who, form: { PhoneNumber: await stocked() } })
        assert.equal(r.status, 404)
        assert.equal(r.body.code, 20404)
      }
      // A wrong account in the path hides the number too, even for its owner.
      assert.equal((await http(s.url, 'GET', pn.body.uri.replace(parent.sid, sub.sid), { auth: parent })).status, 404)
      const subPn = await http(s.url, 'POST', nums(sub), { auth: parent, form: { PhoneNumber: await stocked() } })
      assert.equal(subPn.status, 201)
      assert.equal(subPn.body.account_sid, sub.sid)
      assert.equal((await http(s.url, 'GET', subPn.body.uri, { auth: sub })).status, 200)
      const list = await http(s.url, 'GET', nums(parent), { auth: parent })
      assert.deepEqual(
        list.body.incoming_phone_numbers.map((x: any) => x.sid),
        [pn.body.sid],
      )
      assert.equal((await http(s.url, 'GET', nums(parent))).status, 401)
    })

    it('placing, bulk-placing and releasing a number each move the attestation decision version', async () => {
      const a = await newAccount(s.url)
      const db = s.running.ctx.store.db
      const v0 = await readDecisionVersion(db)
      const c = await http(s.url, 'POST', nums(a), { auth: a, form: { PhoneNumber: await stocked() } })
      const v1 = await readDecisionVersion(db)
      assert.ok(v1 > v0)
      await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { PhoneNumbers: [unique()] },
      })
      const v2 = await readDecisionVersion(db)
      assert.ok(v2 > v1)
      await http(s.url, 'DELETE', c.body.uri, { auth: a })
      assert.ok((await readDecisionVersion(db)) > v2)
    })

    it('operator bulk placement counts added, already held and refused, in one call', async () => {
      const a = await newAccount(s.url)
      const b = await newAccount(s.url)
      const [n1, n2, n3] = [unique(), unique(), await stocked()]
      await http(s.url, 'POST', nums(b), { auth: b, form: { PhoneNumber: n3 } })
      const path = `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`
      const first = await http(s.url, 'POST', path, {
        auth: { bearer: ADMIN_TOKEN },
        json: { PhoneNumbers: [n1, n2, n1, n3, '12345'] },
      })
      assert.equal(first.status, 200, JSON.stringify(first.body))
      assert.equal(first.body.added, 2)
      assert.equal(first.body.already_held, 0)
      assert.deepEqual(first.body.refused.map((r: any) => r.code).sort(), [21421, 21422])
      assert.ok(first.body.refused.some((r: any) => r.phone_number === n3 && /held/.test(r.reason)))
      const again = await http(s.url, 'POST', path, { auth: { bearer: ADMIN_TOKEN }, json: { PhoneNumbers: [n1, n2] } })
      assert.deepEqual(again.body, { added: 0, already_held: 2, refused: [] })
      const list = await http(s.url, 'GET', `${nums(a)}?PageSize=10`, { auth: a })
      assert.deepEqual(list.body.incoming_phone_numbers.map((x: any) => x.phone_number).sort(), [n1, n2].sort())
      assert.equal((await http(s.url, 'POST', path, { auth: a, json: { PhoneNumbers: [unique()] } })).status, 401)
      assert.equal(
        (await http(s.url, 'POST', path, { auth: { bearer: ADMIN_TOKEN }, json: { PhoneNumbers: [] } })).status,
        400,
      )
      const tooMany = Array.from({ length: 10_001 }, (_, i) => `+1212555${String(i).padStart(4, '0')}`)
      assert.equal(
        (await http(s.url, 'POST', path, { auth: { bearer: ADMIN_TOKEN }, json: { PhoneNumbers: tooMany } })).status,
        400,
      )
      assert.equal(
        (
          await http(s.url, 'POST', `/admin/v1/Accounts/${newSid('AC')}/IncomingPhoneNumbers`, {
            auth: { bearer: ADMIN_TOKEN },
            json: { PhoneNumbers: [unique()] },
          })
        ).status,
        404,
      )
    })

    it('two bulk placements racing for the same numbers: each number lands on one account, the other is told', async () => {
      const [a, b] = [await newAccount(s.url), await newAccount(s.url)]
      const shared = Array.from({ length: 600 }, () => unique())
      const place = (acct: Creds) =>
        http(s.url, 'POST', `/admin/v1/Accounts/${acct.sid}/IncomingPhoneNumbers`, {
          auth: { bearer: ADMIN_TOKEN },
          json: { PhoneNumbers: shared },
        })
      const [ra, rb] = await Promise.all([place(a), place(b)])
      assert.equal(ra.status, 200, JSON.stringify(ra.body))
      assert.equal(rb.status, 200, JSON.stringify(rb.body))
      assert.equal(ra.body.added + rb.body.added, shared.length)
      const refused = [...ra.body.refused, ...rb.body.refused]
      assert.deepEqual(refused.map((r: any) => r.phone_number).sort(), [...shared].sort())
      assert.ok(
        refused.every((r: any) => r.code === 21422),
        JSON.stringify(refused[0]),
      )
      const held = async (acct: Creds) =>
        (await http(s.url, 'GET', `${nums(acct)}?PageSize=1000`, { auth: acct })).body.incoming_phone_numbers.length
      assert.equal(await held(a), ra.body.added)
      assert.equal(await held(b), rb.body.added)
    })
  })
}
