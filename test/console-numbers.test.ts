/**
 * The console's numbers page in headless Chromium against a real server (SQLite): levels,
 * "on profile" / "on trust product", sorting and pages, the "why?" popover, a CSV upload run
 * as a server job (a number without '+', one already assigned, another account's: each
 * reported apart, levels refreshed), buying from the inventory, a hosted-number order, the
 * dashboard's numbers-by-level card, and the page at 390 px.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { addBundle, addNumberRow, assignNumberRow } from './helpers/attestation-world.js'
import { choose, expectAccessible, openConsole, screenshot, consoleEnvironment, signIn } from './helpers/browser.js'
import { POLICY } from '../src/domain/policies.js'

/** A whole-page screenshot from the top (the header is fixed: a scrolled page would show it mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, name)
}

/** `+1 310-234-0000`-style, as the console writes numbers. */
const human = (e164: string) => `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`

describe('console: phone numbers', () => {
  const env = consoleEnvironment()
  let a: Creds
  let numbers: string[]
  let onBoth: string
  let foreign: string
  before(async () => {
    a = await newAccount(env.server.url, 'Numbers Co')
    const other = await newAccount(env.server.url, 'Other Co')
    const db = env.server.running.ctx.store.db
    const profile = await addBundle(db, a.sid, POLICY.PRIMARY_PROFILE)
    const trust = await addBundle(db, a.sid, POLICY.SHAKEN_STIR, 'twilio-approved', profile)
    await db.updateTable('bundles').set({ friendly_name: 'Numbers Co profile' }).where('sid', '=', profile).execute()
    await db.updateTable('bundles').set({ friendly_name: 'Numbers Co calls' }).where('sid', '=', trust).execute()
    // 30 numbers (two pages of 25), in number order 310-234-0100 … 0129; the last on both bundles.
    numbers = Array.from({ length: 30 }, (_, i) => `+1310234${String(100 + i).padStart(4, '0')}`)
    const placed = await http(env.server.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { PhoneNumbers: numbers },
    })
    assert.equal(placed.body.added, 30, JSON.stringify(placed.body))
    onBoth = numbers[29]!
    const list = await http(
      env.server.url,
      'GET',
      `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json?PageSize=100`,
      {
        auth: a,
      },
    )
    const pn = list.body.incoming_phone_numbers.find((n: any) => n.phone_number === onBoth).sid
    await assignNumberRow(db, profile, a.sid, pn, 'customer-profile')
    await assignNumberRow(db, trust, a.sid, pn, POLICY.SHAKEN_STIR)
    foreign = (await addNumberRow(db, other.sid, '+13102349999')).phone
    const stock = await http(env.server.url, 'POST', '/admin/v1/PhoneNumberInventory', {
      auth: { bearer: ADMIN_TOKEN },
      json: { PhoneNumbers: ['+13102345678', '+13102345679'] },
    })
    assert.equal(stock.body.added, 2, JSON.stringify(stock.body))
  })

  it('levels, sorting, pages, why?, a CSV upload, buying, a hosted order and the dashboard card', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, a.sid, a.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    const card = page.getByTestId('numbers-by-level')
    await card.getByText('A: 1').waitFor()
    await card.getByText('B: 29').waitFor()
    await expectAccessible(page, 'dashboard with numbers by level')

    await page.getByRole('link', { name: 'Phone numbers' }).click()
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor()
    const table = page.getByRole('table', { name: 'Phone numbers' })
    const count = page.getByTestId('numbers-count')
    await count.filter({ hasText: '30 of 30 numbers' }).waitFor()
    await table.getByTestId('row-level').first().waitFor()
    // Page 1 of 2, in number order; the last number is on page 2.
    assert.equal(await table.getByRole('row').count(), 26)
    assert.equal(
      await table
        .getByRole('row')
        .filter({ hasText: human(onBoth) })
        .count(),
      0,
    )
    // The pointer rests on the page, not on the navigation link it clicked (a hovered link is another colour).
    await page.getByRole('heading', { name: 'Phone numbers' }).hover()
    await expectAccessible(page, 'numbers')
    await screenshot(page, 'numbers')
    await page.getByRole('button', { name: 'Page 2' }).click()
    const last = table.getByRole('row').filter({ hasText: human(onBoth) })
    await last.getByText('A', { exact: true }).waitFor()
    await last.getByText('Yes: Numbers Co profile').waitFor()
    await last.getByText('Yes: Numbers Co calls').waitFor()
    // Sorted by level: A first.
    await page.getByRole('button', { name: /^Level today/ }).click()
    await table
      .getByRole('row')
      .nth(1)
      .filter({ hasText: human(onBoth) })
      .waitFor()
    assert.equal(await page.getByRole('columnheader', { name: /Level today/ }).getAttribute('aria-sort'), 'ascending')
    await page.getByRole('button', { name: /^Number/ }).click()

    // Why? for a number on no bundle: B, what A needs, and the next step as a button.
    const first = table.getByRole('row').filter({ hasText: human(numbers[0]!) })
    await first.getByRole('button', { name: `Why? ${human(numbers[0]!)}` }).click()
    const why = page.getByTestId('why')
    await why.getByText('On a trust product: no').waitFor()
    await why
      .getByRole('button', { name: `Assign ${human(numbers[0]!)} to your business profile “Numbers Co profile”` })
      .waitFor()
    assert.match(await why.getByTestId('why-steps-a').innerText(), /assign \+1 310-234-0100 to your business profile/)
    await why.getByText('On a business profile: no').hover()
    await expectAccessible(page, 'numbers: why? popover')
    await screenshot(page, 'numbers-why')
    await page.keyboard.press('Escape')

    // The regression: a CSV with a number without '+', one already assigned and another account'env.server.
    const csv = ['phone_number', numbers[0]!.slice(2), numbers[1], onBoth, foreign].join('\n')
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByRole('button', { name: 'Assign the file to the profile and trust product' }).click()
    await page.getByRole('status').filter({ hasText: 'Done: 2 assigned, 1 already assigned, 1 refused' }).waitFor()
    const refused = page.getByRole('table', { name: 'Refused lines' }).getByRole('row')
    assert.equal(await refused.count(), 2)
    assert.match(
      await refused.nth(1).innerText(),
      /5\s+\+13102349999\s+\+13102349999 is not a phone number of this account/,
    )
    // Levels refreshed: the number sent without '+' is A now.
    await first.getByText('A', { exact: true }).waitFor()
    await table
      .getByRole('row')
      .filter({ hasText: human(numbers[1]!) })
      .getByText('A', { exact: true })
      .waitFor()
    await expectAccessible(page, 'numbers: bulk result')
    await shot(page, 'numbers-bulk-result')

    // Filter: numbers not on a trust product.
    await choose(page, 'Show', 'Not on a trust product')
    await count.filter({ hasText: '27 of 30 numbers' }).waitFor()
    await choose(page, 'Show', 'All numbers')

    // Buy from the inventory by area code.
    await page.getByLabel('Area code').fill('310')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('button', { name: 'Buy +1 310-234-5678' }).click()
    await page.getByRole('status').filter({ hasText: '+1 310-234-5678 is yours now.' }).waitFor()
    await count.filter({ hasText: '31 of 31 numbers' }).waitFor()
    await expectAccessible(page, 'numbers: bought')
    await shot(page, 'numbers-buy')

    // A hosted-number order with its letter of authorization.
    for (const [label, value] of [
      ['Number to host', '+13102226789'],
      ['Signer’s name', 'Jane Doe'],
      ['Signer’s title', 'Owner'],
      ['Signer’s email', 'jane@numbers.example'],
      ['Signer’s phone', '+13102220000'],
      ['Current carrier', 'Carrier Co'],
      ['Account number at the carrier', '12345'],
      ['Name at the address', 'Numbers Co'],
      ['Street', '1 Main St'],
      ['City', 'Los Angeles'],
      ['State (two letters)', 'CA'],
      ['ZIP code', '90001'],
    ] as const)
      await page.getByRole('textbox', { name: label }).fill(value)
    await page.getByRole('button', { name: 'File the hosted-number order' }).click()
    await page.getByRole('status').filter({ hasText: 'Order filed for +1 310-222-6789' }).waitFor()
    const orders = page.getByRole('table', { name: 'Hosted-number orders' })
    await orders
      .getByRole('row')
      .filter({ hasText: '+1 310-222-6789' })
      .getByText('Filed — waiting for a reviewer')
      .waitFor()
    const filed = await http(env.server.url, 'GET', '/v2/HostedNumber/Orders', { auth: a })
    assert.equal(filed.body.items[0].phone_number, '+13102226789')
    await expectAccessible(page, 'numbers: hosted order filed')
    await shot(page, 'numbers-hosted-order')

    // The dashboard card links to the numbers page filtered by level.
    await page.getByRole('link', { name: 'Dashboard' }).click()
    await card.getByText('A: 3').waitFor()
    await page.getByRole('link', { name: 'A: 3, show these numbers' }).click()
    await count.filter({ hasText: '3 of 31 numbers' }).waitFor()
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('at 390 px the table scrolls in its own box, not the page', async () => {
    const { page, errors, context } = await openConsole(env.browser, env.server.url, 390)
    await signIn(page, a.sid, a.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('button', { name: 'Toggle navigation' }).click()
    await page.getByRole('link', { name: 'Phone numbers' }).click()
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor()
    await page.getByRole('table', { name: 'Phone numbers' }).getByTestId('row-level').first().waitFor()
    await page.getByRole('heading', { name: 'Phone numbers' }).hover()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no horizontal scroll at 390 px (overflow ${overflow})`)
    await expectAccessible(page, 'numbers at 390 px')
    await screenshot(page, 'numbers-390px')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
