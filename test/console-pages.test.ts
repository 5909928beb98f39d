/**
 * Every page of the console, as each role sees it, at desktop (1440 px) and phone (390 px)
 * width, with the data `stirhub demo` leaves behind: each page renders without an app error,
 * passes axe-core's WCAG 2.1 AA rules, and fits the phone screen with no sideways scroll (wide
 * tables scroll inside their own container). `npm run screenshots` keeps a picture of each one
 * under docs/screenshots/page-<role>-<page>[-390px].png.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { ADMIN_TOKEN } from './helpers/server.js'
import { runDemo } from '../src/cli/demo.command.js'
import type { Creds } from './helpers/http.js'
import { newReviewer } from './helpers/vetting.js'
import {
  expectAccessible,
  openConsole,
  screenshot,
  consoleEnvironment,
  signIn,
  signInPerson,
  signInStaff,
} from './helpers/browser.js'

const WIDTHS = [1440, 390] as const
const PERSON_PASSWORD = 'pages walk passphrase'

/** Signs a customer in and waits for the dashboard, so the next navigation has the session. */
const customer = (c: Creds) => async (page: Page) => {
  await signIn(page, c.sid, c.token)
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
}

/** Waits until the page at `path` has its heading and no loader left. */
async function settle(page: Page, path: string): Promise<void> {
  await page.goto(`/console${path}`)
  await page.getByRole('heading', { level: 2 }).first().waitFor()
  await page.waitForLoadState('networkidle')
  await page.waitForFunction(() => !document.querySelector('[aria-label="Loading"]'), undefined, { timeout: 10_000 })
}

/** Visits each path at both widths as whoever `enter` signs in. */
async function walk(
  browser: Browser,
  url: string,
  role: string,
  enter: (page: Page) => Promise<void>,
  paths: readonly string[],
): Promise<void> {
  for (const width of WIDTHS) {
    const { page, context, errors } = await openConsole(browser, url, width)
    await enter(page)
    for (const path of paths) {
      await settle(page, path)
      const where = `${role} ${path} at ${width} px`
      await expectAccessible(page, where)
      if (width < 600) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        assert.ok(overflow <= 0, `${where}: no sideways scroll (overflow ${overflow} px)`)
      }
      const slug =
        path === '/'
          ? 'dashboard'
          : path
              .slice(1)
              .replace(/\/(BU|PN)[0-9a-f]+$/, '-detail')
              .replace(/\//g, '-')
      await screenshot(page, `page-${role}-${slug}${width < 600 ? '-390px' : ''}`)
    }
    assert.deepEqual(errors, [], `${role} at ${width} px`)
    await context.close()
  }
}

describe('console: every page, every role, desktop and phone', () => {
  const env = consoleEnvironment()
  let direct: Creds
  let isv: Creds
  before(async () => {
    const demo = await runDemo({ url: env.server.url, op: { url: env.server.url, bearer: ADMIN_TOKEN }, out: () => {} })
    direct = demo.direct
    isv = demo.isv
    // A call on record, so the Calls page shows a row (the recorder writes every 500 ms).
    const auth = `Basic ${Buffer.from(`${direct.sid}:${direct.token}`).toString('base64')}`
    const signed = await fetch(`${env.server.url}/stir/v1/signing`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        signingRequest: {
          attest: 'A',
          orig: { tn: '12025550123' },
          dest: { tn: ['12125551212'] },
          iat: Math.floor(Date.now() / 1000),
          origid: '123e4567-e89b-42d3-a456-426614174000',
        },
      }),
    })
    assert.equal(signed.status, 200)
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${env.server.url}/stir/v1/calls`, { headers: { authorization: auth } })
      if (((await r.json()) as { calls: unknown[] }).calls.length > 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })

  it('a direct customer: dashboard, onboarding, profiles and a profile, numbers, calls, simulator, inbound calls', async () => {
    const list = await fetch(`${env.server.url}/v1/CustomerProfiles`, {
      headers: { authorization: `Basic ${Buffer.from(`${direct.sid}:${direct.token}`).toString('base64')}` },
    })
    const profile = ((await list.json()) as { results: { sid: string }[] }).results[0]!.sid
    await walk(env.browser, env.server.url, 'direct', customer(direct), [
      '/',
      '/onboarding/direct',
      '/bundles',
      `/bundles/${profile}`,
      '/branding',
      '/numbers',
      '/calls',
      '/simulator',
      '/analytics',
    ])
  })

  it('an ISV: its customers and its own onboarding', async () => {
    await walk(env.browser, env.server.url, 'isv', customer(isv), ['/', '/onboarding/isv', '/customers'])
  })

  it('a reviewer and the operator: the queue and every operator page', async () => {
    const reviewer = await newReviewer(env.server.url, 'Page Walker')
    await walk(env.browser, env.server.url, 'reviewer', (p) => signInStaff(p, reviewer.token), ['/reviews'])
    await walk(env.browser, env.server.url, 'operator', (p) => signInStaff(p, ADMIN_TOKEN), [
      '/reviews',
      '/operator/accounts',
      '/operator/inventory',
      '/operator/trunks',
      '/operator/reviewers',
      '/operator/traceback',
      '/operator/platform',
      '/operator/analytics',
    ])
  })

  it("a person: an owner's users and security pages", async () => {
    const inv = await fetch(`${env.server.url}/admin/v1/Accounts/${direct.sid}/Invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Email: 'owner@pages.example', Role: 'owner' }),
    })
    const { link } = (await inv.json()) as { link: string }
    const accepted = await fetch(`${env.server.url}/console/api/accept-invitation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Token: new URL(link).hash.slice('#token='.length), Password: PERSON_PASSWORD }),
    })
    assert.equal(accepted.status, 201)
    await walk(
      env.browser,
      env.server.url,
      'owner',
      async (page) => {
        await signInPerson(page, 'owner@pages.example', PERSON_PASSWORD)
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
      },
      ['/users', '/security'],
    )
    // This server has no SMTP: the Users page says no notifications are sent.
    const { page, context } = await openConsole(env.browser, env.server.url, 1440)
    await signInPerson(page, 'owner@pages.example', PERSON_PASSWORD)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await settle(page, '/users')
    await page.getByText(/Email is not configured: no notifications are sent/).waitFor({ timeout: 5000 })
    await context.close()
  })

  it('the pages an emailed link opens, signed out: accept an invitation, reset a password', async () => {
    for (const width of WIDTHS) {
      const { page, context, errors } = await openConsole(env.browser, env.server.url, width)
      for (const [path, heading] of [
        ['/accept-invitation#token=not-a-real-token', 'Accept your invitation'],
        ['/reset-password', 'Reset your password'],
        ['/reset-password#token=not-a-real-token', 'Reset your password'],
      ] as const) {
        await page.goto(`/console${path}`)
        await page.getByRole('heading', { name: heading }).waitFor()
        const where = `signed out ${path} at ${width} px`
        await expectAccessible(page, where)
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        assert.ok(overflow <= 0, `${where}: no sideways scroll (overflow ${overflow} px)`)
        const slug = path.slice(1).replace(/#.*$/, path.includes('#') ? '-link' : '')
        await screenshot(page, `page-signed-out-${slug}${width < 600 ? '-390px' : ''}`)
      }
      assert.deepEqual(errors, [], `signed out at ${width} px`)
      await context.close()
    }
  })
})
