/**
 * Profile and trust product pages in Chromium against a real server (SQLite): a rejection's
 * fields marked and fixed in place, an approved profile edited through a reviewed copy, a
 * trust product's linked profile, numbers and history, and the list. Every state visited is
 * checked by axe-core.
 */
import { formatNumber } from '../web/src/phone.js'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  addNumber,
  makeApprovedPrimaryProfile,
  makeCompliantProfile,
  makeTrustProduct,
  setStatus,
  submit,
} from './helpers/onboarding.js'
import { act, newReviewer } from './helpers/vetting.js'
import { expectAccessible, openConsole, screenshot, consoleEnvironment, signIn } from './helpers/browser.js'

const get = async (base: string, creds: Creds, path: string) => {
  const r = await http(base, 'GET', path, { auth: creds })
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`)
  return r.body
}

/** The end users of a bundle, by type. */
async function endUsers(base: string, creds: Creds, kind: string, sid: string): Promise<Record<string, any>> {
  const a = (await get(base, creds, `/v1/${kind}/${sid}/EntityAssignments`)).results as any[]
  const users = await Promise.all(
    a.filter((x) => x.object_sid.startsWith('IT')).map((x) => get(base, creds, `/v1/EndUsers/${x.object_sid}`)),
  )
  return Object.fromEntries(users.map((u) => [u.type, u]))
}

/** The address a profile's address document names. */
async function addressOf(base: string, creds: Creds, sid: string): Promise<any> {
  const a = (await get(base, creds, `/v1/CustomerProfiles/${sid}/EntityAssignments`)).results as any[]
  const rd = a.find((x) => x.object_sid.startsWith('RD')).object_sid
  const doc = await get(base, creds, `/v1/SupportingDocuments/${rd}`)
  const ad = [doc.attributes.address_sids].flat()[0]
  return get(base, creds, `/2010-04-01/Accounts/${creds.sid}/Addresses/${ad}.json`)
}

async function signedIn(browser: Browser, base: string, a: Creds, width = 1440) {
  const c = await openConsole(browser, base, width)
  await signIn(c.page, a.sid, a.token)
  await c.page.getByRole('link', { name: 'Dashboard' }).first().waitFor()
  return c
}

async function openBundle(page: Page, sid: string, name: string) {
  await page.goto(`/console/bundles/${sid}`)
  await page.getByRole('heading', { name, level: 2, exact: true }).waitFor()
  await page.getByTestId('history').waitFor()
}

describe('console: profile and trust product pages', () => {
  const env = consoleEnvironment()

  it('a rejection marks the address and registration fields; fixed in place and resubmitted', async () => {
    const a = await newAccount(env.server.url, 'Rejected Co')
    const profile = await makeCompliantProfile(env.server.url, a)
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', profile)).status, 200)
    const rejected = await setStatus(env.server.url, profile, 'twilio-rejected', {
      Errors: [18603, 18602],
      FailureReason: 'The EIN belongs to another company and the address is a mailbox.',
    })
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body))

    // At phone width first: the same page, read-only checks.
    const phone = await signedIn(env.browser, env.server.url, a, 390)
    await openBundle(phone.page, profile, 'Acme')
    await phone.page.getByTestId('rejection').waitFor()
    await expectAccessible(phone.page, 'rejected profile at 390 px')
    await phone.page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(phone.page, 'bundle-rejected-390px')
    assert.deepEqual(phone.errors, [])
    await phone.context.close()

    const c = await signedIn(env.browser, env.server.url, a)
    const p = c.page
    await p.getByRole('link', { name: 'Profiles & trust products' }).click()
    await p.getByRole('table', { name: 'Business profiles' }).getByText('Rejected — edit and resubmit').waitFor()
    await expectAccessible(p, 'list with a rejected profile')
    await p.getByRole('link', { name: 'Acme', exact: true }).click()
    const rejection = p.getByTestId('rejection')
    await rejection.getByText('could not verify the business address').waitFor()
    await rejection.getByText('could not verify the business registration number').waitFor()
    await p.getByTestId('rejection-reason').filter({ hasText: 'address is a mailbox' }).waitFor()
    // The fields the codes are about are marked invalid with the reason; the others are not.
    const number = p.getByLabel('Registration number')
    const street = p.getByLabel('Street')
    assert.equal(await number.getAttribute('aria-invalid'), 'true')
    assert.equal(await street.getAttribute('aria-invalid'), 'true')
    assert.equal(await p.getByLabel('ZIP code').getAttribute('aria-invalid'), 'true')
    assert.notEqual(await p.getByLabel('Website').getAttribute('aria-invalid'), 'true')
    assert.notEqual(await p.getByLabel('Last name').getAttribute('aria-invalid'), 'true')
    const address = p.getByTestId('facts-address')
    await address.getByRole('alert').getByText('could not verify the business address').waitFor()
    await address.getByText('Flagged by the reviewer: business address').first().waitFor()
    await p.getByTestId('facts-business').getByText('Flagged by the reviewer: registration number').first().waitFor()
    await expectAccessible(p, 'rejected profile')
    await p.evaluate(() => window.scrollTo(0, 0))
    await screenshot(p, 'bundle-rejected')

    await number.fill('98-7654321')
    await street.fill('500 Howard St')
    // A value the API refuses comes back against the field it names.
    const zip = p.getByLabel('ZIP code')
    await zip.fill('9'.repeat(40))
    await p.getByRole('button', { name: 'Resubmit for review' }).click()
    await address.getByText('Invalid parameter PostalCode').waitFor()
    assert.match(
      (await p.locator(`#${await zip.getAttribute('aria-describedby')}`).innerText()).replace(/\s+/g, ' '),
      /PostalCode: must NOT have more than 32 characters/,
    )
    await expectAccessible(p, 'rejected profile with a refused value')
    await zip.fill('94105')
    await p.getByRole('button', { name: 'Resubmit for review' }).click()
    await p.getByRole('status').filter({ hasText: 'Resubmitted for review' }).waitFor()
    await p.getByTestId('bundle-status').filter({ hasText: 'Submitted' }).waitFor()
    await p.getByTestId('history').getByText('Rejected: business address, registration number').waitFor()
    await expectAccessible(p, 'resubmitted profile')

    assert.equal((await get(env.server.url, a, `/v1/CustomerProfiles/${profile}`)).status, 'pending-review')
    const users = await endUsers(env.server.url, a, 'CustomerProfiles', profile)
    assert.equal(users.customer_profile_business_information.attributes.business_registration_number, '98-7654321')
    assert.equal((await addressOf(env.server.url, a, profile)).street, '500 Howard St')
    assert.deepEqual(c.errors, [])
    await c.context.close()
  })

  it('an approved profile is edited through a copy: changes shown, copy submitted, original stays approved', async () => {
    const a = await newAccount(env.server.url, 'Copy Co')
    const profile = await makeApprovedPrimaryProfile(env.server.url, a)
    const c = await signedIn(env.browser, env.server.url, a)
    const p = c.page
    await openBundle(p, profile, 'Acme')
    await p.getByTestId('bundle-dates').filter({ hasText: 'valid until' }).waitFor()
    await expectAccessible(p, 'approved profile')
    await p.getByRole('button', { name: 'Edit approved profile' }).click()
    await p.getByRole('heading', { name: 'Acme (edited copy)', level: 2 }).waitFor()
    const copyOf = p.getByTestId('copy-of')
    await copyOf.getByText('Calls keep the approved profile').waitFor()
    await copyOf.getByText('Nothing changed yet').waitFor()
    const copies = (await get(env.server.url, a, `/v1/CustomerProfiles/${profile}/Copies`)).results as any[]
    assert.equal(copies.length, 1)
    const copy = copies[0].sid as string
    assert.match(p.url(), new RegExp(`/console/bundles/${copy}$`))
    await expectAccessible(p, 'new copy of an approved profile')

    await p.getByLabel('Website').fill('https://www.acme-new.example.com')
    await p.getByLabel('Street').fill('2 New St')
    const changes = p.getByRole('table', { name: 'Changes against the approved profile' })
    await changes
      .getByRole('row')
      .filter({ hasText: 'Business information: Website' })
      .filter({ hasText: 'https://acme.example.com' })
      .filter({ hasText: 'https://www.acme-new.example.com' })
      .waitFor()
    await changes
      .getByRole('row')
      .filter({ hasText: 'Business address: Street' })
      .filter({ hasText: '2 New St' })
      .waitFor()
    await expectAccessible(p, 'copy with changes')
    await p.evaluate(() => window.scrollTo(0, 0))
    await screenshot(p, 'bundle-copy-diff')
    await p.setViewportSize({ width: 390, height: 844 })
    await expectAccessible(p, 'copy with changes at 390 px')
    await p.setViewportSize({ width: 1440, height: 860 })
    await p.getByRole('button', { name: 'Submit the copy for review' }).click()
    await p.getByRole('status').filter({ hasText: 'The copy was submitted for review' }).waitFor()
    await expectAccessible(p, 'submitted copy')

    assert.equal((await get(env.server.url, a, `/v1/CustomerProfiles/${copy}`)).status, 'pending-review')
    assert.equal((await get(env.server.url, a, `/v1/CustomerProfiles/${profile}`)).status, 'twilio-approved')
    const original = await endUsers(env.server.url, a, 'CustomerProfiles', profile)
    assert.equal(original.customer_profile_business_information.attributes.website_url, 'https://acme.example.com')
    assert.equal((await addressOf(env.server.url, a, profile)).street, '1 Main St')
    assert.equal((await addressOf(env.server.url, a, copy)).street, '2 New St')

    // The original's page shows the copy waiting (from the server); once approved, it is applied.
    await p.getByTestId('copy-of').getByRole('link', { name: 'Acme', exact: true }).click()
    await p.getByTestId('pending-copy').getByText('is waiting for a reviewer').waitFor()
    assert.equal(await p.getByRole('button', { name: 'Edit approved profile' }).count(), 0)
    await expectAccessible(p, 'approved profile with a copy in review')
    assert.equal((await setStatus(env.server.url, copy, 'twilio-approved')).status, 200)
    await p.reload()
    await p.getByRole('button', { name: 'Apply the approved changes' }).click()
    await p.getByRole('status').filter({ hasText: 'now apply to this profile' }).waitFor()
    await p.getByTestId('facts-business').getByText('https://www.acme-new.example.com').waitFor()
    await p.getByRole('button', { name: 'Edit approved profile' }).waitFor()
    await expectAccessible(p, 'approved profile after the copy applied')
    await openBundle(p, copy, 'Acme (edited copy)')
    await p.getByTestId('copy-of').getByText('Its changes were applied to the approved profile').waitFor()
    await expectAccessible(p, 'applied copy')

    // Next step of an approved profile without a trust product: a button that makes and submits one.
    await p.getByTestId('copy-of').getByRole('link', { name: 'Acme', exact: true }).click()
    await p
      .getByTestId('history')
      .getByText(/Updated with the information of its approved copy/)
      .waitFor()
    await p.getByRole('button', { name: 'Create the SHAKEN/STIR trust product' }).click()
    await p.getByRole('heading', { name: 'Acme SHAKEN/STIR', level: 2 }).waitFor()
    await p.getByTestId('bundle-status').filter({ hasText: 'Submitted' }).waitFor()
    await p.getByTestId('linked-profile').getByRole('link', { name: 'Acme', exact: true }).waitFor()
    await expectAccessible(p, 'new trust product')
    const tps = (await get(env.server.url, a, '/v1/TrustProducts')).results as any[]
    assert.deepEqual(
      tps.map((t) => t.status),
      ['pending-review'],
    )
    const applied = await endUsers(env.server.url, a, 'CustomerProfiles', profile)
    assert.equal(
      applied.customer_profile_business_information.attributes.website_url,
      'https://www.acme-new.example.com',
    )
    assert.equal((await get(env.server.url, a, `/v1/CustomerProfiles/${profile}`)).status, 'twilio-approved')
    assert.deepEqual(c.errors, [])
    await c.context.close()
  })

  it("a trust product's page shows its linked profile, numbers and history; the list in words", async () => {
    const a = await newAccount(env.server.url, 'Product Co')
    const pns = [await addNumber(env.server.url, a), await addNumber(env.server.url, a)]
    const phones = await Promise.all(
      pns.map(
        async (pn) =>
          (await get(env.server.url, a, `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers/${pn}.json`)).phone_number,
      ),
    )
    const profile = await makeApprovedPrimaryProfile(env.server.url, a, { numbers: pns })
    const tp = await makeTrustProduct(env.server.url, a, profile, pns)
    assert.equal((await submit(env.server.url, a, 'TrustProducts', tp)).status, 200)
    const rita = await newReviewer(env.server.url)
    assert.equal((await act(env.server.url, rita, tp, 'Claim')).status, 200)
    assert.equal((await act(env.server.url, rita, tp, 'Approve')).status, 200)

    const c = await signedIn(env.browser, env.server.url, a)
    const p = c.page
    await openBundle(p, tp, 'Acme SHAKEN')
    await p.getByText('SHAKEN/STIR trust product', { exact: true }).waitFor()
    await p.getByTestId('bundle-status').filter({ hasText: 'Approved' }).waitFor()
    await p.getByTestId('linked-profile').getByRole('link', { name: 'Acme' }).waitFor()
    const numbers = p.getByTestId('bundle-numbers')
    for (const phone of phones) await numbers.getByText(formatNumber(phone)).waitFor()
    const history = p.getByTestId('history')
    await history.getByText('Submitted for review').waitFor()
    await history.getByText(/Approved by a reviewer, valid until/).waitFor()
    await history.getByText('A reviewer started the review').waitFor()
    await history.getByText(`Number ${formatNumber(phones[0]!)} assigned`).waitFor()
    // Newest first, down to the creation.
    const lines = (await history.innerText()).split('\n')
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l))
    assert.ok(at(/Approved by/) < at(/A reviewer started/), lines.join('\n'))
    assert.ok(at(/A reviewer started/) < at(/Submitted for review/), lines.join('\n'))
    assert.ok(at(/Submitted for review/) < at(/Checked: everything/), lines.join('\n'))
    assert.equal(at(/Created$/), lines.length - 1, lines.join('\n'))
    assert.doesNotMatch(await p.locator('main').innerText(), /twilio-|TWILIO|BU[0-9a-f]{32}|PN[0-9a-f]{32}/)
    await expectAccessible(p, 'trust product')
    await p.evaluate(() => window.scrollTo(0, 0))
    await screenshot(p, 'bundle-detail')

    await p.getByTestId('linked-profile').getByRole('link', { name: 'Acme' }).click()
    await p.getByRole('heading', { name: 'Acme', level: 2, exact: true }).waitFor()
    await p.getByText('Business profile', { exact: true }).waitFor()
    await p.getByTestId('linked-trust-products').getByRole('link', { name: 'Acme SHAKEN' }).waitFor()
    await p.getByTestId('facts-business').getByText('USA & Canada').waitFor()
    await expectAccessible(p, 'profile with its trust product')

    await p.getByRole('link', { name: '← All profiles and trust products' }).click()
    const list = p.getByRole('table', { name: 'Trust products' })
    await list
      .getByRole('row')
      .filter({ hasText: 'SHAKEN/STIR trust product' })
      .filter({ hasText: 'Approved' })
      .waitFor()
    assert.doesNotMatch(await p.locator('main').innerText(), /twilio-|T\d\d:\d\d/)
    await expectAccessible(p, 'list of profiles and trust products')
    await p.evaluate(() => window.scrollTo(0, 0))
    await screenshot(p, 'bundles-list')
    await p.setViewportSize({ width: 390, height: 844 })
    await expectAccessible(p, 'list at 390 px')
    await openBundle(p, tp, 'Acme SHAKEN')
    await expectAccessible(p, 'trust product at 390 px')

    // A sub-account's trust product (not in the parent's list) opens from a link all the same.
    const sub = await newSubAccount(env.server.url, a, 'Pizza Planet')
    const subProfile = await makeCompliantProfile(env.server.url, sub)
    await http(env.server.url, 'POST', `/v1/CustomerProfiles/${subProfile}`, {
      auth: sub,
      form: { FriendlyName: 'Pizza Planet' },
    })
    const subTp = await makeTrustProduct(env.server.url, sub, subProfile)
    await openBundle(p, subTp, 'Acme SHAKEN')
    await p.getByText('SHAKEN/STIR trust product', { exact: true }).waitFor()
    await p.getByTestId('bundle-status').filter({ hasText: 'Draft' }).waitFor()
    await p.getByTestId('linked-profile').getByRole('link', { name: 'Pizza Planet' }).waitFor()
    await expectAccessible(p, "a sub-account's trust product")
    assert.deepEqual(c.errors, [])
    await c.context.close()
  })
})
