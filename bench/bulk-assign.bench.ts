/**
 * Bulk assignment end to end over HTTP (a listening server, fetch): 5,000 numbers placed on an
 * account, then one CSV upload to `POST /v1/TrustProducts/{Sid}/ChannelEndpointAssignments/Bulk`
 * with AssignToProfile (each number to the profile, then to the trust product: 10,000
 * assignments and 10,000 audit events), polled until the job completes. Target: under 10 s.
 * SQLite always; PostgreSQL too with BENCH_PG=1 (BENCH_PG_URL, default the test database).
 */
import { buildApp } from '../src/api/app.js'
import { createAccount } from '../src/store/accounts.repo.js'
import { POLICY } from '../src/domain/policies.js'
import { ADMIN, bootEngine } from './boot-engine.js'

const NUMBERS = 5_000

type Print = (line: string) => void

async function runEngine(engine: 'sqlite' | 'postgres', print: Print) {
  const engineRun = await bootEngine(engine)
  const { booted } = engineRun
  const app = await buildApp(booted.ctx)
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const { row, authToken } = await createAccount(
      booted.ctx.store.db,
      booted.ctx.sealer,
      'bench',
      null,
      new Date().toISOString(),
    )
    const auth = 'Basic ' + Buffer.from(`${row.sid}:${authToken}`).toString('base64')
    const call = async (method: string, p: string, body?: string, type = 'application/x-www-form-urlencoded') => {
      const r = await fetch(base + p, {
        method,
        headers: { authorization: auth, ...(body ? { 'content-type': type } : {}) },
        body,
      })
      const j = (await r.json()) as any
      if (r.status >= 300 && r.status !== 202) throw new Error(`${method} ${p} → ${r.status} ${JSON.stringify(j)}`)
      return j
    }
    const numbers = Array.from(
      { length: NUMBERS },
      (_, i) => `+1212${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`,
    )
    const placed = await fetch(`${base}/admin/v1/Accounts/${row.sid}/IncomingPhoneNumbers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ PhoneNumbers: numbers }),
    })
    if (placed.status !== 200) throw new Error(`placement → ${placed.status}`)
    const form = (o: Record<string, string>) => new URLSearchParams(o).toString()
    const bundle = (policy: string) =>
      call(
        'POST',
        `/v1/${policy === POLICY.SHAKEN_STIR ? 'TrustProducts' : 'CustomerProfiles'}`,
        form({
          FriendlyName: 'bench',
          Email: 'bench@example.com',
          PolicySid: policy,
        }),
      )
    const profile = await bundle(POLICY.PRIMARY_PROFILE)
    const trust = await bundle(POLICY.SHAKEN_STIR)
    await call('POST', `/v1/TrustProducts/${trust.sid}/EntityAssignments`, form({ ObjectSid: profile.sid }))
    // Half the lines without '+' (10 digits), as spreadsheets export them.
    const csv = ['phone_number', ...numbers.map((n, i) => (i % 2 ? n.slice(2) : n))].join('\n')
    const t0 = performance.now()
    let job = await call(
      'POST',
      `/v1/TrustProducts/${trust.sid}/ChannelEndpointAssignments/Bulk?AssignToProfile=true`,
      csv,
      'text/csv',
    )
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 50))
      job = await call('GET', new URL(job.url).pathname)
    }
    const s = (performance.now() - t0) / 1000
    if (job.assigned !== NUMBERS)
      throw new Error(`assigned ${job.assigned}: ${JSON.stringify(job.refused.slice(0, 3))}`)
    print(
      `[${engine}] ${NUMBERS} numbers to a profile and its trust product in one CSV upload over HTTP: ${s.toFixed(2)} s  ${Math.round(NUMBERS / s)} numbers/s (target < 10 s)`,
    )
  } finally {
    await app.close()
    await engineRun.close()
  }
}

export async function run(print: Print): Promise<void> {
  await runEngine('sqlite', print)
  if (process.env.BENCH_PG === '1') await runEngine('postgres', print)
}
