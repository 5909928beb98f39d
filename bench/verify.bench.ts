/**
 * STI-VS speed (DESIGN §9), all figures measured in this run on this machine:
 * - in-process verification with a warm certificate cache vs raw node:crypto ES256 verify of
 *   the same signing input with a reused KeyObject (target ≥ 0.85);
 * - HTTP `POST /stir/v1/verification` vs `secsipidx`'s `/v1/check` (Debian package, file
 *   cache warm), driven by the same in-process load generator at the same concurrency
 *   (target ≥ 1.0, goal 1.5). Certificates come from a loopback server, as in the tests.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn, execFileSync } from 'node:child_process'
import { verify as cryptoVerify, X509Certificate } from 'node:crypto'
import { Pool } from 'undici'
import { createGuardedFetcher } from '../src/security/guarded-fetch.js'
import { CrlStore } from '../src/stir/trust/crl-store.js'
import { trustStoreOf } from '../src/stir/trust/trust-store.js'
import { CertCache } from '../src/stir/x5u/cert-cache.js'
import { createVerifier } from '../src/stir/vs/verifier.js'
import { profileCheck, x5uRules } from '../src/stir/vs/sti-vs.js'
import { buildTestPki, startCertServer } from '../test/helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from '../test/helpers/passport-forge.js'

type Print = (line: string) => void

const ADMIN = 'bench-operator-token-0123456789'

/** Sends `total` POSTs with `concurrency` in flight; returns requests/s and how many got 200. */
async function load(origin: string, pathName: string, body: () => string, headers: Record<string, string>, total: number, concurrency: number) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 })
  let sent = 0
  let ok = 0
  const t = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < total) {
      sent++
      const r = await pool.request({ path: pathName, method: 'POST', headers, body: body() })
      const text = await r.body.text()
      if (r.statusCode === 200 && !/FAILED|not-ok/i.test(text)) ok++
    }
  }))
  const rate = total / ((performance.now() - t) / 1000)
  await pool.close()
  return { rate, ok }
}

async function inProcess(print: Print, pkiAll: Awaited<ReturnType<typeof buildTestPki>>, base: string) {
  const fetcher = createGuardedFetcher(x5uRules([new URL(base).host]))
  const certs = new CertCache({ fetcher: (u) => fetcher.fetch(u), trust: trustStoreOf([new X509Certificate(pkiAll.root.pem)]), crl: new CrlStore(), clock: () => new Date(), profile: profileCheck(false) })
  const vs = createVerifier({ certs })
  const x5u = `${base}/sp.pem`
  const jws = forgeJws(shakenHeader(x5u), shakenClaims(Math.floor(Date.now() / 1000)), pkiAll.leaves.good.key)
  const identity = identityOf(jws, x5u)
  const input = { identity: [identity], from: '12155550121', to: ['12025550143'] }
  const warm = await vs.verify(input)
  if (warm.reason !== 'passed') throw new Error(`bench call does not verify: ${warm.reason} ${warm.detail}`)
  const key = new X509Certificate(pkiAll.leaves.good.pem).publicKey
  const [h, p, s] = jws.split('.') as [string, string, string]
  const data = Buffer.from(`${h}.${p}`)
  const sig = Buffer.from(s, 'base64url')
  const N = 3000
  const rates = { raw: [] as number[], vs: [] as number[] }
  // Warm-up: let the JIT settle both loops before anything is timed.
  for (let i = 0; i < 3000; i++) { cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig); await vs.verify(input) }
  for (let round = 0; round < 5; round++) {
    let t = performance.now()
    for (let i = 0; i < N; i++) cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    rates.raw.push(N / ((performance.now() - t) / 1000))
    t = performance.now()
    for (let i = 0; i < N; i++) await vs.verify(input)
    rates.vs.push(N / ((performance.now() - t) / 1000))
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  print(`raw node:crypto ES256 verify: ${Math.round(med(rates.raw))}/s (1 core, median of 5 interleaved rounds)`)
  print(`in-process verify, warm cert cache (parse + checks + verify): ${Math.round(med(rates.vs))}/s, ratio ${(med(rates.vs) / med(rates.raw)).toFixed(2)} (target >= 0.85); cache ${JSON.stringify(certs.counts)}`)
  await fetcher.close()
}

async function overHttp(print: Print, pkiAll: Awaited<ReturnType<typeof buildTestPki>>, base: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-verify-'))
  fs.writeFileSync(path.join(dir, 'roots.pem'), pkiAll.root.pem)
  // The server runs in its own process, like secsipidx, so the load generator competes with neither.
  const port = 20000 + Math.floor(Math.random() * 20000)
  const server = spawn(process.execPath, [path.resolve(import.meta.dirname, '../bin/stirhub.mjs'), 'serve'], {
    stdio: 'ignore',
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', STIRHUB_DATA_DIR: dir, STIRHUB_ROLES: 'api', LOG_LEVEL: 'silent',
      STIRHUB_ADMIN_TOKEN: ADMIN, STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
      STIRHUB_TRUST_ANCHORS: path.join(dir, 'roots.pem'), STIRHUB_X5U_ALLOW: new URL(base).host, STIRHUB_VERIFY_FRESHNESS: '600',
    },
  })
  const running = { port, stop: async () => { server.kill(); await new Promise((r) => server.once('exit', r)) } }
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  const keyFile = path.join(dir, 'sp.key')
  fs.writeFileSync(keyFile, pkiAll.leaves.good.key.export({ type: 'sec1', format: 'pem' }))
  const ssxPort = 20000 + Math.floor(Math.random() * 20000)
  fs.mkdirSync(path.join(dir, 'ssx-cache'))
  const ssx = spawn('secsipidx', ['-H', `127.0.0.1:${ssxPort}`, '-cache-dir', path.join(dir, 'ssx-cache'), '-cache-expire', '86400', '-expire', '600'], { stdio: 'ignore' })
  try {
    const acct = await (await fetch(`http://127.0.0.1:${running.port}/admin/v1/Accounts`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{"FriendlyName":"bench"}' })).json() as { sid: string; auth_token: string }
    const x5u = `${base}/sp.pem`
    // One identity per run, signed by secsipidx itself, verified by both sides.
    const identity = execFileSync('secsipidx', ['-sign-full', '-k', keyFile, '-o', '12155550121', '-d', '12025550143', '-a', 'A', '-x5u', x5u], { encoding: 'utf8' }).trim()
    const body = JSON.stringify({ verificationRequest: { from: { tn: '12155550121' }, to: { tn: ['12025550143'] }, time: Math.floor(Date.now() / 1000), identity } })
    const auth = 'Basic ' + Buffer.from(`${acct.sid}:${acct.auth_token}`).toString('base64')
    const ours = { origin: `http://127.0.0.1:${running.port}`, path: '/stir/v1/verification', body: () => body, headers: { authorization: auth, 'content-type': 'application/json' } }
    const theirs = { origin: `http://127.0.0.1:${ssxPort}`, path: '/v1/check', body: () => identity, headers: { 'content-type': 'text/plain' } }
    await new Promise((r) => setTimeout(r, 300))
    for (const s of [ours, theirs]) await load(s.origin, s.path, s.body, s.headers, 200, 4) // warm caches and connections
    const N = 3000
    const C = 32
    const a = await load(ours.origin, ours.path, ours.body, ours.headers, N, C)
    const b = await load(theirs.origin, theirs.path, theirs.body, theirs.headers, N, C)
    print(`HTTP /stir/v1/verification: ${Math.round(a.rate)}/s (${a.ok}/${N} passed), secsipidx /v1/check: ${Math.round(b.rate)}/s (${b.ok}/${N} ok), ${C} in flight, same load generator`)
    print(`HTTP ratio stirhub/secsipidx: ${(a.rate / b.rate).toFixed(2)} (target >= 1.0, goal 1.5)`)
  } finally {
    ssx.kill()
    await running.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(print: Print): Promise<void> {
  const srv = await startCertServer()
  try {
    const pkiAll = await buildTestPki(new Date(), srv.base)
    srv.routes.set('/sp.pem', { body: pkiAll.chainPem('good'), headers: { 'cache-control': 'max-age=86400' } })
    await inProcess(print, pkiAll, srv.base)
    await overHttp(print, pkiAll, srv.base)
  } finally {
    await srv.close()
  }
}
