/**
 * SIP load with sipp (Debian package sip-tester): the suite's own signing scenario
 * (test/sipp/sign-302.xml: INVITE → 302 with Identity → ACK, over UDP) at a paced call rate,
 * with sipp's statistics file read back for what it achieved. The front signs for the account
 * of the SIP trunk an INVITE arrives on: the caller makes one for 127.0.0.1/32 first.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface SippLoad {
  readonly port: number
  /** Calls per second sipp places (it stops at its own limit on a busy machine). */
  readonly rate: number
  readonly calls: number
  readonly keys: Readonly<Record<string, string>>
}

export interface SippResult {
  /** Calls per second sipp measured over the run. */
  readonly rate: number
  readonly succeeded: number
  readonly failed: number
}

const SCENARIO = path.resolve(import.meta.dirname, '..', 'test', 'sipp', 'sign-302.xml')

/** Runs `calls` calls at `rate`/s; resolves with sipp's figures for the whole run. */
export async function sippLoad(o: SippLoad): Promise<SippResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-sipp-'))
  const stats = path.join(dir, 'stats.csv')
  try {
    const args = [
      `127.0.0.1:${o.port}`,
      '-sf',
      SCENARIO,
      '-t',
      'u1',
      '-r',
      String(o.rate),
      '-m',
      String(o.calls),
      '-l',
      String(4 * o.rate),
      '-nostdin',
      '-timeout',
      '120s',
      '-trace_stat',
      '-stf',
      stats,
      ...Object.entries(o.keys).flatMap(([k, v]) => ['-key', k, v]),
    ]
    await new Promise<void>((resolve, reject) => {
      const p = spawn('sipp', args, { cwd: dir, stdio: 'ignore' })
      p.once('error', (e) => reject(new Error(`sipp did not start (Debian package sip-tester): ${e.message}`)))
      p.once('exit', () => resolve())
    })
    const [head, ...rows] = fs.readFileSync(stats, 'utf8').trim().split('\n')
    const names = head!.split(';')
    const last = rows.at(-1)!.split(';')
    const field = (name: string) => Number(last[names.indexOf(name)])
    return { rate: field('CallRate(C)'), succeeded: field('SuccessfulCall(C)'), failed: field('FailedCall(C)') }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
