/**
 * The console's branded calling story on a real server and browser: a customer with an approved
 * profile and SHAKEN/STIR product creates a Branded Calls product whose logo a local server
 * serves, watches the phone preview follow what it types, runs the checks (the logo appears
 * once the server has fetched it) and submits; a reviewer sees the logo, its digest and the
 * name comparison with its distance, and approves, which pins that digest.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { startServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { newReviewer } from './helpers/vetting.js'
import { choose, consoleEnvironment, expectAccessible, openConsole, signIn, signInStaff } from './helpers/browser.js'
import { BRANDED_POLICY, readyToBrand, startLogoServer, type LogoServer } from './helpers/branding.js'
import { approvedBrandsOf } from '../src/store/brands.repo.js'

describe('console: branded calling', () => {
  let logos: LogoServer
  const env = consoleEnvironment(async () => {
    logos = await startLogoServer()
    return startServer('sqlite', { env: { STIRHUB_LOGO_ALLOW: logos.host } })
  })
  after(() => logos?.stop())

  it('a customer creates, previews, checks and submits a Branded Calls product; a reviewer sees the logo, digest and name comparison, and approves', async () => {
    const url = env.server.url
    const a = await newAccount(url, 'Acme')
    await readyToBrand(url, a)
    const served = (logos.routes.get('/logo.png') as { body: Buffer }).body
    const digest = `sha256-${createHash('sha256').update(served).digest('base64')}`

    const { page, context, errors } = await openConsole(env.browser, url)
    await signIn(page, a.sid, a.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('link', { name: 'Branded calling' }).first().click()
    await page.getByRole('heading', { name: 'Branded calling', level: 2 }).waitFor()
    await choose(page, 'SHAKEN/STIR trust product', 'Acme SHAKEN')
    await page.getByLabel('Notification email').fill('ops@acme.example.com')
    await page.getByLabel('Display name').fill('Acme, Inc.')
    await page.getByLabel('Logo URL').fill(`${logos.base}/logo.png`)
    const reasons = page.getByPlaceholder('e.g. Appointment reminder')
    await reasons.fill('Appointment reminder')
    await reasons.press('Enter')
    const preview = page.getByTestId('phone-preview')
    assert.equal(await preview.getByTestId('preview-name').innerText(), 'Acme, Inc.')
    assert.equal(await preview.getByTestId('preview-reason').innerText(), 'Appointment reminder')
    await page.getByLabel('Display name').fill('Acme\u0007')
    await page.getByText('the display name contains a control or invisible formatting character').waitFor()
    await page.getByLabel('Display name').fill('Acme, Inc.')
    await expectAccessible(page, 'branding page with a preview')

    await page.getByRole('button', { name: 'Save draft and run the checks' }).click()
    const checks = page.getByRole('list', { name: 'Checks before submission' })
    await checks.waitFor()
    await checks.getByText('Passed: Logo fetched and checked').waitFor()
    await checks.getByText(/Passed: Name matches the business's legal name/).waitFor()
    const img = preview.locator('img')
    await img.waitFor()
    assert.equal(await img.getAttribute('src'), `data:image/png;base64,${served.toString('base64')}`)
    await expectAccessible(page, 'branding page after the checks')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await page
      .getByRole('status')
      .getByText(/Submitted for review/)
      .waitFor()
    assert.deepEqual(errors, [])
    await context.close()

    const rita = await newReviewer(url, 'Rita Reviewer')
    const staff = await openConsole(env.browser, url)
    await signInStaff(staff.page, rita.token)
    // Selected by name, so the decided review stays on screen when it leaves the open queue.
    await staff.page.getByRole('button', { name: 'Branded calls', exact: true }).click()
    const detail = staff.page.getByRole('region', { name: 'Review detail' })
    const facts = detail.getByTestId('brand-facts')
    await facts.waitFor()
    assert.equal(await facts.getByTestId('logo-digest').innerText(), digest)
    assert.match(await facts.getByTestId('name-comparison').innerText(), /“acme” vs “acme”: distance 0/)
    assert.equal(
      await facts.getByRole('img', { name: 'Logo of Acme, Inc. as fetched' }).getAttribute('src'),
      `data:image/png;base64,${served.toString('base64')}`,
    )
    await expectAccessible(staff.page, 'reviewer detail of a Branded Calls product')
    await detail.getByRole('button', { name: 'Approve (a)' }).click()
    await detail
      .getByRole('status')
      .getByText(/^Approved/)
      .waitFor()
    const products = (await http(url, 'GET', '/v1/TrustProducts', { auth: a })).body.results as any[]
    const branded = products.find((p) => p.policy_sid === BRANDED_POLICY)
    assert.equal(branded.status, 'twilio-approved')
    const pinned = (await approvedBrandsOf(env.server.running.ctx.store.db, [branded.sid])).get(branded.sid)
    assert.equal(pinned?.logo_digest, digest)
    assert.equal(pinned?.display_name, 'Acme, Inc.')
    assert.deepEqual(staff.errors, [])
    await staff.context.close()
  })
})
