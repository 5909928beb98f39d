/**
 * Reviewer workspace details in Chromium: the SLA age and overdue highlighting (server clock
 * moved past the 24 h business-profile SLA), keyboard navigation with j/k, the queue at
 * phone width, and a copy's changes since the approved version.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { makeApprovedPrimaryProfile, makeCompliantProfile, submit } from './helpers/onboarding.js'
import { serverAndBrowser, openConsole } from './helpers/browser.js'

describe('console: reviewer queue SLA and keyboard', () => {
  let s: TestServer
  let browser: Browser
  let now = Date.now()
  before(async () => {
    ;[s, browser] = await serverAndBrowser(startServer('sqlite', { clock: () => new Date(now) }))
  })
  after(async () => {
    await browser?.close()
    await s?.stop()
  })

  it('flags bundles past their SLA and moves through the queue with j/k', async () => {
    const a = await newAccount(s.url, 'Late Co')
    const late = await makeCompliantProfile(s.url, a, { business: { business_name: 'Late Co' } })
    assert.equal((await submit(s.url, a, 'CustomerProfiles', late)).status, 200)
    now += 30 * 3600_000
    // One primary profile per account: the second bundle is another account's.
    const b = await newAccount(s.url, 'Fresh Co')
    const fresh = await makeCompliantProfile(s.url, b, { business: { business_name: 'Fresh Co' } })
    assert.equal((await submit(s.url, b, 'CustomerProfiles', fresh)).status, 200)

    const { page, context, errors } = await openConsole(browser, s.url)
    await page.getByRole('tab', { name: 'Reviewer / operator' }).click()
    await page.getByLabel('Reviewer or operator token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const rows = page.getByRole('table', { name: 'Bundles waiting for review' }).locator('tbody tr')
    await rows.nth(1).waitFor()
    assert.equal(await rows.count(), 2)
    // The operator also sees what the server signs and verifies with.
    const platform = page.getByLabel('Platform')
    await platform.getByText(/Signing as SPC/).waitFor()
    const card = await platform.innerText()
    assert.match(card, /Trusted STI-CA roots: 1 · no STI-PA trust list/)
    assert.match(card, /ES256: (native|node:crypto) \(.*\) · HTTP fast lane: on/)
    assert.equal(await rows.nth(0).getAttribute('data-overdue'), 'true', 'the older submission is overdue')
    await rows.nth(0).getByText('overdue').waitFor()
    assert.equal(await rows.nth(1).getAttribute('data-overdue'), null)

    await page.getByRole('heading', { name: 'Review queue' }).click()
    assert.equal(await rows.nth(0).getAttribute('aria-selected'), 'true')
    await page.keyboard.press('j')
    await rows.nth(1).and(page.locator('[aria-selected="true"]')).waitFor()
    await page.keyboard.press('k')
    await rows.nth(0).and(page.locator('[aria-selected="true"]')).waitFor()

    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('heading', { name: 'Review queue' }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no page-level horizontal scroll at 390 px (overflow ${overflow})`)
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a copy under review lists the changes since the approved version', async () => {
    const a = await newAccount(s.url, 'Revised Co')
    const profile = await makeApprovedPrimaryProfile(s.url, a)
    const copy = (
      await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/Copies`, {
        auth: a,
        form: { FriendlyName: 'Revised Co 2' },
      })
    ).body.sid
    for (const o of (await http(s.url, 'GET', `/v1/CustomerProfiles/${copy}/EntityAssignments`, { auth: a })).body
      .results) {
      const eu = await http(s.url, 'GET', `/v1/EndUsers/${o.object_sid}`, { auth: a })
      if (eu.body.type !== 'customer_profile_business_information') continue
      assert.equal(
        (
          await http(s.url, 'POST', `/v1/EndUsers/${o.object_sid}`, {
            auth: a,
            form: { Attributes: JSON.stringify({ ...eu.body.attributes, business_name: 'Revised Holdings' }) },
          })
        ).status,
        200,
      )
    }
    assert.equal((await submit(s.url, a, 'CustomerProfiles', copy)).status, 200)

    const { page, context, errors } = await openConsole(browser, s.url)
    await page.getByRole('tab', { name: 'Reviewer / operator' }).click()
    await page.getByLabel('Reviewer or operator token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'Revised Co 2' }).click()
    const changes = page.getByRole('list', { name: 'Changes since the approved version' })
    await changes.waitFor()
    assert.equal(await changes.locator('li').count(), 1)
    assert.match(
      await changes.innerText(),
      /customer_profile_business_information · business_name: Acme Inc → Revised Holdings/,
    )
    await page.getByText(`revision of ${profile} (twilio-approved)`).waitFor()
    assert.deepEqual(errors, [])
    await context.close()
  })
})
