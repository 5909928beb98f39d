/**
 * The console's Traceback page in headless Chromium (SQLite): the operator pastes the Identity
 * header of a call the server signed and sees the business's legal name, its representative,
 * the number's origin and the level with its reasons; exports the answer as JSON and as a text
 * summary; a header altered after signing is answered "not signed by this platform"; the
 * origid form finds the same call. WCAG AA and no sideways scroll at 390 px.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
import { ADMIN_TOKEN } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import {
  addNumber,
  assignNumber,
  makeApprovedPrimaryProfile,
  makeTrustProduct,
  submitAndApprove,
} from './helpers/onboarding.js'
import { consoleEnvironment, expectAccessible, openConsole, screenshot, signInStaff } from './helpers/browser.js'
import { newReviewer } from './helpers/vetting.js'

describe('console: traceback', () => {
  const env = consoleEnvironment()
  let identity = ''
  let phone = ''
  let iat = 0
  before(async () => {
    const url = env.server.url
    const c = await newAccount(url, 'Traced Telecom')
    const profile = await makeApprovedPrimaryProfile(url, c, { business: { business_name: 'Traced Widgets LLC' } })
    const pn = await addNumber(url, c)
    phone = (await http(url, 'GET', `/2010-04-01/Accounts/${c.sid}/IncomingPhoneNumbers/${pn}.json`, { auth: c })).body
      .phone_number
    await assignNumber(url, c, 'CustomerProfiles', profile, pn)
    const tp = await makeTrustProduct(url, c, profile, [pn])
    await submitAndApprove(url, c, 'TrustProducts', tp)
    iat = Math.floor(Date.now() / 1000)
    const r = await http(url, 'POST', '/stir/v1/signing', {
      auth: c,
      json: {
        signingRequest: { attest: 'A', dest: { tn: ['12025550143'] }, iat, orig: { tn: phone }, origid: randomUUID() },
      },
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    identity = r.body.signingResponse.identity
    await env.server.running.ctx.calls.flush()
  })

  for (const width of [1440, 390] as const) {
    it(`pastes a signed call's Identity header and sees the business, the number and why (${width} px)`, async () => {
      const { page, context, errors } = await openConsole(env.browser, env.server.url, width)
      await signInStaff(page, ADMIN_TOKEN)
      if (width < 600) await page.goto('/console/operator/traceback')
      else await page.getByRole('link', { name: 'Traceback' }).click()
      await page.getByRole('heading', { name: 'Traceback', level: 2 }).waitFor()
      await expectAccessible(page, `traceback form at ${width} px`)
      await page.getByLabel('Identity header', { exact: true }).fill(`Identity: ${identity}`)
      await page.getByRole('button', { name: 'Trace' }).click()
      await page.getByText('Traced Widgets LLC').waitFor()
      const business = page.getByRole('region', { name: 'The business' })
      await business.getByText('EIN 12-3456789').waitFor()
      await business.getByText('Jane Doe, CEO, jane@acme.example.com', { exact: false }).waitFor()
      await page.getByRole('region', { name: 'Who placed the call' }).getByText('Traced Telecom').waitFor()
      await page
        .getByRole('region', { name: "The number's right to use" })
        .getByText("bought from the operator's inventory")
        .first()
        .waitFor()
      const why = page.getByRole('region', { name: 'Why it got its level' })
      await why.getByText('Attestation A').waitFor()
      assert.ok((await why.getByRole('listitem').count()) > 0, 'the reasons are listed')
      await expectAccessible(page, `traceback answer at ${width} px`)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 0, `no sideways scroll at ${width} px (overflow ${overflow} px)`)
      await screenshot(page, `traceback${width < 600 ? '-390px' : ''}`)

      if (width > 600) {
        const [json] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Export JSON' }).click(),
        ])
        const answer = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'))
        assert.equal(answer.business_profile.legal_name, 'Traced Widgets LLC')
        assert.equal(answer.signed_by_this_platform, true)
        const [text] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Export text summary' }).click(),
        ])
        const summary = fs.readFileSync((await text.path())!, 'utf8')
        assert.match(summary, /^Business: Traced Widgets LLC \(profile BU[0-9a-f]{32}, twilio-approved/m)
        assert.match(summary, /^Attestation: A \(full-attestation\)$/m)

        // Altered after signing: our signature over other claims.
        const [h, p, sig] = identity.split(';')[0]!.split('.')
        await page
          .getByLabel('Identity header', { exact: true })
          .fill(`${h}.${p}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`)
        await page.getByRole('button', { name: 'Trace' }).click()
        await page.getByText('Not signed by this platform', { exact: true }).waitFor()
        await page.getByText('Traced Widgets LLC').waitFor({ state: 'detached' })

        // The same call by origid, numbers and time.
        const { origid } = JSON.parse(Buffer.from(p!, 'base64url').toString())
        await page.getByRole('tab', { name: 'Search by origid' }).click()
        await page.getByLabel('Origid', { exact: true }).fill(origid)
        await page.getByLabel('Time', { exact: true }).fill(String(iat))
        await page.getByLabel('Calling number', { exact: true }).fill(phone)
        await page.getByLabel('Called number', { exact: true }).fill('+1 202 555 0143')
        await page.getByRole('button', { name: 'Trace' }).click()
        await page.getByText('Traced Widgets LLC').waitFor()
        await page.getByLabel('Time', { exact: true }).fill('yesterday')
        await page.getByRole('button', { name: 'Trace' }).click()
        await page
          .getByRole('alert')
          .getByText(/Invalid parameter time/)
          .waitFor()
      }
      assert.deepEqual(errors, [])
      await context.close()
    })
  }

  it('a reviewer has no Traceback link, and is told the page is for the operator', async () => {
    const reviewer = await newReviewer(env.server.url, 'Trace Reviewer')
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signInStaff(page, reviewer.token)
    const nav = page.getByRole('navigation', { name: 'Main navigation' })
    await nav.getByRole('link', { name: 'Review queue' }).waitFor()
    assert.equal(await nav.getByRole('link', { name: 'Traceback' }).count(), 0)
    await page.goto('/console/operator/traceback')
    await page.getByRole('alert').getByText('Traceback is for the platform operator only').waitFor()
    await expectAccessible(page, 'traceback, as a reviewer')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
