/**
 * What recording calls costs (issue 23's target: recording on keeps ≥ 0.90 of the throughput):
 * HTTP `POST /stir/v1/signing` and `POST /stir/v1/verification` on two `stirhub serve` trees
 * with the HTTP signing bench's settings (its SQLite store of 1M numbers and 100k bundles, one
 * API process per core, the same 64-connection wrk load), one with `STIRHUB_CALL_RECORDS=on`
 * and one with `off`, both up throughout and measured in interleaved rounds. Prints each
 * ratio on/off, and what the recording side wrote and dropped (a side that dropped records
 * did not pay for writing them).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config/config.js'
import { boot } from '../src/runtime/boot.js'
import { buildTestPki, startCertServer } from '../test/helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from '../test/helpers/passport-forge.js'
import { ACCOUNTS, ASSIGNED, fill, phone, serverEnv, TOKEN } from './signing.bench.js'
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
import { serveStirhub, type Served } from './serve.js'

type Print = (line: string) => void

/** The call-record totals a server's /metrics shows (summed over its API processes). */
async function recordTotals(port: number): Promise<{ written: number; dropped: number }> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text()
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
  return { written: read('stirhub_call_records_written_total'), dropped: read('stirhub_call_records_dropped_total') }
}

export async function run(print: Print): Promise<void> {
  requireWrk()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-calls-'))
  const file = path.join(dir, 'stirhub.db')
  const certs = await startCertServer()
  const servers: Served[] = []
  try {
    // The store as the signing bench has it: migrated by a boot, then filled.
    await (await boot(loadConfig(serverEnv(dir, file)), { noFirstAccount: true })).close()
    const accounts = fill(file)
    const pki = await buildTestPki(new Date(), certs.base)
    certs.routes.set('/sp.pem', { body: pki.chainPem('good'), headers: { 'cache-control': 'max-age=86400' } })
    fs.writeFileSync(path.join(dir, 'roots.pem'), pki.root.pem)
    const env = {
      ...serverEnv(dir, file),
      STIRHUB_TRUST_ANCHORS: path.join(dir, 'roots.pem'),
      STIRHUB_X5U_ALLOW: new URL(certs.base).host,
      STIRHUB_VERIFY_FRESHNESS: '600',
    }
    const on = await serveStirhub({ ...env, STIRHUB_CALL_RECORDS: 'on' })
    servers.push(on)
    const off = await serveStirhub({ ...env, STIRHUB_CALL_RECORDS: 'off' })
    servers.push(off)

    const calls = Array.from({ length: 1000 }, (_, j) => {
      const i = (j * 7919) % ASSIGNED
      return { acct: accounts[i % ACCOUNTS]!, from: phone(i).slice(1) }
    })
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    // Each run's requests are dated when it starts: the signer and the verifier take a fresh iat.
    const signing = (port: number): WrkRun => {
      const iat = Math.floor(Date.now() / 1000)
      return {
        ...LOAD,
        url: `http://127.0.0.1:${port}/stir/v1/signing`,
        headers,
        requests: calls.map((c) => ({
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
        })),
      }
    }
    const x5u = `${certs.base}/sp.pem`
    const verifying = (port: number): WrkRun => {
      const iat = Math.floor(Date.now() / 1000)
      return {
        ...LOAD,
        url: `http://127.0.0.1:${port}/stir/v1/verification`,
        headers,
        // Calls from 100 signers' numbers to the store's customers, verified for those customers.
        requests: calls.slice(0, 100).map((c, k) => {
          const orig = `1215555${String(1000 + k).padStart(4, '0')}`
          const jws = forgeJws(
            shakenHeader(x5u),
            shakenClaims(iat, { orig: { tn: orig }, dest: { tn: [c.from] } }),
            pki.leaves.good.key,
          )
          return {
            body: JSON.stringify({
              verificationRequest: {
                from: { tn: orig },
                to: { tn: [c.from] },
                time: iat,
                identity: identityOf(jws, x5u),
              },
            }),
            headers: { 'x-account-sid': c.acct },
          }
        }),
      }
    }
    // Both sides must answer as the bench expects before any rate means anything.
    for (const s of [on, off]) {
      const sv = verifying(s.port).requests[0]!
      const r = await fetch(`http://127.0.0.1:${s.port}/stir/v1/verification`, {
        method: 'POST',
        headers: { ...headers, ...sv.headers },
        body: sv.body,
      })
      const v = (await r.json()) as { verificationResponse?: { verstat?: string } }
      if (v.verificationResponse?.verstat !== 'TN-Validation-Passed')
        throw new Error(`the bench call does not verify: ${JSON.stringify(v)}`)
    }
    for (const s of [on, off]) {
      await wrk({ ...signing(s.port), seconds: WARMUP_SECONDS })
      await wrk({ ...verifying(s.port), seconds: WARMUP_SECONDS / 2 })
    }
    const before = await recordTotals(on.port)
    const r = await interleaved({
      signOn: () => wrk(signing(on.port)),
      signOff: () => wrk(signing(off.port)),
      verifyOn: () => wrk(verifying(on.port)),
      verifyOff: () => wrk(verifying(off.port)),
    })
    // Let the last batches land before reading what was written.
    await new Promise((res) => setTimeout(res, 1500))
    const after = await recordTotals(on.port)
    const each = `${os.availableParallelism()} API processes each, wrk ${LOAD.connections} connections; ${ROUNDS} interleaved rounds of ${LOAD.seconds} s, the median round shown`
    print(`HTTP /stir/v1/signing, STIRHUB_CALL_RECORDS=on (${each}): ${describe(typical(r.signOn))}`)
    print(`… STIRHUB_CALL_RECORDS=off: ${describe(typical(r.signOff))}`)
    print(
      `signing ratio on/off: ${ratioOf(r.signOn, r.signOff).toFixed(2)}, per round ${perRound(r.signOn, r.signOff)} (target >= 0.90)`,
    )
    print(`HTTP /stir/v1/verification, STIRHUB_CALL_RECORDS=on: ${describe(typical(r.verifyOn))}`)
    print(`… STIRHUB_CALL_RECORDS=off: ${describe(typical(r.verifyOff))}`)
    print(
      `verification ratio on/off: ${ratioOf(r.verifyOn, r.verifyOff).toFixed(2)}, per round ${perRound(r.verifyOn, r.verifyOff)} (target >= 0.90)`,
    )
    const answered = [...r.signOn, ...r.verifyOn].reduce((n, x) => n + x.requests, 0)
    print(
      `records during the measured rounds: ${after.written - before.written} written, ${after.dropped - before.dropped} dropped, of ${answered} calls answered with recording on (SQLite)`,
    )
  } finally {
    for (const s of servers.reverse()) await s.stop()
    await certs.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
