/**
 * Headless Chromium for the console tests, through playwright-core and Debian's
 * /usr/bin/chromium (never a downloaded browser). Pages record uncaught errors and the app's
 * own console.error calls so a test can assert the console logged none; the browser's
 * "Failed to load resource" lines for expected 4xx answers are not app errors and are skipped.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { after, before } from 'node:test'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { startServer, type TestServer } from './server.js'

const CHROMIUM = '/usr/bin/chromium'
/**
 * Where screenshots go: `npm run screenshots` sets STIRHUB_SCREENSHOTS=docs/screenshots to
 * refresh the README's; a plain `npm test` writes them to a temporary folder, leaving the
 * working tree clean.
 */
const SCREENSHOTS = path.resolve(process.env.STIRHUB_SCREENSHOTS ?? path.join(os.tmpdir(), 'stirhub-screenshots'))

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
}

/**
 * Starts a test server and the browser side by side. When either fails the other is closed
 * before the error is thrown: a server left listening would keep the test file running forever.
 */
async function serverAndBrowser<S extends { stop(): Promise<void> }>(server: Promise<S>): Promise<[S, Browser]> {
  const [s, b] = await Promise.allSettled([server, launch()])
  if (s.status === 'fulfilled' && b.status === 'fulfilled') return [s.value, b.value]
  if (s.status === 'fulfilled') await s.value.stop()
  if (b.status === 'fulfilled') await b.value.close()
  throw s.status === 'rejected' ? s.reason : (b as PromiseRejectedResult).reason
}

/**
 * Registers before/after hooks that start a server (SQLite unless `start` says otherwise) and
 * the browser for the enclosing describe, and stop both after it. Read them from the returned
 * object in later hooks and tests: they exist once `before` has run.
 */
export function consoleEnvironment(start: () => Promise<TestServer> = () => startServer('sqlite')): {
  readonly server: TestServer
  readonly browser: Browser
} {
  const env = {} as { server: TestServer; browser: Browser }
  before(async () => {
    ;[env.server, env.browser] = await serverAndBrowser(start())
  })
  after(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}

export interface ConsolePage {
  readonly context: BrowserContext
  readonly page: Page
  /** Uncaught exceptions and console.error messages seen so far. */
  readonly errors: string[]
}

export async function openConsole(browser: Browser, baseUrl: string, width = 1280): Promise<ConsolePage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: width > 600 ? 860 : 844 } })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`)
  })
  await page.goto('/console/')
  return { context, page, errors }
}

/** A PNG of a whole page (or of one part of it) under docs/screenshots/<name>.png. */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  // A whole page, or one part of it (a card).
  if ('goto' in target) await target.screenshot({ path: file, fullPage: true, animations: 'disabled' })
  else await target.screenshot({ path: file, animations: 'disabled' })
}

/** Picks a value in a Mantine Select/MultiSelect found by its label. */
export async function choose(page: Page, label: string | RegExp, ...values: string[]): Promise<void> {
  const input = page.getByRole('textbox', { name: label }).or(page.getByLabel(label)).first()
  for (const v of values) {
    await input.click()
    await page.getByRole('option', { name: v, exact: true }).click()
  }
  await page.keyboard.press('Escape')
}

/** Signs in on the staff tab with a reviewer's or the operator's token; waits for the queue. */
export async function signInStaff(page: Page, token: string): Promise<void> {
  await page.getByRole('tab', { name: 'Reviewer / operator' }).click()
  await page.getByLabel('Reviewer or operator token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Review queue' }).waitFor()
}

/** Signs in on the API key tab with an account SID + auth token (or an API key SID + secret). */
export async function signIn(page: Page, user: string, pass: string): Promise<void> {
  await page.getByRole('tab', { name: 'API key' }).click()
  await page.getByLabel('Account SID or API key SID').fill(user)
  await page.getByLabel('Auth token or API key secret').fill(pass)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
/** Signs a person in with email and password (and a two-factor code when asked for one). */
export async function signInPerson(page: Page, email: string, password: string, code?: () => string): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(email)
  await page.locator('input[autocomplete="current-password"]').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  if (!code) return
  await page.getByLabel('Two-factor code').fill(code())
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

export interface ProfileInput {
  readonly name: string
  readonly domain: string
  readonly ein: string
}

const DEFAULT: ProfileInput = { name: 'Acme Dental LLC', domain: 'acme-dental.com', ein: '12-3456789' }

/**
 * Fills the three steps with data the automated checks pass and stops on "Review and submit".
 * Returns a waiter for the submitted state, to call after clicking submit.
 */
export async function fillDirectProfile(page: Page, p: ProfileInput = DEFAULT): Promise<() => Promise<void>> {
  await page.getByLabel('Legal business name').fill(p.name)
  await choose(page, 'Business type', 'Limited Liability Corporation')
  await choose(page, 'Industry', 'Healthcare')
  await page.getByLabel('Registration number').fill(p.ein)
  await choose(page, 'Regions of operation', 'USA & Canada')
  await page.getByLabel('Website').fill(`https://www.${p.domain}`)
  await page.getByRole('button', { name: 'Next' }).click()

  await page.getByLabel('First name').fill('Ann')
  await page.getByLabel('Last name').fill('Lee')
  await page.getByLabel(/^Email/).fill(`ann@${p.domain}`)
  await page.getByLabel('Phone number').fill('+14155238886')
  await page.getByLabel('Business title').fill('Owner')
  await choose(page, 'Job position', 'CEO')
  await page.getByRole('button', { name: 'Next' }).click()

  await page.getByLabel('Business name on the address').fill(p.name)
  await page.getByLabel('Street').fill('1 Market St')
  await page.getByLabel('City').fill('San Francisco')
  await page.getByLabel('State').fill('CA')
  await page.getByLabel('ZIP code').fill('94105')
  await page.getByRole('button', { name: 'Next' }).click()
  await page.getByRole('button', { name: 'Submit for review' }).waitFor()
  return async () => {
    await page.getByText('Business profile: Submitted').first().waitFor()
  }
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on what the page shows now and fails with every
 * violation listed (rule, impact, the first offending elements). axe-core is injected from
 * node_modules, never fetched.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.waitForLoadState('domcontentloaded')
  // What a person reads once the page settles: no hover left by the last click, and no
  // transition (a dialog opening) half-way; a spinner's endless animation does not count.
  await page.mouse.move(0, 0)
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Number.POSITIVE_INFINITY),
    undefined,
    { timeout: 5000, polling: 50 },
  )
  const loaded = await page.evaluate(() => 'axe' in window)
  // Evaluated over the DevTools protocol: the console's CSP rightly refuses inline scripts.
  if (!loaded) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<any> } }).axe
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    })
    return (r.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      help: v.help as string,
      nodes: (v.nodes as any[]).slice(0, 3).map((n) => `${(n.target as string[]).join(' ')} — ${n.failureSummary}`),
    }))
  })
  if (violations.length === 0) return
  const text = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n  ')
  throw new Error(`accessibility violations on ${where}:\n  ${text}`)
}

/** Signs `isv` in and submits its primary profile (CallCloud Inc) on the ISV onboarding page. */
export async function submitIsvPrimary(page: Page, isv: { sid: string; token: string }): Promise<void> {
  await signIn(page, isv.sid, isv.token)
  await page.getByRole('link', { name: 'ISV / reseller onboarding' }).click()
  await page.getByRole('heading', { name: 'ISV / reseller onboarding' }).waitFor()
  const done = await fillDirectProfile(page, { name: 'CallCloud Inc', domain: 'callcloud.io', ein: '98-7654321' })
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await done()
}
