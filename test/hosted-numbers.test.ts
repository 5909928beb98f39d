/**
 * Twilio's numbers v2 hosted-number orders and authorization documents over HTTP and through
 * the official `twilio` SDK: filing, listing with filters, fetching, withdrawing; numbers the
 * platform owns or an account holds refused; tenant isolation. On SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sdk } from './helpers/twilio-sdk.js'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { addAddress, addNumber, randomUsNumber, stockInventory } from './helpers/onboarding.js'
import { DOCS, fileOrder, ORDERS } from './helpers/hosted-numbers.js'

for (const dialect of DIALECTS) {
  describe(`hosted-number orders and authorization documents [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    const file = (c: Creds, phone: string, ad: string, over: Record<string, string> = {}) =>
      fileOrder(s.url, c, phone, ad, over)

    it("files an order in received with Twilio's shape, lists it with filters, fetches it and withdraws it", async () => {
      const a = await newAccount(s.url, 'Hoster')
      const ad = await addAddress(s.url, a)
      const phone = randomUsNumber()
      const r = await file(a, phone, ad, { CcEmails: 'cc@acme.example.com', SmsCapability: 'true' })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      const o = r.body
      assert.match(o.sid, /^HR[0-9a-f]{32}$/)
      assert.equal(o.status, 'received')
      assert.equal(o.phone_number, phone)
      assert.equal(o.account_sid, a.sid)
      assert.deepEqual(o.cc_emails, ['cc@acme.example.com'])
      assert.deepEqual(o.capabilities, { voice: true, sms: true, mms: false, fax: false })
      assert.equal(o.incoming_phone_number_sid, null)
      assert.equal(o.current_carrier, 'Old Telco')
      assert.equal(o.url, `${s.url}${ORDERS}/${o.sid}`)
      const other = (await file(a, randomUsNumber(), ad, { FriendlyName: 'Second' })).body
      const byNumber = await http(s.url, 'GET', `${ORDERS}?PhoneNumber=${encodeURIComponent(phone)}`, { auth: a })
      assert.deepEqual(
        byNumber.body.items.map((x: any) => x.sid),
        [o.sid],
      )
      assert.equal(byNumber.body.meta.key, 'items')
      assert.deepEqual(
        (await http(s.url, 'GET', `${ORDERS}?Status=received&PageSize=50`, { auth: a })).body.items
          .map((x: any) => x.sid)
          .sort(),
        [o.sid, other.sid].sort(),
      )
      assert.deepEqual((await http(s.url, 'GET', `${ORDERS}?Status=completed`, { auth: a })).body.items, [])
      assert.deepEqual(
        (await http(s.url, 'GET', `${ORDERS}?FriendlyName=Second`, { auth: a })).body.items.map((x: any) => x.sid),
        [other.sid],
      )
      assert.deepEqual(
        (await http(s.url, 'GET', `${ORDERS}?SmsCapability=true`, { auth: a })).body.items.map((x: any) => x.sid),
        [o.sid],
      )
      assert.deepEqual((await http(s.url, 'GET', `${ORDERS}/${o.sid}`, { auth: a })).body, o)
      // The same account cannot file a second open order for the number.
      assert.equal((await file(a, phone, ad)).status, 409)
      assert.equal((await http(s.url, 'DELETE', `${ORDERS}/${o.sid}`, { auth: a })).status, 204)
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${o.sid}`, { auth: a })).status, 404)
      const events = await http(s.url, 'GET', `/admin/v1/Events?ResourceSid=${o.sid}`, {
        auth: { bearer: ADMIN_TOKEN },
      })
      assert.deepEqual(events.body.results.map((e: any) => e.type).sort(), [
        'hosted-number-order.created',
        'hosted-number-order.withdrawn',
      ])
      // Withdrawn, the number may be filed again.
      assert.equal((await file(a, phone, ad)).status, 201)
    })

    it("refuses a number the platform owns, one an account holds, a malformed one and an address not the account's", async () => {
      const a = await newAccount(s.url, 'Refused')
      const ad = await addAddress(s.url, a)
      const inv = randomUsNumber()
      await stockInventory(s.url, [inv])
      const r1 = await file(a, inv, ad)
      assert.equal(r1.status, 400)
      assert.equal(r1.body.code, 21422)
      assert.match(r1.body.message, /inventory/)
      const other = await newAccount(s.url, 'Holder')
      const pn = await addNumber(s.url, other)
      const held = (
        await http(s.url, 'GET', `/2010-04-01/Accounts/${other.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: other })
      ).body.phone_number
      // One bought from the inventory, one the operator placed on the account.
      const placed = randomUsNumber()
      assert.equal(
        (
          await http(s.url, 'POST', `/admin/v1/Accounts/${other.sid}/IncomingPhoneNumbers`, {
            auth: { bearer: ADMIN_TOKEN },
            json: { PhoneNumbers: [placed] },
          })
        ).status,
        200,
      )
      for (const n of [held, placed]) {
        const r = await file(a, n, ad)
        assert.equal(r.status, 400, JSON.stringify(r.body))
        assert.equal(r.body.code, 21422)
      }
      assert.match((await file(a, placed, ad)).body.message, /held by an account/)
      const bad = await file(a, '+1555', ad)
      assert.equal(bad.body.code, 21421)
      const foreignAddress = await addAddress(s.url, other)
      const r4 = await file(a, randomUsNumber(), foreignAddress)
      assert.equal(r4.status, 400)
      assert.match(r4.body.message, /AddressSid/)
      assert.deepEqual((await http(s.url, 'GET', ORDERS, { auth: a })).body.items, [])
    })

    it("another account can neither see nor withdraw an order; a parent files for and sees its sub-account's", async () => {
      const p = await newAccount(s.url, 'Parent')
      const sub = await newSubAccount(s.url, p)
      const stranger = await newAccount(s.url, 'Stranger')
      const ad = await addAddress(s.url, p)
      const r = await file(p, randomUsNumber(), ad, { AccountSid: sub.sid })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.equal(r.body.account_sid, sub.sid)
      const sid = r.body.sid
      for (const c of [stranger]) {
        assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: c })).body.code, 20404)
        assert.equal((await http(s.url, 'DELETE', `${ORDERS}/${sid}`, { auth: c })).status, 404)
        assert.deepEqual((await http(s.url, 'GET', ORDERS, { auth: c })).body.items, [])
      }
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: p })).status, 200)
      assert.equal((await http(s.url, 'GET', `${ORDERS}/${sid}`, { auth: sub })).status, 200)
      // A stranger cannot file for someone else's account either.
      assert.equal(
        (await file(stranger, randomUsNumber(), await addAddress(s.url, stranger), { AccountSid: p.sid })).status,
        404,
      )
      // Nor make an authorization document over someone else's order.
      const doc = await http(s.url, 'POST', DOCS, {
        auth: stranger,
        form: {
          AddressSid: await addAddress(s.url, stranger),
          Email: 'x@y.example.com',
          ContactPhoneNumber: '+14155550100',
          HostedNumberOrderSids: sid,
        },
      })
      assert.equal(doc.status, 400)
      assert.match(doc.body.message, /not a hosted number order of this account/)
    })

    it('an authorization document covers received orders, gives them its LOA fields and follows their status', async () => {
      const a = await newAccount(s.url, 'Doc Co')
      const ad = await addAddress(s.url, a)
      const o1 = (await file(a, randomUsNumber(), ad)).body
      const o2 = (await file(a, randomUsNumber(), ad)).body
      const r = await http(s.url, 'POST', DOCS, {
        auth: a,
        form: {
          AddressSid: ad,
          Email: 'ann@acme.example.com',
          ContactPhoneNumber: '+14155550199',
          ContactTitle: 'COO',
          HostedNumberOrderSids: [o1.sid, o2.sid].join(','),
        },
      })
      // Comma-joined is one (bad) SID: the SDK repeats the field instead.
      assert.equal(r.status, 400)
      const body = new URLSearchParams([
        ['AddressSid', ad],
        ['Email', 'ann@acme.example.com'],
        ['ContactPhoneNumber', '+14155550199'],
        ['ContactTitle', 'COO'],
        ['HostedNumberOrderSids', o1.sid],
        ['HostedNumberOrderSids', o2.sid],
        ['CcEmails', 'legal@acme.example.com'],
      ])
      const ok = await http(s.url, 'POST', DOCS, {
        auth: a,
        raw: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(ok.status, 201, JSON.stringify(ok.body))
      const d = ok.body
      assert.match(d.sid, /^PX[0-9a-f]{32}$/)
      assert.equal(d.status, 'opened')
      assert.deepEqual(d.hosted_number_order_sids.sort(), [o1.sid, o2.sid].sort())
      assert.deepEqual(d.cc_emails, ['legal@acme.example.com'])
      const fetched = (await http(s.url, 'GET', `${ORDERS}/${o1.sid}`, { auth: a })).body
      assert.equal(fetched.signing_document_sid, d.sid)
      assert.equal(fetched.email, 'ann@acme.example.com')
      assert.equal(fetched.contact_title, 'COO')
      assert.deepEqual(
        (await http(s.url, 'GET', `${DOCS}/${d.sid}/DependentHostedNumberOrders`, { auth: a })).body.items
          .map((x: any) => x.sid)
          .sort(),
        [o1.sid, o2.sid].sort(),
      )
      assert.deepEqual(
        (await http(s.url, 'GET', `${DOCS}?Status=opened`, { auth: a })).body.items.map((x: any) => x.sid),
        [d.sid],
      )
      // An order already covered cannot be covered again.
      const again = await http(s.url, 'POST', DOCS, {
        auth: a,
        form: {
          AddressSid: ad,
          Email: 'ann@acme.example.com',
          ContactPhoneNumber: '+14155550199',
          HostedNumberOrderSids: o1.sid,
        },
      })
      assert.equal(again.status, 400)
      // Both orders withdrawn: the document is canceled.
      for (const o of [o1, o2])
        assert.equal((await http(s.url, 'DELETE', `${ORDERS}/${o.sid}`, { auth: a })).status, 204)
      assert.equal((await http(s.url, 'GET', `${DOCS}/${d.sid}`, { auth: a })).body.status, 'canceled')
      assert.equal(
        (await http(s.url, 'GET', `${DOCS}/${d.sid}`, { auth: await newAccount(s.url, 'Other') })).status,
        404,
      )
    })

    it('the twilio SDK creates, lists and fetches orders and authorization documents', async () => {
      const a = await newAccount(s.url, 'SDK Co')
      const client = sdk(s.url, a)
      const ad = await addAddress(s.url, a)
      const phone = randomUsNumber()
      const o = await client.numbers.v2.hostedNumberOrders.create({
        phoneNumber: phone,
        contactPhoneNumber: '+14155550100',
        addressSid: ad,
        email: 'jane@acme.example.com',
        friendlyName: 'SDK line',
        ccEmails: ['a@acme.example.com', 'b@acme.example.com'],
        smsCapability: false,
        contactTitle: 'CEO',
      })
      assert.equal(o.status, 'received')
      assert.equal(o.phoneNumber, phone)
      assert.deepEqual(o.ccEmails, ['a@acme.example.com', 'b@acme.example.com'])
      assert.ok(o.dateCreated instanceof Date && !Number.isNaN(o.dateCreated.getTime()))
      const second = await client.numbers.v2.hostedNumberOrders.create({
        phoneNumber: randomUsNumber(),
        contactPhoneNumber: '+14155550100',
        addressSid: ad,
        email: 'jane@acme.example.com',
      })
      const listed = await client.numbers.v2.hostedNumberOrders.list({ pageSize: 1 })
      assert.deepEqual(listed.map((x) => x.sid).sort(), [o.sid, second.sid].sort())
      assert.deepEqual(
        (await client.numbers.v2.hostedNumberOrders.list({ phoneNumber: phone })).map((x) => x.sid),
        [o.sid],
      )
      assert.equal((await client.numbers.v2.hostedNumberOrders(o.sid).fetch()).friendlyName, 'SDK line')
      const d = await client.numbers.v2.authorizationDocuments.create({
        addressSid: ad,
        email: 'jane@acme.example.com',
        contactPhoneNumber: '+14155550100',
        hostedNumberOrderSids: [o.sid, second.sid],
        contactTitle: 'CEO',
      })
      assert.equal(d.status, 'opened')
      assert.equal(d.addressSid, ad)
      assert.deepEqual(
        (await client.numbers.v2.authorizationDocuments.list({ pageSize: 1 })).map((x) => x.sid),
        [d.sid],
      )
      assert.equal((await client.numbers.v2.authorizationDocuments(d.sid).fetch()).email, 'jane@acme.example.com')
      const dependent = await client.numbers.v2.authorizationDocuments(d.sid).dependentHostedNumberOrders.list()
      assert.deepEqual(dependent.map((x) => x.sid).sort(), [o.sid, second.sid].sort())
      assert.equal(await client.numbers.v2.hostedNumberOrders(second.sid).remove(), true)
      await assert.rejects(
        client.numbers.v2.hostedNumberOrders(second.sid).fetch(),
        (e: any) => e.status === 404 && e.code === 20404,
      )
    })
  })
}
