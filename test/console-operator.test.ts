/**
 * The operator's area of the console in headless Chromium (SQLite): accounts found by search,
 * suspended and reactivated after a confirmation that says what it does (the API agrees);
 * inventory numbers added from a pasted list and removed; a SIP trunk created, edited and
 * deleted; a reviewer added and its token rotated, each token shown once; the platform panel.
 * A reviewer sees none of it and is told so. A customer's dashboard charts its signed calls
 * per local day and level over 7, 30 and 90 days.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { ADMIN_TOKEN, startServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type Creds } from './helpers/http.js'
import { buildWorld } from './helpers/attestation-world.js'
import {
  choose,
  expectAccessible,
  openConsole,
  screenshot,
  consoleEnvironment,
  signIn,
  signInStaff,
} from './helpers/browser.js'

const operator = { bearer: ADMIN_TOKEN }
const DAY = 86_400_000

/** An account's status as the operator's API reports it. */
async function statusOf(base: string, sid: string): Promise<string> {
  const r = await http(base, 'GET', `/admin/v1/Accounts?Search=${sid}`, { auth: operator })
  assert.equal(r.status, 200)
  return r.body.results[0].status
}

describe('console: the operator area', () => {
  let now = Date.now()
  const env = consoleEnvironment(() => startServer('sqlite', { clock: () => new Date(now) }))
  let globex: Creds
  let initech: Creds
  let ritaToken = ''
  before(async () => {
    globex = await newAccount(env.server.url, 'Globex Telecom')
    await newSubAccount(env.server.url, globex, 'Globex East')
    initech = await newAccount(env.server.url, 'Initech Voice')
  })

  it('accounts: search, suspend and reactivate with the consequence stated, at 1440 and 390 px', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ADMIN_TOKEN)
    await expectAccessible(page, 'review queue, as the operator')
    await page.getByRole('link', { name: 'Accounts' }).click()
    const table = page.getByRole('table', { name: 'Accounts' })
    await table.getByText('Initech Voice').waitFor()
    await page.getByLabel('Search').fill('GLOBEX')
    await page.getByRole('button', { name: 'Search' }).click()
    await table.getByText('Globex East').waitFor()
    await table.getByText('Initech Voice').waitFor({ state: 'detached' })
    assert.equal(await table.locator('tbody tr').count(), 2)
    await table.getByText('Sub-account of Globex Telecom').waitFor()
    await expectAccessible(page, 'operator accounts')
    await screenshot(page, 'operator-accounts')

    await page.getByRole('button', { name: 'New account' }).click()
    const form = page.getByRole('dialog', { name: 'New account' })
    await form.getByLabel('Name').fill('Hooli Calls')
    await expectAccessible(page, 'operator accounts: new account form')
    await form.getByRole('button', { name: 'Create account' }).click()
    const once = page.getByTestId('token-once')
    const sid = /account (AC[0-9a-f]{32}) created/.exec(await once.innerText())?.[1]
    assert.ok(sid, await once.innerText())
    const token = (await once.getByTestId('token').innerText()).trim()
    const own = await http(env.server.url, 'GET', `/2010-04-01/Accounts/${sid}.json`, { auth: { sid, token } })
    assert.deepEqual([own.status, own.body.friendly_name], [200, 'Hooli Calls'], 'the token shown signs in')
    await once.getByRole('button', { name: 'I have copied it' }).click()
    await once.waitFor({ state: 'detached' })

    await page.getByLabel('Search').fill('initech')
    await page.getByRole('button', { name: 'Search' }).click()
    const row = table.locator(`tr[data-sid="${initech.sid}"]`)
    await row.getByRole('button', { name: 'Suspend' }).click()
    const dialog = page.getByRole('dialog', { name: 'Suspend Initech Voice?' })
    await dialog.getByText(/its calls are no longer signed/).waitFor()
    await expectAccessible(page, 'operator accounts: suspend confirmation')
    await dialog.getByRole('button', { name: 'Suspend' }).click()
    await row.getByText('Suspended', { exact: true }).waitFor()
    await page.getByRole('status').getByText('Initech Voice suspended.').waitFor()
    assert.equal(await statusOf(env.server.url, initech.sid), 'suspended')
    assert.equal((await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: initech })).status, 403)
    await page.getByLabel('Search').fill('')
    await page.getByRole('button', { name: 'Search' }).click()
    await choose(page, 'Status', 'Suspended')
    await table.getByText('Globex Telecom', { exact: true }).waitFor({ state: 'detached' })
    assert.equal(await table.locator('tbody tr').count(), 1, 'only the suspended account')
    await choose(page, 'Status', 'Any status')
    await table.getByText('Globex Telecom', { exact: true }).waitFor()

    await row.getByRole('button', { name: 'Reactivate' }).click()
    await page
      .getByRole('dialog', { name: 'Reactivate Initech Voice?' })
      .getByRole('button', { name: 'Reactivate' })
      .click()
    await row.getByText('Active', { exact: true }).waitFor()
    assert.equal(await statusOf(env.server.url, initech.sid), 'active')
    assert.equal((await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: initech })).status, 200)

    // 25 accounts a page: Next follows the API's page token, Previous comes back.
    for (let i = 0; i < 25; i++) await newAccount(env.server.url, `Bulk ${String(i).padStart(2, '0')}`)
    await page.reload()
    const sids = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sid')))
    await table.locator('tbody tr').nth(24).waitFor()
    const first = await sids()
    assert.equal(first.length, 25)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Page 2', { exact: true }).waitFor()
    await table.locator('tbody tr').nth(4).waitFor({ state: 'detached' })
    const second = await sids()
    assert.equal(second.length, 4, 'the 29 accounts end on page 2')
    assert.ok(!second.some((sid) => first.includes(sid)), 'no account on both pages')
    await page.getByRole('button', { name: 'Previous' }).click()
    await table.locator('tbody tr').nth(24).waitFor()
    assert.deepEqual(await sids(), first)
    assert.deepEqual(errors, [])
    await context.close()

    const phone = await openConsole(env.browser, env.server.url, 390)
    await signInStaff(phone.page, ADMIN_TOKEN)
    await phone.page.goto('/console/operator/accounts')
    await phone.page.getByRole('table', { name: 'Accounts' }).locator('tbody tr').nth(24).waitFor()
    await phone.page.getByLabel('Search').fill('globex')
    await phone.page.getByRole('button', { name: 'Search' }).click()
    await phone.page.getByRole('table', { name: 'Accounts' }).locator('tbody tr').nth(2).waitFor({ state: 'detached' })
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(overflow <= 390, `the page scrolls sideways at 390 px (${overflow} px wide)`)
    await expectAccessible(phone.page, 'operator accounts at 390 px')
    await screenshot(phone.page, 'operator-accounts-390px')
    assert.deepEqual(phone.errors, [])
    await phone.context.close()
  })

  it('inventory, SIP trunks, reviewers and the platform panel', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ADMIN_TOKEN)

    await page.getByRole('link', { name: 'Number inventory' }).click()
    await page.getByLabel('Numbers to add').fill('phone_number\n+13125550140\n+13125550141, +13125550142\n123')
    await page.getByRole('button', { name: 'Add 4 numbers' }).click()
    await page
      .getByTestId('import-result')
      .getByText(/Added 3; 1 refused/)
      .waitFor()
    const inventory = page.getByRole('table', { name: 'Number inventory' })
    await inventory.getByText('+13125550142').waitFor()
    await inventory.getByText('Available to buy').first().waitFor()
    await expectAccessible(page, 'operator inventory')
    await screenshot(page, 'operator-inventory')
    await page.getByRole('button', { name: 'Remove +13125550141' }).click()
    await page.getByRole('dialog', { name: 'Remove +13125550141?' }).getByRole('button', { name: 'Remove' }).click()
    await inventory.getByText('+13125550141').waitFor({ state: 'detached' })
    const stock = await http(env.server.url, 'GET', '/admin/v1/PhoneNumberInventory', { auth: operator })
    assert.deepEqual(
      stock.body.results.map((n: any) => n.phone_number),
      ['+13125550140', '+13125550142'],
    )

    await page.getByRole('link', { name: 'SIP trunks' }).click()
    await page.getByRole('button', { name: 'New trunk' }).click()
    const form = page.getByRole('dialog', { name: 'New SIP trunk' })
    await form.getByLabel('Name').fill('Globex SBC')
    await form
      .getByLabel(/^Account/)
      .first()
      .fill('Globex Tel')
    await page.getByRole('option', { name: /^Globex Telecom/ }).click()
    await form.getByLabel('Source addresses').fill('192.0.2.0/24\n2001:db8::/32')
    await expectAccessible(page, 'operator trunks: new trunk form')
    await form.getByRole('button', { name: 'Create trunk' }).click()
    await form.waitFor({ state: 'detached' })
    const trunks = page.getByRole('table', { name: 'SIP trunks' })
    await trunks.getByText('192.0.2.0/24, 2001:db8::/32').waitFor()
    await trunks.getByText('Globex Telecom').waitFor()
    const created = await http(env.server.url, 'GET', '/admin/v1/SipTrunks', { auth: operator })
    assert.deepEqual(
      created.body.results.map((t: any) => [t.friendly_name, t.account_sid]),
      [['Globex SBC', globex.sid]],
    )
    await expectAccessible(page, 'operator trunks')
    await screenshot(page, 'operator-trunks')
    await page.getByRole('button', { name: 'Edit Globex SBC' }).click()
    const edit = page.getByRole('dialog', { name: 'Edit Globex SBC' })
    await edit.getByLabel('Name').fill('Globex SBC West')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await trunks.getByText('Globex SBC West').waitFor()
    await page.getByRole('button', { name: 'Delete Globex SBC West' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete Globex SBC West?' })
    await confirm.getByText(/are refused \(403\) from the next one/).waitFor()
    await confirm.getByRole('button', { name: 'Delete trunk' }).click()
    await trunks.getByText('Globex SBC West').waitFor({ state: 'detached' })
    assert.deepEqual((await http(env.server.url, 'GET', '/admin/v1/SipTrunks', { auth: operator })).body.results, [])

    await page.getByRole('link', { name: 'Reviewers' }).click()
    await page.getByLabel('Name').fill('Rita')
    await page.getByLabel('Email').fill('rita@stirhub.test')
    await page.getByRole('button', { name: 'Add reviewer' }).click()
    const once = page.getByTestId('token-once')
    const first = (await once.getByTestId('token').innerText()).trim()
    await once.getByRole('button', { name: 'Copy' }).waitFor()
    await once.getByText(/shown only this once/).waitFor()
    const queue = (token: string) => http(env.server.url, 'GET', '/admin/v1/Reviews', { auth: { bearer: token } })
    assert.equal((await queue(first)).status, 200, 'the token shown works')
    await page.getByRole('table', { name: 'Reviewers' }).getByText('rita@stirhub.test').waitFor()
    await expectAccessible(page, 'operator reviewers: token shown once')
    await screenshot(page, 'operator-reviewers')
    await once.getByRole('button', { name: 'I have copied it' }).click()
    await once.waitFor({ state: 'detached' })
    assert.ok(!(await page.content()).includes(first), 'the token is gone from the page')
    await page.getByRole('button', { name: 'Rotate token for Rita' }).click()
    await page
      .getByRole('dialog', { name: "Rotate Rita's token?" })
      .getByRole('button', { name: 'Rotate token' })
      .click()
    ritaToken = (await page.getByTestId('token-once').getByTestId('token').innerText()).trim()
    assert.notEqual(ritaToken, first)
    assert.equal((await queue(first)).status, 401, 'the old token is refused')
    assert.equal((await queue(ritaToken)).status, 200)

    await page.getByRole('link', { name: 'Platform' }).click()
    await page.getByRole('heading', { name: 'Platform', level: 2 }).waitFor()
    await page.getByText(/Signing as SPC/).waitFor()
    assert.equal(await page.getByRole('table', { name: 'Trusted STI-CA roots' }).locator('tbody tr').count(), 1)
    await expectAccessible(page, 'operator platform')
    await screenshot(page, 'operator-platform')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a reviewer sees no operator page, and is told so when opening one', async () => {
    assert.ok(ritaToken, 'the reviewer made by the previous test')
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, ritaToken)
    const nav = page.getByRole('navigation', { name: 'Main navigation' })
    await nav.getByRole('link', { name: 'Review queue' }).waitFor()
    await expectAccessible(page, 'review queue, as a reviewer')
    for (const name of ['Accounts', 'Number inventory', 'SIP trunks', 'Reviewers', 'Platform'])
      assert.equal(await nav.getByRole('link', { name }).count(), 0, `no ${name} link`)
    for (const path of ['accounts', 'reviewers']) {
      await page.goto(`/console/operator/${path}`)
      await page
        .getByRole('alert')
        .getByText(/is for the platform operator only/)
        .waitFor()
      await expectAccessible(page, `operator ${path} page, as a reviewer`)
    }
    assert.deepEqual(errors, [])
    await context.close()
  })

  it("a customer's dashboard charts signed calls per day and level over 7, 30 and 90 days", async () => {
    // A vetted customer: its own number signs A, another number B, and C when it asks for C.
    const w = await buildWorld(env.server.url, env.server.running.ctx.store.db, 'direct')
    const caller = w.caller
    const levels: string[] = []
    /** Signs one call at the server clock's `now`; records the level it got. */
    const sign = async (attest: string, tn: string) => {
      const r = await http(env.server.url, 'POST', '/stir/v1/signing', {
        auth: caller,
        json: {
          signingRequest: {
            attest,
            orig: { tn },
            dest: { tn: ['+12025550143'] },
            iat: Math.floor(now / 1000),
            origid: randomUUID(),
          },
        },
      })
      const identity: string = r.body.signingResponse?.identity
      assert.ok(identity, JSON.stringify(r.body))
      const claims = JSON.parse(Buffer.from(identity.split('.')[1]!, 'base64url').toString('utf8'))
      levels.push(claims.attest)
    }
    const own = w.number.phone
    const other = '+13125550199'
    const real = now
    const tally = (from: number) => {
      const t: Record<string, number> = { A: 0, B: 0, C: 0 }
      for (const l of levels.slice(from)) t[l]!++
      return `Signed: A ${t.A}, B ${t.B}, C ${t.C}`
    }
    // 45 and 10 days ago, then today: each range shows more of them.
    now = real - 45 * DAY
    await sign('A', own)
    now = real - 10 * DAY
    await sign('A', other)
    await sign('C', own)
    now = real
    const todayFrom = levels.length
    await sign('A', own)
    await sign('A', own)
    await sign('A', other)
    await sign('C', own)
    await env.server.running.ctx.stiAs.counter.flush()
    assert.deepEqual(levels, ['A', 'B', 'C', 'A', 'A', 'B', 'C'])

    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, caller.sid, caller.token)
    const chart = page.getByTestId('signed-chart')
    const summary = chart.getByTestId('signed-summary')
    const days = chart.getByRole('table', { name: /Calls signed per day and level/ }).locator('tbody tr')
    const check = async (range: number, from: number) => {
      await chart.getByRole('button', { name: `${range} days` }).click()
      await summary.filter({ hasText: `${tally(from)} in the last ${range} days` }).waitFor()
      assert.equal(await chart.getByRole('button', { name: `${range} days` }).getAttribute('aria-pressed'), 'true')
      assert.equal(await days.count(), range, `${range} days in the table`)
      assert.ok((await chart.getByTestId('x-label').count()) >= 2, 'dates on the x axis')
      await expectAccessible(page, `dashboard chart, ${range} days`)
    }
    await check(7, todayFrom)
    // Today's row, the table's last: its per-level counts are the calls signed today.
    const today = await days.last().locator('td').allInnerTexts()
    const t = tally(todayFrom)
      .match(/A (\d+), B (\d+), C (\d+)/)!
      .slice(1)
    assert.deepEqual(today, t)
    await check(30, 1)
    await screenshot(chart, 'dashboard-chart')
    await check(90, 0)
    await check(7, todayFrom)
    assert.deepEqual(errors, [])
    await context.close()
  })
})
