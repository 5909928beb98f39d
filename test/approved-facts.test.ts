/**
 * Approved facts are immutable and references stay in the tenant, over HTTP on both stores:
 * the end users, documents and addresses of an approved profile refuse edits and deletes (the
 * answer names the bundle and the copy route), numbers stay assignable, a document cannot name
 * another tenant's address, and the reviewer never sees one that got into a document.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import {
  addAddress,
  addNumber,
  assign,
  makeApprovedPrimaryProfile,
  makeCompliantProfile,
  submit,
} from './helpers/onboarding.js'
import { review } from './helpers/vetting.js'
import { insertEntity } from '../src/store/entities.repo.js'
import { newSid } from '../src/domain/ids.js'

/** The profile's attached objects by SID prefix, and the address its document names. */
async function objects(url: string, a: Creds, profile: string) {
  const l = await http(url, 'GET', `/v1/CustomerProfiles/${profile}/EntityAssignments`, { auth: a })
  const sids = l.body.results.map((r: any) => r.object_sid as string)
  const doc = sids.find((s: string) => s.startsWith('RD'))!
  const address = (await http(url, 'GET', `/v1/SupportingDocuments/${doc}`, { auth: a })).body.attributes
    .address_sids as string
  return { assignments: l.body.results, endUsers: sids.filter((s: string) => s.startsWith('IT')), doc, address }
}

for (const dialect of DIALECTS) {
  describe(`approved facts and references [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it("an approved profile's end users, document and address refuse edits and deletes; numbers stay assignable", async () => {
      const a = await newAccount(s.url, 'Acme')
      const profile = await makeApprovedPrimaryProfile(s.url, a)
      const { assignments, endUsers, doc, address } = await objects(s.url, a, profile)
      const before = (await http(s.url, 'GET', `/v1/EndUsers/${endUsers[0]}`, { auth: a })).body
      const edit = await http(s.url, 'POST', `/v1/EndUsers/${endUsers[0]}`, {
        auth: a,
        form: { Attributes: JSON.stringify({ business_name: 'Evil Corp' }) },
      })
      assert.equal(edit.status, 400)
      assert.equal(edit.body.code, 22218)
      assert.equal(
        edit.body.message,
        `${endUsers[0]} is part of approved bundle ${profile}; make a copy with POST /v1/CustomerProfiles/${profile}/Copies, edit and submit it`,
      )
      assert.deepEqual((await http(s.url, 'GET', `/v1/EndUsers/${endUsers[0]}`, { auth: a })).body, before)
      assert.equal((await http(s.url, 'DELETE', `/v1/EndUsers/${endUsers[1]}`, { auth: a })).body.code, 22218)
      const docEdit = await http(s.url, 'POST', `/v1/SupportingDocuments/${doc}`, {
        auth: a,
        form: { FriendlyName: 'Elsewhere' },
      })
      assert.equal(docEdit.status, 400)
      assert.match(docEdit.body.message, new RegExp(`^${doc} is part of approved bundle ${profile}`))
      const adPath = `/2010-04-01/Accounts/${a.sid}/Addresses/${address}.json`
      const adEdit = await http(s.url, 'POST', adPath, { auth: a, form: { Street: '9 Other St' } })
      assert.equal(adEdit.status, 400)
      assert.match(adEdit.body.message, new RegExp(`^${address} is part of approved bundle ${profile}; make a copy`))
      assert.equal((await http(s.url, 'GET', adPath, { auth: a })).body.street, '1 Main St')
      assert.equal((await http(s.url, 'DELETE', adPath, { auth: a })).body.code, 22218)
      const unassign = await http(
        s.url,
        'DELETE',
        `/v1/CustomerProfiles/${profile}/EntityAssignments/${assignments[0].sid}`,
        { auth: a },
      )
      assert.equal(unassign.status, 400)
      assert.match(
        unassign.body.message,
        /twilio-approved: its EntityAssignments can change only while it is draft or twilio-rejected; make a copy/,
      )
      // Numbers are not facts the reviewer vouched for: assignable after approval, as on Twilio.
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
            auth: a,
            form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: await addNumber(s.url, a) },
          })
        ).status,
        201,
      )
    })

    it("a document naming another tenant's address is refused like one naming no address", async () => {
      const victim = await newAccount(s.url, 'Victim')
      const theirs = await addAddress(s.url, victim)
      const a = await newAccount(s.url, 'Intruder')
      const create = (address: string) =>
        http(s.url, 'POST', '/v1/SupportingDocuments', {
          auth: a,
          form: {
            FriendlyName: 'HQ',
            Type: 'customer_profile_address',
            Attributes: JSON.stringify({ address_sids: address }),
          },
        })
      const foreign = await create(theirs)
      assert.equal(foreign.status, 400)
      assert.equal(foreign.body.code, 20001)
      assert.match(
        foreign.body.message,
        new RegExp(
          `^Invalid parameter Attributes: address_sids names ${theirs}, which is not an Address of account ${a.sid}`,
        ),
      )
      const none = await create('AD' + '0'.repeat(32))
      assert.equal(none.body.message, foreign.body.message.replace(theirs, 'AD' + '0'.repeat(32)))
      const mine = await create(await addAddress(s.url, a))
      assert.equal(mine.status, 201)
      const edit = await http(s.url, 'POST', `/v1/SupportingDocuments/${mine.body.sid}`, {
        auth: a,
        form: { Attributes: JSON.stringify({ address_sids: theirs }) },
      })
      assert.equal(edit.status, 400)
      // Entity assignments name objects of the bundle's account only (a supporting bundle: or its parent's).
      const profile = await makeCompliantProfile(s.url, a)
      const victimUser = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: victim,
        form: { FriendlyName: 'rep', Type: 'authorized_representative_2', Attributes: '{}' },
      })
      const victimProfile = await makeCompliantProfile(s.url, victim)
      for (const object of [victimUser.body.sid, victimProfile]) {
        const r = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/EntityAssignments`, {
          auth: a,
          form: { ObjectSid: object },
        })
        assert.equal(r.status, 400)
        assert.match(
          r.body.message,
          new RegExp(`^Invalid parameter ObjectSid: ${object} is not an EndUser .* of account ${a.sid}`),
        )
      }
    })

    it("a reviewer never sees another tenant's address, even one a document names", async () => {
      const victim = await newAccount(s.url, 'Victim')
      const secret = await http(s.url, 'POST', `/2010-04-01/Accounts/${victim.sid}/Addresses.json`, {
        auth: victim,
        form: {
          CustomerName: 'Victim Secret Inc',
          Street: '77 Hidden Lane',
          City: 'Austin',
          Region: 'TX',
          PostalCode: '73301',
          IsoCountry: 'US',
        },
      })
      const a = await newAccount(s.url, 'Intruder')
      const profile = await makeCompliantProfile(s.url, a)
      // Planted in the store, as data written before references were checked would be.
      const planted = newSid('RD')
      const now = new Date().toISOString()
      await insertEntity(s.running.ctx.store.db, 'supporting_documents', {
        sid: planted,
        account_sid: a.sid,
        friendly_name: 'HQ',
        type: 'customer_profile_address',
        mime_type: null,
        status: 'DRAFT',
        attributes: JSON.stringify({ address_sids: secret.body.sid }),
        date_created: now,
        date_updated: now,
      })
      await assign(s.url, a, 'CustomerProfiles', profile, planted)
      // A customer profile takes one address document; a second one fails the evaluation, so the operator opens the review.
      if ((await submit(s.url, a, 'CustomerProfiles', profile)).status !== 200) {
        assert.equal(
          (
            await http(s.url, 'POST', `/admin/v1/Bundles/${profile}/Status`, {
              auth: { bearer: ADMIN_TOKEN },
              json: { Status: 'pending-review' },
            })
          ).status,
          200,
        )
      }
      const detail = await review(s.url, ADMIN_TOKEN, profile)
      assert.equal(detail.status, 200)
      assert.equal(detail.body.supporting_documents.length, 2)
      assert.equal(detail.body.addresses.length, 1)
      assert.ok(!JSON.stringify(detail.body).includes('Hidden Lane'), "the victim's street is not shown")
      assert.ok(!JSON.stringify(detail.body.addresses).includes(secret.body.sid))
    })
  })
}
