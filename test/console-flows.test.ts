/**
 * End-to-end stories in headless Chromium against a real server (SQLite):
 * 1. a direct customer submits its profile in the wizard, a reviewer claims and approves it
 *    in the workspace with keyboard shortcuts, the customer submits the trust product, the
 *    reviewer approves that, the customer assigns numbers in bulk and the simulator says A;
 * 2. a rejection with codes and a reason reaches the customer in plain words, who edits and
 *    resubmits;
 * 3. an ISV onboards itself and a customer in a new sub-account.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { makeCompliantProfile, randomUsNumber, submit } from './helpers/onboarding.js'
import {
  choose,
  fillDirectProfile,
  consoleEnvironment,
  openConsole,
  screenshot,
  signIn,
  signInStaff,
  type ConsolePage,
  submitIsvPrimary,
} from './helpers/browser.js'

async function newReviewer(base: string, name: string): Promise<string> {
  const r = await http(base, 'POST', '/admin/v1/Reviewers', {
    auth: { bearer: ADMIN_TOKEN },
    json: { Name: name, Email: `${name.toLowerCase()}@stirhub.test` },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  return r.body.token
}

/**
 * Selects a queued bundle by name, claims it with `c` and approves it with `a`, stating a reason
 * when a check fails (the fixtures share a registration number across accounts).
 */
async function approveWithKeys(page: Page, name: string) {
  await page.reload()
  await page.getByRole('button', { name, exact: true }).first().click()
  const detail = page.getByLabel('Review detail')
  await detail.getByRole('heading', { name }).waitFor()
  await page.keyboard.press('c')
  await detail.getByTestId('review-status').filter({ hasText: 'In review' }).waitFor()
  await page.keyboard.press('a')
  const dialog = page.getByRole('dialog', { name: 'Approve despite failed checks?' })
  const approved = detail.getByTestId('review-status').filter({ hasText: 'Approved' })
  await dialog.or(approved).first().waitFor()
  if (await dialog.isVisible()) {
    await dialog.getByLabel('Why approve anyway').fill('Same business on a test account')
    await dialog.getByRole('button', { name: 'Approve with this reason' }).click()
  }
  await approved.waitFor()
}

/** Places `n` numbers on an account (random ones the NANP rules refuse are simply redrawn). */
async function placeNumbers(base: string, accountSid: string, n: number): Promise<string[]> {
  const out: string[] = []
  while (out.length < n) {
    const tn = randomUsNumber()
    const r = await http(base, 'POST', `/admin/v1/Accounts/${accountSid}/IncomingPhoneNumbers`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { PhoneNumbers: [tn] },
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    if (r.body.added === 1) out.push(tn)
  }
  return out
}

async function bundleStatus(base: string, creds: Creds, kind: string, sid: string): Promise<string> {
  return (await http(base, 'GET', `/v1/${kind}/${sid}`, { auth: creds })).body.status
}

describe('console stories', () => {
  const env = consoleEnvironment()
  let reviewerToken: string
  before(async () => {
    reviewerToken = await newReviewer(env.server.url, 'Rita')
  })

  it('direct customer → reviewer approves → trust product → bulk numbers → A in the simulator', async () => {
    const a = await newAccount(env.server.url, 'Acme Dental')
    const numbers = await placeNumbers(env.server.url, a.sid, 3)
    const customer = await openConsole(env.browser, env.server.url)
    const reviewer = await openConsole(env.browser, env.server.url)
    const cp = customer.page
    await signIn(cp, a.sid, a.token)
    await cp.getByRole('link', { name: 'Direct customer onboarding' }).click()
    const submitted = await fillDirectProfile(cp)
    await cp.getByRole('button', { name: 'Submit for review' }).click()
    await submitted()
    const profile = (await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: a })).body.results[0]
      .sid as string

    await signInStaff(reviewer.page, reviewerToken)
    await approveWithKeys(reviewer.page, 'Acme Dental LLC')
    assert.equal(await bundleStatus(env.server.url, a, 'CustomerProfiles', profile), 'twilio-approved')

    await cp.getByRole('button', { name: 'Create and submit the trust product' }).click()
    await cp.getByText('Trust product: Submitted').waitFor()
    const tp = (await http(env.server.url, 'GET', '/v1/TrustProducts', { auth: a })).body.results[0].sid as string
    await approveWithKeys(reviewer.page, 'Acme Dental LLC SHAKEN/STIR')
    await screenshot(reviewer.page, 'reviewer-approved')
    assert.equal(await bundleStatus(env.server.url, a, 'TrustProducts', tp), 'twilio-approved')

    // Bulk: two ticked in the list, one pasted as CSV.
    await cp.reload()
    await cp.getByRole('checkbox', { name: `Select ${numbers[0]}` }).check()
    await cp.getByRole('checkbox', { name: `Select ${numbers[1]}` }).check()
    await cp.getByLabel('Or paste numbers (CSV)').fill(`number\n${numbers[2]}\n`)
    await cp.getByRole('button', { name: 'Assign to profile and trust product' }).click()
    await cp.getByRole('status').filter({ hasText: 'Done: 3 assigned, 0 already assigned, 0 refused' }).waitFor()
    await screenshot(cp, 'numbers-bulk-assign')
    const onTp = await http(env.server.url, 'GET', `/v1/TrustProducts/${tp}/ChannelEndpointAssignments`, { auth: a })
    assert.equal(onTp.body.results.length, 3)

    await cp.getByRole('link', { name: 'Attestation simulator' }).click()
    await cp.getByLabel('From (caller number)').fill(numbers[2]!)
    await cp.getByRole('button', { name: 'Simulate' }).click()
    await cp.getByTestId('level').filter({ hasText: /^A$/ }).waitFor()
    await cp.getByTestId('rule').filter({ hasText: 'full-attestation' }).waitFor()
    await screenshot(cp, 'simulator')
    await cp.getByRole('link', { name: 'Phone numbers' }).click()
    // The page writes numbers as people read them: +1 212-555-0100.
    const shown = numbers[0]!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1-$2-$3')
    const row = cp.getByRole('table', { name: 'Phone numbers' }).getByRole('row').filter({ hasText: shown })
    await row.getByText('A', { exact: true }).waitFor()
    const signed = await http(env.server.url, 'POST', '/stir/v1/signing', {
      auth: a,
      json: {
        signingRequest: {
          attest: 'A',
          orig: { tn: numbers[2] },
          dest: { tn: ['+12025550143'] },
          iat: Math.floor(Date.now() / 1000),
          origid: randomUUID(),
        },
      },
    })
    assert.ok(signed.body.signingResponse?.identity, JSON.stringify(signed.body))
    await cp.getByRole('link', { name: 'Dashboard' }).click()
    await cp.getByTestId('level').filter({ hasText: /^A$/ }).waitFor()
    await cp.getByTestId('signed-summary').filter({ hasText: 'Signed: A 1, B 0, C 0' }).waitFor()
    await screenshot(cp, 'dashboard-a')
    assert.deepEqual([...customer.errors, ...reviewer.errors], [])
    await customer.context.close()
    await reviewer.context.close()
  })

  it('a rejection reaches the customer in plain words; the customer edits and resubmits', async () => {
    const a = await newAccount(env.server.url, 'Bolt Repairs')
    const profile = await makeCompliantProfile(env.server.url, a, { business: { business_name: 'Bolt Repairs Inc' } })
    assert.equal((await submit(env.server.url, a, 'CustomerProfiles', profile)).status, 200)

    const reviewer = await openConsole(env.browser, env.server.url)
    const rp = reviewer.page
    await signInStaff(rp, reviewerToken)
    await rp.getByRole('button', { name: 'Acme', exact: true }).first().click()
    const detail = rp.getByLabel('Review detail')
    await detail.getByText('Automated checks').waitFor()
    await rp.keyboard.press('c')
    await detail.getByTestId('review-status').filter({ hasText: 'In review' }).waitFor()
    await rp.keyboard.press('r')
    await choose(
      rp,
      'Rejection codes',
      '18601 — We could not match the business name to the website',
      "18606 — The representative's email domain does not match the website's domain",
    )
    await rp
      .getByLabel('Reason the customer can act on')
      .fill('Your website does not name Bolt Repairs Inc; use the site on your own domain.')
    await rp.getByRole('button', { name: 'Send rejection' }).click()
    await detail.getByTestId('review-status').filter({ hasText: 'Rejected' }).waitFor()

    const customer = await openConsole(env.browser, env.server.url)
    const cp = customer.page
    await signIn(cp, a.sid, a.token)
    await cp.getByRole('link', { name: 'Profiles & trust products' }).click()
    await cp
      .getByRole('link', { name: /Acme|Bolt/ })
      .first()
      .click()
    const rejection = cp.getByTestId('rejection')
    await rejection.getByText('could not match the business name to the website').waitFor()
    await rejection.getByText("email domain does not match the website's domain").waitFor()
    await cp.getByTestId('rejection-reason').filter({ hasText: 'use the site on your own domain' }).waitFor()
    await cp.getByLabel('Website').first().fill('https://www.bolt-repairs.com')
    await cp.getByRole('button', { name: 'Resubmit for review' }).click()
    await cp.getByRole('status').filter({ hasText: 'Resubmitted for review' }).waitFor()
    await cp.getByTestId('bundle-status').filter({ hasText: 'Submitted' }).waitFor()
    assert.equal(await bundleStatus(env.server.url, a, 'CustomerProfiles', profile), 'pending-review')
    const bu = (await http(env.server.url, 'GET', `/v1/CustomerProfiles/${profile}/EntityAssignments`, { auth: a }))
      .body.results as any[]
    const infos = await Promise.all(
      bu
        .filter((x) => x.object_sid.startsWith('IT'))
        .map((x) => http(env.server.url, 'GET', `/v1/EndUsers/${x.object_sid}`, { auth: a })),
    )
    assert.ok(infos.some((r) => r.body.attributes.website_url === 'https://www.bolt-repairs.com'))
    assert.deepEqual([...customer.errors, ...reviewer.errors], [])
    await customer.context.close()
    await reviewer.context.close()
  })

  it('ISV: primary profile, then a customer in a new sub-account with its secondary profile', async () => {
    const isv = await newAccount(env.server.url, 'CallCloud')
    const c: ConsolePage = await openConsole(env.browser, env.server.url)
    const p = c.page
    await submitIsvPrimary(p, isv)
    const primary = (await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: isv })).body.results[0]
    const info = (
      await http(env.server.url, 'GET', `/v1/CustomerProfiles/${primary.sid}/EntityAssignments`, { auth: isv })
    ).body.results as any[]
    const business = await Promise.all(
      info.map((x) => http(env.server.url, 'GET', `/v1/EndUsers/${x.object_sid}`, { auth: isv })),
    )
    assert.ok(business.some((r) => r.body.attributes?.business_identity === 'isv_reseller_or_partner'))
    await http(env.server.url, 'POST', `/admin/v1/Bundles/${primary.sid}/Status`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Status: 'twilio-approved' },
    })

    await p.getByLabel('Customer business name').fill('Pizza Planet')
    await p.getByRole('button', { name: 'Add customer' }).click()
    await p.getByRole('heading', { name: 'Customer: Pizza Planet' }).waitFor()
    const sub = (await http(env.server.url, 'GET', '/2010-04-01/Accounts.json', { auth: isv })).body.accounts.find(
      (x: any) => x.friendly_name === 'Pizza Planet',
    )
    assert.ok(sub, 'the customer got its own sub-account')
    await fillDirectProfile(p, { name: 'Pizza Planet LLC', domain: 'pizzaplanet.com', ein: '11-2223333' })
    await p.getByRole('button', { name: 'Submit for review' }).click()
    await p.getByText('The SHAKEN/STIR trust product tells carriers').waitFor()
    const subCreds = { sid: sub.sid, token: isv.token }
    const secondary = (await http(env.server.url, 'GET', '/v1/CustomerProfiles', { auth: subCreds })).body.results
    assert.equal(secondary.length, 1)
    assert.equal(secondary[0].policy_sid, 'RNdfbf3fae0e1107f8aded0e7cead80bf5')
    assert.equal(secondary[0].account_sid, sub.sid)
    assert.equal(secondary[0].status, 'pending-review')
    await screenshot(p, 'isv-wizard')
    assert.deepEqual(c.errors, [])
    await c.context.close()
  })
})
