/** Runs the real `stirhub` binary as a user would (each run boots tsx, so independent runs overlap). */
import { spawn } from 'node:child_process'
import path from 'node:path'

export const BIN = path.resolve(import.meta.dirname, '../../bin/stirhub.mjs')

export interface CliRun {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } })
    let out = ''
    let err = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.stderr.on('data', (d) => {
      err += d
    })
    p.on('error', reject)
    p.on('close', (code) => resolve({ code, out, err }))
  })
}
