/**
 * Onboarding in headless Chromium against a real server (SQLite), each role in a fresh browser
 * context so nothing carries over but what the server holds:
 * 1. an approved account is shown its approved profile, never offered a second one;
 * 2. the reviewer's checks run on the draft: an EIN without its dash and a gmail address for a
 *    business site are flagged on blur, before anything is sent; phones are normalised;
 * 3. an ISV drafts a customer before its own profile is approved (submit disabled, with why),
 *    finds its customers in a fresh browser, and sees statuses change after each action;
 * 4. the customers area and the account switcher; the dashboard's onboarding checklist;
 * 5. the demo's ISV (`stirhub demo`, all through the API) is shown as onboarded, not asked to start over.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN } from './helpers/server.js'
import { runDemo } from '../src/cli/demo.command.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import {
  makeApprovedPrimaryProfile,
  makeCompliantProfile,
  makeTrustProduct,
  SECONDARY_POLICY,
  setStatus,
  submit,
} from './helpers/onboarding.js'
import {
  choose,
  expectAccessible,
  fillDirectProfile,
  openConsole,
  screenshot,
  consoleEnvironment,
  signIn,
  submitIsvPrimary,
} from './helpers/browser.js'

/** No horizontal scroll of the page itself (a wide table scrolls in its own container). */
async function noPageOverflow(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `${where}: no horizontal page scroll at 390 px (overflow ${overflow})`)
}

async function primaryProfiles(base: string, a: Creds) {
  return (await http(base, 'GET', '/v1/CustomerProfiles', { auth: a })).body.results as any[]
}

describe('console onboarding', () => {
  const env = consoleEnvironment()

  it('an approved account, in a fresh browser, is shown its approved profile and never offered a second', async () => {
    const a = await newAccount(env.server.url, 'Approved Dental')
    const profile = await makeApprovedPrimaryProfile(env.server.url, a)
    for (const width of [1440, 390]) {
      const { page, context, errors } = await openConsole(env.browser, env.server.url, width)
      await signIn(page, a.sid, a.token)
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
      // The checklist counts the approved profile as done and points at the trust product.
      const checklist = page.getByRole('region', { name: 'Onboarding checklist' })
      await checklist.getByText('1 of 3 steps done.').waitFor()
      await checklist.getByRole('button', { name: 'Create the trust product' }).click()
      await page.getByRole('heading', { name: 'Direct customer onboarding' }).waitFor()
      await page.getByText('Business profile: Approved').waitFor()
      await page.getByRole('button', { name: 'Create and submit the trust product' }).waitFor()
      assert.equal(await page.getByLabel('Legal business name').count(), 0, 'no form for a second profile')
      await expectAccessible(page, `direct wizard, approved profile, ${width} px`)
      if (width === 390) await noPageOverflow(page, 'direct wizard')
      else await screenshot(page, 'onboarding-direct')
      assert.deepEqual(errors, [])
      await context.close()
    }
    assert.deepEqual(
      (await primaryProfiles(env.server.url, a)).map((p) => p.sid),
      [profile],
    )
  })

  it('a rejected profile opens in the wizard with what the server holds; resubmitting edits it, never a second one', async () => {
    const a = await newAccount(env.server.url, 'Rejected Dental')
    const profile = await makeCompliantProfile(env.server.url, a)
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', profile)).status, 200)
    assert.equal(
      (await setStatus(env.server.url, profile, 'twilio-rejected', { Errors: '18604', FailureReason: 'Call the rep' }))
        .status,
      200,
    )
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, a.sid, a.token)
    await page.getByRole('link', { name: 'Direct customer onboarding' }).click()
    await page.getByText('Rejected: edit and resubmit').waitFor()
    await page.getByText('We could not verify authorized representative #1').waitFor()
    assert.equal(await page.getByLabel('Legal business name').inputValue(), 'Acme Inc', 'the server holds the form')
    await expectAccessible(page, 'direct wizard, rejected profile')
    await page.getByRole('button', { name: 'Next' }).click()
    // The representative's number is fictional (555-01xx): the check says so before anything is sent.
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Enter a working US number with +1').waitFor()
    await page.getByLabel('Phone number').fill('+1 415 523 8886')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('button', { name: 'Next' }).click()
    // The registration number is approved on other accounts of this server: only the server knows.
    await page.getByText('Checked on the server').waitFor()
    await expectAccessible(page, 'direct wizard, review of a rejected profile')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await page.getByText('Business profile: Submitted').waitFor()
    assert.deepEqual(
      (await primaryProfiles(env.server.url, a)).map((p) => [p.sid, p.status]),
      [[profile, 'pending-review']],
    )
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('flags an EIN without its dash and a gmail address for a business site before submitting; normalises the phone', async () => {
    const a = await newAccount(env.server.url, 'Checked Co')
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, a.sid, a.token)
    const checklist = page.getByRole('region', { name: 'Onboarding checklist' })
    await checklist.getByText('0 of 3 steps done.').waitFor()
    await expectAccessible(page, 'dashboard with the onboarding checklist')
    await screenshot(checklist, 'dashboard-checklist')
    await checklist.getByRole('button', { name: 'Start the business profile' }).click()
    await page.getByRole('heading', { name: 'Direct customer onboarding' }).waitFor()

    await page.getByLabel('Legal business name').fill('Checked Co LLC')
    await choose(page, 'Business type', 'Limited Liability Corporation')
    await choose(page, 'Industry', 'Healthcare')
    await choose(page, 'Regions of operation', 'USA & Canada')
    await page.getByLabel('Registration number').fill('123456789')
    await page.getByLabel('Website').fill('https://www.checked.example.com')
    await page.getByLabel('Website').blur()
    await page.getByText('Write the EIN as NN-NNNNNNN, with the dash, e.g. 12-3456789').waitFor()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByLabel('Registration number').waitFor()
    assert.equal(await page.getByLabel('First name').count(), 0, 'the check keeps the step open')
    await page.getByLabel('Registration number').fill('12-3456789')
    await page.getByLabel('Registration number').blur()
    await page.getByRole('button', { name: 'Next' }).click()

    await page.getByLabel('First name').fill('Ann')
    await page.getByLabel('Last name').fill('Lee')
    await page.getByLabel(/^Email/).fill('ann.lee@gmail.com')
    await page.getByLabel(/^Email/).blur()
    await page
      .getByText("Use an email address at the business's own domain, checked.example.com (not gmail.com)")
      .waitFor()
    await page.getByLabel('Phone number').fill('+1 (415) 523-8886')
    await page.getByLabel('Phone number').blur()
    await page.getByText('Saved as +14155238886').waitFor()
    assert.equal(await page.getByLabel('Phone number').inputValue(), '+14155238886')
    await expectAccessible(page, 'direct wizard, checks failing inline')
    await screenshot(page, 'onboarding-checks-inline')
    assert.equal((await primaryProfiles(env.server.url, a)).length, 0, 'nothing was sent')

    await page.getByLabel(/^Email/).fill('ann@checked.example.com')
    await page.getByLabel(/^Email/).blur()
    await page.getByLabel('Business title').fill('Owner')
    await choose(page, 'Job position', 'CEO')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByLabel('Business name on the address').fill('Checked Co LLC')
    await page.getByLabel('Street').fill('1 Market St')
    await page.getByLabel('City').fill('San Francisco')
    await page.getByLabel('State').fill('CA')
    await page.getByLabel('ZIP code').fill('94105')
    await page.getByRole('button', { name: 'Next' }).click()
    const checks = page.getByRole('region', { name: 'Automated checks' })
    await checks.locator('[data-check="registration_number_format"][data-passed="true"]').waitFor()
    assert.equal(await checks.locator('[data-passed="false"]').count(), 0)
    await expectAccessible(page, 'direct wizard, review step')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await page.getByText('Business profile: Submitted').waitFor()
    const [p] = await primaryProfiles(env.server.url, a)
    assert.equal(p.status, 'pending-review')
    // The representative was saved with the number as the API keeps it.
    const ea = (await http(env.server.url, 'GET', `/v1/CustomerProfiles/${p.sid}/EntityAssignments`, { auth: a })).body
      .results
    const users = await Promise.all(
      ea
        .filter((x: any) => x.object_sid.startsWith('IT'))
        .map((x: any) => http(env.server.url, 'GET', `/v1/EndUsers/${x.object_sid}`, { auth: a })),
    )
    assert.ok(users.some((u) => u.body.attributes.phone_number === '+14155238886'))
    assert.ok(
      users.some((u) => u.body.attributes.business_industry === 'HEALTHCARE'),
      'the value sent is the code',
    )
    await expectAccessible(page, 'direct wizard, submitted')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('ISV: a customer drafted before approval waits with the reason; customers are there in a fresh browser; statuses refresh', async () => {
    const isv = await newAccount(env.server.url, 'CallCloud')
    const first = await openConsole(env.browser, env.server.url, 1440)
    const p = first.page
    await submitIsvPrimary(p, isv)
    const [primary] = await primaryProfiles(env.server.url, isv)
    assert.equal(primary.status, 'pending-review')

    await p.getByLabel('Customer business name').fill('Pizza Planet')
    await p.getByRole('button', { name: 'Add customer' }).click()
    const flow = p.getByRole('region', { name: 'Customer Pizza Planet' })
    await flow.getByRole('heading', { name: 'Customer: Pizza Planet' }).waitFor()
    const table = p.getByRole('table', { name: 'Customers' })
    await table.getByRole('rowheader', { name: 'Pizza Planet' }).waitFor()
    await fillDirectProfile(p, { name: 'Pizza Planet LLC', domain: 'pizzaplanet.com', ein: '11-2223333' })
    const submitButton = flow.getByRole('button', { name: 'Submit for review' })
    assert.equal(await submitButton.isDisabled(), true)
    const why = `Waiting for your primary profile, submitted ${await p.evaluate(
      (d) => new Date(d).toLocaleDateString(),
      primary.date_updated,
    )}.`
    await flow.getByTestId('submit-blocked').filter({ hasText: why }).waitFor()
    await expectAccessible(p, 'ISV wizard, customer drafted before approval')
    await screenshot(p, 'onboarding-isv')

    // A fresh browser: the primary's state and the customer come from the server.
    const fresh = await openConsole(env.browser, env.server.url, 390)
    await signIn(fresh.page, isv.sid, isv.token)
    await fresh.page.getByRole('button', { name: 'Toggle navigation' }).click()
    await fresh.page.getByRole('link', { name: 'ISV / reseller onboarding' }).click()
    await fresh.page.getByText('Business profile: Submitted').waitFor()
    assert.equal(await fresh.page.getByLabel('Legal business name').count(), 0, 'no second primary offered')
    await fresh.page
      .getByRole('table', { name: 'Customers' })
      .getByRole('rowheader', { name: 'Pizza Planet' })
      .waitFor()
    await expectAccessible(fresh.page, 'ISV wizard in a fresh browser, 390 px')
    await noPageOverflow(fresh.page, 'ISV wizard')
    assert.deepEqual(fresh.errors, [])
    await fresh.context.close()

    // The ISV's profile is approved; the next action reads it again, and submitting is allowed.
    assert.equal((await setStatus(env.server.url, primary.sid, 'twilio-approved')).status, 200)
    const row = table.getByRole('row').filter({ hasText: 'Pizza Planet' })
    await row.getByTestId('profile-status').filter({ hasText: 'Not started' }).waitFor()
    await row.getByRole('button', { name: 'Continue onboarding Pizza Planet' }).click()
    await p.getByText('Business profile: Approved').waitFor()
    await flow.getByRole('button', { name: 'Submit for review' }).and(p.locator(':enabled')).waitFor()
    await flow.getByRole('button', { name: 'Submit for review' }).click()
    await flow.getByText('The SHAKEN/STIR trust product tells carriers').waitFor()
    await row.getByTestId('profile-status').filter({ hasText: 'Submitted' }).waitFor()
    await flow.getByRole('button', { name: 'Create and submit the trust product' }).click()
    await row.getByTestId('trust-status').filter({ hasText: 'Submitted' }).waitFor()
    await expectAccessible(p, 'ISV wizard, customer submitted')
    const sub = (await http(env.server.url, 'GET', '/2010-04-01/Accounts.json', { auth: isv })).body.accounts.find(
      (x: any) => x.friendly_name === 'Pizza Planet',
    )
    const secondary = await primaryProfiles(env.server.url, { sid: sub.sid, token: isv.token })
    assert.deepEqual(
      secondary.map((x) => [x.policy_sid, x.status]),
      [[SECONDARY_POLICY, 'pending-review']],
    )
    assert.deepEqual(first.errors, [])
    await first.context.close()
  })

  it('customers area: one row per sub-account with its state; act as a customer from a row or the switcher', async () => {
    const isv = await newAccount(env.server.url, 'Reseller One')
    const primary = await makeApprovedPrimaryProfile(env.server.url, isv, { identity: 'isv_reseller_or_partner' })
    const ready = await newSubAccount(env.server.url, isv, 'Ready Burgers')
    const asReady = { sid: ready.sid, token: isv.token }
    const sec = await makeCompliantProfile(env.server.url, asReady, {
      policySid: SECONDARY_POLICY,
      primarySid: primary,
    })
    assert.equal((await submit(env.server.url, asReady, 'CustomerProfiles', sec)).status, 200)
    await setStatus(env.server.url, sec, 'twilio-approved')
    const tp = await makeTrustProduct(env.server.url, asReady, sec)
    assert.equal((await submit(env.server.url, asReady, 'TrustProducts', tp)).status, 200)
    await newSubAccount(env.server.url, isv, 'New Tacos')

    for (const width of [1440, 390]) {
      const { page, context, errors } = await openConsole(env.browser, env.server.url, width)
      await signIn(page, isv.sid, isv.token)
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
      if (width === 390) await page.getByRole('button', { name: 'Toggle navigation' }).click()
      await page.getByRole('link', { name: 'Customers' }).click()
      await page.getByRole('heading', { name: 'Customers' }).waitFor()
      const table = page.getByRole('table', { name: 'Customers' })
      const burgers = table.getByRole('row').filter({ hasText: 'Ready Burgers' })
      await burgers.getByTestId('profile-status').filter({ hasText: 'Approved' }).waitFor()
      await burgers.getByTestId('trust-status').filter({ hasText: 'Submitted' }).waitFor()
      await burgers.getByTestId('numbers').filter({ hasText: '0' }).waitFor()
      const tacos = table.getByRole('row').filter({ hasText: 'New Tacos' })
      await tacos.getByTestId('profile-status').filter({ hasText: 'Not started' }).waitFor()
      await expectAccessible(page, `customers, ${width} px`)
      if (width === 390) {
        await noPageOverflow(page, 'customers')
        await screenshot(page, 'customers-390px')
      } else await screenshot(page, 'customers')

      if (width === 1440) {
        // Act as a customer from its row: every page now works in that sub-account.
        await burgers.getByRole('button', { name: 'Act as Ready Burgers' }).click()
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
        await page.getByRole('heading', { name: 'Ready Burgers' }).waitFor()
        const switcher = page.getByRole('combobox', { name: 'Acting as account' })
        assert.equal(await switcher.inputValue(), 'Ready Burgers')
        await page.getByRole('link', { name: 'Phone numbers' }).click()
        await page.getByRole('heading', { name: 'Phone numbers' }).waitFor()
        await expectAccessible(page, 'numbers page acting as a customer')
        // Back to the ISV's own account through the switcher, then to the other customer.
        await choose(page, 'Acting as account', 'Reseller One (you)')
        await page.getByRole('heading', { name: 'Reseller One' }).waitFor()
        await switcher.click()
        await switcher.fill('New')
        await page.getByRole('option', { name: 'New Tacos' }).click()
        await page.getByRole('heading', { name: 'New Tacos' }).waitFor()
        await page.getByRole('region', { name: 'Onboarding checklist' }).getByText('0 of 3 steps done.').waitFor()
        await expectAccessible(page, 'dashboard acting as a new customer')
      }
      assert.deepEqual(errors, [])
      await context.close()
    }
  })

  it("the demo's ISV, in a fresh browser, is onboarded with its customer, not asked to start over", async () => {
    const r = await runDemo({
      url: env.server.url,
      op: { url: env.server.url, bearer: ADMIN_TOKEN },
      out: () => undefined,
    })
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, r.isv.sid, r.isv.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    assert.equal(await page.getByRole('region', { name: 'Onboarding checklist' }).count(), 0)
    await page.getByRole('link', { name: 'ISV / reseller onboarding' }).click()
    await page.getByText('Business profile: Approved').waitFor()
    assert.equal(await page.getByLabel('Legal business name').count(), 0)
    const pizza = page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: 'Pizza Planet' })
    await pizza.getByTestId('profile-status').filter({ hasText: 'Approved' }).waitFor()
    await pizza.getByTestId('trust-status').filter({ hasText: 'Approved' }).waitFor()
    await expectAccessible(page, 'ISV wizard of the demo ISV')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
