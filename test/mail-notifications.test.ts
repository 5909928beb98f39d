/**
 * Notification mail over a real SMTP server the test starts (smtp-server), on both engines:
 * decisions and expiring approvals reach the account's (and its parent's) owners and
 * compliance users only, an SLA breach reaches staff reviewers and operators once, all sent by
 * the worker's pass; without SMTP nothing is queued and the console's users answer says so.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount } from './helpers/http.js'
import { startSmtp, type SmtpSink } from './helpers/smtp.js'
import { addUser, userSignIn, as } from './helpers/users.js'
import { makeCompliantProfile, submit } from './helpers/onboarding.js'
import { act, newReviewer, type Reviewer } from './helpers/vetting.js'
import { startWorker } from '../src/vetting/worker.js'

const FICTION = 'Fixture data: the failed checks are known and accepted'

for (const dialect of DIALECTS) {
  describe(`notification mail [${dialect}]`, () => {
    let s: TestServer
    let bare: TestServer
    let smtp: SmtpSink
    let rita: Reviewer
    let offset = 0
    const clock = () => new Date(Date.now() + offset)

    /** One worker pass, by a fresh worker a minute later (the timers' store lease of the last one has run out). */
    const pass = async (server = s) => {
      offset += 60_000
      const w = startWorker(server.running.ctx)
      await w.tick()
      await w.tick()
      await w.stop()
    }
    const mailsAbout = (sid: string) => smtp.messages.filter((m) => m.text.includes(sid))
    const recipients = (sid: string) =>
      mailsAbout(sid)
        .flatMap((m) => m.to)
        .sort()

    before(async () => {
      smtp = await startSmtp()
      s = await startServer(dialect, {
        clock,
        env: { STIRHUB_SMTP_URL: smtp.url, STIRHUB_MAIL_FROM: 'notices@stirhub.example' },
      })
      bare = await startServer(dialect, { clock })
      rita = await newReviewer(s.url)
    })
    after(async () => {
      await bare.stop()
      await s.stop()
      await smtp.stop()
    })

    it("a rejection and an approval reach the account's owners and compliance users, and its parent's; nobody else", async () => {
      const parent = await newAccount(s.url, 'Parent Co')
      const a = await newSubAccount(s.url, parent, 'Mailed Co')
      const other = await newAccount(s.url, 'Other Co')
      await addUser(s, a.sid, 'owner@mailed.example', 'owner')
      await addUser(s, a.sid, 'comp@mailed.example', 'compliance')
      await addUser(s, a.sid, 'dev@mailed.example', 'developer')
      await addUser(s, a.sid, 'ro@mailed.example', 'read-only')
      await addUser(s, parent.sid, 'owner@parent.example', 'owner')
      await addUser(s, parent.sid, 'dev@parent.example', 'developer')
      await addUser(s, other.sid, 'owner@other.example', 'owner')
      await addUser(s, null, 'ops@stirhub.example', 'operator')

      const bu = await makeCompliantProfile(s.url, a)
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).body.status, 'pending-review')
      const rj = await act(s.url, rita, bu, 'Reject', { Errors: [18602, 18603], Reason: 'The EIN is not on file' })
      assert.equal(rj.status, 200, JSON.stringify(rj.body))
      assert.equal(mailsAbout(bu).length, 0, 'sent by the worker, not inside the decision')
      await pass()
      const want = ['comp@mailed.example', 'owner@mailed.example', 'owner@parent.example']
      const about = (what: RegExp) => mailsAbout(bu).filter((m) => what.test(m.subject))
      assert.deepEqual(
        about(/rejected/)
          .flatMap((m) => m.to)
          .sort(),
        want,
      )
      const r = about(/rejected/)[0]!
      assert.equal(r.from, 'notices@stirhub.example')
      assert.match(r.subject, /Mailed|Customer Profile/)
      assert.match(r.text, /was rejected/)
      assert.match(r.text, /The EIN is not on file/)
      assert.match(r.text, /18602: business registration ID could not be verified/)
      assert.match(r.text, /18603: business address could not be verified/)

      // Submitted again and approved: a second decision, a second mail to each.
      assert.equal((await submit(s.url, a, 'CustomerProfiles', bu)).body.status, 'pending-review')
      const ap = await act(s.url, rita, bu, 'Approve', { OverrideReason: FICTION })
      assert.equal(ap.status, 200, JSON.stringify(ap.body))
      await pass()
      assert.deepEqual(
        about(/approved/)
          .flatMap((m) => m.to)
          .sort(),
        want,
      )
      const ok = about(/approved/)[0]!
      assert.match(ok.text, /was approved/)
      assert.match(ok.text, /valid until \d{4}-/)
      assert.equal(about(/rejected/).length, 3, 'each sent once')
      assert.equal(recipients(bu).length, 6)
    })

    it('an approval about to expire reaches the owners and compliance users once', async () => {
      const a = await newAccount(s.url, 'Expiring Co')
      await addUser(s, a.sid, 'owner@expiring.example', 'owner')
      await addUser(s, a.sid, 'dev@expiring.example', 'developer')
      const bu = await makeCompliantProfile(s.url, a)
      await submit(s.url, a, 'CustomerProfiles', bu)
      const ap = await act(s.url, rita, bu, 'Approve', {
        OverrideReason: FICTION,
        ValidUntil: new Date(clock().getTime() + 10 * 86_400_000).toISOString(),
      })
      assert.equal(ap.status, 200, JSON.stringify(ap.body))
      await pass()
      await pass()
      const expiring = mailsAbout(bu).filter((m) => /expires/.test(m.subject))
      assert.deepEqual(
        expiring.flatMap((m) => m.to),
        ['owner@expiring.example'],
      )
      assert.match(expiring[0]!.text, /runs out on .* \(in 10 days\)/)
    })

    it('an SLA breach reaches staff reviewers and operators once', async () => {
      const a = await newAccount(s.url, 'Slow Co')
      await addUser(s, a.sid, 'owner@slow.example', 'owner')
      await addUser(s, null, 'reviewer@stirhub.example', 'reviewer')
      const bu = await makeCompliantProfile(s.url, a)
      await submit(s.url, a, 'CustomerProfiles', bu)
      await pass()
      assert.equal(mailsAbout(bu).length, 0, 'not overdue yet')
      offset += 25 * 3600_000
      await pass()
      assert.deepEqual(recipients(bu), ['ops@stirhub.example', 'reviewer@stirhub.example'])
      const m = mailsAbout(bu)[0]!
      assert.match(m.subject, /Review overdue/)
      assert.match(m.text, /past its review SLA/)
      await pass()
      assert.equal(mailsAbout(bu).length, 2, 'not again on the next pass')
    })

    it('mail the SMTP server could not take stays queued and is sent on a later pass', async () => {
      const port = await freePort()
      const down = await startServer(dialect, { clock, env: { STIRHUB_SMTP_URL: `smtp://127.0.0.1:${port}` } })
      let late: SmtpSink | undefined
      try {
        const a = await newAccount(down.url, 'Retry Co')
        await addUser(down, a.sid, 'owner@retry.example', 'owner')
        const rv = await newReviewer(down.url)
        const bu = await makeCompliantProfile(down.url, a)
        await submit(down.url, a, 'CustomerProfiles', bu)
        assert.equal((await act(down.url, rv, bu, 'Reject', { Errors: [18602], Reason: 'No' })).status, 200)
        const rows = () => down.running.ctx.store.db.selectFrom('mail_outbox').selectAll().execute()
        await pass(down)
        const [failed] = await rows()
        assert.equal(failed?.status, 'pending')
        assert.equal(failed?.attempts, 1)
        assert.ok(failed?.last_error, 'the failure is kept')
        assert.ok(failed!.next_attempt_at > failed!.date_created, 'retried later, not at once')

        late = await startSmtp(port)
        offset += 3600_000
        await pass(down)
        const [sent] = await rows()
        assert.equal(sent?.status, 'sent')
        assert.deepEqual(
          late.messages.map((m) => m.to),
          [['owner@retry.example']],
        )
      } finally {
        await down.stop()
        await late?.stop()
      }
    })

    it('without SMTP nothing is queued or sent, and the console says email is not configured', async () => {
      const a = await newAccount(bare.url, 'Quiet Co')
      await addUser(bare, a.sid, 'owner@quiet.example', 'owner')
      const rv = await newReviewer(bare.url)
      const bu = await makeCompliantProfile(bare.url, a)
      await submit(bare.url, a, 'CustomerProfiles', bu)
      assert.equal((await act(bare.url, rv, bu, 'Reject', { Errors: [18602], Reason: 'No' })).status, 200)
      await pass(bare)
      const queued = await bare.running.ctx.store.db.selectFrom('mail_outbox').selectAll().execute()
      assert.equal(queued.length, 0)
      assert.equal(mailsAbout(bu).length, 0)
      const b = await userSignIn(bare.url, 'owner@quiet.example')
      const users = await http(bare.url, 'GET', '/console/api/users', { headers: as(b) })
      assert.equal(users.status, 200, JSON.stringify(users.body))
      assert.equal(users.body.mail, 'not-configured')
      assert.equal((await http(bare.url, 'GET', '/console/api/session', { headers: as(b) })).body.mail, false)
      const s2 = await userSignIn(s.url, 'owner@slow.example')
      assert.equal((await http(s.url, 'GET', '/console/api/users', { headers: as(s2) })).body.mail, 'configured')
      assert.equal((await http(s.url, 'GET', '/console/api/session', { headers: as(s2) })).body.mail, true)
    })
  })
}
