/**
 * The console's "Inbound calls" pages in a real browser: calls from two signers (SPCs 1234 and
 * 5678) verified through the API show up for the customer and for the operator as charts with
 * axes and ticks, a signers table that sorts, and the most-failures lists; each window redraws
 * with one bar per hour or day; every view passes axe's WCAG AA rules.
 */
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { ADMIN_TOKEN, startServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { buildTestPki, startCertServer, type CertServer } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import {
  consoleEnvironment,
  expectAccessible,
  openConsole,
  screenshot,
  signIn,
  signInStaff,
} from './helpers/browser.js'

describe('console: inbound calls analytics', () => {
  let certs: CertServer
  const env = consoleEnvironment(async () => {
    certs = await startCertServer()
    const pki = await buildTestPki(new Date(), certs.base)
    const other = await pki.signer('5678')
    certs.routes.set('/1234.pem', { body: pki.chainPem('good') })
    certs.routes.set('/5678.pem', { body: other.chain })
    keys = { '1234': pki.leaves.good.key, '5678': other.key }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anchors-'))
    fs.writeFileSync(path.join(dir, 'roots.pem'), pki.root.pem)
    const s = await startServer('sqlite', {
      env: { STIRHUB_X5U_ALLOW: new URL(certs.base).host, STIRHUB_TRUST_ANCHORS: path.join(dir, 'roots.pem') },
    })
    return {
      ...s,
      async stop() {
        await s.stop()
        await certs.close()
        fs.rmSync(dir, { recursive: true, force: true })
      },
    }
  })
  let keys: Record<'1234' | '5678', import('node:crypto').KeyObject>
  let acct: Creds

  /** Verifies a call signed by `spc`'s certificate with `key`'s key (another's: the signature fails). */
  async function verify(spc: '1234' | '5678', attest: string, key: '1234' | '5678' = spc) {
    const x5u = `${certs.base}/${spc}.pem`
    const now = Math.floor(Date.now() / 1000)
    const identity = identityOf(forgeJws(shakenHeader(x5u), shakenClaims(now, { attest }), keys[key]), x5u)
    const r = await http(env.server.url, 'POST', '/stir/v1/verification', {
      auth: acct,
      json: { verificationRequest: { from: { tn: '12155550121' }, to: { tn: ['12025550143'] }, time: now, identity } },
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))
  }

  before(async () => {
    acct = await newAccount(env.server.url, 'Inbound Co')
    await verify('1234', 'A')
    await verify('1234', 'B')
    for (let i = 0; i < 3; i++) await verify('5678', 'A', '1234')
    await verify('5678', 'C')
  })

  /** Checks the page: the summary, both charts drawn with axes, ticks and labels, the signers. */
  async function checkPage(page: Page, where: string, shot: string) {
    await page.getByRole('heading', { name: 'Inbound calls', level: 2 }).waitFor()
    await page.getByTestId('analytics-summary').filter({ hasText: '6 calls verified in the last 7 days' }).waitFor()
    for (const chart of ['outcome-svg', 'level-svg']) {
      const svg = page.getByTestId(chart)
      assert.match((await svg.getAttribute('aria-label')) ?? '', /^Bar chart\. /)
      assert.equal(await svg.getByTestId('x-axis').count(), 1, `${chart}: x axis`)
      assert.equal(await svg.getByTestId('y-axis').count(), 1, `${chart}: y axis`)
      assert.ok((await svg.getByTestId('y-tick').count()) >= 2, `${chart}: y ticks`)
      assert.ok((await svg.getByTestId('x-label').count()) >= 2, `${chart}: x labels`)
      assert.equal(await svg.locator('[data-bar]').count(), 7, `${chart}: a bar per day`)
      assert.ok((await svg.locator('rect').count()) >= 1, `${chart}: today's bar is drawn`)
    }
    const table = page.getByRole('table', { name: 'Signers' })
    const row = (spc: string) => table.locator(`tr[data-spc="${spc}"]`)
    assert.deepEqual(await row('5678').locator('td').allInnerTexts(), [
      '4 (A 3, B 0, C 1)',
      '1',
      '3 (75 %)',
      '3',
      'Signature does not match (3)',
    ])
    assert.deepEqual(await row('1234').locator('td').allInnerTexts(), ['2 (A 1, B 1, C 0)', '2', '0 (0 %)', '0', '—'])
    const firstSpc = () => table.locator('tbody tr').first().getAttribute('data-spc')
    assert.equal(await firstSpc(), '5678', 'most calls first')
    await table.getByRole('button', { name: /^Signer \(SPC\)/ }).click()
    assert.equal(await firstSpc(), '1234', 'sorted by SPC')
    assert.equal(await table.getByRole('columnheader', { name: /Signer/ }).getAttribute('aria-sort'), 'ascending')
    await table.getByRole('button', { name: /^Failed A/ }).click()
    assert.equal(await firstSpc(), '5678', 'most failed A first')
    assert.deepEqual(await page.getByRole('list', { name: 'Most failures' }).locator('li').allInnerTexts(), [
      'SPC 5678: 3 of 4 failed',
    ])
    assert.deepEqual(await page.getByRole('list', { name: "Most failed A's" }).locator('li').allInnerTexts(), [
      'SPC 5678: 3 of 3 signed A failed',
    ])
    await expectAccessible(page, `${where}, 7 days`)
    await screenshot(page, shot)
    await page.getByRole('button', { name: '24 hours' }).click()
    await page.getByTestId('analytics-summary').filter({ hasText: 'in the last 24 hours' }).waitFor()
    assert.equal(await page.getByTestId('outcome-svg').locator('[data-bar]').count(), 24, 'a bar per hour')
    await expectAccessible(page, `${where}, 24 hours`)
    await page.getByRole('button', { name: '90 days' }).click()
    await page.getByTestId('analytics-summary').filter({ hasText: 'in the last 90 days' }).waitFor()
    assert.equal(await page.getByTestId('level-svg').locator('[data-bar]').count(), 90, 'a bar per day')
  }

  it('the customer sees its signers, charts and lists', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 1440)
    await signIn(page, acct.sid, acct.token)
    await page.getByRole('link', { name: 'Inbound calls' }).click()
    await checkPage(page, 'customer inbound calls', 'inbound-calls')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('the operator sees the same traffic, and the page fits a phone', async () => {
    const { page, context, errors } = await openConsole(env.browser, env.server.url, 390)
    await signInStaff(page, ADMIN_TOKEN)
    await page.goto('/console/operator/analytics')
    await checkPage(page, 'operator inbound calls at 390 px', 'inbound-calls-operator-390px')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no sideways scroll (overflow ${overflow} px)`)
    assert.deepEqual(errors, [])
    await context.close()
  })
})
