/**
 * Call-record searches at scale, on PostgreSQL (BENCH_PG_URL, default the test database): N call
 * records (default 10,000,000; `--rows=N`) loaded into a schema of their own, migrated as the
 * app migrates, spread over 30 day partitions, then p50/p99 of each search the API makes, as
 * it makes it (newest first, a page of 50 read as LIMIT 51): by origid, by calling number and
 * time range, by called number and time range (target p99 < 50 ms at 10M), through the API's
 * own searchCalls(). The schema is
 * dropped at the end unless `--keep` is given; a kept schema of the same row count is reused.
 *
 * How the rows are loaded: `INSERT … SELECT FROM generate_series` in chunks of 1M rows in time
 * order (as the recorder writes them), with the table's six search indexes dropped during the
 * load and built again after it from their own definitions (read from pg_indexes), then
 * ANALYZE. Cardinalities: 1,000 accounts (300 of them sub-accounts of 20 ISVs), 200,000
 * calling numbers (each held by one account), 2,000,000 called numbers, 80 % signed calls
 * carrying their account's origid, 20 % verified calls each with a random origid.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { sql } from 'kysely'
import { migrate, openStore, type Store } from '../src/store/db.js'
import { ensureCallPartitions } from '../src/store/call-records.repo.js'
import { searchCalls, type CallFilter } from '../src/store/call-search.repo.js'

type Print = (line: string) => void

const DAY_MS = 86_400_000
const DAYS = 30
const ACCOUNTS = 1000
const CALLING = 200_000
const CALLED = 2_000_000
const CHUNK = 1_000_000
const RUNS = 200
/** The page the API reads: PageSize 50, one more row to know a next page exists. */
const PAGE = 50

const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)

const account = (i: number) => 'AC' + i.toString(16).padStart(32, '0')
const callingTn = (i: number) => String(12120000000 + i)
const calledTn = (i: number) => String(13030000000 + i)

/** The account's origid, as the load computes it (md5 of the SID, as a UUID). */
const origidSql = (acct: string) => `md5('origid' || ${acct})::uuid::text`

type Filter = CallFilter

/** Loads `rows` records ending now into the store's call_records; returns a description of the load. */
async function load(store: Store, client: pg.Client, rows: number, print: Print): Promise<void> {
  const end = Date.now()
  const start = end - DAYS * DAY_MS
  await ensureCallPartitions(
    store.db,
    Array.from({ length: DAYS + 1 }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10)),
  )
  const indexes = (
    await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'call_records'
         AND indexname <> 'call_records_pkey'`,
    )
  ).rows
  for (const ix of indexes) await client.query(`DROP INDEX ${ix.indexname}`)
  await client.query("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'")
  const t0 = performance.now()
  const span = end - start
  for (let lo = 0; lo < rows; lo += CHUNK) {
    const hi = Math.min(rows, lo + CHUNK) - 1
    // n: the calling number (its account is n % ACCOUNTS); d: the called number.
    await client.query(
      `INSERT INTO call_records (sid, date_created, kind, ppt, account_sid, parent_sid, orig, dest, dests, attest,
          origid, transport, request_id, identity_hash, rule, reasons, spc, verstat, reason)
        SELECT 'CL' || lpad(to_hex(i), 32, '0'),
          to_char(to_timestamp(($1::float8 + i * $2::float8) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          CASE WHEN v THEN 'verified' ELSE 'signed' END, 'shaken', acct,
          CASE WHEN n % ${ACCOUNTS} >= 700 THEN 'AC' || lpad(to_hex(${ACCOUNTS} + n % 20), 32, '0') END,
          '1' || (2120000000 + n)::text, '1' || (3030000000 + d)::text, '["1' || (3030000000 + d)::text || '"]',
          (ARRAY['A', 'A', 'B', 'C'])[1 + i % 4],
          CASE WHEN v THEN gen_random_uuid()::text ELSE ${origidSql('acct')} END,
          CASE WHEN i % 3 = 0 THEN 'sip' ELSE 'rest' END, NULL, md5(i::text) || md5((-i)::text),
          CASE WHEN v THEN NULL ELSE 'full-attestation' END, '[]',
          CASE WHEN v THEN (100 + i % 900)::text || 'J' END,
          CASE WHEN v THEN 'TN-Validation-Passed' END, CASE WHEN v THEN 'passed' END
        FROM (SELECT i, n, d, v, 'AC' || lpad(to_hex(n % ${ACCOUNTS}), 32, '0') AS acct
              FROM (SELECT i, (random() * ${CALLING - 1})::int AS n, (random() * ${CALLED - 1})::int AS d,
                           random() < 0.2 AS v
                    FROM generate_series($3::int, $4::int) AS i) g) x`,
      [start, span / rows, lo, hi],
    )
    if ((hi + 1) % (5 * CHUNK) === 0) print(`… ${hi + 1} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)`)
  }
  const t1 = performance.now()
  // pg_indexes shows a partitioned index as `ON ONLY` the parent: without it, every partition's is built.
  for (const ix of indexes) await client.query(ix.indexdef.replace(' ON ONLY ', ' ON '))
  const t2 = performance.now()
  await client.query('ANALYZE call_records')
  print(
    `${rows} rows loaded with INSERT … SELECT FROM generate_series in time order (${CHUNK} a statement, ${ACCOUNTS} accounts, ${CALLING} calling and ${CALLED} called numbers, ${DAYS} day partitions) in ${((t1 - t0) / 1000).toFixed(0)} s, the ${indexes.length} search indexes dropped for the load and built after it in ${((t2 - t1) / 1000).toFixed(0)} s, ANALYZE ${((performance.now() - t2) / 1000).toFixed(0)} s`,
  )
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

/** The plan PostgreSQL picks for the keyset query of `f`: its scan nodes and indexes, in one line. */
async function planOf(client: pg.Client, store: Store, f: Filter): Promise<string> {
  const compiled = store.db
    .selectFrom('call_records')
    .selectAll()
    .$if(f.orig !== undefined, (q) => q.where('orig', '=', f.orig!))
    .$if(f.dest !== undefined, (q) => q.where('dest', '=', f.dest!))
    .$if(f.origids !== undefined, (q) => q.where('origid', 'in', f.origids as string[]))
    .$if(f.since !== undefined, (q) => q.where('date_created', '>=', f.since!))
    .$if(f.until !== undefined, (q) => q.where('date_created', '<', f.until!))
    .orderBy('date_created', 'desc')
    .orderBy('sid', 'desc')
    .limit(PAGE + 1)
    .compile()
  const r = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${compiled.sql}`, compiled.parameters as unknown[])
  return r.rows
    .map((x) => x['QUERY PLAN'].trim())
    .filter((l) => /Scan|Sort|Append|Limit/.test(l))
    .map((l) =>
      l
        .replace(/^->\s*/, '')
        .replace(/\s*\(cost=.*$/, '')
        .replace(/ on call_records_\d+/, ''),
    )
    .filter((l, i, all) => all.indexOf(l) === i)
    .slice(0, 4)
    .join(' / ')
}

export async function run(print: Print): Promise<void> {
  const rows = Number(option('rows') ?? 10_000_000)
  if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer of at least 1000')
  const keep = process.argv.includes('--keep')
  const url = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const schema = keep ? `bench_calls_${rows}` : `bench_calls_${randomBytes(4).toString('hex')}`
  const store = await openStore(url, { schema, poolSize: 2 })
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
  await client.connect()
  try {
    await migrate(store)
    const have = Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT 1 FROM call_records LIMIT ${rows}) x`.execute(
          store.db,
        )
      ).rows[0]!.n,
    )
    if (have === rows) print(`reusing the kept schema ${schema} (${rows} rows)`)
    else {
      if (have > 0) await client.query('TRUNCATE call_records')
      await load(store, client, rows, print)
    }
    const search = (f: Filter) => searchCalls(store.db, f, { pageSize: PAGE, offset: 0 })
    print(
      `searches through searchCalls() of src/store/call-search.repo.ts (the API's), operator scope, page of ${PAGE} (LIMIT ${PAGE + 1}), ${RUNS} runs each with random values`,
    )
    const span = (
      await client.query<{ lo: string; hi: string }>(
        'SELECT min(date_created) AS lo, max(date_created) AS hi FROM call_records',
      )
    ).rows[0]!
    const hiMs = Date.parse(span.hi)
    const rnd = (n: number) => Math.floor(Math.random() * n)
    /** A 7-day window ending at a random point of the loaded month. */
    const window = () => {
      const until = hiMs - rnd(DAYS - 7) * DAY_MS
      return { since: new Date(until - 7 * DAY_MS).toISOString(), until: new Date(until).toISOString() }
    }
    const origidOf = async (acct: number) =>
      (await client.query<{ o: string }>(`SELECT ${origidSql('$1::text')} AS o`, [account(acct)])).rows[0]!.o
    const cases: { name: string; filter: () => Promise<Filter> }[] = [
      {
        name: `by origid (an account's: ~${Math.round((0.8 * rows) / ACCOUNTS)} calls each)`,
        filter: async () => ({ origids: [await origidOf(rnd(ACCOUNTS))] }),
      },
      {
        name: `by calling number + 7-day range (~${Math.round(rows / CALLING)} calls per number over the month)`,
        filter: async () => ({ orig: callingTn(rnd(CALLING)), ...window() }),
      },
      {
        name: `by called number + 7-day range (~${Math.round(rows / CALLED)} calls per number over the month)`,
        filter: async () => ({ dest: calledTn(rnd(CALLED)), ...window() }),
      },
    ]
    for (const c of cases) {
      for (let i = 0; i < 20; i++) await search(await c.filter()) // warm the plan cache and the pages
      const ms: number[] = []
      let found = 0
      for (let i = 0; i < RUNS; i++) {
        const f = await c.filter()
        const t = performance.now()
        const r = await search(f)
        ms.push(performance.now() - t)
        found += r.rows.length
      }
      ms.sort((a, b) => a - b)
      print(
        `${c.name}: p50 ${pct(ms, 50).toFixed(2)} ms, p99 ${pct(ms, 99).toFixed(2)} ms (target p99 < 50 ms), ${(found / RUNS).toFixed(1)} rows per page; plan: ${await planOf(client, store, await c.filter())}`,
      )
    }
  } finally {
    await client.end()
    await store.close()
    if (!keep) {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  }
}
