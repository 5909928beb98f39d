/**
 * Copies and ReplaceItems over HTTP on both stores, end to end: an approved profile's facts
 * change only through a copy that is edited, submitted, reviewed (the reviewer sees it as a
 * revision, with the changed fields) and approved, then replaces the original's items. The
 * original's number is signed A before, while the copy is in review, and after.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import {
  addNumber,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  submit,
  submitAndApprove,
} from './helpers/onboarding.js'
import { act, newReviewer, review, type Reviewer } from './helpers/vetting.js'

const DEST = '+12125551212'

/** The attestation level a call from `from` is signed with (read from the PASSporT's claims). */
async function signedLevel(url: string, a: Creds, from: string): Promise<string> {
  const r = await http(url, 'POST', '/stir/v1/signing', {
    auth: a,
    json: {
      signingRequest: {
        attest: 'A',
        dest: { tn: [DEST] },
        iat: Math.floor(Date.now() / 1000),
        orig: { tn: from },
        origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
      },
    },
  })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const jws = String(r.body.signingResponse.identity ?? '').split(';')[0]!
  return jws ? JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')).attest : 'none'
}

const objects = async (url: string, a: Creds, sid: string) =>
  (await http(url, 'GET', `/v1/CustomerProfiles/${sid}/EntityAssignments?PageSize=50`, { auth: a })).body.results.map(
    (r: any) => r.object_sid as string,
  )

for (const dialect of DIALECTS) {
  describe(`bundle copies and ReplaceItems [${dialect}]`, () => {
    let s: TestServer
    let rita: Reviewer
    before(async () => {
      s = await startServer(dialect)
      rita = await newReviewer(s.url, 'Rita Reviewer')
    })
    after(async () => {
      await s.stop()
    })

    it('copy, edit, submit, review the diff, approve, replace: the original keeps its SID, status, validity and number, and signs A throughout', async () => {
      const a = await newAccount(s.url, 'Acme')
      const pn = await addNumber(s.url, a)
      const phone = (
        await http(s.url, 'GET', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: a })
      ).body.phone_number as string
      const profile = await makeApprovedPrimaryProfile(s.url, a, { numbers: [pn] })
      const tp = await makeTrustProduct(s.url, a, profile, [pn])
      await submitAndApprove(s.url, a, 'TrustProducts', tp)
      const original = (await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}`, { auth: a })).body
      assert.equal(await signedLevel(s.url, a, phone), 'A', 'before')

      const made = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/Copies`, {
        auth: a,
        form: { FriendlyName: 'Acme 2027' },
      })
      assert.equal(made.status, 201, JSON.stringify(made.body))
      const copy = made.body
      assert.equal(copy.status, 'draft')
      assert.equal(copy.friendly_name, 'Acme 2027')
      assert.equal(copy.policy_sid, original.policy_sid)
      assert.equal(copy.url, `${s.url}/v1/CustomerProfiles/${copy.sid}`)
      const listed = await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}/Copies`, { auth: a })
      assert.deepEqual(
        listed.body.results.map((r: any) => r.sid),
        [copy.sid],
      )
      assert.equal(listed.body.meta.key, 'results')

      // Edit the copy's business information; the original's stays frozen.
      const [mine, theirs] = [await objects(s.url, a, copy.sid), await objects(s.url, a, profile)]
      assert.equal(mine.length, theirs.length)
      assert.ok(mine.every((o: string) => !theirs.includes(o)))
      let business = ''
      for (const sid of mine.filter((o: string) => o.startsWith('IT'))) {
        const eu = (await http(s.url, 'GET', `/v1/EndUsers/${sid}`, { auth: a })).body
        if (eu.type === 'customer_profile_business_information') business = sid
      }
      const edit = await http(s.url, 'POST', `/v1/EndUsers/${business}`, {
        auth: a,
        form: {
          Attributes: JSON.stringify({
            ...(await http(s.url, 'GET', `/v1/EndUsers/${business}`, { auth: a })).body.attributes,
            business_name: 'Acme Holdings Inc',
          }),
        },
      })
      assert.equal(edit.status, 200, JSON.stringify(edit.body))

      assert.equal((await submit(s.url, a, 'CustomerProfiles', copy.sid)).status, 200)
      const early = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ReplaceItems`, {
        auth: a,
        form: { FromBundleSid: copy.sid },
      })
      assert.equal(early.status, 400)
      assert.equal(early.body.code, 22218)
      assert.equal((await act(s.url, rita, copy.sid, 'Claim')).status, 200)
      assert.equal(await signedLevel(s.url, a, phone), 'A', 'during: the copy in review')

      // The reviewer reads the copy as a revision of the approved profile, with what it changes.
      const detail = (await review(s.url, rita, copy.sid)).body
      assert.deepEqual(detail.revision_of, {
        sid: profile,
        friendly_name: original.friendly_name,
        status: 'twilio-approved',
        valid_until: original.valid_until,
      })
      assert.deepEqual(detail.changes, [
        {
          object: 'end_user',
          type: 'customer_profile_business_information',
          field: 'business_name',
          before: 'Acme Inc',
          after: 'Acme Holdings Inc',
        },
      ])
      assert.equal((await review(s.url, rita, profile)).body.revision_of, null)

      assert.equal(
        (
          await act(s.url, rita, copy.sid, 'Approve', {
            OverrideReason: 'The fixture representative has a fiction number',
          })
        ).status,
        200,
      )
      const stranger = await newAccount(s.url, 'Stranger')
      const foreign = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ReplaceItems`, {
        auth: stranger,
        form: { FromBundleSid: copy.sid },
      })
      assert.equal(foreign.status, 404, 'another tenant cannot even name the original')
      const replaced = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ReplaceItems`, {
        auth: a,
        form: { FromBundleSid: copy.sid },
      })
      assert.equal(replaced.status, 201, JSON.stringify(replaced.body))
      assert.equal(replaced.body.sid, profile)
      assert.equal(replaced.body.status, 'twilio-approved')
      assert.equal(replaced.body.valid_until, original.valid_until)
      assert.deepEqual((await objects(s.url, a, profile)).sort(), [...mine].sort())
      const numbers = await http(s.url, 'GET', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments`, {
        auth: a,
      })
      assert.deepEqual(
        numbers.body.results.map((r: any) => r.channel_endpoint_sid),
        [pn],
      )
      assert.equal(await signedLevel(s.url, a, phone), 'A', 'after')
      const events = (await http(s.url, 'GET', `/v1/Events?ResourceSid=${profile}`, { auth: a })).body.results.map(
        (e: any) => e.type,
      )
      assert.ok(events.includes('bundle.items-replaced'), events.join())
      const copyEvents = (await http(s.url, 'GET', `/v1/Events?ResourceSid=${copy.sid}`, { auth: a })).body.results.map(
        (e: any) => e.type,
      )
      assert.ok(copyEvents.includes('bundle.copied'), copyEvents.join())
    })

    it("refusals: copying a draft, replacing from a non-copy or another account's copy", async () => {
      const a = await newAccount(s.url, 'Acme')
      const profile = await makeApprovedPrimaryProfile(s.url, a)
      const tp = await makeTrustProduct(s.url, a, profile)
      const draftCopy = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/Copies`, { auth: a, form: {} })
      assert.equal(draftCopy.status, 400, JSON.stringify(draftCopy.body))
      assert.equal(draftCopy.body.code, 18607, JSON.stringify(draftCopy.body))
      await submitAndApprove(s.url, a, 'TrustProducts', tp)
      const tpCopy = await http(s.url, 'POST', `/v1/TrustProducts/${tp}/Copies`, { auth: a, form: {} })
      assert.equal(tpCopy.status, 201)
      assert.deepEqual(
        (
          await http(s.url, 'GET', `/v1/TrustProducts/${tpCopy.body.sid}/EntityAssignments`, { auth: a })
        ).body.results.map((r: any) => r.object_sid),
        [profile],
      )
      const notCopy = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ReplaceItems`, {
        auth: a,
        form: { FromBundleSid: tpCopy.body.sid },
      })
      assert.equal(notCopy.status, 400)
      assert.equal(notCopy.body.code, 20001)
      assert.match(notCopy.body.message, /^Invalid parameter FromBundleSid: .* is not a copy of it/)
      const b = await newAccount(s.url, 'Other')
      const theirs = await makeApprovedPrimaryProfile(s.url, b)
      const theirCopy = (await http(s.url, 'POST', `/v1/CustomerProfiles/${theirs}/Copies`, { auth: b, form: {} })).body
        .sid
      await submitAndApprove(s.url, b, 'CustomerProfiles', theirCopy)
      const cross = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ReplaceItems`, {
        auth: a,
        form: { FromBundleSid: theirCopy },
      })
      assert.equal(cross.status, 400)
      assert.equal(cross.body.message, notCopy.body.message.replace(tpCopy.body.sid, theirCopy))
      assert.equal((await http(s.url, 'GET', `/v1/CustomerProfiles/${theirs}/Copies`, { auth: a })).status, 404)
    })
  })
}
