/**
 * Console users in Chromium, end to end with a real SMTP server (smtp-server): the operator
 * invites an owner, who accepts from the mailed link and invites a developer; the developer
 * accepts, enrols two-factor from the QR page's key, signs out, signs in with password and
 * code, acts within the role and is refused outside it; a session revoked from another
 * browser is signed out at its next request.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN, startServer } from './helpers/server.js'
import { consoleEnvironment, expectAccessible, openConsole, signInPerson } from './helpers/browser.js'
import { startSmtp, tokenIn, type SmtpSink } from './helpers/smtp.js'
import { codeFor } from './helpers/users.js'
import { http, newAccount } from './helpers/http.js'

/** The server's clock runs `skew` ms ahead of the test's: each sign-in after enrolment moves to a fresh TOTP step. */
let skew = 0
const serverNow = () => Date.now() + skew
let smtp: SmtpSink

const mailTo = async (to: string, n = 1) => {
  for (let i = 0; i < 200 && smtp.to(to).length < n; i++) await new Promise((r) => setTimeout(r, 25))
  const m = smtp.to(to)[n - 1]
  assert.ok(m, `no mail to ${to}`)
  return m
}

/** Opens an emailed link and chooses a password; waits for the dashboard. */
async function acceptLink(page: Page, link: string, password: string): Promise<void> {
  await page.goto(new URL(link).pathname + new URL(link).hash)
  await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor()
  await page.getByLabel('New password').fill(password)
  await page.getByLabel('The same password again').fill(password)
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
}

/** A call the page makes with its own session (cookie + CSRF token), as the console's pages do. */
const fromPage = (page: Page, method: string, path: string, form?: Record<string, string>) =>
  page.evaluate(
    async ({ method, path, form }) => {
      const csrf = /(?:^|;\s*)stirhub_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? ''
      const r = await fetch(path, {
        method,
        headers: { 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' },
        body: form ? new URLSearchParams(form).toString() : undefined,
      })
      return { status: r.status, body: await r.json() }
    },
    { method, path, form },
  )

describe('console users in Chromium', () => {
  const env = consoleEnvironment(async () => {
    smtp = await startSmtp()
    return startServer('sqlite', {
      clock: () => new Date(serverNow()),
      env: { STIRHUB_SMTP_URL: smtp.url, STIRHUB_MAIL_FROM: 'console@stirhub.example' },
    })
  })

  it('invite → accept → enrol two-factor → sign out → sign in with password and code → within the role, and not outside it', async () => {
    const a = await newAccount(env.server.url, 'Browser People Co')
    const invited = await http(env.server.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Email: 'olga@people.example', Role: 'owner' },
    })
    assert.equal(invited.status, 201)
    assert.equal(invited.body.sent, true)

    // The owner accepts and invites a developer from the Users page.
    const owner = await openConsole(env.browser, env.server.url)
    const ownerMail = await mailTo('olga@people.example')
    await acceptLink(owner.page, /https?:\/\/\S+/.exec(ownerMail.text)![0], 'olga chooses a passphrase')
    await owner.page.getByRole('link', { name: 'Users' }).click()
    await owner.page.getByRole('heading', { name: 'Users' }).waitFor()
    await owner.page.getByRole('textbox', { name: 'Email' }).fill('dev@people.example')
    await owner.page.getByLabel('Role', { exact: true }).selectOption('developer')
    await owner.page.getByRole('button', { name: 'Invite' }).click()
    await owner.page.getByText('Invitation mailed to dev@people.example.').waitFor()
    await expectAccessible(owner.page, 'users page with an invitation')

    // The developer accepts and enrols two-factor.
    const dev = await openConsole(env.browser, env.server.url)
    const devMail = await mailTo('dev@people.example')
    assert.match(devMail.subject, /Browser People Co/)
    await acceptLink(
      dev.page,
      `${env.server.url}/console/accept-invitation#token=${tokenIn(devMail)}`,
      'dev passphrase 42',
    )
    assert.equal(await dev.page.getByRole('link', { name: 'Users' }).count(), 0, 'no Users page for a developer')
    await dev.page.getByRole('link', { name: 'Security' }).click()
    await dev.page.getByRole('button', { name: 'Set up two-factor' }).click()
    await dev.page.getByRole('img', { name: 'QR code of your two-factor secret' }).waitFor()
    const secret = (await dev.page.getByTestId('totp-secret').textContent())!.trim()
    await dev.page.getByLabel('Code from the app').fill(codeFor(secret, serverNow()))
    await dev.page.getByRole('button', { name: 'Turn on two-factor' }).click()
    await dev.page.getByTestId('recovery-codes').waitFor()
    assert.equal(await dev.page.getByTestId('recovery-codes').locator('code').count(), 10)
    await expectAccessible(dev.page, 'security page with recovery codes')

    // Sign out, then in again with the password and the app's next code.
    await dev.page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click()
    await dev.page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    skew += 30_000
    await signInPerson(dev.page, 'dev@people.example', 'dev passphrase 42', () => codeFor(secret, serverNow()))
    await dev.page.getByRole('heading', { name: 'Dashboard' }).waitFor()

    // Within the role: an API key. Outside it: a customer profile's end user, refused by the API.
    const key = await fromPage(dev.page, 'POST', `/2010-04-01/Accounts/${a.sid}/Keys.json`, { FriendlyName: 'ci' })
    assert.equal(key.status, 201, JSON.stringify(key.body))
    const refused = await fromPage(dev.page, 'POST', '/v1/EndUsers', {
      FriendlyName: 'Rep',
      Type: 'authorized_representative_1',
    })
    assert.equal(refused.status, 403)
    assert.equal(refused.body.code, 20403)
    assert.match(refused.body.message, /Your role \(developer\) may not/)
    assert.deepEqual(owner.errors, [])
    assert.deepEqual(dev.errors, [])
    await owner.context.close()
    await dev.context.close()
  })

  it('a session revoked from another browser is signed out at its next request', async () => {
    const a = await newAccount(env.server.url, 'Two Laptops Co')
    await http(env.server.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Email: 'pat@laptops.example', Role: 'read-only' },
    })
    const mail = await mailTo('pat@laptops.example')
    const first = await openConsole(env.browser, env.server.url)
    await acceptLink(first.page, /https?:\/\/\S+/.exec(mail.text)![0], 'pat passphrase one')
    const second = await openConsole(env.browser, env.server.url)
    await second.page.goto('/console/')
    await signInPerson(second.page, 'pat@laptops.example', 'pat passphrase one')
    await second.page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await second.page.getByRole('link', { name: 'Security' }).click()
    const rows = second.page.getByRole('table', { name: 'Sessions' }).getByRole('row')
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3, 'a header and two sessions')
    await second.page.getByRole('table', { name: 'Sessions' }).getByRole('button', { name: 'Sign out' }).click()
    await rows.nth(2).waitFor({ state: 'detached' })

    // The first browser's next request finds its session gone: it shows the sign-in form.
    await first.page.getByRole('link', { name: 'Phone numbers' }).click()
    await first.page.getByRole('heading', { name: 'Sign in to stirhub' }).waitFor()
    await second.page.getByRole('link', { name: 'Phone numbers' }).click()
    await second.page.getByRole('heading', { name: 'Phone numbers' }).waitFor()
    await first.context.close()
    await second.context.close()
  })
  after(async () => {
    await smtp?.stop()
  })
})
