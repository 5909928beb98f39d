/**
 * The console's Calls page in headless Chromium against a real server (SQLite): a call signed
 * over the API shows in the table, found by its calling number in any spelling and by its
 * origination ID, narrowed by level and outcome; its detail shows the recorded why (the rule
 * in words, the reasons, the profile, trust product and number origin); Export CSV downloads
 * the current filter; the page passes WCAG AA and fits 390 px.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
import { http, type Creds } from './helpers/http.js'
import { buildWorld, usNumber, type World } from './helpers/attestation-world.js'
import { choose, consoleEnvironment, expectAccessible, openConsole, screenshot, signIn } from './helpers/browser.js'

/** `+1 310-234-0000`-style, as the console writes numbers. */
const human = (e164: string) => `+1 ${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`

describe('console: calls', () => {
  const env = consoleEnvironment()
  let w: World
  let caller: Creds
  let origid: string
  before(async () => {
    w = await buildWorld(env.server.url, env.server.running.ctx.store.db, 'direct')
    caller = w.caller
    const sign = (dest: string, rid: string) =>
      http(env.server.url, 'POST', '/stir/v1/signing', {
        auth: caller,
        headers: { 'x-requestid': rid },
        json: {
          signingRequest: {
            attest: 'A',
            orig: { tn: w.number.phone.slice(1) },
            dest: { tn: [dest] },
            iat: Math.floor(Date.now() / 1000),
            origid: randomUUID(),
          },
        },
      })
    // 25 older calls from other numbers first, so the table has a second page.
    for (let i = 0; i < 25; i++) {
      const r = await http(env.server.url, 'POST', '/stir/v1/signing', {
        auth: caller,
        json: {
          signingRequest: {
            attest: 'A',
            orig: { tn: usNumber().slice(1) },
            dest: { tn: ['442071838750'] },
            iat: Math.floor(Date.now() / 1000),
            origid: randomUUID(),
          },
        },
      })
      assert.equal(r.status, 200)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal((await sign('12125551212', 'console-a')).status, 200)
    assert.equal((await sign('442071838750', 'console-uk')).status, 200)
    // Written by the recorder every 500 ms: wait for both records.
    for (let i = 0; ; i++) {
      const r = await http(env.server.url, 'GET', '/stir/v1/calls?PageSize=100', { auth: caller })
      if (r.body.calls.length === 27) {
        origid = r.body.calls[0].origid
        break
      }
      assert.ok(i < 100, 'the records were written')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })

  it('finds a signed call, filters it, shows why it got A, and exports the filter as CSV', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, caller.sid, caller.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('link', { name: 'Calls', exact: true }).click()
    await page.getByRole('heading', { name: 'Calls', level: 2 }).waitFor()
    const table = page.getByRole('table', { name: 'Calls' })
    const rows = table.getByRole('row').filter({ hasText: human(w.number.phone) })
    await rows.first().waitFor()
    assert.equal(await rows.count(), 2)
    await expectAccessible(page, 'calls page')
    // 27 calls: a page of 25, Next to the last 2, Previous back.
    const status = page.getByTestId('calls-status')
    await status.filter({ hasText: 'Page 1: 25 calls' }).waitFor()
    await page.getByRole('button', { name: 'Next' }).click()
    await status.filter({ hasText: 'Page 2: 2 calls' }).waitFor()
    assert.equal(await rows.count(), 0, 'the newest calls are on page 1')
    await page.getByRole('button', { name: 'Previous' }).click()
    await status.filter({ hasText: 'Page 1: 25 calls' }).waitFor()
    assert.equal(await rows.count(), 2)

    // By the calling number, spelled as people type it; then by origid.
    await page.getByLabel('Calling number').fill(w.number.phone.slice(2))
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByTestId('calls-status').filter({ hasText: 'Page 1: 2 calls' }).waitFor()
    await page.getByLabel('Origination ID (origid)').fill(origid)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByTestId('calls-status').filter({ hasText: 'Page 1: 2 calls' }).waitFor()
    await page.getByLabel('Origination ID (origid)').fill('not-an-origid')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('alert').filter({ hasText: 'origid' }).waitFor()
    await page.getByLabel('Origination ID (origid)').fill('')
    await page.getByRole('button', { name: 'Search' }).click()

    await choose(page, 'Outcome', 'Not signed')
    await page.getByTestId('calls-status').filter({ hasText: 'Page 1: 1 call' }).waitFor()
    assert.equal(await table.getByRole('row').filter({ hasText: 'Not signed' }).count(), 1)
    await choose(page, 'Outcome', 'Any outcome')
    await choose(page, 'Level', 'A — full')
    await page.getByTestId('calls-status').filter({ hasText: 'Page 1: 1 call' }).waitFor()
    const a = table.getByRole('row').filter({ hasText: '+1 212-555-1212' })
    assert.equal(await a.count(), 1)

    // The why, as recorded when the call was signed.
    await a.getByRole('button', { name: /Details/ }).click()
    const detail = page.getByTestId('call-detail')
    await detail.waitFor()
    assert.equal(
      await detail.getByTestId('call-rule').textContent(),
      'Level A: the calling number is yours and on an approved trust product',
    )
    assert.ok((await detail.getByTestId('call-reasons').getByRole('listitem').count()) > 0)
    const text = (await detail.textContent()) ?? ''
    assert.ok(text.includes(w.profileSid), 'the business profile')
    assert.ok(text.includes(w.trustSid), 'the trust product')
    assert.ok(text.includes("Bought from the operator's inventory"), 'the number origin')
    await expectAccessible(page, 'call detail')
    await screenshot(page, 'page-direct-calls-detail')
    await page.getByRole('button', { name: 'Close' }).click()

    // Export CSV: the current filter (level A) as a file.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    assert.equal(file.suggestedFilename(), 'calls.csv')
    const csv = fs
      .readFileSync((await file.path())!, 'utf8')
      .trimEnd()
      .split('\r\n')
    assert.equal(csv.length, 2, csv.join('\n'))
    assert.match(csv[0]!, /^sid,date_created,kind/)
    // An E.164 number is no formula: kept as it is.
    assert.ok(csv[1]!.includes(`,${w.number.phone},`))
    assert.ok(csv[1]!.includes('full-attestation'))
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('at 390 px: no sideways scroll, the detail fits, and it stays accessible', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 390)
    await signIn(page, caller.sid, caller.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.goto('/console/calls')
    await page.getByRole('table', { name: 'Calls' }).getByRole('row').nth(2).waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok((await overflow()) <= 0, `overflow ${await overflow()} px`)
    await expectAccessible(page, 'calls page at 390 px')
    await page
      .getByRole('button', { name: /Details/ })
      .first()
      .click()
    await page.getByTestId('call-detail').waitFor()
    assert.ok((await overflow()) <= 0, `detail overflow ${await overflow()} px`)
    await expectAccessible(page, 'call detail at 390 px')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
