/**
 * Console users over real HTTP on both engines: email + password sign-in into a server-side
 * session, no user enumeration, sessions listed and revoked (the revoked one refused on its
 * next request), idle and absolute timeouts, sign-out ending the session on the server, a
 * parent account's users acting in its sub-accounts and never in another account's, and the
 * per-user failure limit.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount } from './helpers/http.js'
import { addUser, as, codeFor, PASSWORD, userSignIn } from './helpers/users.js'
import { randomUsNumber, stockInventory } from './helpers/onboarding.js'

const CHROMIUM_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'

for (const dialect of DIALECTS) {
  describe(`console users [${dialect}]`, () => {
    let s: TestServer
    let now = Date.parse('2026-12-06T12:00:00Z')
    before(async () => {
      s = await startServer(dialect, {
        clock: () => new Date(now),
        env: { STIRHUB_SESSION_IDLE_MINUTES: '30', STIRHUB_SESSION_MAX_HOURS: '12', STIRHUB_AUTH_FAILURE_LIMIT: '5' },
      })
    })
    after(async () => {
      await s.stop()
    })

    it('signs a person in with email and password into a server-side session, never revealing whether an email exists', async () => {
      const a = await newAccount(s.url, 'People Co')
      await addUser(s, a.sid, 'ann@people.example', 'owner')
      const b = await userSignIn(s.url, '  Ann@People.Example ', PASSWORD, {}, { 'user-agent': CHROMIUM_UA })
      assert.equal(b.res.status, 201, JSON.stringify(b.res.body))
      assert.equal(b.res.body.kind, 'account')
      assert.equal(b.res.body.account_sid, a.sid)
      assert.equal(b.res.body.via, 'user')
      assert.equal(b.res.body.user.email, 'ann@people.example')
      assert.equal(b.res.body.user.role, 'owner')
      assert.equal(JSON.stringify(b.res.body).includes('scrypt'), false)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(b) })).status, 200)

      const wrong = await userSignIn(s.url, 'ann@people.example', 'not the password at all')
      const unknown = await userSignIn(s.url, 'nobody@people.example', 'not the password at all')
      assert.equal(wrong.res.status, 401)
      assert.equal(unknown.res.status, 401)
      assert.deepEqual(wrong.res.body, unknown.res.body)
      assert.deepEqual(wrong.res.headers.getSetCookie(), [])
      const bad = await userSignIn(s.url, 'not-an-email', 'x')
      assert.equal(bad.res.status, 400)
      assert.match(bad.res.body.message, /Email/)
    })

    it('lists sessions by browser and revokes one: that browser is refused on its next request', async () => {
      const a = await newAccount(s.url, 'Two Browsers Co')
      await addUser(s, a.sid, 'bo@two.example', 'developer')
      const one = await userSignIn(s.url, 'bo@two.example', PASSWORD, {}, { 'user-agent': CHROMIUM_UA })
      const two = await userSignIn(s.url, 'bo@two.example', PASSWORD, {}, { 'user-agent': 'curl/8.5.0' })
      const list = await http(s.url, 'GET', '/console/api/sessions', { headers: as(one) })
      assert.equal(list.status, 200)
      assert.equal(list.body.sessions.length, 2)
      const mine = list.body.sessions.find((x: any) => x.current)
      const other = list.body.sessions.find((x: any) => !x.current)
      assert.equal(mine.browser, 'Chromium on Linux')
      assert.equal(other.browser, 'curl')
      assert.match(other.sid, /^SN[0-9a-f]{32}$/)
      // Revoking needs the CSRF token, as every change does.
      assert.equal(
        (await http(s.url, 'DELETE', `/console/api/sessions/${other.sid}`, { headers: { cookie: one.cookie } })).status,
        403,
      )
      assert.equal(
        (await http(s.url, 'DELETE', `/console/api/sessions/${other.sid}`, { headers: as(one) })).status,
        204,
      )
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(two) })).status, 401)
      assert.equal((await http(s.url, 'GET', '/console/api/session', { headers: as(two) })).status, 401)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(one) })).status, 200)
      // Another user's session cannot be revoked by SID: 404, as a missing one.
      await addUser(s, a.sid, 'cy@two.example', 'developer')
      const cy = await userSignIn(s.url, 'cy@two.example')
      assert.equal((await http(s.url, 'DELETE', `/console/api/sessions/${mine.sid}`, { headers: as(cy) })).status, 404)
    })

    it('sign-out ends the session on the server: a copy of the cookie is refused', async () => {
      const a = await newAccount(s.url)
      await addUser(s, a.sid, 'di@out.example', 'owner')
      const b = await userSignIn(s.url, 'di@out.example')
      assert.equal((await http(s.url, 'DELETE', '/console/api/session', { headers: as(b) })).status, 204)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(b) })).status, 401)
    })

    it('ends a session after 30 idle minutes and 12 hours after sign-in however active', async () => {
      const a = await newAccount(s.url)
      await addUser(s, a.sid, 'ed@time.example', 'owner')
      const idle = await userSignIn(s.url, 'ed@time.example')
      const busy = await userSignIn(s.url, 'ed@time.example')
      now += 29 * 60_000
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(busy) })).status, 200)
      now += 2 * 60_000
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(idle) })).status, 401)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(busy) })).status, 200)
      for (let i = 0; i < 24; i++) {
        now += 29 * 60_000
        await http(s.url, 'GET', '/v1/EndUsers', { headers: as(busy) })
      }
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(busy) })).status, 401)
    })

    it("lets a parent's users act in its sub-accounts, never in another account", async () => {
      const parent = await newAccount(s.url, 'Parent Co')
      const sub = await newSubAccount(s.url, parent, 'Child Co')
      const stranger = await newAccount(s.url, 'Stranger Co')
      await addUser(s, parent.sid, 'fi@parent.example', 'owner')
      const b = await userSignIn(s.url, 'fi@parent.example')
      const inSub = await http(s.url, 'POST', '/v1/EndUsers', {
        headers: as(b, sub.sid),
        form: { FriendlyName: 'Sub person', Type: 'authorized_representative_1' },
      })
      assert.equal(inSub.status, 201, JSON.stringify(inSub.body))
      assert.equal(inSub.body.account_sid, sub.sid)
      const elsewhere = await http(s.url, 'GET', '/v1/EndUsers', { headers: as(b, stranger.sid) })
      assert.equal(elsewhere.status, 403)
      // A sub-account's user cannot climb to its parent.
      await addUser(s, sub.sid, 'gu@child.example', 'owner')
      const c = await userSignIn(s.url, 'gu@child.example')
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(c, parent.sid) })).status, 403)
    })

    it('staff users act in the admin area by role: an operator everywhere, a reviewer not on operator-only routes', async () => {
      await addUser(s, null, 'op@platform.example', 'operator')
      await addUser(s, null, 'rev@platform.example', 'reviewer')
      const op = await userSignIn(s.url, 'op@platform.example')
      assert.equal(op.res.body.kind, 'admin')
      assert.equal(op.res.body.role, 'operator')
      assert.equal((await http(s.url, 'GET', '/admin/v1/Accounts', { headers: as(op) })).status, 200)
      const rev = await userSignIn(s.url, 'rev@platform.example')
      assert.equal(rev.res.body.role, 'reviewer')
      assert.equal((await http(s.url, 'GET', '/admin/v1/Reviews', { headers: as(rev) })).status, 200)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Accounts', { headers: as(rev) })).status, 401)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(op) })).status, 401)
      // The operator's bearer token keeps working beside it.
      assert.equal((await http(s.url, 'GET', '/admin/v1/Accounts', { auth: { bearer: ADMIN_TOKEN } })).status, 200)
    })

    it('limits failed sign-ins per user across addresses, with the same answer for an unknown email', async () => {
      const a = await newAccount(s.url)
      await addUser(s, a.sid, 'hu@guess.example', 'owner')
      const statuses: number[] = []
      for (let i = 0; i < 7; i++) {
        const from = { 'x-forwarded-for': `198.51.100.${i}` }
        statuses.push((await userSignIn(s.url, 'hu@guess.example', `wrong guess ${i}`, {}, from)).res.status)
      }
      assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401])
      assert.equal(statuses[6], 429)
      // Even the right password waits now.
      assert.equal((await userSignIn(s.url, 'hu@guess.example')).res.status, 429)
      const unknown: number[] = []
      for (let i = 0; i < 7; i++) unknown.push((await userSignIn(s.url, 'ghost@guess.example', `w ${i}`)).res.status)
      assert.equal(unknown[6], 429)
    })

    it('two-factor: enrol with the app, then sign-in needs a code; a wrong one counts; a recovery code works once', async () => {
      const a = await newAccount(s.url, 'Second Factor Co')
      await addUser(s, a.sid, 'ivy@totp.example', 'owner')
      const b = await userSignIn(s.url, 'ivy@totp.example')
      const enrol = await http(s.url, 'POST', '/console/api/two-factor', { headers: as(b) })
      assert.equal(enrol.status, 200)
      assert.match(enrol.body.otpauth_uri, /^otpauth:\/\/totp\/stirhub:ivy%40totp\.example\?secret=[A-Z2-7]{32}&/)
      assert.match(enrol.body.qr_svg, /^<svg[^>]*>.*<\/svg>\s*$/s)
      const secret = enrol.body.secret as string
      // Not yet enrolled: a sign-in needs no code until the app's code confirms the secret.
      assert.equal((await userSignIn(s.url, 'ivy@totp.example')).res.status, 201)
      const wrong = await http(s.url, 'POST', '/console/api/two-factor/confirm', {
        headers: as(b),
        json: { Code: '000000' === codeFor(secret, now) ? '111111' : '000000' },
      })
      assert.equal(wrong.status, 400)
      const ok = await http(s.url, 'POST', '/console/api/two-factor/confirm', {
        headers: as(b),
        json: { Code: codeFor(secret, now) },
      })
      assert.equal(ok.status, 200, JSON.stringify(ok.body))
      const recovery = ok.body.recovery_codes as string[]
      assert.equal(recovery.length, 10)

      const noCode = await userSignIn(s.url, 'ivy@totp.example')
      assert.equal(noCode.res.status, 401)
      assert.equal(noCode.res.body.code, 20003)
      assert.match(noCode.res.body.message, /Two-factor code required/)
      assert.deepEqual(noCode.res.headers.getSetCookie(), [])
      // The code confirmed at enrolment is spent: the next step's code signs in.
      now += 30_000
      const withCode = await userSignIn(s.url, 'ivy@totp.example', PASSWORD, { Code: codeFor(secret, now) })
      assert.equal(withCode.res.status, 201, JSON.stringify(withCode.res.body))
      assert.equal(withCode.res.body.user.two_factor, true)
      const replay = await userSignIn(s.url, 'ivy@totp.example', PASSWORD, { Code: codeFor(secret, now) })
      assert.equal(replay.res.status, 401, 'a code works once')
      const byRecovery = await userSignIn(s.url, 'ivy@totp.example', PASSWORD, { Code: recovery[0]!.toUpperCase() })
      assert.equal(byRecovery.res.status, 201)
      assert.equal((await userSignIn(s.url, 'ivy@totp.example', PASSWORD, { Code: recovery[0]! })).res.status, 401)
      // A wrong password never reaches the code step.
      assert.equal(
        (await userSignIn(s.url, 'ivy@totp.example', 'wrong password here', { Code: codeFor(secret, now) })).res.body
          .message,
        'Authentication Error - invalid username or password',
      )
    })

    it('guessing codes is limited per user', async () => {
      const a = await newAccount(s.url)
      await addUser(s, a.sid, 'jo@guess2fa.example', 'owner')
      const b = await userSignIn(s.url, 'jo@guess2fa.example')
      const { secret } = (await http(s.url, 'POST', '/console/api/two-factor', { headers: as(b) })).body
      await http(s.url, 'POST', '/console/api/two-factor/confirm', {
        headers: as(b),
        json: { Code: codeFor(secret, now) },
      })
      const right = codeFor(secret, now + 30_000)
      const statuses: number[] = []
      for (let i = 0; i < 7; i++) {
        const guess = String(100000 + i)
        if (guess === right) continue
        const from = { 'x-forwarded-for': `203.0.113.${i}` }
        statuses.push((await userSignIn(s.url, 'jo@guess2fa.example', PASSWORD, { Code: guess }, from)).res.status)
      }
      assert.equal(statuses.at(-1), 429)
      now += 30_000
      assert.equal((await userSignIn(s.url, 'jo@guess2fa.example', PASSWORD, { Code: right })).res.status, 429)
    })

    it("an owner's switch makes every user enrol before anything else", async () => {
      const a = await newAccount(s.url, 'Strict Co')
      await addUser(s, a.sid, 'kim@strict.example', 'owner')
      await addUser(s, a.sid, 'lee@strict.example', 'developer')
      const owner = await userSignIn(s.url, 'kim@strict.example')
      const dev = await userSignIn(s.url, 'lee@strict.example')
      assert.equal(
        (
          await http(s.url, 'POST', '/console/api/account-security', {
            headers: as(dev),
            json: { RequireTwoFactor: true },
          })
        ).status,
        403,
      )
      const on = await http(s.url, 'POST', '/console/api/account-security', {
        headers: as(owner),
        json: { RequireTwoFactor: true },
      })
      assert.equal(on.status, 200)
      assert.deepEqual(on.body, { account_sid: a.sid, require_two_factor: true })
      const refused = await http(s.url, 'GET', '/v1/EndUsers', { headers: as(dev) })
      assert.equal(refused.status, 403)
      assert.match(refused.body.message, /requires two-factor/)
      const me = await http(s.url, 'GET', '/console/api/session', { headers: as(dev) })
      assert.equal(me.body.user.must_enrol_two_factor, true)
      const { secret } = (await http(s.url, 'POST', '/console/api/two-factor', { headers: as(dev) })).body
      const confirmed = await http(s.url, 'POST', '/console/api/two-factor/confirm', {
        headers: as(dev),
        json: { Code: codeFor(secret, now) },
      })
      assert.equal(confirmed.status, 200)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(dev) })).status, 200)
      assert.equal((await http(s.url, 'DELETE', '/console/api/two-factor', { headers: as(dev) })).status, 409)
      // The account's own credentials are not a person: the switch does not touch them.
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { auth: a })).status, 200)
    })

    it('names the person in the audit log for every change made through their session, the account otherwise', async () => {
      const a = await newAccount(s.url, 'Audit Co')
      const uSid = await addUser(s, a.sid, 'max@audit.example', 'owner')
      const b = await userSignIn(s.url, 'max@audit.example')
      const buy = async (headers: Record<string, string>, auth?: { sid: string; token: string }) => {
        const phone = randomUsNumber()
        await stockInventory(s.url, [phone])
        const r = await http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`, {
          headers,
          auth,
          form: { PhoneNumber: phone },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        return r.body.sid as string
      }
      const byPerson = await buy(as(b))
      const byToken = await buy({}, a)
      const actors = async (pn: string) =>
        (await http(s.url, 'GET', `/v1/Events?ResourceSid=${pn}`, { auth: a })).body.results.map((e: any) => e.actor)
      assert.deepEqual([...new Set(await actors(byPerson))], [`user:${uSid} max@audit.example`])
      assert.deepEqual([...new Set(await actors(byToken))], [a.sid])
    })
  })
}
