/** Runs the `stirhub` CLI: the real binary as a user would, or the same commander program in this process. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { buildCli } from '../../src/cli/index.js'

export const BIN = path.resolve(import.meta.dirname, '../../bin/stirhub.mjs')

export interface CliRun {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

/** Runs the real binary (each run boots tsx, so independent runs overlap). */
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

/**
 * Runs the commander program in this process (real HTTP to the server, no start-up cost),
 * capturing what it prints; a failure's message stands in for stderr.
 */
export async function runCliInProcess(args: readonly string[]): Promise<CliRun> {
  const out: string[] = []
  const log = console.log
  console.log = (...a: unknown[]) => {
    out.push(a.join(' '))
  }
  try {
    await buildCli()
      .exitOverride()
      .parseAsync(['node', 'stirhub', ...args])
    return { code: 0, out: out.join('\n'), err: '' }
  } catch (e) {
    return { code: 1, out: out.join('\n'), err: (e as Error).message }
  } finally {
    console.log = log
  }
}
