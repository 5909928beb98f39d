/**
 * Reviewer workspace details in Chromium: the SLA age and overdue highlighting (server clock
 * moved past the 24 h business-profile SLA), keyboard navigation with j/k, the queue at
 * phone width, a copy's changes since the approved version, and a resubmission's since the
 * rejected one.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN, startServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { makeApprovedPrimaryProfile, makeCompliantProfile, submit } from './helpers/onboarding.js'
import { expectAccessible, consoleEnvironment, openConsole, signInStaff } from './helpers/browser.js'

describe('console: reviewer queue SLA and keyboard', () => {
  let now = Date.now()
  const env = consoleEnvironment(() => startServer('sqlite', { clock: () => new Date(now) }))

  it('flags bundles past their SLA and moves through the queue with j/k', async () => {
    const a = await newAccount(env.server.url, 'Late Co')
    const late = await makeCompliantProfile(env.server.url, a, { business: { business_name: 'Late Co' } })
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', late)).status, 200)
    now += 30 * 3600_000
    // One primary profile per account: the second bundle is another account'env.server.
    const b = await newAccount(env.server.url, 'Fresh Co')
    const fresh = await makeCompliantProfile(env.server.url, b, { business: { business_name: 'Fresh Co' } })
    assert.equal((await submit(env.server.url, b, 'CustomerProfiles', fresh)).status, 200)

    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ADMIN_TOKEN)
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
    await rows.nth(0).getByText('Overdue').waitFor()
    assert.equal(await rows.nth(1).getAttribute('data-overdue'), null)
    await expectAccessible(page, 'operator queue with an overdue row')

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
    await expectAccessible(page, 'operator queue at 390 px')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a copy under review lists the changes since the approved version', async () => {
    const a = await newAccount(env.server.url, 'Revised Co')
    const profile = await makeApprovedPrimaryProfile(env.server.url, a)
    const copy = (
      await http(env.server.url, 'POST', `/v1/CustomerProfiles/${profile}/Copies`, {
        auth: a,
        form: { FriendlyName: 'Revised Co 2' },
      })
    ).body.sid
    for (const o of (await http(env.server.url, 'GET', `/v1/CustomerProfiles/${copy}/EntityAssignments`, { auth: a }))
      .body.results) {
      const eu = await http(env.server.url, 'GET', `/v1/EndUsers/${o.object_sid}`, { auth: a })
      if (eu.body.type !== 'customer_profile_business_information') continue
      assert.equal(
        (
          await http(env.server.url, 'POST', `/v1/EndUsers/${o.object_sid}`, {
            auth: a,
            form: { Attributes: JSON.stringify({ ...eu.body.attributes, business_name: 'Revised Holdings' }) },
          })
        ).status,
        200,
      )
    }
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', copy)).status, 200)

    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Revised Co 2' }).click()
    const changes = page.getByRole('table', { name: 'Changes since the approved version' })
    await changes.waitFor()
    const rows = changes.locator('tbody tr')
    assert.equal(await rows.count(), 1)
    assert.deepEqual(await rows.nth(0).locator('td').allInnerTexts(), [
      'Business information · Legal business name',
      'Acme Inc',
      'Revised Holdings',
    ])
    // The original is named and opens its own (approved) review.
    await page.getByText('A copy of Acme (Approved)').waitFor()
    await expectAccessible(page, 'reviewer detail of a copy')
    await page.getByRole('region', { name: 'Review detail' }).getByRole('button', { name: 'Acme', exact: true }).click()
    await page.getByRole('region', { name: 'Review detail' }).getByText('Decided by operator').waitFor()
    assert.equal(
      (await http(env.server.url, 'GET', `/admin/v1/Reviews/${profile}`, { auth: { bearer: ADMIN_TOKEN } })).body
        .status,
      'twilio-approved',
    )
    assert.deepEqual(errors, [])
    await context.close()
  })
  it('a resubmission lists what changed since the rejected version', async () => {
    const a = await newAccount(env.server.url, 'Again Co')
    const bu = await makeCompliantProfile(env.server.url, a)
    await http(env.server.url, 'POST', `/v1/CustomerProfiles/${bu}`, { auth: a, form: { FriendlyName: 'Again Co' } })
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', bu)).status, 200)
    const rejected = await http(env.server.url, 'POST', `/admin/v1/Reviews/${bu}/Reject`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Errors: [18606], Reason: 'Use an email at your domain' },
    })
    assert.equal(rejected.status, 200)
    for (const o of (await http(env.server.url, 'GET', `/v1/CustomerProfiles/${bu}/EntityAssignments`, { auth: a }))
      .body.results) {
      const eu = await http(env.server.url, 'GET', `/v1/EndUsers/${o.object_sid}`, { auth: a })
      if (eu.body.type !== 'authorized_representative_1') continue
      const r = await http(env.server.url, 'POST', `/v1/EndUsers/${o.object_sid}`, {
        auth: a,
        form: { Attributes: JSON.stringify({ ...eu.body.attributes, email: 'jane@acme.example.com.fixed' }) },
      })
      assert.equal(r.status, 200)
    }
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', bu)).status, 200)
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Again Co' }).click()
    const changes = page.getByRole('table', { name: 'Changes since the decided version' })
    await changes.waitFor()
    assert.deepEqual(await changes.locator('tbody tr').nth(0).locator('td').allInnerTexts(), [
      'Authorized representative 1 · Email',
      'jane@acme.example.com',
      'jane@acme.example.com.fixed',
    ])
    await page.getByText(/Submission 1 was rejected on .*: “Use an email at your domain”/).waitFor()
    await expectAccessible(page, 'reviewer detail of a resubmission')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
