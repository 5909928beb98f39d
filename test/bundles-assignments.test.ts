import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  PRIMARY_POLICY,
  SHAKEN_POLICY,
  addNumber,
  assign,
  assignNumber,
  createBundle,
  makeCompliantProfile,
  makeTrustProduct,
  setStatus,
  submit,
} from './helpers/onboarding.js'

for (const dialect of DIALECTS) {
  describe(`bundle assignments [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    before(async () => {
      s = await startServer(dialect)
      a = await newAccount(s.url, 'Acme')
    })
    after(async () => {
      await s.stop()
    })

    it('entity assignments: shapes, ObjectType filter, duplicates, policy types, editable states only', async () => {
      const sid = await makeCompliantProfile(s.url, a)
      const l = await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/EntityAssignments`, { auth: a })
      assert.equal(l.body.results.length, 3)
      const one = l.body.results[0]
      assert.deepEqual(Object.keys(one).sort(), [
        'account_sid',
        'customer_profile_sid',
        'date_created',
        'object_sid',
        'sid',
        'url',
      ])
      assert.match(one.sid, /^BV/)
      assert.deepEqual((await http(s.url, 'GET', one.url.slice(s.url.length), { auth: a })).body, one)
      const biz = await http(
        s.url,
        'GET',
        `/v1/CustomerProfiles/${sid}/EntityAssignments?ObjectType=customer_profile_business_information`,
        { auth: a },
      )
      assert.equal(biz.body.results.length, 1)
      assert.match(biz.body.results[0].object_sid, /^IT/)
      assert.match(biz.body.meta.url, /ObjectType=customer_profile_business_information/)
      const dup = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/EntityAssignments`, {
        auth: a,
        form: { ObjectSid: biz.body.results[0].object_sid },
      })
      assert.equal(dup.status, 400)
      assert.match(dup.body.message, /already assigned/)
      const missing = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/EntityAssignments`, {
        auth: a,
        form: { ObjectSid: 'IT' + '0'.repeat(32) },
      })
      assert.equal(missing.status, 400)
      const gov = await http(s.url, 'POST', '/v1/SupportingDocuments', {
        auth: a,
        form: { FriendlyName: 'id', Type: 'government_issued_proof_of_authorized_representative' },
      })
      const wrongType = await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/EntityAssignments`, {
        auth: a,
        form: { ObjectSid: gov.body.sid },
      })
      assert.equal(wrongType.status, 400)
      assert.match(
        wrongType.body.message,
        /document type government_issued_proof_of_authorized_representative; it takes customer_profile_address/,
      )
      // A primary profile takes no supporting bundle; a trust product takes no end users.
      const other = await createBundle(s.url, a, 'CustomerProfiles', PRIMARY_POLICY)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${sid}/EntityAssignments`, {
            auth: a,
            form: { ObjectSid: other },
          })
        ).status,
        400,
      )
      const tp = await createBundle(s.url, a, 'TrustProducts', SHAKEN_POLICY)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/TrustProducts/${tp}/EntityAssignments`, {
            auth: a,
            form: { ObjectSid: biz.body.results[0].object_sid },
          })
        ).status,
        400,
      )
      assert.equal(
        (await http(s.url, 'POST', `/v1/TrustProducts/${tp}/EntityAssignments`, { auth: a, form: { ObjectSid: tp } }))
          .status,
        400,
      )
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/TrustProducts/${tp}/EntityAssignments`, {
            auth: a,
            form: { ObjectSid: 'nope' },
          })
        ).status,
        400,
      )
      // Submitted: no more entity changes (add or remove).
      assert.equal((await submit(s.url, a, 'CustomerProfiles', sid)).status, 200)
      const locked = await http(s.url, 'DELETE', `/v1/CustomerProfiles/${sid}/EntityAssignments/${one.sid}`, {
        auth: a,
      })
      assert.equal(locked.status, 400)
      assert.match(
        locked.body.message,
        /pending-review: its EntityAssignments can change only while it is draft or twilio-rejected/,
      )
      // Rejected: editable again, and the customer may resubmit.
      const rej = await setStatus(s.url, sid, 'twilio-rejected', {
        Errors: '[18601]',
        FailureReason: 'website does not match',
      })
      assert.deepEqual(rej.body.errors, [{ code: 18601 }])
      assert.equal(
        (await http(s.url, 'DELETE', `/v1/CustomerProfiles/${sid}/EntityAssignments/${one.sid}`, { auth: a })).status,
        204,
      )
      assert.equal(
        (await http(s.url, 'GET', `/v1/CustomerProfiles/${sid}/EntityAssignments/${one.sid}`, { auth: a })).status,
        404,
      )
    })

    it("channel endpoint assignments: own or sub-account numbers, one per slot, trust product needs the profile's numbers", async () => {
      const sub = await newSubAccount(s.url, a, 'Child')
      const pnOwn = await addNumber(s.url, a)
      const pnSub = await addNumber(s.url, a, sub.sid)
      const stranger = await newAccount(s.url, 'Stranger')
      const pnStranger = await addNumber(s.url, stranger)
      const profile = await makeCompliantProfile(s.url, a)
      const c = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnOwn },
      })
      assert.equal(c.status, 201)
      assert.deepEqual(Object.keys(c.body).sort(), [
        'account_sid',
        'channel_endpoint_sid',
        'channel_endpoint_type',
        'customer_profile_sid',
        'date_created',
        'sid',
        'url',
      ])
      assert.match(c.body.sid, /^RA/)
      assert.equal(c.body.channel_endpoint_type, 'phone-number')
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
            auth: a,
            form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnSub },
          })
        ).status,
        201,
      )
      const strangerTry = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnStranger },
      })
      assert.equal(strangerTry.status, 400)
      assert.match(strangerTry.body.message, /not a phone number of account/)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
            auth: a,
            form: { ChannelEndpointType: 'sms', ChannelEndpointSid: pnOwn },
          })
        ).status,
        400,
      )
      const second = await makeCompliantProfile(s.url, a)
      const taken = await http(s.url, 'POST', `/v1/CustomerProfiles/${second}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnOwn },
      })
      assert.equal(taken.status, 400)
      assert.match(taken.body.message, new RegExp(`already assigned to ${profile}`))
      // A sub-account's profile may not take its parent's number (parent→child only).
      const subProfile = await createBundle(s.url, sub, 'CustomerProfiles', PRIMARY_POLICY)
      const fresh = await addNumber(s.url, a)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/CustomerProfiles/${subProfile}/ChannelEndpointAssignments`, {
            auth: sub,
            form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: fresh },
          })
        ).status,
        400,
      )
      // Trust product: the profile first, then only numbers on it.
      const tp = await createBundle(s.url, a, 'TrustProducts', SHAKEN_POLICY)
      const early = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnOwn },
      })
      assert.match(early.body.message, /attach the Customer Profile/)
      await assign(s.url, a, 'TrustProducts', tp, profile)
      const notOnProfile = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/ChannelEndpointAssignments`, {
        auth: a,
        form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: fresh },
      })
      assert.equal(notOnProfile.status, 400)
      assert.match(notOnProfile.body.message, /must first be assigned to the linked Customer Profile/)
      const ra = await assignNumber(s.url, a, 'TrustProducts', tp, pnOwn)
      await assignNumber(s.url, a, 'TrustProducts', tp, pnSub)
      const filtered = await http(
        s.url,
        'GET',
        `/v1/TrustProducts/${tp}/ChannelEndpointAssignments?ChannelEndpointSid=${pnOwn}`,
        { auth: a },
      )
      assert.deepEqual(
        filtered.body.results.map((x: any) => x.sid),
        [ra],
      )
      assert.equal(filtered.body.results[0].trust_product_sid, tp)
      assert.match(filtered.body.meta.first_page_url, new RegExp(`ChannelEndpointSid=${pnOwn}`))
      const both = await http(
        s.url,
        'GET',
        `/v1/TrustProducts/${tp}/ChannelEndpointAssignments?ChannelEndpointSids=${pnOwn},${pnSub}`,
        { auth: a },
      )
      assert.equal(both.body.results.length, 2)
      const twoProfiles = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/EntityAssignments`, {
        auth: a,
        form: { ObjectSid: second },
      })
      assert.equal(twoProfiles.status, 400)
      assert.match(twoProfiles.body.message, new RegExp(`already links ${profile}`))
      const tp2 = await makeTrustProduct(s.url, a, profile)
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/TrustProducts/${tp2}/ChannelEndpointAssignments`, {
            auth: a,
            form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnOwn },
          })
        ).status,
        400,
      )
      // Numbers may be assigned and removed after approval too.
      await setStatus(s.url, tp, 'twilio-approved')
      assert.equal(
        (await http(s.url, 'DELETE', `/v1/TrustProducts/${tp}/ChannelEndpointAssignments/${ra}`, { auth: a })).status,
        204,
      )
      assert.equal((await assignNumber(s.url, a, 'TrustProducts', tp, pnOwn)).slice(0, 2), 'RA')
      // The profile is linked: it cannot be deleted under the trust product.
      const del = await http(s.url, 'DELETE', `/v1/CustomerProfiles/${profile}`, { auth: a })
      assert.equal(del.status, 400)
      assert.match(del.body.message, /is linked by/)
    })

    it('deep paging: keyset tokens walk every row once, with filters echoed', async () => {
      const acct = await newAccount(s.url, 'Pager')
      const made = new Set<string>()
      for (let i = 0; i < 23; i++) made.add(await createBundle(s.url, acct, 'TrustProducts', SHAKEN_POLICY, 'paged'))
      await createBundle(s.url, acct, 'TrustProducts', SHAKEN_POLICY, 'other')
      const seen: string[] = []
      let next: string | null = '/v1/TrustProducts?FriendlyName=paged&PageSize=5'
      let pages = 0
      while (next) {
        const r = await http(s.url, 'GET', next, { auth: acct })
        assert.equal(r.status, 200)
        seen.push(...r.body.results.map((x: any) => x.sid))
        if (r.body.meta.next_page_url)
          assert.match(r.body.meta.next_page_url, /FriendlyName=paged&PageSize=5&Page=\d+&PageToken=PT/)
        next = r.body.meta.next_page_url ? r.body.meta.next_page_url.slice(s.url.length) : null
        pages++
      }
      assert.equal(pages, 5)
      assert.equal(seen.length, 23)
      assert.deepEqual(new Set(seen), made)
      const profile = await makeCompliantProfile(s.url, acct)
      const pns = []
      for (let i = 0; i < 7; i++) pns.push(await addNumber(s.url, acct))
      for (const pn of pns) await assignNumber(s.url, acct, 'CustomerProfiles', profile, pn)
      const p1 = await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments?PageSize=4`, {
        auth: acct,
      })
      const p2 = await http(s.url, 'GET', p1.body.meta.next_page_url.slice(s.url.length), { auth: acct })
      assert.equal(p2.body.meta.next_page_url, null)
      assert.deepEqual(
        new Set([...p1.body.results, ...p2.body.results].map((x: any) => x.channel_endpoint_sid)),
        new Set(pns),
      )
      assert.equal((await http(s.url, 'GET', '/v1/TrustProducts?PageToken=garbage', { auth: acct })).status, 400)
    })
  })
}
