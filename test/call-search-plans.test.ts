/**
 * The call-record searches stay index-driven on PostgreSQL (EXPLAIN over day partitions
 * holding 60,000 records): every branch of every search reads its day partitions through an
 * index (the account, parent, origid, orig or dest index, or the primary key), never a
 * sequential scan; a customer's `account_sid = X OR parent_sid = X` is two branches because
 * the OR alone is not an ordered scan of either index. SQLite has the same indexes; its plans are
 * not asserted here.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CompiledQuery, sql } from 'kysely'
import { openWorld, type World } from './helpers/trusthub-store.js'
import { DIALECTS } from './helpers/dialects.js'
import { ensureCallPartitions } from '../src/store/call-records.repo.js'
import { callSearchQueries, type CallFilter } from '../src/store/call-search.repo.js'

const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']
const acct = (n: number) => `AC${n.toString(16).padStart(32, '0')}`

describe('call-record search plans [postgres]', { skip: !DIALECTS.includes('postgres') }, () => {
  let w: World
  before(async () => {
    w = await openWorld('postgres')
    await ensureCallPartitions(w.db, DAYS)
    // 60,000 records over the five days: 300 accounts, the first 100 under 10 parents.
    await sql`INSERT INTO call_records (sid, date_created, kind, ppt, account_sid, parent_sid, orig, dest, dests,
        attest, origid, transport, reasons)
      SELECT 'CL' || md5(g::text),
        to_char(timestamp '2026-11-24' + g * interval '7.2 seconds', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        CASE WHEN g % 3 = 0 THEN 'verified' ELSE 'signed' END, 'shaken',
        'AC' || lpad(to_hex(g % 300 + 1000), 32, '0'),
        CASE WHEN g % 300 < 100 THEN 'AC' || lpad(to_hex(g % 10), 32, '0') END,
        '1212' || lpad((g % 5000)::text, 7, '0'), '1303' || lpad((g % 7000)::text, 7, '0'), '[]',
        'A', md5(g::text)::uuid::text, 'rest', '[]'
      FROM generate_series(1, 60000) g`.execute(w.db)
    await sql`ANALYZE call_records`.execute(w.db)
  })
  after(async () => {
    await w?.close()
  })

  const plans = async (f: CallFilter, after?: { d: string; s: string }) => {
    const out: string[] = []
    for (const q of callSearchQueries(w.db, f, { pageSize: 50, offset: 0, after })) {
      const c = q.compile()
      const r = await w.db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${c.sql}`, [...c.parameters]),
      )
      out.push(r.rows.map((x) => x['QUERY PLAN']).join('\n'))
    }
    return out
  }

  it('every search reads the day partitions through an index', async () => {
    const keyset = { d: '2026-11-26T12:00:00.000Z', s: `CL${'f'.repeat(32)}` }
    const cases: Array<[string, CallFilter, number, typeof keyset | undefined]> = [
      ['every call', {}, 1, undefined],
      ['a parent and its sub-accounts', { scope: acct(3) }, 2, undefined],
      ['a sub-account', { scope: acct(1000) }, 2, undefined],
      ['a parent, next page', { scope: acct(3) }, 2, keyset],
      ['a calling number', { orig: '12120000042' }, 1, undefined],
      ['a called number since a time', { dest: '13030000042', since: '2026-11-26T00:00:00.000Z' }, 1, undefined],
      ['an origid', { origids: ['c4ca4238-a0b9-3823-0dcc-509a6f75849b'] }, 1, undefined],
      ['a parent, a calling number, verified', { scope: acct(3), orig: '12120000003', kind: 'verified' }, 2, undefined],
    ]
    for (const [what, f, branches, after] of cases) {
      const ps = await plans(f, after)
      assert.equal(ps.length, branches, what)
      for (const p of ps) {
        assert.doesNotMatch(p, /Seq Scan on call_records_2026/, `${what}:\n${p}`)
        assert.match(p, /Index (Only )?Scan|Bitmap Index Scan/, `${what}:\n${p}`)
      }
    }
  })

  it('the OR of account and parent alone is not answered from their indexes (why searches use two branches)', async () => {
    const r = await w.db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(
        `EXPLAIN SELECT * FROM call_records WHERE account_sid = $1 OR parent_sid = $1
          ORDER BY date_created DESC, sid DESC LIMIT 51`,
        [acct(1000)],
      ),
    )
    const plan = r.rows.map((x) => x['QUERY PLAN']).join('\n')
    // It reads every matching row (a BitmapOr, or the primary key with a filter) and sorts:
    // not an ordered range scan of the account or parent index that stops after a page.
    assert.doesNotMatch(plan, /Index Scan Backward using \S+_(account|parent)_sid_/, plan)
    // Each branch alone is one.
    const [own, subs] = await plans({ scope: acct(3) })
    assert.match(own!, /Index Scan Backward using \S+_account_sid_date_created_sid_idx/, own)
    assert.match(subs!, /Index Scan Backward using \S+_parent_sid_date_created_sid_idx/, subs)
  })
})
