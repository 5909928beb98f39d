/**
 * Store at scale (DESIGN §9): with 100k bundles and 1M numbers in the store,
 *  - list-page latency through the API (app.inject: auth, repo, keyset paging, envelope) for
 *    page 1 vs a deep page reached by PageToken: the ratio should be ≈1 (keyset, no OFFSET);
 *    the same deep page by `Page=N` without a token (OFFSET) is shown for contrast;
 *  - bulk number import through the operator bulk route vs the raw insert rate of the same
 *    engine (target: ≥ 20 %).
 * SQLite always; PostgreSQL too with BENCH_PG=1 (BENCH_PG_URL, default the test database).
 */
import { buildApp } from '../src/api/app.js'
import type { App } from '../src/api/app-types.js'
import { createAccount } from '../src/store/accounts.repo.js'
import { encodeCursor } from '../src/store/paging.js'
import type { AppContext } from '../src/runtime/context.js'
import { ADMIN, bootEngine } from './boot-engine.js'
import { openRaw, type NumberRow, type RawStore } from './raw-store.js'

/** BENCH_SCALE=0.05 runs the same bench on a twentieth of the data (a quick check of the bench itself). */
const SCALE = Math.min(1, Math.max(0.01, Number(process.env.BENCH_SCALE ?? 1) || 1))
const PROFILES = Math.round((100_000 * SCALE) / 1000) * 1000
const NUMBERS = Math.round((1_000_000 * SCALE) / 50_000) * 50_000 || 50_000
/** Numbers per bulk call and per raw transaction (the CLI's batch). */
const BATCH = 5_000
/** Numbers imported by each path: 100k at full scale. */
const BULK = Math.max(2, Math.round(20 * SCALE)) * BATCH
const T0 = Date.parse('2026-01-01T00:00:00Z')

type Print = (line: string) => void
interface Acct {
  readonly sid: string
  readonly auth: string
}

const sidOf = (prefix: string, i: number, tag: string) => prefix + tag + i.toString(16).padStart(32 - tag.length, '0')
const iso = (i: number) => new Date(T0 + i * 10).toISOString()

function numberRows(
  account: string,
  tag: string,
  from: number,
  count: number,
  e164: (i: number) => string,
): NumberRow[] {
  const rows: NumberRow[] = []
  for (let i = from; i < from + count; i++) {
    const d = iso(i)
    rows.push({
      sid: sidOf('PN', i, tag),
      account_sid: account,
      phone_number: e164(i),
      friendly_name: 'bench',
      status_callback: null,
      origin: 'operator',
      date_created: d,
      date_updated: d,
    })
  }
  return rows
}

/** Fills the store: `NUMBERS` numbers and `PROFILES` profiles, 60 % on `big`, the rest on `other`. */
async function generate(raw: RawStore, big: string, other: string, print: Print) {
  const t = performance.now()
  for (let i = 0; i < NUMBERS; i += 50_000) {
    await raw.insertNumbers(numberRows(i < NUMBERS * 0.6 ? big : other, 'a', i, 50_000, (k) => `+1201${2_000_000 + k}`))
  }
  for (let i = 0; i < PROFILES; i += 50_000) {
    const rows = []
    for (let k = i; k < Math.min(i + 50_000, PROFILES); k++) {
      const d = iso(k)
      rows.push({
        sid: sidOf('BU', k, 'b'),
        account_sid: k < PROFILES * 0.6 ? big : other,
        kind: 'customer-profile',
        policy_sid: 'RN6433641899984f951173ef1738c3bdd0',
        friendly_name: `profile ${k}`,
        email: 'b@example.com',
        status: 'draft',
        date_created: d,
        date_updated: d,
      })
    }
    await raw.insertBundles(rows)
  }
  await raw.analyze()
  print(
    `generated ${NUMBERS} numbers and ${PROFILES} profiles with raw batched inserts in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )
}

async function getOnce(app: App, url: string, auth: string): Promise<number> {
  const t = performance.now()
  const r = await app.inject({ method: 'GET', url, headers: { authorization: auth } })
  if (r.statusCode !== 200) throw new Error(`GET ${url} → ${r.statusCode} ${r.body.slice(0, 200)}`)
  return performance.now() - t
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

/** Times the URLs alternately (so load changes hit both alike); p50/p95 per URL in ms. */
async function timeAlternating(app: App, urls: readonly string[], auth: string, n: number) {
  for (const u of urls) for (let i = 0; i < Math.min(10, Math.ceil(n / 5)); i++) await getOnce(app, u, auth)
  const ms = urls.map(() => [] as number[])
  for (let i = 0; i < n; i++) for (let k = 0; k < urls.length; k++) ms[k]!.push(await getOnce(app, urls[k]!, auth))
  return ms.map((m) => {
    m.sort((a, b) => a - b)
    return { p50: pct(m, 0.5), p95: pct(m, 0.95) }
  })
}

/** Page 1 vs the page at row `deep` by PageToken (and by Page=N, OFFSET, for contrast). */
async function pageLatency(
  app: App,
  raw: RawStore,
  label: string,
  list: string,
  table: 'phone_numbers' | 'bundles',
  a: Acct,
  deep: number,
  print: Print,
) {
  const size = 50
  const cursor = await raw.cursorAt(table, a.sid, deep - 1)
  const [first, token] = await timeAlternating(
    app,
    [`${list}?PageSize=${size}`, `${list}?PageSize=${size}&Page=${deep / size}&PageToken=${encodeCursor(cursor)}`],
    a.auth,
    100,
  )
  const [offset] = await timeAlternating(app, [`${list}?PageSize=${size}&Page=${deep / size}`], a.auth, 5)
  const f = (x: number) => `${x.toFixed(2)} ms`
  print(`${label} list page 1: p50 ${f(first!.p50)} p95 ${f(first!.p95)}`)
  print(
    `${label} list page at row ${deep} by PageToken: p50 ${f(token!.p50)} p95 ${f(token!.p95)}  ratio deep/page1 ${(token!.p50 / first!.p50).toFixed(2)} (target ≈1)`,
  )
  print(
    `${label} same page by Page=${deep / size} without token (OFFSET, for contrast): p50 ${f(offset!.p50)}  ratio ${(offset!.p50 / first!.p50).toFixed(1)}`,
  )
}

/**
 * Bulk route rate vs raw insert rate, both in transactions of BATCH rows. The two alternate
 * batch by batch, so both see the same machine load, WAL checkpoints and index sizes.
 */
async function bulkVsRaw(app: App, raw: RawStore, ctx: AppContext, print: Print): Promise<number> {
  const now = new Date().toISOString()
  const target = (await createAccount(ctx.store.db, ctx.sealer, 'bulk', null, now)).row.sid
  const rawAcct = (await createAccount(ctx.store.db, ctx.sealer, 'raw', null, now)).row.sid
  let bulkMs = 0
  let rawMs = 0
  for (let i = 0; i < BULK; i += BATCH) {
    const PhoneNumbers = Array.from({ length: BATCH }, (_, k) => `+1415${2_000_000 + i + k}`)
    let t = performance.now()
    const r = await app.inject({
      method: 'POST',
      url: `/admin/v1/Accounts/${target}/IncomingPhoneNumbers`,
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { PhoneNumbers },
    })
    bulkMs += performance.now() - t
    if (r.statusCode !== 200 || r.json().added !== BATCH)
      throw new Error(`bulk batch ${i}: ${r.statusCode} ${r.body.slice(0, 300)}`)
    const rows = numberRows(rawAcct, 'c', i, BATCH, (k) => `+1646${2_000_000 + k}`)
    t = performance.now()
    await raw.insertNumbers(rows)
    rawMs += performance.now() - t
  }
  const bulkRate = BULK / (bulkMs / 1000)
  const rawRate = BULK / (rawMs / 1000)
  print(
    `bulk import via POST /admin/v1/…/IncomingPhoneNumbers (${BATCH}/call, E.164-validated): ${Math.round(bulkRate)} numbers/s`,
  )
  print(
    `raw insert (${raw.method}, ${BATCH}/transaction): ${Math.round(rawRate)} rows/s  ratio bulk/raw ${((bulkRate / rawRate) * 100).toFixed(0)} % (target ≥ 20 %)`,
  )
  return rawRate
}

/** Loads BULK numbers into the operator's inventory through its bulk route, beside the raw rate. */
async function inventoryImport(app: App, rawRate: number, print: Print) {
  let ms = 0
  for (let i = 0; i < BULK; i += BATCH) {
    const PhoneNumbers = Array.from({ length: BATCH }, (_, k) => `+1917${2_000_000 + i + k}`)
    const t = performance.now()
    const r = await app.inject({
      method: 'POST',
      url: '/admin/v1/PhoneNumberInventory',
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { PhoneNumbers },
    })
    ms += performance.now() - t
    if (r.statusCode !== 200 || r.json().added !== BATCH)
      throw new Error(`inventory batch ${i}: ${r.statusCode} ${r.body.slice(0, 300)}`)
  }
  const rate = BULK / (ms / 1000)
  print(
    `inventory import via POST /admin/v1/PhoneNumberInventory (${BATCH}/call, ${BULK} numbers): ${Math.round(rate)} numbers/s  ratio inventory/raw ${((rate / rawRate) * 100).toFixed(0)} %`,
  )
}

async function runEngine(engine: 'sqlite' | 'postgres', print: Print) {
  const engineRun = await bootEngine(engine)
  const { booted, schema } = engineRun
  const { ctx } = booted
  const raw = await openRaw(engineRun.databaseUrl, schema)
  try {
    const mk = async (name: string): Promise<Acct> => {
      const { row, authToken } = await createAccount(ctx.store.db, ctx.sealer, name, null, new Date().toISOString())
      return { sid: row.sid, auth: 'Basic ' + Buffer.from(`${row.sid}:${authToken}`).toString('base64') }
    }
    const big = await mk('big')
    const other = await mk('other')
    await generate(raw, big.sid, other.sid, (l) => print(`[${engine}] ${l}`))
    const app = await buildApp(ctx)
    const p = (l: string) => print(`[${engine}] ${l}`)
    const deepRow = (n: number) => Math.floor((n * 0.5) / 50) * 50
    await pageLatency(
      app,
      raw,
      `IncomingPhoneNumbers (${NUMBERS * 0.6} on the account)`,
      `/2010-04-01/Accounts/${big.sid}/IncomingPhoneNumbers.json`,
      'phone_numbers',
      big,
      deepRow(NUMBERS),
      p,
    )
    await pageLatency(
      app,
      raw,
      `CustomerProfiles (${PROFILES * 0.6} on the account)`,
      '/v1/CustomerProfiles',
      'bundles',
      big,
      deepRow(PROFILES),
      p,
    )
    await inventoryImport(app, await bulkVsRaw(app, raw, ctx, p), p)
    await app.close()
  } finally {
    await raw.close(schema)
    await engineRun.close()
  }
}

export async function run(print: Print): Promise<void> {
  await runEngine('sqlite', print)
  if (process.env.BENCH_PG === '1') await runEngine('postgres', print)
}
