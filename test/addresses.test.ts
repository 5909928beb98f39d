import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { sdk } from './helpers/twilio-sdk.js'

const RFC2822 = /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/
const list = (a: Creds) => `/2010-04-01/Accounts/${a.sid}/Addresses.json`
const US = {
  CustomerName: 'Acme Inc',
  Street: '1 Main St',
  City: 'Springfield',
  Region: 'IL',
  PostalCode: '62701',
  IsoCountry: 'US',
}
const FIELDS = [
  'account_sid',
  'city',
  'customer_name',
  'date_created',
  'date_updated',
  'emergency_enabled',
  'friendly_name',
  'iso_country',
  'postal_code',
  'region',
  'sid',
  'street',
  'street_secondary',
  'uri',
  'validated',
  'verified',
]

for (const dialect of DIALECTS) {
  describe(`addresses [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it("creates a US address with Twilio's 2010 shape; validated for a real state and ZIP", async () => {
      const a = await newAccount(s.url)
      const r = await http(s.url, 'POST', list(a), {
        auth: a,
        form: { ...US, FriendlyName: 'HQ', StreetSecondary: 'Suite 2', EmergencyEnabled: 'true' },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.deepEqual(Object.keys(r.body).sort(), FIELDS)
      assert.match(r.body.sid, /^AD[0-9a-f]{32}$/)
      assert.equal(r.body.account_sid, a.sid)
      assert.equal(r.body.street_secondary, 'Suite 2')
      assert.equal(r.body.emergency_enabled, true)
      assert.equal(r.body.validated, true)
      assert.equal(r.body.verified, true)
      assert.match(r.body.date_created, RFC2822)
      assert.equal(r.body.uri, `/2010-04-01/Accounts/${a.sid}/Addresses/${r.body.sid}.json`)
      const f = await http(s.url, 'GET', r.body.uri, { auth: a })
      assert.deepEqual(f.body, r.body)
    })

    it('the official twilio SDK creates, lists, updates and deletes addresses', async () => {
      const a = await newAccount(s.url)
      const ads = sdk(s.url, a).api.v2010.accounts(a.sid).addresses
      const made = await ads.create({
        customerName: 'Acme',
        street: '1 Main St',
        city: 'Austin',
        region: 'TX',
        postalCode: '73301',
        isoCountry: 'US',
        emergencyEnabled: true,
      })
      assert.equal(made.validated, true)
      assert.equal(made.emergencyEnabled, true)
      assert.ok(made.dateCreated instanceof Date && !Number.isNaN(made.dateCreated.getTime()))
      await ads.create({
        customerName: 'Other',
        street: '2 Main St',
        city: 'Austin',
        region: 'TX',
        postalCode: '73301',
        isoCountry: 'US',
      })
      assert.deepEqual(
        (await ads.list({ customerName: 'Acme' })).map((x) => x.sid),
        [made.sid],
      )
      assert.equal((await ads.list({ pageSize: 1 })).length, 2)
      assert.equal((await ads(made.sid).update({ friendlyName: 'HQ' })).friendlyName, 'HQ')
      assert.equal(await ads(made.sid).remove(), true)
      await assert.rejects(ads(made.sid).fetch(), (e: any) => e.status === 404)
    })

    it('not validated: unknown state, bad ZIP or a non-US address; missing fields are 20001', async () => {
      const a = await newAccount(s.url)
      for (const over of [
        { Region: 'XX' },
        { PostalCode: '6270' },
        { IsoCountry: 'GB', Region: 'London', PostalCode: 'SW1A 1AA' },
      ]) {
        const r = await http(s.url, 'POST', list(a), { auth: a, form: { ...US, ...over } })
        assert.equal(r.status, 201)
        assert.equal(r.body.validated, false, JSON.stringify(over))
        assert.equal(r.body.verified, false)
      }
      for (const field of Object.keys(US)) {
        const form: Record<string, string> = { ...US }
        delete form[field]
        const r = await http(s.url, 'POST', list(a), { auth: a, form })
        assert.equal(r.status, 400, field)
        assert.equal(r.body.code, 20001)
        assert.match(r.body.message, new RegExp(field))
      }
      assert.equal((await http(s.url, 'POST', list(a), { auth: a, form: { ...US, IsoCountry: 'USA' } })).status, 400)
    })

    it('updates fields and re-checks validation', async () => {
      const a = await newAccount(s.url)
      const c = await http(s.url, 'POST', list(a), { auth: a, form: US })
      const u = await http(s.url, 'POST', c.body.uri, { auth: a, form: { Region: 'ZZ', FriendlyName: 'Branch' } })
      assert.equal(u.status, 200)
      assert.equal(u.body.region, 'ZZ')
      assert.equal(u.body.friendly_name, 'Branch')
      assert.equal(u.body.validated, false)
      const back = await http(s.url, 'POST', c.body.uri, { auth: a, form: { Region: 'CA', PostalCode: '94105-1234' } })
      assert.equal(back.body.validated, true)
    })

    it('lists with CustomerName, FriendlyName and IsoCountry filters and pages', async () => {
      const a = await newAccount(s.url)
      await http(s.url, 'POST', list(a), { auth: a, form: { ...US, CustomerName: 'Alpha', FriendlyName: 'one' } })
      await http(s.url, 'POST', list(a), { auth: a, form: { ...US, CustomerName: 'Beta' } })
      await http(s.url, 'POST', list(a), {
        auth: a,
        form: { ...US, CustomerName: 'Gamma', IsoCountry: 'CA', Region: 'ON', PostalCode: 'M5V 2T6' },
      })
      const names = async (q: string) =>
        (await http(s.url, 'GET', `${list(a)}${q}`, { auth: a })).body.addresses.map((x: any) => x.customer_name).sort()
      assert.deepEqual(await names(''), ['Alpha', 'Beta', 'Gamma'])
      assert.deepEqual(await names('?CustomerName=Beta'), ['Beta'])
      assert.deepEqual(await names('?FriendlyName=one'), ['Alpha'])
      assert.deepEqual(await names('?IsoCountry=CA'), ['Gamma'])
      const p1 = await http(s.url, 'GET', `${list(a)}?PageSize=2`, { auth: a })
      assert.equal(p1.body.addresses.length, 2)
      assert.ok(p1.body.next_page_uri)
      const p2 = await http(s.url, 'GET', p1.body.next_page_uri, { auth: a })
      assert.equal(p2.body.addresses.length, 1)
      assert.equal(p2.body.next_page_uri, null)
    })

    it('delete is refused while a supporting document references the address, then 204', async () => {
      const a = await newAccount(s.url)
      const c = await http(s.url, 'POST', list(a), { auth: a, form: US })
      const doc = await http(s.url, 'POST', '/v1/SupportingDocuments', {
        auth: a,
        form: {
          FriendlyName: 'addr',
          Type: 'customer_profile_address',
          Attributes: JSON.stringify({ address_sids: `${c.body.sid}` }),
        },
      })
      assert.equal(doc.status, 201, JSON.stringify(doc.body))
      const refused = await http(s.url, 'DELETE', c.body.uri, { auth: a })
      assert.equal(refused.status, 400)
      assert.ok(refused.body.message.includes(doc.body.sid))
      await http(s.url, 'POST', `/v1/SupportingDocuments/${doc.body.sid}`, {
        auth: a,
        form: { Attributes: JSON.stringify({ address_sids: [] }) },
      })
      // Another tenant cannot name the SID in its own document (references stay in the tenant).
      const intruder = await newAccount(s.url)
      const foreign = await http(s.url, 'POST', '/v1/SupportingDocuments', {
        auth: intruder,
        form: {
          FriendlyName: 'x',
          Type: 'customer_profile_address',
          Attributes: JSON.stringify({ address_sids: [c.body.sid] }),
        },
      })
      assert.equal(foreign.status, 400)
      assert.equal((await http(s.url, 'DELETE', c.body.uri, { auth: a })).status, 204)
      assert.equal((await http(s.url, 'GET', c.body.uri, { auth: a })).status, 404)
    })

    it("tenancy: other tenants and sub-accounts get 404 on the parent's addresses; the parent reaches the sub-account's", async () => {
      const parent = await newAccount(s.url)
      const sub = await newSubAccount(s.url, parent)
      const other = await newAccount(s.url)
      const ad = await http(s.url, 'POST', list(parent), { auth: parent, form: US })
      for (const who of [sub, other]) {
        for (const m of ['GET', 'DELETE']) assert.equal((await http(s.url, m, ad.body.uri, { auth: who })).status, 404)
        assert.equal((await http(s.url, 'POST', ad.body.uri, { auth: who, form: { City: 'x' } })).status, 404)
        assert.equal((await http(s.url, 'GET', list(parent), { auth: who })).status, 404)
      }
      const subAd = await http(s.url, 'POST', list(sub), { auth: parent, form: US })
      assert.equal(subAd.status, 201)
      assert.equal(subAd.body.account_sid, sub.sid)
      assert.equal((await http(s.url, 'GET', subAd.body.uri, { auth: sub })).status, 200)
      assert.equal((await http(s.url, 'GET', ad.body.uri)).status, 401)
    })
  })
}
