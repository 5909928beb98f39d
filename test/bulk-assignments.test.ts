/**
 * Bulk assignment jobs over HTTP on both stores: a CSV upload with numbers in every spelling,
 * one already assigned, one of another account, junk and a repeat; each line accounted for,
 * one audit event per assignment, levels moved, tenants kept apart.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, type Creds } from './helpers/http.js'
import { addBundle, addNumberRow, assignNumberRow } from './helpers/attestation-world.js'
import { POLICY } from '../src/domain/policies.js'
import { insertBulkJob } from '../src/store/bulk-assignment-jobs.repo.js'

/** Polls a job until it is no longer running. */
async function finished(s: TestServer, auth: Creds, url: string) {
  for (let i = 0; i < 200; i++) {
    const r = await http(s.url, 'GET', new URL(url).pathname, { auth })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    if (r.body.status !== 'running') return r.body
    await new Promise((res) => setTimeout(res, 25))
  }
  throw new Error('job still running')
}

for (const dialect of DIALECTS) {
  describe(`bulk assignment jobs [${dialect}]`, () => {
    let s: TestServer
    let a: Creds
    let other: Creds
    let profile: string
    let trust: string
    before(async () => {
      s = await startServer(dialect)
      a = await newAccount(s.url, 'Bulk Co')
      other = await newAccount(s.url, 'Other Co')
      const db = s.running.ctx.store.db
      profile = await addBundle(db, a.sid, POLICY.PRIMARY_PROFILE)
      trust = await addBundle(db, a.sid, POLICY.SHAKEN_STIR, 'twilio-approved', profile)
    })
    after(async () => {
      await s?.stop()
    })

    it('a CSV upload: every spelling normalised, already assigned and refused lines apart, levels refreshed', async () => {
      const db = s.running.ctx.store.db
      const [n1, n2, n3, n4, on] = await Promise.all([1, 2, 3, 4, 5].map(() => addNumberRow(db, a.sid)))
      await assignNumberRow(db, profile, a.sid, on!.sid, 'customer-profile')
      await assignNumberRow(db, trust, a.sid, on!.sid, POLICY.SHAKEN_STIR)
      const foreign = await addNumberRow(db, other.sid)
      const level = async (phone: string) =>
        (
          await http(s.url, 'GET', `/stir/v1/attestation?from=${encodeURIComponent(phone)}&to=%2B12125551212`, {
            auth: a,
          })
        ).body.level
      assert.equal(await level(n2!.phone), 'B')
      const csv = [
        'phone_number,name',
        `${n1!.phone},first`,
        n2!.phone.slice(2), // 10 digits, no '+'
        n3!.phone.slice(1), // country code, no '+'
        '',
        on!.phone,
        foreign.phone,
        'not a number',
        n1!.phone, // repeat
        n4!.sid,
      ].join('\n')
      const r = await http(
        s.url,
        'POST',
        `/v1/TrustProducts/${trust}/ChannelEndpointAssignments/Bulk?AssignToProfile=true`,
        {
          auth: a,
          raw: csv,
          headers: { 'content-type': 'text/csv' },
        },
      )
      assert.equal(r.status, 202, JSON.stringify(r.body))
      assert.match(r.body.sid, /^BK[0-9a-f]{32}$/)
      assert.equal(r.body.total, 8)
      const job = await finished(s, a, r.body.url)
      assert.equal(job.status, 'completed')
      assert.deepEqual(
        { done: job.done, assigned: job.assigned, already: job.already_assigned, refused: job.refused.length },
        { done: 8, assigned: 4, already: 1, refused: 3 },
      )
      assert.deepEqual(
        job.refused.map((x: any) => [x.line, x.value]),
        [
          [7, foreign.phone],
          [8, 'not a number'],
          [9, n1!.phone],
        ],
      )
      assert.match(job.refused[0].reason, /is not a phone number of account AC/)
      assert.match(job.refused[1].reason, /not a phone number/)
      assert.match(job.refused[2].reason, /the same number as line 2/)
      // On both bundles now, with one audit event per assignment; the level moved to A.
      for (const b of [profile, trust]) {
        const path = b === trust ? 'TrustProducts' : 'CustomerProfiles'
        const list = await http(s.url, 'GET', `/v1/${path}/${b}/ChannelEndpointAssignments?PageSize=50`, { auth: a })
        assert.equal(list.body.results.length, 5)
        const ev = await http(s.url, 'GET', `/v1/Events?ResourceSid=${b}&PageSize=50`, { auth: a })
        assert.equal(ev.body.results.filter((e: any) => e.type === 'channel_endpoint.assigned').length, 4)
      }
      assert.equal(await level(n2!.phone), 'A')
    })

    it('a JSON list on a profile; limits and a trust product without AssignToProfile follow the single rules', async () => {
      const db = s.running.ctx.store.db
      const n = await addNumberRow(db, a.sid)
      const m = await addNumberRow(db, a.sid)
      const onTrust = await http(s.url, 'POST', `/v1/TrustProducts/${trust}/ChannelEndpointAssignments/Bulk`, {
        auth: a,
        json: { PhoneNumbers: [n.phone] },
      })
      const t = await finished(s, a, onTrust.body.url)
      assert.equal(t.assigned, 0)
      assert.match(t.refused[0].reason, /must first be assigned to the linked Customer Profile/)
      const r = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk`, {
        auth: a,
        json: { PhoneNumbers: [n.phone, m.sid] },
      })
      assert.equal(r.status, 202)
      assert.equal((await finished(s, a, r.body.url)).assigned, 2)
      const many = Array.from({ length: 5001 }, () => n.phone)
      const big = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk`, {
        auth: a,
        json: { PhoneNumbers: many },
      })
      assert.equal(big.status, 400)
      const noLink = await http(
        s.url,
        'POST',
        `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk?AssignToProfile=true`,
        { auth: a, json: { PhoneNumbers: [n.phone] } },
      )
      assert.equal(noLink.status, 400)
      assert.match(noLink.body.message, /AssignToProfile/)
    })

    it('1,200 numbers run in five batches; a repeat across batches is refused, progress ends at the total', async () => {
      const numbers = Array.from({ length: 1200 }, (_, i) => `+1213234${String(i).padStart(4, '0')}`)
      const placed = await http(s.url, 'POST', `/admin/v1/Accounts/${a.sid}/IncomingPhoneNumbers`, {
        auth: { bearer: ADMIN_TOKEN },
        json: { PhoneNumbers: numbers },
      })
      assert.equal(placed.body.added, 1200, JSON.stringify(placed.body))
      const list = [...numbers.slice(0, 700), numbers[3]!, ...numbers.slice(700)]
      const r = await http(s.url, 'POST', `/v1/TrustProducts/${trust}/ChannelEndpointAssignments/Bulk`, {
        auth: a,
        json: { PhoneNumbers: list, AssignToProfile: true },
      })
      assert.equal(r.status, 202)
      const job = await finished(s, a, r.body.url)
      assert.deepEqual(
        { status: job.status, total: job.total, done: job.done, assigned: job.assigned, already: job.already_assigned },
        { status: 'completed', total: 1201, done: 1201, assigned: 1200, already: 0 },
      )
      assert.deepEqual(job.refused, [{ line: 701, value: numbers[3], reason: 'the same number as line 4' }])
      const events = await s.running.ctx.store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resource_sid', '=', trust)
        .where('type', '=', 'channel_endpoint.assigned')
        .executeTakeFirstOrThrow()
      assert.equal(Number(events.n), 1204, 'one audit event per assignment (4 from the first test)')
    })

    it('a job whose process went away is failed, not running for ever', async () => {
      // What a crash leaves: a running row nobody updates any more.
      const db = s.running.ctx.store.db
      const at = (msAgo: number) => new Date(s.running.ctx.clock().getTime() - msAgo).toISOString()
      const row = (sid: string, updated: string) => ({
        sid,
        account_sid: a.sid,
        bundle_sid: profile,
        status: 'running',
        total: 500,
        done: 250,
        assigned: 250,
        already_assigned: 0,
        refused: '[]',
        date_created: at(5 * 60_000),
        date_updated: updated,
      })
      await insertBulkJob(db, row(`BK${'a'.repeat(32)}`, at(2 * 60_000)))
      await insertBulkJob(db, row(`BK${'b'.repeat(32)}`, at(1_000)))
      const get = (sid: string) =>
        http(s.url, 'GET', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk/${sid}`, { auth: a })
      const stalled = await get(`BK${'a'.repeat(32)}`)
      assert.equal(stalled.status, 200)
      assert.equal(stalled.body.status, 'failed')
      assert.equal(stalled.body.done, 250, 'what it did stays said')
      assert.equal((await get(`BK${'b'.repeat(32)}`)).body.status, 'running', 'a job that just wrote is running')
    })

    it('another account sees neither the bundle nor the job', async () => {
      const n = await addNumberRow(s.running.ctx.store.db, a.sid)
      const r = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk`, {
        auth: a,
        json: { PhoneNumbers: [n.phone] },
      })
      await finished(s, a, r.body.url)
      const path = new URL(r.body.url).pathname
      assert.equal((await http(s.url, 'GET', path, { auth: other })).status, 404)
      const post = await http(s.url, 'POST', `/v1/CustomerProfiles/${profile}/ChannelEndpointAssignments/Bulk`, {
        auth: other,
        json: { PhoneNumbers: [n.phone] },
      })
      assert.equal(post.status, 404)
      const ownProfile = await addBundle(s.running.ctx.store.db, other.sid, POLICY.PRIMARY_PROFILE)
      const cross = await http(s.url, 'GET', path.replace(profile, ownProfile), { auth: other })
      assert.equal(cross.status, 404)
    })
  })
}
