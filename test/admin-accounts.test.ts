/**
 * The operator's account list (`GET /admin/v1/Accounts`): every account and sub-account,
 * newest first, keyset-paged; `Search` matches the start of a SID or any part of a name in
 * any case (LIKE wildcards match themselves); `Status` filters; each row names its parent and
 * counts its sub-accounts. Reviewers and customers are refused.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { http, newAccount, newSubAccount, type CallOptions, type Creds } from './helpers/http.js'

const operator = { bearer: ADMIN_TOKEN }

for (const dialect of DIALECTS) {
  describe(`operator account list [${dialect}]`, () => {
    let s: TestServer
    let parent: Creds
    let sub: Creds
    let other: Creds
    const list = async (query: string, auth: CallOptions['auth'] = operator) => {
      const r = await http(s.url, 'GET', `/admin/v1/Accounts?${query}`, { auth })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return r.body as { results: any[]; meta: { next_page_url: string | null; key: string } }
    }
    const sids = (b: { results: any[] }) => b.results.map((r) => r.sid as string)
    before(async () => {
      s = await startServer(dialect)
      parent = await newAccount(s.url, 'Globex Telecom')
      sub = await newSubAccount(s.url, parent, 'Globex East')
      other = await newAccount(s.url, '100% Dialer_Co')
    })
    after(async () => {
      await s.stop()
    })

    it('lists every account newest first, with its parent and sub-account count', async () => {
      const b = await list('PageSize=1000')
      assert.equal(b.meta.key, 'results')
      const dates = b.results.map((r) => r.date_created as string)
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first')
      assert.ok(sids(b).indexOf(other.sid) < sids(b).indexOf(parent.sid))
      const row = (sid: string) => b.results.find((r) => r.sid === sid)
      const [o, sb, p] = [row(other.sid), row(sub.sid), row(parent.sid)]
      assert.deepEqual([p.parent_account_sid, p.parent_friendly_name, p.sub_accounts], [null, null, 1])
      assert.deepEqual(
        [sb.parent_account_sid, sb.parent_friendly_name, sb.sub_accounts, sb.status],
        [parent.sid, 'Globex Telecom', 0, 'active'],
      )
      assert.equal(o.friendly_name, '100% Dialer_Co')
      assert.match(p.date_created, /^\d{4}-\d\d-\d\dT/)
    })

    it('searches names in any case and anywhere in them, and SIDs by their start', async () => {
      assert.deepEqual(sids(await list('Search=GLOBEX')).sort(), [sub.sid, parent.sid].sort())
      assert.deepEqual(sids(await list('Search=east')), [sub.sid])
      assert.deepEqual(sids(await list(`Search=${parent.sid.slice(0, 12).toLowerCase()}`)), [parent.sid])
      assert.deepEqual(sids(await list(`Search=${sub.sid}`)), [sub.sid])
      assert.deepEqual(sids(await list('Search=%25')), [other.sid], 'a % matches itself')
      assert.deepEqual(sids(await list('Search=r_c')), [other.sid], 'an _ matches itself')
      assert.deepEqual(sids(await list('Search=nobody')), [])
    })

    it('filters by status, and pages with tokens that neither repeat nor skip', async () => {
      const r = await http(s.url, 'POST', `/admin/v1/Accounts/${sub.sid}`, {
        auth: operator,
        json: { Status: 'suspended' },
      })
      assert.equal(r.status, 200)
      assert.deepEqual(sids(await list('Status=suspended')), [sub.sid])
      assert.deepEqual(sids(await list('Status=suspended&Search=globex')), [sub.sid])
      assert.ok(!sids(await list('Status=active&PageSize=1000')).includes(sub.sid))

      const all = sids(await list('PageSize=1000'))
      const seen: string[] = []
      let next: string | null = '/admin/v1/Accounts?PageSize=1'
      while (next) {
        const u = new URL(next, s.url)
        const page = await list(u.searchParams.toString())
        assert.ok(page.results.length <= 1)
        seen.push(...sids(page))
        next = page.meta.next_page_url
      }
      assert.deepEqual(seen, all)
    })

    it('refuses reviewers and customers', async () => {
      const rv = await http(s.url, 'POST', '/admin/v1/Reviewers', {
        auth: operator,
        json: { Name: 'Rita', Email: 'rita@example.com' },
      })
      assert.equal(rv.status, 201)
      const reviewer = await http(s.url, 'GET', '/admin/v1/Accounts', { auth: { bearer: rv.body.token } })
      assert.equal(reviewer.status, 401)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Accounts', { auth: parent })).status, 401)
      assert.equal((await http(s.url, 'GET', '/admin/v1/Accounts')).status, 401)
    })
  })
}
