/**
 * Single sign-on against a real OpenID provider the test starts (`oidc-provider`): the operator
 * sets up an account's domain rule; a person at that domain signs in through the provider in
 * Chromium (authorization code + PKCE) and lands in the console as a new user with the
 * default role; a callback whose state is not the browser's, or from another issuer, is refused.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ADMIN_TOKEN, freePort, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { startProvider, type TestProvider } from './helpers/oidc.js'
import { expectAccessible, launch, openConsole } from './helpers/browser.js'
import type { Browser } from 'playwright-core'

describe('single sign-on (OpenID Connect) [sqlite]', () => {
  let s: TestServer
  let idp: TestProvider
  let browser: Browser
  let account: string
  /** The server's URL (its port chosen here, so the provider knows the callback first). */
  let base: string
  before(async () => {
    // The provider must know the server's callback before either starts: fix the server's port first.
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    idp = await startProvider(`http://127.0.0.1:${port}/console/api/sso/callback`)
    s = await startServer('sqlite', {
      env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, STIRHUB_SSO_ALLOW: idp.hostPort },
    })
    browser = await launch()
    account = (await newAccount(base, 'Acme SSO Co')).sid
    const set = await http(base, 'POST', `/admin/v1/Accounts/${account}/Sso`, {
      auth: { bearer: ADMIN_TOKEN },
      json: {
        Domain: 'Acme.Example',
        Issuer: idp.issuer,
        ClientId: idp.clientId,
        ClientSecret: idp.clientSecret,
        DefaultRole: 'compliance',
      },
    })
    assert.equal(set.status, 200, JSON.stringify(set.body))
    assert.equal(set.body.domain, 'acme.example')
    assert.equal(JSON.stringify(set.body).includes(idp.clientSecret), false)
  })
  after(async () => {
    await browser?.close()
    await s?.stop()
    await idp?.stop()
  })

  it('a person at the domain signs in through the provider and becomes a user with the default role', async () => {
    const { page, context, errors } = await openConsole(browser, base)
    await page.goto('/console/')
    await page.getByRole('textbox', { name: 'Email' }).fill('rae@acme.example')
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click()
    // The provider's own login page (oidc-provider's developer interactions): the hint fills the login.
    await page.locator('input[name="password"]').fill('anything')
    await page.getByRole('button', { name: 'Sign-in' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await expectAccessible(page, 'dashboard after single sign-on')
    const me = await page.evaluate(async () => (await fetch('/console/api/session')).json())
    assert.equal(me.account_sid, account)
    assert.equal(me.user.email, 'rae@acme.example')
    assert.equal(me.user.role, 'compliance')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('refuses a callback with a state that is not this browser’s, another issuer, or no sign-in in progress', async () => {
    const start = await http(base, 'POST', '/console/api/sso/start', { json: { Email: 'sam@acme.example' } })
    assert.equal(start.status, 200, JSON.stringify(start.body))
    const redirect = new URL(start.body.redirect)
    assert.equal(redirect.origin, idp.issuer)
    assert.equal(redirect.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(redirect.searchParams.get('nonce'))
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    assert.match(start.headers.getSetCookie()[0]!, /SameSite=Lax/)
    const state = redirect.searchParams.get('state')!
    const badState = await http(base, 'GET', '/console/api/sso/callback?code=x&state=forged', { headers: { cookie } })
    assert.equal(badState.status, 401)
    assert.match(badState.body.message, /state/)
    const otherIssuer = await http(
      base,
      'GET',
      `/console/api/sso/callback?code=x&state=${state}&iss=${encodeURIComponent('https://evil.example')}`,
      { headers: { cookie } },
    )
    assert.equal(otherIssuer.status, 401)
    assert.match(otherIssuer.body.message, /issuer/)
    const noFlow = await http(base, 'GET', `/console/api/sso/callback?code=x&state=${state}`)
    assert.equal(noFlow.status, 401)
    const badCode = await http(base, 'GET', `/console/api/sso/callback?code=not-a-code&state=${state}`, {
      headers: { cookie },
    })
    assert.equal(badCode.status, 401)
    assert.match(badCode.body.message, /token endpoint/)
    const elsewhere = await http(base, 'POST', '/console/api/sso/start', { json: { Email: 'sam@other.example' } })
    assert.equal(elsewhere.status, 400)
  })
})
