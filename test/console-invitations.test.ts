/**
 * Invitations and password resets over real HTTP and a real SMTP server the test starts
 * (smtp-server), on both engines: the operator invites an account's first owner (API and
 * CLI), the owner invites others and manages them, links work once and expire, resets answer
 * the same for unknown emails, and without SMTP nothing is sent and the answer says so.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Res } from './helpers/http.js'
import { startSmtp, tokenIn, type SmtpSink } from './helpers/smtp.js'
import { as, userSignIn, type Browser } from './helpers/users.js'
import { runCliInProcess } from './helpers/cli.js'

const operator = { bearer: ADMIN_TOKEN }
const NEW_PASSWORD = 'a long enough passphrase'

/** Accepts an invitation; the browser it signs in. */
async function accept(base: string, token: string, password = NEW_PASSWORD): Promise<Browser> {
  const res = await http(base, 'POST', '/console/api/accept-invitation', { json: { Token: token, Password: password } })
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { res, cookie, csrf: res.body?.csrf_token }
}

const waitFor = async (sink: SmtpSink, to: string, n = 1) => {
  for (let i = 0; i < 100 && sink.to(to).length < n; i++) await new Promise((r) => setTimeout(r, 20))
  const got = sink.to(to)
  assert.ok(got.length >= n, `no mail to ${to}`)
  return got[n - 1]!
}

for (const dialect of DIALECTS) {
  describe(`console invitations and resets [${dialect}]`, () => {
    let s: TestServer
    let bare: TestServer
    let smtp: SmtpSink
    let now = Date.parse('2026-12-06T12:00:00Z')
    before(async () => {
      smtp = await startSmtp()
      s = await startServer(dialect, {
        clock: () => new Date(now),
        env: { STIRHUB_SMTP_URL: smtp.url, STIRHUB_MAIL_FROM: 'console@stirhub.example' },
      })
      bare = await startServer(dialect)
    })
    after(async () => {
      await bare.stop()
      await s.stop()
      await smtp.stop()
    })

    it("the operator invites an account's first owner by mail; the link signs them in once", async () => {
      const a = await newAccount(s.url, 'Invited Co')
      const r = await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'Owner@Invited.example' },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.equal(r.body.sent, true)
      assert.equal(r.body.link, undefined, 'a mailed link is never in the answer')
      assert.equal(r.body.role, 'owner')
      const mail = await waitFor(smtp, 'owner@invited.example')
      assert.equal(mail.from, 'console@stirhub.example')
      assert.match(mail.subject, /Invited Co/)
      assert.match(mail.text, new RegExp(`${s.url}/console/accept-invitation#token=`))
      const token = tokenIn(mail)

      const weak = await accept(s.url, token, 'short')
      assert.equal(weak.res.status, 400)
      assert.match(weak.res.body.message, /Password/)
      const b = await accept(s.url, token)
      assert.equal(b.res.status, 201, JSON.stringify(b.res.body))
      assert.equal(b.res.body.account_sid, a.sid)
      assert.equal(b.res.body.user.role, 'owner')
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(b) })).status, 200)
      const again = await accept(s.url, token)
      assert.equal(again.res.status, 400)
      assert.equal(again.res.body.code, 20001)
      assert.match(again.res.body.message, /not valid/)
      assert.equal((await userSignIn(s.url, 'owner@invited.example', NEW_PASSWORD)).res.status, 201)

      const events = await http(s.url, 'GET', '/v1/Events', { auth: a })
      const joined = events.body.results?.find((e: any) => e.event_type === 'user.joined') ?? null
      assert.ok(joined === null || /owner@invited\.example/.test(JSON.stringify(joined)))
    })

    it('owners invite, re-role and remove users; others may not; the last owner stays', async () => {
      const a = await newAccount(s.url, 'Team Co')
      await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'lead@team.example', Role: 'owner' },
      })
      const owner = await accept(s.url, tokenIn(await waitFor(smtp, 'lead@team.example')))
      const inv = await http(s.url, 'POST', '/console/api/invitations', {
        headers: as(owner),
        json: { Email: 'dev@team.example', Role: 'developer' },
      })
      assert.equal(inv.status, 201, JSON.stringify(inv.body))
      assert.equal(inv.body.sent, true)
      const listed = await http(s.url, 'GET', '/console/api/users', { headers: as(owner) })
      assert.equal(listed.status, 200)
      assert.deepEqual(
        listed.body.invitations.map((i: any) => [i.email, i.role]),
        [['dev@team.example', 'developer']],
      )
      assert.equal(listed.body.mail, 'configured')
      const dev = await accept(s.url, tokenIn(await waitFor(smtp, 'dev@team.example')))
      assert.equal(dev.res.body.user.role, 'developer')

      // A developer cannot invite or change roles (the role table), and says so in the API's format.
      const refused = await http(s.url, 'POST', '/console/api/invitations', {
        headers: as(dev),
        json: { Email: 'x@team.example', Role: 'owner' },
      })
      assert.equal(refused.status, 403)
      assert.equal(refused.body.code, 20403)
      const devSid = dev.res.body.user.sid
      const ownerSid = owner.res.body.user.sid
      assert.equal(
        (await http(s.url, 'POST', `/console/api/users/${ownerSid}`, { headers: as(dev), json: { Role: 'read-only' } }))
          .status,
        403,
      )
      const lastOwner = await http(s.url, 'POST', `/console/api/users/${ownerSid}`, {
        headers: as(owner),
        json: { Role: 'developer' },
      })
      assert.equal(lastOwner.status, 409)
      const demoted = await http(s.url, 'POST', `/console/api/users/${devSid}`, {
        headers: as(owner),
        json: { Role: 'read-only' },
      })
      assert.equal(demoted.status, 200)
      assert.equal(demoted.body.role, 'read-only')
      // The new role holds from the developer's very next request.
      assert.equal(
        (
          await http(s.url, 'POST', `/2010-04-01/Accounts/${a.sid}/Keys.json`, {
            headers: as(dev),
            form: { FriendlyName: 'k' },
          })
        ).status,
        403,
      )
      // Another account's owner sees no user of this one.
      const other = await newAccount(s.url, 'Other Co')
      await http(s.url, 'POST', `/admin/v1/Accounts/${other.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'boss@other.example' },
      })
      const stranger = await accept(s.url, tokenIn(await waitFor(smtp, 'boss@other.example')))
      assert.equal((await http(s.url, 'DELETE', `/console/api/users/${devSid}`, { headers: as(stranger) })).status, 404)
      const theirs = await http(s.url, 'GET', '/console/api/users', { headers: as(stranger) })
      assert.deepEqual(
        theirs.body.users.map((u: any) => u.email),
        ['boss@other.example'],
      )

      assert.equal((await http(s.url, 'DELETE', `/console/api/users/${devSid}`, { headers: as(owner) })).status, 204)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(dev) })).status, 401, 'removed: signed out')
      assert.equal((await userSignIn(s.url, 'dev@team.example', NEW_PASSWORD)).res.status, 401)
    })

    it('an invitation expires after 72 hours', async () => {
      const a = await newAccount(s.url, 'Late Co')
      await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'late@late.example' },
      })
      const token = tokenIn(await waitFor(smtp, 'late@late.example'))
      now += 73 * 3600_000
      assert.equal((await accept(s.url, token)).res.status, 400)
    })

    it('a password reset answers alike for unknown emails, mails only a user, works once and ends every session', async () => {
      const a = await newAccount(s.url, 'Forgetful Co')
      await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'mo@forget.example' },
      })
      const before = await accept(s.url, tokenIn(await waitFor(smtp, 'mo@forget.example')))
      const known = await http(s.url, 'POST', '/console/api/password-reset', { json: { Email: 'MO@forget.example' } })
      const unknown = await http(s.url, 'POST', '/console/api/password-reset', { json: { Email: 'no@forget.example' } })
      assert.equal(known.status, 202)
      assert.deepEqual(known.body, unknown.body)
      assert.deepEqual(known.body, { mail: 'sent-if-known' })
      const mail = await waitFor(smtp, 'mo@forget.example', 2)
      assert.match(mail.subject, /Reset/)
      await new Promise((r) => setTimeout(r, 100))
      assert.equal(smtp.to('no@forget.example').length, 0)
      const token = tokenIn(mail)
      const done = await http(s.url, 'POST', '/console/api/password-reset/complete', {
        json: { Token: token, Password: 'a brand new passphrase' },
      })
      assert.equal(done.status, 204)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers', { headers: as(before) })).status, 401)
      assert.equal((await userSignIn(s.url, 'mo@forget.example', NEW_PASSWORD)).res.status, 401)
      assert.equal((await userSignIn(s.url, 'mo@forget.example', 'a brand new passphrase')).res.status, 201)
      const reused: Res = await http(s.url, 'POST', '/console/api/password-reset/complete', {
        json: { Token: token, Password: 'yet another passphrase' },
      })
      assert.equal(reused.status, 400)
    })

    it('without SMTP nothing is sent: the operator gets the link once, in the answer and from the CLI', async () => {
      const a = await newAccount(bare.url, 'No Mail Co')
      const r = await http(bare.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'first@nomail.example', Role: 'owner' },
      })
      assert.equal(r.status, 201)
      assert.equal(r.body.sent, false)
      assert.match(r.body.link, new RegExp(`^${bare.url}/console/accept-invitation#token=`))
      const reset = await http(bare.url, 'POST', '/console/api/password-reset', {
        json: { Email: 'first@nomail.example' },
      })
      assert.deepEqual(reset.body, { mail: 'not-configured' })
      const cli = await runCliInProcess([
        'users',
        'invite',
        '--account',
        a.sid,
        '--email',
        'second@nomail.example',
        '--role',
        'compliance',
        '--url',
        bare.url,
        '--token',
        ADMIN_TOKEN,
      ])
      assert.equal(cli.code, 0, cli.err)
      assert.match(cli.out, /Invited second@nomail\.example as compliance/)
      assert.match(cli.out, /No SMTP server is configured/)
      const link = /#token=([A-Za-z0-9_-]+)/.exec(cli.out)![1]!
      const b = await accept(bare.url, link)
      assert.equal(b.res.status, 201)
      assert.equal(b.res.body.user.role, 'compliance')
      const bad = await http(bare.url, 'POST', `/admin/v1/Accounts/${a.sid}/Invitations`, {
        auth: operator,
        json: { Email: 'x@nomail.example', Role: 'emperor' },
      })
      assert.equal(bad.status, 400)
      assert.match(bad.body.message, /Role/)
    })

    it('the operator invites staff: a reviewer signs in as a person and works the queue, not the operator pages', async () => {
      const cli = await runCliInProcess([
        'users',
        'invite',
        '--email',
        'rhea@platform.example',
        '--role',
        'reviewer',
        '--url',
        bare.url,
        '--token',
        ADMIN_TOKEN,
      ])
      assert.equal(cli.code, 0, cli.err)
      assert.match(cli.out, /Invited rhea@platform\.example as reviewer of the platform staff/)
      const token = /#token=([A-Za-z0-9_-]+)/.exec(cli.out)![1]!
      const b = await accept(bare.url, token)
      assert.equal(b.res.status, 201)
      assert.equal(b.res.body.kind, 'admin')
      assert.equal(b.res.body.role, 'reviewer')
      assert.equal((await http(bare.url, 'GET', '/admin/v1/Reviews', { headers: as(b) })).status, 200)
      assert.equal((await http(bare.url, 'GET', '/admin/v1/Accounts', { headers: as(b) })).status, 401)
      const bad = await http(bare.url, 'POST', '/admin/v1/Invitations', {
        auth: operator,
        json: { Email: 'x@platform.example', Role: 'owner' },
      })
      assert.equal(bad.status, 400)
      assert.match(bad.body.message, /Role/)
    })
  })
}
