/**
 * The official `twilio` SDK drives the four SHAKEN/STIR onboarding flows of Twilio's guides
 * (Trust Hub spec §7 A–D) against a real stirhub server: from an empty account to a business
 * profile and a SHAKEN/STIR trust product in pending-review, then (operator) twilio-approved.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sdk, type Client } from './helpers/twilio-sdk.js'
import { DIALECTS } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { newAccount } from './helpers/http.js'
import {
  PRIMARY_POLICY,
  SECONDARY_POLICY,
  SHAKEN_POLICY,
  businessAttributes,
  randomUsNumber,
  repAttributes,
  setStatus,
  stockInventory,
  type Identity,
} from './helpers/onboarding.js'

/** Buys a number for `accountSid` as a Twilio customer does: search AvailablePhoneNumbers, buy what was found. */
async function buyNumber(client: Client, accountSid: string): Promise<string> {
  const acct = client.api.v2010.accounts(accountSid)
  for (let i = 0; ; i++) {
    const [found] = await acct.availablePhoneNumbers('US').local.list({ limit: 1 })
    assert.ok(found, 'the inventory has a number for sale')
    try {
      return (await acct.incomingPhoneNumbers.create({ phoneNumber: found.phoneNumber })).sid
    } catch (e) {
      if (i > 5) throw e
    }
  }
}

interface ProfileSpec {
  readonly policySid: string
  readonly identity: Identity
  readonly primarySid?: string
  readonly numbers: readonly string[]
  /** The account already has a submitted primary profile: the SDK must see this one refused (409, 20409). */
  readonly refused?: boolean
}

/** Guide steps: profile, (ISV primary link), business info, rep, address + document, numbers, evaluate, submit. */
async function onboardProfile(client: Client, accountSid: string, p: ProfileSpec): Promise<string> {
  const th = client.trusthub.v1
  const profile = await th.customerProfiles.create({
    friendlyName: 'Acme profile',
    email: 'ops@acme.example.com',
    policySid: p.policySid,
  })
  assert.equal(profile.status, 'draft')
  const ea = th.customerProfiles(profile.sid).customerProfilesEntityAssignments
  if (p.primarySid) await ea.create({ objectSid: p.primarySid })
  const biz = await th.endUsers.create({
    friendlyName: 'Acme',
    type: 'customer_profile_business_information',
    attributes: businessAttributes(p.identity),
  })
  const rep = await th.endUsers.create({
    friendlyName: 'Jane',
    type: 'authorized_representative_1',
    attributes: repAttributes(),
  })
  const address = await client.api.v2010.accounts(accountSid).addresses.create({
    customerName: 'Acme Inc',
    street: '1 Main St',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    isoCountry: 'US',
  })
  const doc = await th.supportingDocuments.create({
    friendlyName: 'HQ',
    type: 'customer_profile_address',
    attributes: { address_sids: address.sid },
  })
  for (const sid of [biz.sid, rep.sid, doc.sid]) await ea.create({ objectSid: sid })
  for (const pn of p.numbers) {
    await th
      .customerProfiles(profile.sid)
      .customerProfilesChannelEndpointAssignment.create({ channelEndpointType: 'phone-number', channelEndpointSid: pn })
  }
  const ev = await th.customerProfiles(profile.sid).customerProfilesEvaluations.create({ policySid: p.policySid })
  assert.equal(ev.status, 'compliant', JSON.stringify(ev.results))
  if (p.refused) {
    await assert.rejects(th.customerProfiles(profile.sid).update({ status: 'pending-review' }), (e: any) => {
      assert.equal(e.status, 409)
      assert.equal(e.code, 20409)
      assert.match(e.message, /already has Primary Customer Profile BU[0-9a-f]{32} \(twilio-approved\)/)
      return true
    })
    return profile.sid
  }
  const submitted = await th.customerProfiles(profile.sid).update({ status: 'pending-review' })
  assert.equal(submitted.status, 'pending-review')
  return profile.sid
}

/**
 * Guide steps 3–6: trust product, link the profile, same numbers, evaluate, submit with a
 * callback. The evaluation's customer-profile item names the type of the profile linked.
 */
async function onboardTrustProduct(
  client: Client,
  profileSid: string,
  numbers: readonly string[],
  profileType = 'primary_customer_profile_type_business',
): Promise<string> {
  const th = client.trusthub.v1
  const tp = await th.trustProducts.create({
    friendlyName: 'Acme SHAKEN',
    email: 'ops@acme.example.com',
    policySid: SHAKEN_POLICY,
  })
  await th.trustProducts(tp.sid).trustProductsEntityAssignments.create({ objectSid: profileSid })
  for (const pn of numbers)
    await th
      .trustProducts(tp.sid)
      .trustProductsChannelEndpointAssignment.create({ channelEndpointType: 'phone-number', channelEndpointSid: pn })
  const ev = await th.trustProducts(tp.sid).trustProductsEvaluations.create({ policySid: SHAKEN_POLICY })
  assert.equal(ev.status, 'compliant')
  assert.deepEqual(
    ev.results.map((r: any) => [r.requirement_name, r.object_type, r.passed]),
    [['customer_profile', profileType, true]],
  )
  const submitted = await th
    .trustProducts(tp.sid)
    .update({ status: 'pending-review', statusCallback: 'https://hooks.example.com/trust' })
  assert.equal(submitted.status, 'pending-review')
  assert.equal(submitted.statusCallback, 'https://hooks.example.com/trust')
  return tp.sid
}

/** Operator approval, then the SDK sees twilio-approved with a validUntil a year out. */
async function approve(base: string, client: Client, kind: 'customerProfiles' | 'trustProducts', sid: string) {
  const r = await setStatus(base, sid, 'twilio-approved')
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const fetched = await client.trusthub.v1[kind](sid).fetch()
  assert.equal(fetched.status, 'twilio-approved')
  assert.ok(fetched.validUntil instanceof Date && fetched.validUntil.getTime() > Date.now() + 300 * 86400000)
}

for (const dialect of DIALECTS) {
  describe(`onboarding through the twilio SDK [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
      // The operator's inventory the customers buy from.
      await stockInventory(s.url, Array.from({ length: 60 }, randomUsNumber))
    })
    after(async () => {
      await s.stop()
    })

    it('policies list a requirement several bundle types meet once per type, under one requirement_name', async () => {
      const client = sdk(s.url, await newAccount(s.url, 'Reader'))
      const shaken = await client.trusthub.v1.policies(SHAKEN_POLICY).fetch()
      assert.deepEqual(shaken.requirements.supporting_customer_profiles, [
        {
          type: 'primary_customer_profile_type_business',
          name: 'Customer Profile Bundle',
          requirement_name: 'customer_profile',
        },
        {
          type: 'secondary_customer_profile_type_business',
          name: 'Customer Profile Bundle',
          requirement_name: 'customer_profile',
        },
      ])
      const secondary = await client.trusthub.v1.policies(SECONDARY_POLICY).fetch()
      assert.deepEqual(secondary.requirements.supporting_customer_profiles, [
        {
          type: 'primary_customer_profile_type_business',
          name: 'Primary Customer Profile Bundle',
          requirement_name: 'primary_customer_profile',
        },
      ])
    })

    it('A: direct customer, no sub-accounts', async () => {
      const acct = await newAccount(s.url, 'Direct Co')
      const client = sdk(s.url, acct)
      const pns = [await buyNumber(client, acct.sid), await buyNumber(client, acct.sid)]
      const profile = await onboardProfile(client, acct.sid, {
        policySid: PRIMARY_POLICY,
        identity: 'direct_customer',
        numbers: pns,
      })
      const tp = await onboardTrustProduct(client, profile, pns)
      await approve(s.url, client, 'customerProfiles', profile)
      await approve(s.url, client, 'trustProducts', tp)
      // One primary profile per account: a second one is drafted but not submitted.
      await onboardProfile(client, acct.sid, {
        policySid: PRIMARY_POLICY,
        identity: 'direct_customer',
        numbers: [],
        refused: true,
      })
      // Paging through the SDK crosses pages: 4 entity assignments, one per page.
      const assigned: string[] = []
      await client.trusthub.v1
        .customerProfiles(profile)
        .customerProfilesEntityAssignments.each({ pageSize: 1 }, (x) => {
          assigned.push(x.objectSid)
        })
      assert.equal(assigned.length, 3)
      const numbers = await client.trusthub.v1
        .trustProducts(tp)
        .trustProductsChannelEndpointAssignment.list({ pageSize: 1 })
      assert.deepEqual(numbers.map((n) => n.channelEndpointSid).sort(), [...pns].sort())
      const page = await client.trusthub.v1
        .customerProfiles(profile)
        .customerProfilesEntityAssignments.page({ pageSize: 2 })
      assert.equal(page.instances.length, 2)
      assert.equal((await page.nextPage())!.instances.length, 1)
    })

    it("B: direct customer with sub-accounts: the parent assigns its sub-accounts' numbers", async () => {
      const acct = await newAccount(s.url, 'Direct Parent')
      const client = sdk(s.url, acct)
      const subs = [
        await client.api.v2010.accounts.create({ friendlyName: 'Team 1' }),
        await client.api.v2010.accounts.create({ friendlyName: 'Team 2' }),
      ]
      const pns = [await buyNumber(client, subs[0]!.sid), await buyNumber(client, subs[1]!.sid)]
      const profile = await onboardProfile(client, acct.sid, {
        policySid: PRIMARY_POLICY,
        identity: 'direct_customer',
        numbers: pns,
      })
      const tp = await onboardTrustProduct(client, profile, pns)
      await approve(s.url, client, 'customerProfiles', profile)
      await approve(s.url, client, 'trustProducts', tp)
      const accounts = await client.api.v2010.accounts.list({ pageSize: 1 })
      assert.deepEqual(accounts.map((a) => a.sid).sort(), [acct.sid, ...subs.map((x) => x.sid)].sort())
    })

    it('C: ISV, single project: one secondary profile and trust product per end customer', async () => {
      const isv = await newAccount(s.url, 'ISV One')
      const client = sdk(s.url, isv)
      const primary = await onboardProfile(client, isv.sid, {
        policySid: PRIMARY_POLICY,
        identity: 'isv_reseller_or_partner',
        numbers: [],
      })
      await approve(s.url, client, 'customerProfiles', primary)
      const made: string[] = []
      for (let i = 0; i < 2; i++) {
        const pns = [await buyNumber(client, isv.sid)]
        const secondary = await onboardProfile(client, isv.sid, {
          policySid: SECONDARY_POLICY,
          identity: 'direct_customer',
          primarySid: primary,
          numbers: pns,
        })
        const tp = await onboardTrustProduct(client, secondary, pns, 'secondary_customer_profile_type_business')
        await approve(s.url, client, 'customerProfiles', secondary)
        await approve(s.url, client, 'trustProducts', tp)
        made.push(secondary)
      }
      const secondaries = await client.trusthub.v1.customerProfiles.list({ policySid: SECONDARY_POLICY, pageSize: 1 })
      assert.deepEqual(secondaries.map((x) => x.sid).sort(), made.sort())
      assert.ok(secondaries.every((x) => x.status === 'twilio-approved'))
    })

    it("D: ISV with sub-accounts: the customer's sub-account links the ISV parent's primary profile", async () => {
      const isv = await newAccount(s.url, 'ISV Two')
      const isvClient = sdk(s.url, isv)
      const primary = await onboardProfile(isvClient, isv.sid, {
        policySid: PRIMARY_POLICY,
        identity: 'isv_reseller_or_partner',
        numbers: [],
      })
      // Before approval, the ISV's sub-account is told plainly why it cannot create a secondary profile.
      const sub = await isvClient.api.v2010.accounts.create({ friendlyName: 'End customer' })
      const client = sdk(s.url, { sid: sub.sid, token: sub.authToken })
      await assert.rejects(
        client.trusthub.v1.customerProfiles.create({
          friendlyName: 'x',
          email: 'a@b.example.com',
          policySid: SECONDARY_POLICY,
        }),
        (e: any) => e.status === 400 && /isv_reseller_or_partner/.test(e.message),
      )
      await approve(s.url, isvClient, 'customerProfiles', primary)
      const pns = [await buyNumber(client, sub.sid), await buyNumber(client, sub.sid)]
      const secondary = await onboardProfile(client, sub.sid, {
        policySid: SECONDARY_POLICY,
        identity: 'direct_customer',
        primarySid: primary,
        numbers: pns,
      })
      const tp = await onboardTrustProduct(client, secondary, pns, 'secondary_customer_profile_type_business')
      await approve(s.url, client, 'customerProfiles', secondary)
      await approve(s.url, client, 'trustProducts', tp)
      // The sub-account cannot see its parent's profile directly; the parent sees the sub-account's.
      await assert.rejects(
        client.trusthub.v1.customerProfiles(primary).fetch(),
        (e: any) => e.status === 404 && e.code === 20404,
      )
      assert.equal((await isvClient.trusthub.v1.trustProducts(tp).fetch()).accountSid, sub.sid)
      const evals = await client.trusthub.v1
        .customerProfiles(secondary)
        .customerProfilesEvaluations.list({ pageSize: 1 })
      // The explicit evaluation and the one submission took, both compliant, across two pages.
      assert.equal(evals.length, 2)
      assert.ok(evals.every((e) => e.status === 'compliant' && e.results.length === 5))
    })
  })
}
