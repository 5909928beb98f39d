/**
 * The console in a real headless Chromium against a real server (SQLite): sign-in, the
 * dashboard at desktop and phone widths, and the Direct Customer wizard with inline
 * validation, a draft that survives a reload, and submission. Screenshots of each page go to
 * docs/screenshots/.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodeHttp from 'node:http'
import type { AddressInfo } from 'node:net'
import { http, newAccount, newSubAccount } from './helpers/http.js'
import {
  expectAccessible,
  fillDirectProfile,
  consoleEnvironment,
  openConsole,
  screenshot,
  signIn,
} from './helpers/browser.js'

describe('console: sign-in, dashboard, Direct Customer wizard', () => {
  const env = consoleEnvironment()

  it('serves the production build with cache headers and an SPA fallback', async () => {
    const index = await fetch(`${env.server.url}/console/`)
    assert.equal(index.status, 200)
    assert.equal(index.headers.get('cache-control'), 'no-cache')
    const html = await index.text()
    const asset = /\/console\/assets\/[^"]+\.js/.exec(html)?.[0]
    assert.ok(asset, 'index.html links a hashed bundle')
    const js = await fetch(env.server.url + asset)
    assert.equal(js.status, 200)
    assert.match(js.headers.get('cache-control') ?? '', /max-age=31536000, immutable/)
    const deep = await fetch(`${env.server.url}/console/bundles/BU0123`)
    assert.equal(deep.status, 200)
    assert.match(await deep.text(), /<div id="root">/)
    assert.equal((await fetch(`${env.server.url}/console/assets/nope.js`)).status, 404)
    assert.equal(
      (await fetch(`${env.server.url}/console/..%2f..%2fpackage.json`)).headers
        .get('content-type')
        ?.startsWith('text/html'),
      true,
    )
  })

  it('sends assets brotli- or gzip-compressed as built, and a favicon', async () => {
    const html = await (await fetch(`${env.server.url}/console/`)).text()
    const asset = /\/console\/assets\/index-[^"]+\.js/.exec(html)?.[0]
    assert.ok(asset)
    assert.match(html, /<link rel="icon" type="image\/svg\+xml" href="\/console\/favicon.svg"/)
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const r: Response = await fetch(env.server.url + asset, { headers: { 'accept-encoding': accept } })
      assert.equal(r.status, 200)
      assert.equal(r.headers.get('content-encoding'), encoding, `Accept-Encoding: ${accept}`)
      assert.match(r.headers.get('vary') ?? '', /accept-encoding/i)
      // fetch decodes: the body is the same script whichever encoding carried it.
      assert.match(await r.text(), /createRoot|react/)
    }
    const icon = await fetch(`${env.server.url}/console/favicon.svg`)
    assert.equal(icon.status, 200)
    assert.match(icon.headers.get('content-type') ?? '', /image\/svg\+xml/)
  })

  it("a customer's first load transfers under 250 KB and none of the staff pages", async () => {
    const a = await newAccount(env.server.url, 'Budget Co')
    const { page, context, errors } = await openConsole(env.browser, env.server.url)
    await page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    const loaded: { url: string; bytes: number }[] = []
    page.on('requestfinished', async (r) => {
      const sizes = await r.sizes()
      loaded.push({ url: r.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize })
    })
    await page.reload()
    await page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    await signIn(page, a.sid, a.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.waitForLoadState('networkidle')
    const total = loaded.reduce((n, r) => n + r.bytes, 0)
    assert.ok(total < 250_000, `first load ${total} bytes:\n${loaded.map((r) => `${r.bytes} ${r.url}`).join('\n')}`)
    assert.ok(!loaded.some((r) => /\/assets\/staff-/.test(r.url)), 'no staff bundle')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('sends its security headers, and the app runs under its CSP', async () => {
    const index = await fetch(`${env.server.url}/console/`)
    assert.match(index.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(index.headers.get('referrer-policy'), 'same-origin')
    const { page, context, errors } = await openConsole(env.browser, env.server.url)
    const violations: string[] = []
    await page.exposeFunction('cspViolation', (v: string) => {
      violations.push(v)
    })
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as any).cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
      ),
    )
    await page.reload()
    await page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    await expectAccessible(page, 'sign-in')
    assert.deepEqual(violations, [])
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a page of another site cannot sign the browser in (login CSRF)', async () => {
    const a = await newAccount(env.server.url, 'Attacker Co')
    // localhost and 127.0.0.1 are different sites to the browser.
    const evil = nodeHttp.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<form id="f" method="POST" action="${env.server.url}/console/api/session">
        <input name="Username" value="${a.sid}"><input name="Password" value="${a.token}"></form>
        <script>document.getElementById('f').submit()</script>`)
    })
    await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', ok))
    const context = await env.browser.newContext()
    try {
      const page = await context.newPage()
      const posted = page.waitForResponse((r) => r.url() === `${env.server.url}/console/api/session`)
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`)
      assert.equal((await posted).status(), 403)
      assert.deepEqual(
        (await context.cookies(env.server.url)).map((c) => c.name),
        [],
      )
    } finally {
      await context.close()
      evil.close()
    }
  })

  it('refuses bad credentials, signs in, shows the dashboard at 1280 and 390 px, signs out', async () => {
    const a = await newAccount(env.server.url, 'Acme Dental')
    const { page, context, errors } = await openConsole(env.browser, env.server.url)
    await page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    await screenshot(page, 'sign-in')
    await signIn(page, a.sid, 'f'.repeat(32))
    await page.getByRole('alert').filter({ hasText: 'Authentication Error' }).waitFor()
    await signIn(page, a.sid, a.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('heading', { name: 'Acme Dental' }).waitFor()
    await page.getByText('Add a phone number to see the attestation').waitFor()
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'stirhub_session')!
    assert.equal(session.httpOnly, true)
    assert.equal(session.sameSite, 'Strict')
    assert.equal(await page.evaluate(() => document.cookie.includes('stirhub_session')), false)
    await screenshot(page, 'dashboard')

    await page.setViewportSize({ width: 390, height: 844 })
    const burger = page.getByRole('button', { name: 'Toggle navigation' })
    await burger.click()
    await page.getByRole('link', { name: 'Phone numbers' }).click()
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no horizontal scroll at 390 px (overflow ${overflow})`)
    await page.setViewportSize({ width: 1280, height: 860 })

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a parent with many sub-accounts: ten cards a page, more on request, a search, and stats for the cards shown only', async () => {
    const parent = await newAccount(env.server.url, 'Reseller Co')
    for (let i = 0; i < 12; i++) await newSubAccount(env.server.url, parent, `Customer ${i}`)
    const { page, errors } = await openConsole(env.browser, env.server.url)
    const statsFor = () =>
      page
        .waitForResponse((r) => r.url().includes('/console/api/stats'))
        .then((r) => new URL(r.url()).searchParams.get('Accounts')?.split(',') ?? [])
    const first = statsFor()
    await signIn(page, parent.sid, parent.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByText('12 sub-accounts').waitFor()
    const cards = page.locator('[aria-label^="Account "]')
    await page.getByRole('button', { name: 'Show 2 more sub-accounts (2 not shown)' }).waitFor()
    assert.equal(await cards.count(), 11)
    // Newest first: the last two created are on the first page, with their names.
    await page.getByRole('heading', { name: 'Customer 11' }).waitFor()
    assert.equal(await page.getByRole('heading', { name: 'Customer 0', exact: true }).count(), 0)
    assert.equal((await first).length, 11, 'stats for the cards on screen only')
    await screenshot(page, 'dashboard-sub-accounts')
    const second = statsFor()
    await page.getByRole('button', { name: /Show 2 more/ }).click()
    assert.equal((await second).length, 2, 'then for the two new cards')
    await page.waitForFunction(() => document.querySelectorAll('[aria-label^="Account "]').length === 13)
    assert.equal(await page.getByRole('button', { name: /more sub-accounts/ }).count(), 0)
    // Search by the start of a name, in any case: Customer 1, 10 and 11.
    await page.getByLabel('Find a sub-account').fill('customer 1')
    await page.getByRole('button', { name: 'Find' }).click()
    await page.getByText('Sub-accounts matching “customer 1”:').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[aria-label^="Account "]').length === 4)
    assert.deepEqual((await cards.locator('h3').allTextContents()).slice(1).sort(), [
      'Customer 1',
      'Customer 10',
      'Customer 11',
    ])
    await page.getByLabel('Find a sub-account').fill('nobody')
    await page.getByRole('button', { name: 'Find' }).click()
    await page.getByText('No sub-account matches “nobody”.').waitFor()
    await page.getByRole('button', { name: 'Clear' }).click()
    await page.waitForFunction(() => document.querySelectorAll('[aria-label^="Account "]').length === 11)
    assert.deepEqual(errors, [])
  })

  it('Direct Customer wizard: inline errors, allowed values as choices, a draft that survives reload, submission', async () => {
    const a = await newAccount(env.server.url, 'Acme Dental')
    const { page, context, errors } = await openConsole(env.browser, env.server.url)
    await signIn(page, a.sid, a.token)
    await page.getByRole('link', { name: 'Direct customer onboarding' }).click()
    await page.getByRole('heading', { name: 'Direct customer onboarding' }).waitFor()

    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Legal business name is required').waitFor()
    await page.getByLabel('Website').fill('acme-dental')
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Enter the website address, starting with https://').waitFor()
    await screenshot(page, 'direct-wizard-validation')

    await page.getByLabel('Legal business name').fill('Acme Dental LLC')
    await page.reload()
    await page.getByLabel('Legal business name').waitFor()
    assert.equal(
      await page.getByLabel('Legal business name').inputValue(),
      'Acme Dental LLC',
      'the draft survived the reload',
    )

    const outcome = await fillDirectProfile(page)
    await screenshot(page, 'direct-wizard-review')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await outcome()
    await screenshot(page, 'direct-wizard-submitted')

    const profiles = await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: a })
    assert.equal(profiles.status, 200)
    assert.equal(profiles.body.results.length, 1)
    assert.equal(profiles.body.results[0].status, 'pending-review')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
