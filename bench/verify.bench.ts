/**
 * STI-VS speed (DESIGN §9), all figures measured in this run on this machine:
 * - in-process verification with a warm certificate cache vs raw node:crypto ES256 verify of
 *   the same signing input with a reused KeyObject (target ≥ 0.85), and a reference: split,
 *   decode and verify only, with no checks;
 * - HTTP `POST /stir/v1/verification` on `stirhub serve` with one API process per core vs
 *   `secsipidx -http-srv`'s `/v1/check` (Debian package, file cache warm), both driven by wrk
 *   with the same connections (bench/wrk.ts; target ≥ 1.0, goal 1.5), and vs a bare Fastify
 *   route that only decodes and verifies (bench/bare.server.ts); the HTTP sides are measured in
 *   interleaved rounds.
 *   Certificates come from a loopback server, as in the tests.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { verify as cryptoVerify, X509Certificate } from 'node:crypto'
import { createGuardedFetcher } from '../src/security/guarded-fetch.js'
import { CrlStore } from '../src/stir/trust/crl-store.js'
import { trustStoreOf } from '../src/stir/trust/trust-store.js'
import { CertCache } from '../src/stir/x5u/cert-cache.js'
import { createVerifier } from '../src/stir/vs/verifier.js'
import { profileCheck, x5uRules } from '../src/stir/vs/sti-vs.js'
import { buildTestPki, startCertServer } from '../test/helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from '../test/helpers/passport-forge.js'
import {
  describe,
  interleaved,
  LOAD,
  perRound,
  ratioOf,
  requireWrk,
  ROUNDS,
  typical,
  WARMUP_SECONDS,
  wrk,
  type WrkRun,
} from './wrk.js'
import { median } from './stats.js'
import { serveBare, serveSecsipidx, serveStirhub } from './serve.js'

type Print = (line: string) => void

const ADMIN = 'bench-operator-token-0123456789'

async function inProcess(print: Print, pkiAll: Awaited<ReturnType<typeof buildTestPki>>, base: string) {
  const fetcher = createGuardedFetcher(x5uRules([new URL(base).host]))
  const certs = new CertCache({
    fetcher: (u) => fetcher.fetch(u),
    trust: trustStoreOf([new X509Certificate(pkiAll.root.pem)]),
    crl: new CrlStore(),
    clock: () => new Date(),
    profile: profileCheck(false),
  })
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
  const rates = { raw: [] as number[], decodeOnly: [] as number[], vs: [] as number[] }
  // The in-process reference: the least any verifier does per call (split, decode the header and
  // claims, verify the received bytes), with no checks, certificate lookup or verdict.
  const decodeAndVerify = () => {
    const [eh, ep, es] = identity.slice(0, identity.indexOf(';')).split('.') as [string, string, string]
    JSON.parse(Buffer.from(eh, 'base64url').toString())
    JSON.parse(Buffer.from(ep, 'base64url').toString())
    return cryptoVerify(
      'sha256',
      Buffer.from(`${eh}.${ep}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(es, 'base64url'),
    )
  }
  // Warm-up: let the JIT settle the loops before anything is timed.
  for (let i = 0; i < 3000; i++) {
    cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    decodeAndVerify()
    await vs.verify(input)
  }
  for (let round = 0; round < 5; round++) {
    let t = performance.now()
    for (let i = 0; i < N; i++) cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    rates.raw.push(N / ((performance.now() - t) / 1000))
    t = performance.now()
    for (let i = 0; i < N; i++) decodeAndVerify()
    rates.decodeOnly.push(N / ((performance.now() - t) / 1000))
    t = performance.now()
    for (let i = 0; i < N; i++) await vs.verify(input)
    rates.vs.push(N / ((performance.now() - t) / 1000))
  }
  // Each round's sides ran back to back: the median of per-round ratios (ratioOf) is steadier
  // than a ratio of medians while the machine's speed drifts.
  print(`raw node:crypto ES256 verify: ${Math.round(median(rates.raw))}/s (1 core, median of 5 interleaved rounds)`)
  print(
    `in-process verify, warm cert cache (parse + checks + verify): ${Math.round(median(rates.vs))}/s, ratio ${ratioOf(rates.vs, rates.raw).toFixed(2)} (target >= 0.85); cache ${JSON.stringify(certs.counts)}`,
  )
  print(
    `in-process reference, split + decode + verify only (no checks, certificate lookup or verdict): ${Math.round(median(rates.decodeOnly))}/s, ratio ${ratioOf(rates.decodeOnly, rates.raw).toFixed(2)}; stirhub keeps ${ratioOf(rates.vs, rates.decodeOnly).toFixed(2)} of it`,
  )
  await fetcher.close()
}

/** One POST; true when the verdict is a pass (wrk counts statuses only, so each side is checked by hand). */
async function passes(url: string, body: string, headers: Readonly<Record<string, string>> = {}): Promise<boolean> {
  const r = await fetch(url, { method: 'POST', headers, body })
  const text = await r.text()
  return r.status === 200 && !/Failed|FAILED|not-ok|error/i.test(text)
}

async function overHttp(print: Print, pkiAll: Awaited<ReturnType<typeof buildTestPki>>, base: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-verify-'))
  fs.writeFileSync(path.join(dir, 'roots.pem'), pkiAll.root.pem)
  const keyFile = path.join(dir, 'sp.key')
  fs.writeFileSync(keyFile, pkiAll.leaves.good.key.export({ type: 'sec1', format: 'pem' }))
  fs.mkdirSync(path.join(dir, 'ssx-cache'))
  const x5u = `${base}/sp.pem`
  // One identity per run, signed by secsipidx itself, verified by both sides.
  const identity = execFileSync(
    'secsipidx',
    ['-sign-full', '-k', keyFile, '-o', '12155550121', '-d', '12025550143', '-a', 'A', '-x5u', x5u],
    { encoding: 'utf8' },
  ).trim()
  const server = await serveStirhub({
    STIRHUB_DATA_DIR: dir,
    STIRHUB_ADMIN_TOKEN: ADMIN,
    STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
    STIRHUB_TRUST_ANCHORS: path.join(dir, 'roots.pem'),
    STIRHUB_X5U_ALLOW: new URL(base).host,
    STIRHUB_VERIFY_FRESHNESS: '600',
  })
  const ssx = await serveSecsipidx(
    ['-cache-dir', path.join(dir, 'ssx-cache'), '-cache-expire', '86400', '-expire', '600'],
    '/v1/check',
    identity,
  )
  try {
    const acct = (await (
      await fetch(`http://127.0.0.1:${server.port}/admin/v1/Accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: '{"FriendlyName":"bench"}',
      })
    ).json()) as { sid: string; auth_token: string }
    const body = JSON.stringify({
      verificationRequest: {
        from: { tn: '12155550121' },
        to: { tn: ['12025550143'] },
        time: Math.floor(Date.now() / 1000),
        identity,
      },
    })
    const ours: WrkRun = {
      ...LOAD,
      url: `http://127.0.0.1:${server.port}/stir/v1/verification`,
      headers: {
        authorization: 'Basic ' + Buffer.from(`${acct.sid}:${acct.auth_token}`).toString('base64'),
        'content-type': 'application/json',
      },
      requests: [{ body }],
    }
    const theirs: WrkRun = {
      ...LOAD,
      url: `http://127.0.0.1:${ssx.port}/v1/check`,
      headers: { 'content-type': 'text/plain' },
      requests: [{ body: identity }],
    }
    for (const side of [ours, theirs]) {
      if (!(await passes(side.url, side.requests[0]!.body, side.headers)))
        throw new Error(`bench call does not verify at ${side.url}`)
    }
    const bare = await serveBare({ verifyCertPem: pkiAll.leaves.good.pem })
    try {
      const bareSide = { ...ours, url: `http://127.0.0.1:${bare.port}/stir/v1/verification` }
      if (!(await passes(bareSide.url, body, bareSide.headers)))
        throw new Error('the bare route does not verify the bench call')
      const warm = await wrk({ ...ours, seconds: WARMUP_SECONDS })
      print(`HTTP warm-up (${WARMUP_SECONDS} s): ${describe(warm)}`)
      for (const side of [theirs, bareSide]) await wrk({ ...side, seconds: 2 })
      const r = await interleaved({ stirhub: () => wrk(ours), secsipidx: () => wrk(theirs), bare: () => wrk(bareSide) })
      // A verdict that flipped under load would make the rate meaningless.
      for (const side of [ours, theirs]) {
        if (!(await passes(side.url, side.requests[0]!.body, side.headers)))
          throw new Error(`verdict changed under load at ${side.url}`)
      }
      print(
        `HTTP /stir/v1/verification (${os.availableParallelism()} API processes, wrk ${LOAD.connections} connections; ${ROUNDS} interleaved rounds of ${LOAD.seconds} s, the median round shown): ${describe(typical(r.stirhub))}`,
      )
      print(`secsipidx -http-srv /v1/check, same wrk load: ${describe(typical(r.secsipidx))}`)
      print(
        `HTTP ratio stirhub/secsipidx: ${ratioOf(r.stirhub, r.secsipidx).toFixed(2)}, per round ${perRound(r.stirhub, r.secsipidx)} (target >= 1.0, goal 1.5)`,
      )
      print(
        `bare Fastify route, JSON + split + verify only (${os.availableParallelism()} processes, no auth, certificates or checks), same wrk load: ${describe(typical(r.bare))}`,
      )
      print(
        `reference: stirhub/bare ${ratioOf(r.stirhub, r.bare).toFixed(2)}, bare/secsipidx ${ratioOf(r.bare, r.secsipidx).toFixed(2)}`,
      )
    } finally {
      await bare.stop()
    }
  } finally {
    await ssx.stop()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(print: Print): Promise<void> {
  requireWrk()
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
