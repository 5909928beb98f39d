/**
 * The reviewer's decisions in Chromium, as a reviewer (its own token, a fresh context): a trust
 * product over a just-rejected profile is refused on screen and by the API; a failed check asks
 * for a reason, which lands in the audit log; the first decision claims an unclaimed review; the
 * detail shows labelled fields, the linked profile and numbers; rejection codes are pre-filled.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import {
  addAddress,
  addNumber,
  assignNumber,
  makeApprovedPrimaryProfile,
  makeCompliantProfile,
  makeTrustProduct,
  randomUsNumber,
  submit,
} from './helpers/onboarding.js'
import { fileOrder, ORDERS } from './helpers/hosted-numbers.js'
import { act, newReviewer, type Reviewer } from './helpers/vetting.js'
import { expectAccessible, openConsole, screenshot, consoleEnvironment, signInStaff } from './helpers/browser.js'

const ein = () => `${randomInt(10, 100)}-${String(randomInt(0, 10_000_000)).padStart(7, '0')}`

describe('console: reviewer decisions', () => {
  const env = consoleEnvironment()
  let rita: Reviewer
  let rob: Reviewer
  let a: Creds
  before(async () => {
    rita = await newReviewer(env.server.url, 'Rita Reviewer')
    rob = await newReviewer(env.server.url, 'Rob Reviewer')
    a = await newAccount(env.server.url, 'Decide Co')
  })

  const bundleStatus = async (kind: 'CustomerProfiles' | 'TrustProducts', sid: string, owner = a) =>
    (await http(env.server.url, 'GET', `/v1/${kind}/${sid}`, { auth: owner })).body.status
  const open = async (page: Page, name: string) => {
    await page.getByRole('table', { name: 'Bundles waiting for review' }).getByRole('button', { name }).click()
    await page.getByRole('heading', { name, level: 3 }).waitFor()
  }

  it('refuses a trust product whose profile was just rejected, on screen and in the API', async () => {
    const profile = await makeCompliantProfile(env.server.url, a, {
      business: { business_name: 'Linked Holdings', business_registration_number: ein() },
      representative: { phone_number: '+14155238886' },
    })
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', profile)).status, 200)
    const pn = await addNumber(env.server.url, a)
    await assignNumber(env.server.url, a, 'CustomerProfiles', profile, pn)
    const tp = await makeTrustProduct(env.server.url, a, profile, [pn])
    assert.equal((await submit(env.server.url, a, 'TrustProducts', tp)).status, 200)

    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, rita.token)
    await open(page, 'Acme SHAKEN')
    const detail = page.getByRole('region', { name: 'Review detail' })
    const linked = detail.getByRole('table', { name: 'Linked Business profile' })
    await linked.getByText('Waiting').waitFor()
    const numbers = detail.getByRole('table', { name: 'Phone numbers' })
    assert.equal(await numbers.locator('tr').count(), 1)
    // Another reviewer rejects the profile while the trust product is on screen.
    assert.equal(
      (await act(env.server.url, rob, profile, 'Reject', { Errors: [18601], Reason: 'Not the registered name' }))
        .status,
      200,
    )
    await detail.getByText('Not claimed: approving or rejecting claims it for you').waitFor()
    await page.keyboard.press('a')
    const refusal = detail.getByRole('alert')
    await refusal.waitFor()
    assert.match(await refusal.innerText(), new RegExp(`customer profile ${profile} is twilio-rejected`))
    // The fresh checks are on screen, and the linked profile reads as rejected.
    await detail.getByText('Failed: Linked business profile approved').waitFor()
    await linked.getByText('Rejected').waitFor()
    await expectAccessible(page, 'reviewer detail: approval refused')
    assert.equal(await bundleStatus('TrustProducts', tp), 'pending-review', 'not approved, not even claimed')
    const direct = await act(env.server.url, rita, tp, 'Approve', { OverrideReason: 'The UI is not the only gate' })
    assert.equal(direct.status, 400)
    // The link opens the profile's review.
    await linked.getByRole('button', { name: 'Open the review of Acme' }).click()
    await detail.getByText('Decided by').waitFor()
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('approving over a failed check asks for a reason, which lands in the audit log; labelled fields throughout', async () => {
    // One primary profile per account: each business is its own account.
    const f = await newAccount(env.server.url, 'Fiction Co')
    const r = await newAccount(env.server.url, 'Reject Me Co')
    // The fixture representative's 555-01XX number fails representative_phones.
    const fiction = await makeCompliantProfile(env.server.url, f, {
      business: { business_name: 'Fiction Ltd', business_registration_number: ein() },
    })
    await http(env.server.url, 'POST', `/v1/CustomerProfiles/${fiction}`, {
      auth: f,
      form: { FriendlyName: 'Fiction Ltd' },
    })
    assert.equal((await submit(env.server.url, f, 'CustomerProfiles', fiction)).status, 200)
    const toReject = await makeCompliantProfile(env.server.url, r, {
      business: { business_name: 'Reject Me Inc', business_registration_number: ein() },
    })
    await http(env.server.url, 'POST', `/v1/CustomerProfiles/${toReject}`, {
      auth: r,
      form: { FriendlyName: 'Reject Me Inc' },
    })
    assert.equal((await submit(env.server.url, r, 'CustomerProfiles', toReject)).status, 200)

    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, rita.token)
    const queue = page.getByRole('table', { name: 'Bundles waiting for review' })
    const row = queue.locator('tr', { hasText: 'Fiction Ltd' })
    assert.equal(await row.getByTestId('failed-checks').textContent(), '1 failed')
    await expectAccessible(page, 'reviewer queue')
    await screenshot(page, 'reviewer-queue')

    await open(page, 'Fiction Ltd')
    const detail = page.getByRole('region', { name: 'Review detail' })
    const business = detail.getByRole('table', { name: /^Business information/ })
    const cell = (t: typeof business, label: string) =>
      t.locator('tr', { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td')
    assert.equal(await cell(business, 'Legal business name').innerText(), 'Fiction Ltd')
    assert.equal(await cell(business, 'Industry').innerText(), 'Technology')
    assert.equal(await cell(business, 'Regions of operation').innerText(), 'USA and Canada')
    const rep = detail.getByRole('table', { name: /^Authorized representative 1/ })
    assert.equal(await cell(rep, 'Email').innerText(), 'jane@acme.example.com')
    assert.equal(await cell(detail.getByRole('table', { name: 'Address 1' }), 'State').innerText(), 'CA')
    assert.equal(await detail.locator('pre, code').count(), 0, 'no JSON')
    await expectAccessible(page, 'reviewer detail')
    await screenshot(page, 'reviewer-detail')

    await detail.getByRole('button', { name: 'Approve (a)' }).click()
    const dialog = page.getByRole('dialog', { name: 'Approve despite failed checks?' })
    await dialog.getByText("Representatives' phone numbers").waitFor()
    const confirm = dialog.getByRole('button', { name: 'Approve with this reason' })
    assert.equal(await confirm.isDisabled(), true, 'a reason is required')
    await expectAccessible(page, 'reviewer override dialog')
    const reason = 'Called the representative on the number in the state registry'
    await dialog.getByLabel('Why approve anyway').fill(reason)
    await confirm.click()
    const done = detail.getByRole('status')
    await done.waitFor()
    assert.match(await done.innerText(), /Approved Fiction Ltd \(Business profile\) despite 1 failed check/)
    await detail.getByTestId('review-status').getByText('Approved').waitFor()
    const events = (
      await http(env.server.url, 'GET', `/admin/v1/Events?ResourceSid=${fiction}`, { auth: { bearer: ADMIN_TOKEN } })
    ).body.results as any[]
    const approved = events.find((e) => e.type === 'review.approved')
    assert.deepEqual(approved.data.override, { reason, failed_checks: ['representative_phones'] })
    assert.equal(approved.actor, rita.sid)
    assert.ok(
      events.some((e) => e.type === 'review.claimed' && e.actor === rita.sid),
      'the decision claimed it',
    )
    await expectAccessible(page, 'reviewer detail: approved')

    // Rejection codes are pre-filled from the failed checks.
    await open(page, 'Reject Me Inc')
    await page.keyboard.press('r')
    const form = detail.getByRole('form', { name: 'Rejection' })
    await form.getByText(/^18604/).waitFor()
    await form.getByLabel('Reason the customer can act on').fill('Give a +1 number the representative answers')
    await expectAccessible(page, 'reviewer rejection form')
    await form.getByRole('button', { name: 'Send rejection' }).click()
    await detail.getByRole('status').getByText('Rejected Reject Me Inc (Business profile) with codes 18604.').waitFor()
    assert.equal(await bundleStatus('CustomerProfiles', toReject, r), 'twilio-rejected')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a review claimed by another reviewer offers no decision', async () => {
    const h = await newAccount(env.server.url, 'Held Co')
    const held = await makeCompliantProfile(env.server.url, h, { business: { business_registration_number: ein() } })
    await http(env.server.url, 'POST', `/v1/CustomerProfiles/${held}`, { auth: h, form: { FriendlyName: 'Held Co' } })
    assert.equal((await submit(env.server.url, h, 'CustomerProfiles', held)).status, 200)
    assert.equal((await act(env.server.url, rob, held, 'Claim')).status, 200)
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, rita.token)
    await open(page, 'Held Co')
    const detail = page.getByRole('region', { name: 'Review detail' })
    await detail.getByText('Claimed by Rob Reviewer: only they can decide until').waitFor()
    assert.equal(await detail.getByRole('button', { name: 'Approve (a)' }).isDisabled(), true)
    assert.equal(await detail.getByRole('button', { name: 'Reject (r)' }).isDisabled(), true)
    await expectAccessible(page, 'reviewer detail: claimed by another')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('heading', { name: 'Review queue' }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no page-level horizontal scroll at 390 px (overflow ${overflow})`)
    await expectAccessible(page, 'reviewer queue at 390 px')
    await screenshot(page, 'reviewer-queue-390px')
    assert.deepEqual(errors, [])
    await context.close()
  })
  it('a hosted-number order shows its letter of authorization as fields and is approved with a confirmation', async () => {
    const c = await newAccount(env.server.url, 'Hosting Co')
    await makeApprovedPrimaryProfile(env.server.url, c)
    const phone = randomUsNumber()
    const filed = await fileOrder(env.server.url, c, phone, await addAddress(env.server.url, c), {
      FriendlyName: 'Front desk',
    })
    assert.equal(filed.status, 201, JSON.stringify(filed.body))
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, rita.token)
    await open(page, 'Front desk')
    const detail = page.getByRole('region', { name: 'Review detail' })
    const loa = detail.getByRole('table', { name: 'Letter of authorization' })
    const cell = (label: string) =>
      loa.locator('tr', { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td')
    assert.equal(await cell('Number').innerText(), phone)
    assert.equal(await cell('Signed by').innerText(), 'Jane Doe')
    assert.equal(await cell('Current carrier').innerText(), 'Old Telco')
    assert.equal(await cell('Address').innerText(), '1 Main St, San Francisco, CA 94105, US')
    await expectAccessible(page, 'reviewer detail of a hosted-number order')
    await detail.getByRole('button', { name: 'Approve (a)' }).click()
    await detail.getByRole('status').getByText('Approved Front desk (Hosted number).').waitFor()
    assert.equal(
      (await http(env.server.url, 'GET', `${ORDERS}/${filed.body.sid}`, { auth: c })).body.status,
      'completed',
    )
    await expectAccessible(page, 'reviewer detail of an approved order')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
