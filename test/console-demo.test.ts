/**
 * `stirhub demo` against a real server: both onboarding paths and a hosted-number order
 * complete through the real API and review queue, the four signed calls come out A, B, C
 * and A (the hosted number), two of them verify, then Demo Dental's Branded Calls product is
 * approved and a branded call signs and verifies with its name and call reason; all eight
 * calls are on record, and the console shows the brand (Branding page) and the branded call
 * (Calls page).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN } from './helpers/server.js'
import { http } from './helpers/http.js'
import { consoleEnvironment, expectAccessible, openConsole, signIn } from './helpers/browser.js'
import { brandedLine, runDemo } from '../src/cli/demo.command.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('stirhub demo', () => {
  const env = consoleEnvironment()

  it('onboards a direct customer and an ISV sub-account customer, hosts a number, signs A, B, C and A, then a branded call', async () => {
    const s = env.server
    const lines: string[] = []
    const r = await runDemo({ url: s.url, op: { url: s.url, bearer: ADMIN_TOKEN }, out: (l) => lines.push(l) })
    assert.deepEqual(r.levels, ['A', 'B', 'C', 'A'])
    assert.deepEqual(r.verified, ['TN-Validation-Passed', 'TN-Validation-Passed'])
    assert.ok(
      lines.some((l) => l.includes('[33/33] ✓')),
      'the progress display counts every step',
    )
    assert.equal(lines.filter((l) => l.includes('✓')).length, 33, lines.join('\n'))
    assert.ok(lines.some((l) => l.includes('no logo: a demo has no public https host')))
    // The name and reason are the verifier's, read back from the verification response.
    assert.equal(r.branded.verstat, 'TN-Validation-Passed')
    assert.deepEqual(r.branded.rcd, { nam: 'Demo Dental LLC', crn: 'Appointment reminder' })
    assert.equal(
      brandedLine(r.branded),
      'Branded: "Demo Dental LLC" (reason "Appointment reminder") signed A and verified',
    )
    // The calls are on record, written by the server's own timer (the demo cannot flush it).
    const records = async () =>
      s.running.ctx.store.db
        .selectFrom('call_records')
        .select(['kind', 'attest', 'account_sid', 'reason', 'rule', 'reasons'])
        .orderBy('date_created')
        .execute()
    for (let i = 0; i < 40 && (await records()).length < 8; i++) await sleep(100)
    const recorded = await records()
    const signed = recorded.filter((c) => c.kind === 'signed')
    assert.deepEqual(
      signed.map((c) => c.attest),
      ['A', 'B', 'C', 'A', 'A'],
    )
    assert.ok(signed.every((c) => c.rule !== null))
    const brandedReasons = signed.map((c) => (JSON.parse(c.reasons) as string[]).filter((x) => x.startsWith('branded')))
    assert.deepEqual(brandedReasons, [
      [],
      [],
      [],
      [],
      ['branded as "Demo Dental LLC": signed rcd, call reason "Appointment reminder", no logo'],
    ])
    assert.deepEqual(
      recorded.filter((c) => c.kind === 'verified').map((c) => [c.attest, c.reason, c.account_sid]),
      [
        ['A', 'passed', r.isv.sid],
        ['C', 'passed', r.isv.sid],
        ['A', 'passed', r.isv.sid],
      ],
    )
    const profiles = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: r.isv })
    assert.ok(profiles.body.results.every((p: any) => p.status === 'twilio-approved'))
    const subs = await http(s.url, 'GET', '/2010-04-01/Accounts.json', { auth: r.isv })
    const pizza = subs.body.accounts.find((a: any) => a.friendly_name === 'Pizza Planet')
    const secondary = await http(s.url, 'GET', '/v1/CustomerProfiles', { auth: { sid: pizza.sid, token: r.isv.token } })
    assert.equal(secondary.body.results[0].policy_sid, 'RNdfbf3fae0e1107f8aded0e7cead80bf5')
    assert.equal(secondary.body.results[0].status, 'twilio-approved')
    // Every number was bought from the inventory the operator loaded.
    const nums = await http(s.url, 'GET', `/2010-04-01/Accounts/${r.direct.sid}/IncomingPhoneNumbers.json`, {
      auth: r.direct,
    })
    assert.deepEqual(nums.body.incoming_phone_numbers.map((n: any) => n.right_to_use_origin).sort(), [
      'hosted',
      'inventory',
      'inventory',
    ])
    // The hosted number came through an order a reviewer approved.
    const orders = await http(s.url, 'GET', '/v2/HostedNumber/Orders', { auth: r.direct })
    assert.deepEqual(
      orders.body.items.map((o: any) => o.status),
      ['completed'],
    )
    const decided = await http(s.url, 'GET', `/admin/v1/Reviews?Status=twilio-approved&Kind=hosted-number-order`, {
      auth: { bearer: ADMIN_TOKEN },
    })
    assert.deepEqual(
      decided.body.results.map((x: any) => x.bundle_sid),
      [orders.body.items[0].sid],
    )
    const held = await http(s.url, 'GET', '/admin/v1/PhoneNumberInventory?Status=held', {
      auth: { bearer: ADMIN_TOKEN },
    })
    assert.equal(held.body.results.length, 4)

    // The console shows it: the approved brand on the Branding page, the branded call on the Calls page.
    const { page, context, errors } = await openConsole(env.browser, s.url, 1440)
    await signIn(page, r.direct.sid, r.direct.token)
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('link', { name: 'Branded calling' }).first().click()
    const products = page.getByRole('list', { name: 'Your branding products' })
    const brand = products.getByRole('listitem').filter({ hasText: 'Demo Dental LLC Branded Calls' })
    await brand.waitFor()
    assert.match(await brand.innerText(), /Branded Calls\s+Approved/i)
    await expectAccessible(page, 'branding page listing the demo brand')
    await page.getByRole('link', { name: 'Calls' }).first().click()
    await page.getByRole('heading', { name: 'Calls', level: 2 }).waitFor()
    // Newest first: the branded call is the first signed row.
    const row = page.getByRole('table', { name: 'Calls' }).getByRole('row').nth(1)
    await row.getByRole('button', { name: /Details/ }).click()
    const detail = page.getByTestId('call-detail')
    await detail.waitFor()
    assert.equal(await detail.getByTestId('call-branded').innerText(), 'Demo Dental LLC')
    await detail
      .getByTestId('call-reasons')
      .getByText('branded as "Demo Dental LLC": signed rcd, call reason "Appointment reminder", no logo')
      .waitFor()
    await expectAccessible(page, 'calls page with a branded call open')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
