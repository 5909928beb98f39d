/**
 * STI-AS speed (DESIGN §9), on SQLite with 1M numbers and 100k bundles in the store:
 * - in-process sign (decide + PASSporT + Identity) vs raw node:crypto ES256 sign (target ≥ 0.9),
 *   and vs raw signing through stirhub's own signer (es256.ts: the native addon when built),
 *   and a reference: encode and sign only, with no decision;
 * - attestation decision latency from the warm index, p50/p99 (target p99 < 50 µs), and the heap a
 *   remembered call takes;
 * - HTTP POST /stir/v1/signing on `stirhub serve` with one API process per core, driven by wrk
 *   (bench/wrk.ts) over 1000 distinct calls, vs raw per core the API processes used (their CPU
 *   time from /proc: wrk shares the cores; target ≥ 0.5) and on all cores; as one API process
 *   confined to core 0 with wrk on the other cores vs raw on core 0 alone (taskset; target
 *   ≥ 0.5); vs the same server without its fast lane, vs `secsipidx -http-srv` under the same
 *   wrk load (target ≥ 1.0, goal 1.5), vs a bare Fastify route that only parses and signs and
 *   the same on Node's http module, and vs the fast lane answering without signing, a ceiling
 *   (bench/bare.server.ts);
 * - the SIP signing front under sipp (bench/sipp.ts): CPU per call at a paced rate.
 * Every figure is measured in this run on this machine; ratios compare runs on the same cores,
 * and the HTTP sides (and raw on all cores) are measured in interleaved rounds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateKeyPairSync, randomUUID, sign as cryptoSign } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { loadConfig } from '../src/config/config.js'
import { boot } from '../src/runtime/boot.js'
import { POLICY } from '../src/domain/policies.js'
import { decide } from '../src/domain/attestation.js'
import { encodeHeader, es256Backend, es256Sign } from '../src/stir/passport/index.js'
import type { AppContext } from '../src/runtime/context.js'
import { rawRateAllCores, rawRateOnCpus } from './cores.js'
import { treeCpuSeconds } from './cpu.js'
import { median } from './stats.js'
import {
  describe,
  interleaved,
  LOAD,
  paced,
  perRound,
  ratioOf,
  requireWrk,
  ROUNDS,
  typical,
  WARMUP_SECONDS,
  wrk,
  type WrkRun,
} from './wrk.js'
import { randomPort, serveBare, serveSecsipidx, serveStirhub, type Served } from './serve.js'
import { sippLoad } from './sipp.js'

type Print = (line: string) => void

const NUMBERS = 1_000_000
const BUNDLES = 100_000
export const ACCOUNTS = 1000
export const ASSIGNED = 100_000
const hex = (n: number, w = 32) => n.toString(16).padStart(w, '0')
export const phone = (i: number) => `+1212${String(2000000 + i).padStart(7, '0')}`

/** Fills the store with raw prepared inserts (accounts, bundles, links, numbers, assignments). */
export function fill(file: string): string[] {
  const db = new SQLite(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const now = new Date().toISOString()
  const until = new Date(Date.now() + 365 * 864e5).toISOString()
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => 'AC' + hex(i + 1))
  db.transaction(() => {
    const a = db.prepare(
      "INSERT INTO accounts (sid, parent_sid, friendly_name, status, auth_token_hash, auth_token_sealed, origid, date_created, date_updated) VALUES (?, NULL, 'bench', 'active', 'x', 'x', ?, ?, ?)",
    )
    for (const sid of accounts) a.run(sid, randomUUID(), now, now)
    const b = db.prepare(
      "INSERT INTO bundles (sid, account_sid, kind, policy_sid, friendly_name, email, status, valid_until, date_created, date_updated) VALUES (?, ?, ?, ?, 'b', 'e@x', 'twilio-approved', ?, ?, ?)",
    )
    const ea = db.prepare(
      'INSERT INTO entity_assignments (sid, bundle_sid, account_sid, object_sid, date_created) VALUES (?, ?, ?, ?, ?)',
    )
    for (let i = 0; i < BUNDLES / 2; i++) {
      const acct = accounts[i % ACCOUNTS]!
      const p = 'BU' + hex(2 * i + 1)
      const t = 'BU' + hex(2 * i + 2)
      b.run(p, acct, 'customer-profile', POLICY.PRIMARY_PROFILE, until, now, now)
      b.run(t, acct, 'trust-product', POLICY.SHAKEN_STIR, until, now, now)
      ea.run('BV' + hex(i + 1), t, acct, p, now)
    }
    const n = db.prepare(
      "INSERT INTO phone_numbers (sid, account_sid, phone_number, friendly_name, status_callback, origin, date_created, date_updated) VALUES (?, ?, ?, 'n', NULL, 'inventory', ?, ?)",
    )
    const ca = db.prepare(
      "INSERT INTO channel_endpoint_assignments (sid, bundle_sid, account_sid, channel_endpoint_type, channel_endpoint_sid, slot, date_created) VALUES (?, ?, ?, 'phone-number', ?, ?, ?)",
    )
    for (let i = 0; i < NUMBERS; i++) {
      const acct = accounts[i % ACCOUNTS]!
      const pn = 'PN' + hex(i + 1)
      n.run(pn, acct, phone(i), now, now)
      if (i < ASSIGNED) {
        // Bundle pair k belongs to account k % ACCOUNTS, like number i: pick a pair of the same account.
        const k = i % (BUNDLES / 2)
        ca.run('RA' + hex(2 * i + 1), 'BU' + hex(2 * k + 1), acct, pn, 'customer-profile', now)
        ca.run('RA' + hex(2 * i + 2), 'BU' + hex(2 * k + 2), acct, pn, POLICY.SHAKEN_STIR, now)
      }
    }
  })()
  // As after any bulk load: fold the WAL into the database before serving.
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return accounts
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

type Call = { readonly acct: string; readonly from: string }
type Ctx = AppContext

const RAW_INPUT = Buffer.from(
  'eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cDovL2xvY2FsaG9zdC9jZXJ0cy94LnBlbSJ9.eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIxMjEyNTU1MTIxMiJdfSwiaWF0IjoxNzAwMDAwMDAwLCJvcmlnIjp7InRuIjoiMTIxMjIwMDAwMDAifSwib3JpZ2lkIjoiZGUzMDVkNTQtNzViNC00MzFiLWFkYjItZWI2YjllNTQ2MDE0In0',
)

/** Raw node:crypto ES256 signs per second with the signer's key. */
function rawRate(ctx: Ctx, n: number): number {
  const key = ctx.signer.key
  const t = performance.now()
  for (let i = 0; i < n; i++) cryptoSign('sha256', RAW_INPUT, { key, dsaEncoding: 'ieee-p1363' })
  return n / ((performance.now() - t) / 1000)
}

/** Raw ES256 signs per second through stirhub's own signer (es256.ts: the native addon, or node:crypto). */
function rawBackendRate(ctx: Ctx, n: number): number {
  const key = ctx.signer.key
  const input = RAW_INPUT.toString('latin1')
  const t = performance.now()
  for (let i = 0; i < n; i++) es256Sign(input, key)
  return n / ((performance.now() - t) / 1000)
}

/**
 * The in-process reference: the least any signer does per call (build the claims, encode the
 * PASSporT, sign with stirhub's signer, format the Identity header), with no decision,
 * validation or counting.
 */
function encodeAndSignRate(ctx: Ctx, calls: readonly Call[], n: number): number {
  const key = ctx.signer.key
  const header = encodeHeader(ctx.signer.x5u)
  const t = performance.now()
  for (let i = 0; i < n; i++) {
    const payload = Buffer.from(
      `{"attest":"A","dest":{"tn":["12125551212"]},"iat":${Math.floor(Date.now() / 1000)},"orig":{"tn":"${calls[i % calls.length]!.from}"},"origid":"de305d54-75b4-431b-adb2-eb6b9e546014"}`,
    ).toString('base64url')
    const input = header + '.' + payload
    void `${input}.${es256Sign(input, key)};info=<${ctx.signer.x5u}>;alg=ES256;ppt=shaken`
  }
  return n / ((performance.now() - t) / 1000)
}

/** In-process signs per second; calls arrive `batch` at a time, as on a server, sharing the store-version read. */
async function inProcessRate(ctx: Ctx, calls: readonly Call[], n: number, batch: number): Promise<number> {
  const as = ctx.stiAs
  const t = performance.now()
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: batch }, (_, j) => {
        const c = calls[(i + j) % calls.length]!
        return as.service.sign({ accountSid: c.acct, orig: c.from, dest: ['12125551212'] })
      }),
    )
  }
  return n / ((performance.now() - t) / 1000)
}

/** Latencies (µs) of decisions from the warm index, and of the per-call store-version check. */
async function decisionLatency(ctx: Ctx, calls: readonly Call[]): Promise<{ decision: number[]; version: number[] }> {
  const as = ctx.stiAs
  const decision: number[] = []
  const now = new Date()
  for (const c of calls.concat(calls)) {
    const s = performance.now()
    decide((await as.index.facts(c.acct, c.from))!, '12125551212', now)
    decision.push((performance.now() - s) * 1000)
  }
  const version: number[] = []
  for (let i = 0; i < 2000; i++) {
    const s = performance.now()
    await as.index.fresh()
    version.push((performance.now() - s) * 1000)
  }
  return { decision: decision.sort((a, b) => a - b), version: version.sort((a, b) => a - b) }
}

export const TOKEN = 'bench-operator-token-0123456789'

export const serverEnv = (dir: string, file: string): Record<string, string> => ({
  PORT: '0',
  HOST: '127.0.0.1',
  STIRHUB_DATA_DIR: dir,
  DATABASE_URL: `sqlite:${file}`,
  STIRHUB_ROLES: 'api',
  LOG_LEVEL: 'warn',
  STIRHUB_ADMIN_TOKEN: TOKEN,
  STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
})

const CHURN_MS = 50
/** Connections of the half-load run: enough that requests overlap as real traffic does. */
const HALF_LOAD_CONNECTIONS = 16

/** The signing route's duration buckets (cumulative counts by `le`) from the server's /metrics. */
async function signingDurations(port: number): Promise<Map<string, number>> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text()
  const out = new Map<string, number>()
  for (const m of text.matchAll(
    /^stirhub_http_request_duration_seconds_bucket\{le="([^"]+)",route="\/stir\/v1\/signing"\} (\S+)$/gm,
  ))
    out.set(m[1]!, Number(m[2]))
  return out
}

/** The server's own p99 between two scrapes: the upper bound of the bucket that holds it. */
function serverP99(before: Map<string, number>, after: Map<string, number>): string {
  const delta = (le: string) => (after.get(le) ?? 0) - (before.get(le) ?? 0)
  const all = delta('+Inf')
  const le = [...after.keys()].find((k) => delta(k) >= 0.99 * all)
  return le === undefined || le === '+Inf' ? 'above the last bucket' : `<= ${Number(le) * 1000} ms`
}

/** A trust product of a bundle pair that none of the bench's first 1000 calls uses. */
function idleTrustProduct(): string {
  const used = new Set(Array.from({ length: 1000 }, (_, j) => ((j * 7919) % ASSIGNED) % (BUNDLES / 2)))
  let k = 0
  while (used.has(k)) k++
  return 'BU' + hex(2 * k + 2)
}

/** Re-approves `bundleSid` through the operator API every CHURN_MS until stopped; stop() says how many landed. */
function approvalsElsewhere(port: number, bundleSid: string): { stop: () => Promise<number> } {
  let running = true
  let landed = 0
  let failure: Error | undefined
  // A failed approval ends the loop and is reported by stop(): the bench then fails after
  // stopping its servers, instead of dying on an unhandled rejection and leaving them running.
  const loop = (async () => {
    while (running) {
      const r = await fetch(`http://127.0.0.1:${port}/admin/v1/Bundles/${bundleSid}/Status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: '{"Status":"twilio-approved"}',
      })
      if (r.status !== 200) throw new Error(`approval failed: ${r.status} ${await r.text()}`)
      landed++
      await new Promise((res) => setTimeout(res, CHURN_MS))
    }
  })().catch((e: Error) => {
    failure = e
  })
  return {
    stop: async () => {
      running = false
      await loop
      if (failure) throw failure
      return landed
    },
  }
}

/** `secsipidx -http-srv` with a key of the same curve, and the same calls for its /v1/sign-csv. */
async function secsipidxSigner(dir: string, calls: readonly Call[]): Promise<{ served: Served; run: WrkRun }> {
  const keyFile = path.join(dir, 'ssx.key')
  fs.writeFileSync(
    keyFile,
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }),
  )
  const csv = (from: string) =>
    `${from},12125551212,A,de305d54-75b4-431b-adb2-eb6b9e546014,https://cert.example.org/sp.pem`
  const served = await serveSecsipidx(['-fprvkey', keyFile], '/v1/sign-csv', csv('12125550100'))
  const requests = calls.slice(0, 1000).map((c) => ({ body: csv(c.from) }))
  return {
    served,
    run: {
      url: `http://127.0.0.1:${served.port}/v1/sign-csv`,
      headers: { 'content-type': 'text/plain' },
      requests,
      ...LOAD,
    },
  }
}

/** Runs `load` and adds the cores the server's process tree used meanwhile (CPU seconds per second). */
async function withCpu<T>(pid: number, load: () => Promise<T>): Promise<T & { cores: number }> {
  const cpu0 = treeCpuSeconds(pid)
  const t0 = performance.now()
  const r = await load()
  return { ...r, cores: (treeCpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000) }
}

/** Runs the signing bench (see the module comment). */
export async function run(print: Print): Promise<void> {
  requireWrk()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-sign-'))
  const file = path.join(dir, 'stirhub.db')
  const booted = await boot(loadConfig(serverEnv(dir, file)), { noFirstAccount: true })
  const { ctx } = booted
  let calls: Call[] = []
  // In-process signing against raw: a ratio holds while the machine's speed drifts, a rate does not.
  let inProcessRatio = 0
  try {
    const t0 = performance.now()
    const accounts = fill(file)
    print(
      `store: ${NUMBERS} numbers, ${BUNDLES} bundles, ${ASSIGNED} numbers on A bundles, filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
    calls = Array.from({ length: 10_000 }, (_, j) => {
      const i = (j * 7919) % ASSIGNED
      return { acct: accounts[i % ACCOUNTS]!, from: phone(i).slice(1) }
    })
    // Warm, as a server is: accounts and rule-3 sets before it listens, then each call's number.
    await ctx.stiAs.index.prewarm()
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const heap0 = process.memoryUsage().heapUsed
    for (const c of calls) await ctx.stiAs.index.decide(c.acct, c.from, '12125551212')
    gc?.()
    print(
      `index memory: ${Math.round((process.memoryUsage().heapUsed - heap0) / calls.length)} bytes of heap per remembered call (its number, bundles, facts and decision; ${calls.length} calls${gc ? '' : ', without --expose-gc'})`,
    )
    const check = await ctx.stiAs.service.sign({
      accountSid: calls[0]!.acct,
      orig: calls[0]!.from,
      dest: ['12125551212'],
    })
    print(`sample call signs ${check.attest} (expected A)`)
    // Interleaved rounds, medians: the machine's speed drifts, so every figure shares each round.
    const rates = { raw: [] as number[], backend: [] as number[], encodeOnly: [] as number[], inproc: [] as number[] }
    for (let round = 0; round < 5; round++) {
      rates.raw.push(rawRate(ctx, 3000))
      rates.backend.push(rawBackendRate(ctx, 3000))
      rates.encodeOnly.push(encodeAndSignRate(ctx, calls, 3000))
      rates.inproc.push(await inProcessRate(ctx, calls, 3008, 64))
    }
    // Each round's sides ran back to back: the median of per-round ratios (ratioOf) is steadier
    // than a ratio of medians while the machine's speed drifts.
    print(`raw node:crypto ES256 sign: ${Math.round(median(rates.raw))}/s (1 core, median of 5 interleaved rounds)`)
    print(
      `raw ES256 through stirhub's signer, ${es256Backend().detail}: ${Math.round(median(rates.backend))}/s, ratio to node:crypto ${ratioOf(rates.backend, rates.raw).toFixed(2)}`,
    )
    inProcessRatio = ratioOf(rates.inproc, rates.raw)
    print(
      `in-process sign (decide + PASSporT + Identity, 64 concurrent): ${Math.round(median(rates.inproc))}/s, ratio ${inProcessRatio.toFixed(2)} (target >= 0.90); ${ratioOf(rates.inproc, rates.backend).toFixed(2)} of its own signer's raw rate`,
    )
    print(
      `in-process reference, encode + sign + Identity only (no decision, checks or counting): ${Math.round(median(rates.encodeOnly))}/s, ratio ${ratioOf(rates.encodeOnly, rates.raw).toFixed(2)}; stirhub keeps ${ratioOf(rates.inproc, rates.encodeOnly).toFixed(2)} of it`,
    )
    const l = await decisionLatency(ctx, calls)
    print(
      `decision from the warm index: p50 ${pct(l.decision, 50).toFixed(1)} µs, p99 ${pct(l.decision, 99).toFixed(1)} µs (target p99 < 50 µs)`,
    )
    print(
      `store-version check per call (uncontended, not shared): p50 ${pct(l.version, 50).toFixed(1)} µs, p99 ${pct(l.version, 99).toFixed(1)} µs`,
    )
  } finally {
    await booted.close()
  }
  const servers: Served[] = []
  try {
    const sipPort = randomPort()
    const server = await serveStirhub({
      ...serverEnv(dir, file),
      STIRHUB_ROLES: 'api,sip',
      SIP_SIGN_PORT: String(sipPort),
      SIP_VERIFY_PORT: String(randomPort()),
    })
    servers.push(server)
    const ssx = await secsipidxSigner(dir, calls)
    servers.push(ssx.served)
    const bare = await serveBare()
    servers.push(bare)
    const node = await serveBare({ layer: 'node' })
    servers.push(node)
    const noop = await serveBare({ layer: 'noop' })
    servers.push(noop)
    // The same stirhub with every request through Fastify: what the fast lane buys.
    const framework = await serveStirhub({ ...serverEnv(dir, file), STIRHUB_HTTP_FAST_LANE: 'off' })
    servers.push(framework)
    const cores = os.availableParallelism()
    // DESIGN §9's "same cores" taken literally: one API process confined to core 0, wrk to the
    // other cores, against raw on core 0 alone.
    const pinned = await serveStirhub({ ...serverEnv(dir, file), STIRHUB_HTTP_WORKERS: '1' }, '0')
    servers.push(pinned)
    const otherCpus = cores > 2 ? `1-${cores - 1}` : cores > 1 ? '1' : '0'
    const wrkCpus = cores > 1 ? `core ${otherCpus}` : 'the same core (one core only)'
    // The signer takes an iat within a minute of its clock, as an SBC sends it: each run's
    // requests are dated when it starts (the paced half-load series, probes included, is the
    // longest: about 20 s).
    const requestsAt = (iat: number) =>
      calls.slice(0, 1000).map((c) => ({
        body: JSON.stringify({
          signingRequest: {
            attest: 'A',
            dest: { tn: ['12125551212'] },
            iat,
            orig: { tn: c.from },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        }),
        headers: { 'x-account-sid': c.acct },
      }))
    const base: WrkRun = {
      url: `http://127.0.0.1:${server.port}/stir/v1/signing`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      requests: [],
      ...LOAD,
    }
    const fresh = (over: Partial<WrkRun> = {}): WrkRun => ({
      ...base,
      requests: requestsAt(Math.floor(Date.now() / 1000)),
      ...over,
    })
    const run = fresh()
    const bareRun = { ...run, url: `http://127.0.0.1:${bare.port}/stir/v1/signing` }
    const nodeRun = { ...run, url: `http://127.0.0.1:${node.port}/stir/v1/signing` }
    const noopRun = { ...run, url: `http://127.0.0.1:${noop.port}/stir/v1/signing` }
    const frameworkRun = (over: Partial<WrkRun> = {}) =>
      fresh({ url: `http://127.0.0.1:${framework.port}/stir/v1/signing`, ...over })
    const pinnedRun = (over: Partial<WrkRun> = {}) =>
      fresh({ url: `http://127.0.0.1:${pinned.port}/stir/v1/signing`, cpus: otherCpus, ...over })
    const warm = await wrk(fresh({ seconds: WARMUP_SECONDS }))
    print(`HTTP warm-up (${WARMUP_SECONDS} s, each process loading its index): ${describe(warm)}`)
    await wrk(frameworkRun({ seconds: WARMUP_SECONDS / 2 }))
    await wrk(pinnedRun({ seconds: WARMUP_SECONDS / 2 }))
    for (const r of [ssx.run, bareRun, nodeRun, noopRun]) await wrk({ ...r, seconds: 2 }) // their JIT warm too
    const r = await interleaved({
      raw: () => rawRateAllCores('sign'),
      stirhub: () => withCpu(server.pid!, () => wrk(fresh())),
      framework: () => wrk(frameworkRun()),
      rawCore0: () => rawRateOnCpus('sign', '0'),
      pinned: () => wrk(pinnedRun()),
      secsipidx: () => wrk(ssx.run),
      bare: () => wrk(bareRun),
      node: () => wrk(nodeRun),
      noop: () => wrk(noopRun),
    })
    const each = `${ROUNDS} interleaved rounds of ${LOAD.seconds} s, the median round shown`
    print(
      `raw node:crypto ES256 sign on all ${cores} cores: ${Math.round(typical(r.raw))}/s (median of ${ROUNDS} rounds)`,
    )
    print(
      `HTTP /stir/v1/signing (${cores} API processes, wrk ${LOAD.connections} connections on the same machine; ${each}): ${describe(typical(r.stirhub))}; ${ratioOf(r.stirhub, r.raw).toFixed(2)} of raw on all ${cores} cores, wrk's share of them included`,
    )
    // The load generator shares the cores: the rate per core the API processes used, against
    // raw per core, is DESIGN §9's "raw sign rate on the same cores" (the server's cores), as
    // with the load generator on another machine.
    const perCore = r.stirhub.map((x, i) => x.rate / x.cores / (r.raw[i]! / cores))
    print(
      `… per core the API processes used (${median(r.stirhub.map((x) => x.cores)).toFixed(2)} of ${cores} cores; wrk and the kernel used the rest): ${Math.round(median(r.stirhub.map((x) => x.rate / x.cores)))}/s per core, ratio to raw on the same cores ${median(perCore).toFixed(2)} (target >= 0.50), per round ${perCore.map((x) => x.toFixed(2)).join(' ')}`,
    )
    const pinnedFull = typical(r.pinned)
    print(
      `… one API process confined to core 0 (taskset), wrk on ${wrkCpus}: ${describe(pinnedFull)}; raw node:crypto on core 0 alone ${Math.round(typical(r.rawCore0))}/s, ratio to raw on the same core ${ratioOf(r.pinned, r.rawCore0).toFixed(2)} (target >= 0.50), per round ${perRound(r.pinned, r.rawCore0)}`,
    )
    print(
      `… the same server with STIRHUB_HTTP_FAST_LANE=off (every call through Fastify): ${describe(typical(r.framework))}; the fast lane serves ${ratioOf(r.stirhub, r.framework).toFixed(2)} times as many`,
    )
    print(`secsipidx -http-srv /v1/sign-csv, same wrk load: ${describe(typical(r.secsipidx))}`)
    print(
      `HTTP ratio stirhub/secsipidx: ${ratioOf(r.stirhub, r.secsipidx).toFixed(2)}, per round ${perRound(r.stirhub, r.secsipidx)} (target >= 1.0, goal 1.5)`,
    )
    print(
      `bare Fastify route, JSON + node:crypto sign only (${cores} processes, no store, decision or auth), same wrk load: ${describe(typical(r.bare))}`,
    )
    print(`the same on Node's http module, no framework: ${describe(typical(r.node))}`)
    // A server spends (HTTP, kernel and load generator) + (signing) core-time per request; the
    // no-op server measures the first, the in-process ratio (measured above) times this round's
    // raw rate the second: their sum bounds any Node server that signs as stirhub does, on these
    // cores with this load generator.
    const bound = (i: number) => cores / (cores / r.noop[i]!.rate + cores / (inProcessRatio * r.raw[i]!))
    print(
      `ceiling: the fast lane answering without signing (a constant identity), same wrk load: ${describe(typical(r.noop))}, ${ratioOf(r.noop, r.raw).toFixed(2)} of raw on all cores; with stirhub's in-process signing added, the bound is ${Math.round(median(r.noop.map((_, i) => bound(i))))}/s (${median(r.noop.map((_, i) => bound(i) / r.raw[i]!)).toFixed(2)} of raw), and stirhub reaches ${median(r.stirhub.map((x, i) => x.rate / bound(i))).toFixed(2)} of it`,
    )
    print(
      `reference: stirhub/bare ${ratioOf(r.stirhub, r.bare).toFixed(2)}, bare/secsipidx ${ratioOf(r.bare, r.secsipidx).toFixed(2)}, node/secsipidx ${ratioOf(r.node, r.secsipidx).toFixed(2)}`,
    )
    // DESIGN §9's "half load": half the rate measured at full load, paced (random pauses between
    // requests), so latency is what a server half busy gives, not what a saturated one queues.
    const full = typical(r.stirhub)
    const inside = await signingDurations(server.port)
    const half = await paced(fresh({ connections: HALF_LOAD_CONNECTIONS, seconds: 10 }), full.rate / 2)
    print(
      `HTTP /stir/v1/signing at half load (paced, ${HALF_LOAD_CONNECTIONS} connections), ${Math.round((100 * half.rate) / full.rate)} % of the full-load rate: ${describe(half)} (target p99 < 5 ms); inside the server (its duration histogram, probe included) p99 ${serverP99(inside, await signingDurations(server.port))}`,
    )
    // The same with the server and wrk on cores of their own: no queueing behind wrk's turn on a core.
    const pinnedHalf = await paced(pinnedRun({ connections: HALF_LOAD_CONNECTIONS, seconds: 10 }), pinnedFull.rate / 2)
    print(
      `… the API process confined to core 0, wrk on ${wrkCpus}, ${Math.round((100 * pinnedHalf.rate) / pinnedFull.rate)} % of its full-load rate: ${describe(pinnedHalf)} (target p99 < 5 ms)`,
    )
    // The SIP signing front (the main process serves it): CPU per call at a paced rate, below
    // what sipp itself can place on these shared cores.
    const sipCall = { orig: calls[0]!.from, dest: '12125551212', acct: calls[0]!.acct }
    // The front signs for the account of the SIP trunk an INVITE arrives on: sipp's, on loopback.
    const trunk = await fetch(`http://127.0.0.1:${server.port}/admin/v1/SipTrunks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ FriendlyName: 'sipp', AccountSid: sipCall.acct, SourceAddresses: ['127.0.0.1/32'] }),
    })
    if (trunk.status !== 201) throw new Error(`SIP trunk for sipp: ${trunk.status} ${await trunk.text()}`)
    const sipCpu0 = treeCpuSeconds(server.pid!)
    const sip = await sippLoad({ port: sipPort, rate: 2000, calls: 10_000, keys: sipCall })
    const sipUs = ((treeCpuSeconds(server.pid!) - sipCpu0) * 1e6) / Math.max(1, sip.succeeded)
    const httpUs = (typical(r.stirhub).cores * 1e6) / typical(r.stirhub).rate
    print(
      `SIP signing front (sipp, UDP INVITE → 302 + Identity → ACK, in the main process): ${Math.round(sipUs)} µs of server CPU per call at ${Math.round(sip.rate)} calls/s, about ${Math.round(1e6 / sipUs)} calls/s per core (HTTP signing: ${Math.round(httpUs)} µs per request)${sip.failed ? `, FAILED: ${sip.failed} calls` : ''}`,
    )
    const churn = approvalsElsewhere(server.port, idleTrustProduct())
    const busy = await wrk(fresh({ seconds: 10 }))
    print(
      `HTTP /stir/v1/signing while the vetting team approves another customer's bundle every ${CHURN_MS} ms (${await churn.stop()} approvals): ${describe(busy)}`,
    )
  } finally {
    for (const sv of servers.reverse()) await sv.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
