/**
 * Signing a branded call (RFC 9795 rcd, rcdi and crn; docs/branding.md) against a plain one,
 * in process on SQLite: 1000 A numbers, half of them on an approved Branded Calls product with
 * a logo and its pinned digest. Two lines: what branding adds alone (the longer payload encoded
 * and signed: µs per call), and whole calls (decided from the warm index, claims built, signed,
 * Identity formatted, 64 at a time) per CPU second of this process, in short rounds whose order
 * alternates; a ratio is the median of per-round ratios (target: branded >= 0.90 of plain).
 * `RCD_BENCH_ROUNDS` sets the rounds of the second line (default 21).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { loadConfig } from '../src/config/config.js'
import { boot } from '../src/runtime/boot.js'
import { POLICY } from '../src/domain/policies.js'
import type { AppContext } from '../src/runtime/context.js'
import { median } from './stats.js'
import { es256Sign, signingInput, type ShakenClaims } from '../src/stir/passport/index.js'
import { ratioOf } from './wrk.js'

const NUMBERS = 1000
const ROUNDS = Number(process.env.RCD_BENCH_ROUNDS ?? 21)
const PER_ROUND = 1024
const hex = (n: number, w = 32) => n.toString(16).padStart(w, '0')
const phone = (i: number) => `+1212${String(3000000 + i).padStart(7, '0')}`
type Call = { readonly acct: string; readonly from: string; readonly crn?: string }

/** Accounts, A bundles and numbers; every odd number also on a Branded Calls product with its brand pinned. */
function fill(file: string): string[] {
  const db = new SQLite(file)
  const now = new Date().toISOString()
  const until = new Date(Date.now() + 365 * 864e5).toISOString()
  const accounts = Array.from({ length: 10 }, (_, i) => 'AC' + hex(i + 1))
  db.transaction(() => {
    const a = db.prepare(
      "INSERT INTO accounts (sid, parent_sid, friendly_name, status, auth_token_hash, auth_token_sealed, origid, date_created, date_updated) VALUES (?, NULL, 'bench', 'active', 'x', 'x', ?, ?, ?)",
    )
    const b = db.prepare(
      "INSERT INTO bundles (sid, account_sid, kind, policy_sid, friendly_name, email, status, valid_until, date_created, date_updated) VALUES (?, ?, ?, ?, 'b', 'e@x', 'twilio-approved', ?, ?, ?)",
    )
    const ea = db.prepare(
      'INSERT INTO entity_assignments (sid, bundle_sid, account_sid, object_sid, date_created) VALUES (?, ?, ?, ?, ?)',
    )
    const brand = db.prepare(
      "INSERT INTO approved_brands (bundle_sid, account_sid, kind, display_name, logo_url, logo_digest, call_reasons, approved_at) VALUES (?, ?, 'branded_calls', 'Acme Pharmacy', 'https://brand.example.com/acme/logo.png', 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', '[\"Prescription ready\"]', ?)",
    )
    for (const [i, acct] of accounts.entries()) {
      a.run(acct, randomUUID(), now, now)
      b.run('BU' + hex(3 * i + 1), acct, 'customer-profile', POLICY.PRIMARY_PROFILE, until, now, now)
      b.run('BU' + hex(3 * i + 2), acct, 'trust-product', POLICY.SHAKEN_STIR, until, now, now)
      b.run('BU' + hex(3 * i + 3), acct, 'trust-product', POLICY.BRANDED_CALLS, until, now, now)
      ea.run('BV' + hex(i + 1), 'BU' + hex(3 * i + 2), acct, 'BU' + hex(3 * i + 1), now)
      brand.run('BU' + hex(3 * i + 3), acct, now)
    }
    const n = db.prepare(
      "INSERT INTO phone_numbers (sid, account_sid, phone_number, friendly_name, status_callback, origin, date_created, date_updated) VALUES (?, ?, ?, 'n', NULL, 'inventory', ?, ?)",
    )
    const ca = db.prepare(
      "INSERT INTO channel_endpoint_assignments (sid, bundle_sid, account_sid, channel_endpoint_type, channel_endpoint_sid, slot, date_created) VALUES (?, ?, ?, 'phone-number', ?, ?, ?)",
    )
    for (let i = 0; i < NUMBERS; i++) {
      const k = i % accounts.length
      const acct = accounts[k]!
      const pn = 'PN' + hex(i + 1)
      n.run(pn, acct, phone(i), now, now)
      ca.run('RA' + hex(3 * i + 1), 'BU' + hex(3 * k + 1), acct, pn, 'customer-profile', now)
      ca.run('RA' + hex(3 * i + 2), 'BU' + hex(3 * k + 2), acct, pn, POLICY.SHAKEN_STIR, now)
      if (i % 2 === 1) ca.run('RA' + hex(3 * i + 3), 'BU' + hex(3 * k + 3), acct, pn, POLICY.BRANDED_CALLS, now)
    }
  })()
  db.close()
  return accounts
}

/**
 * Signs per CPU second of this process for `calls`, 64 at a time (as on a server, sharing the
 * store-version read). CPU time, not wall time: on a machine other work shares, wall time
 * measures the neighbours.
 */
async function rate(ctx: AppContext, calls: readonly Call[], n: number): Promise<number> {
  const as = ctx.stiAs
  const t0 = process.cpuUsage()
  for (let i = 0; i < n; i += 64) {
    await Promise.all(
      Array.from({ length: 64 }, (_, j) => {
        const c = calls[(i + j) % calls.length]!
        return as.service.sign({ accountSid: c.acct, orig: c.from, dest: ['12125551212'], crn: c.crn })
      }),
    )
  }
  const t = process.cpuUsage(t0)
  return n / ((t.user + t.system) / 1e6)
}

/** Per call, µs: the PASSporT's signing input encoded (claims → canonical JSON → base64url) and then signed. */
function encodeAndSign(ctx: AppContext, claims: ShakenClaims): { readonly encode: number; readonly sign: number } {
  const x5u = ctx.signer.x5u
  let input = ''
  let t = performance.now()
  for (let i = 0; i < 20_000; i++) input = signingInput(x5u, claims)
  const encode = ((performance.now() - t) * 1000) / 20_000
  t = performance.now()
  for (let i = 0; i < 2000; i++) es256Sign(input, ctx.signer.key)
  return { encode, sign: ((performance.now() - t) * 1000) / 2000 }
}

/** Runs the bench (see the module comment). */
export async function run(print: (line: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-rcd-'))
  const file = path.join(dir, 'stirhub.db')
  const booted = await boot(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      STIRHUB_DATA_DIR: dir,
      DATABASE_URL: `sqlite:${file}`,
      STIRHUB_ROLES: 'api',
      LOG_LEVEL: 'warn',
      STIRHUB_ADMIN_TOKEN: 'bench-operator-token-0123456789abcdef',
      STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
    }),
    { noFirstAccount: true },
  )
  const { ctx } = booted
  try {
    const accounts = fill(file)
    const call = (i: number, crn?: string): Call => ({
      acct: accounts[i % accounts.length]!,
      from: phone(i).slice(1),
      crn,
    })
    const plain = Array.from({ length: NUMBERS / 2 }, (_, j) => call(2 * j))
    const branded = Array.from({ length: NUMBERS / 2 }, (_, j) => call(2 * j + 1, 'Prescription ready'))
    await ctx.stiAs.index.prewarm()
    const a = await ctx.stiAs.service.sign({ accountSid: plain[0]!.acct, orig: plain[0]!.from, dest: ['12125551212'] })
    const b = await ctx.stiAs.service.sign({
      accountSid: branded[0]!.acct,
      orig: branded[0]!.from,
      dest: ['12125551212'],
      crn: 'Prescription ready',
    })
    print(`sample calls sign ${a.attest} plain and ${b.attest} with rcd ${JSON.stringify(b.rcd)}`)
    const rates = { plain: [] as number[], branded: [] as number[] }
    // Warm: every call's number and bundles held, as on a server that has seen them.
    await rate(ctx, branded, NUMBERS)
    await rate(ctx, plain, NUMBERS)
    const loads0 = ctx.stiAs.index.loads
    // Short rounds, the order swapped every round: the machine's speed drifts within seconds.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) rates.plain.push(await rate(ctx, plain, PER_ROUND))
      rates.branded.push(await rate(ctx, branded, PER_ROUND))
      if (round % 2 === 1) rates.plain.push(await rate(ctx, plain, PER_ROUND))
    }
    // The part branding adds, alone: a longer payload to encode and sign (no decision, no I/O).
    const base: ShakenClaims = {
      attest: 'A',
      dest: { tn: ['12125551212'] },
      iat: Math.floor(Date.now() / 1000),
      orig: { tn: plain[0]!.from },
      origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
    }
    const rcd = { icn: 'https://brand.example.com/acme/logo.png', nam: 'Acme Pharmacy' }
    const rich: ShakenClaims = {
      ...base,
      crn: 'Prescription ready',
      rcd,
      rcdi: { '/icn': 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
    }
    const parts = { plain: [] as number[], branded: [] as number[] }
    for (let round = 0; round < 5; round++) {
      const p = encodeAndSign(ctx, base)
      const b = encodeAndSign(ctx, rich)
      parts.plain.push(p.encode + p.sign)
      parts.branded.push(b.encode + b.sign)
    }
    print(
      `encode + sign only: plain ${median(parts.plain).toFixed(1)} µs, branded ${median(parts.branded).toFixed(1)} µs per call; rate ratio branded/plain ${ratioOf(parts.plain, parts.branded).toFixed(2)} (median of 5 interleaved rounds)`,
    )
    print(`store reads while measuring: ${ctx.stiAs.index.loads - loads0} (warm: none expected)`)
    print(
      `in-process sign per CPU second, plain A call: ${Math.round(median(rates.plain))}/s; branded A call (rcd, rcdi, crn): ${Math.round(median(rates.branded))}/s; ratio ${ratioOf(rates.branded, rates.plain).toFixed(2)} (target >= 0.90; 1 core, median of ${ROUNDS} interleaved rounds)`,
    )
  } finally {
    await booted.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
