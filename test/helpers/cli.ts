/** Runs the `stirhub` CLI: the real binary as a user would, or the same commander program in this process. */
import { spawn, type ChildProcess } from 'node:child_process'
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

/** `stirhub serve` as a child process with `env` over this process's environment, its stdout and stderr collected. */
export function spawnServe(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => {
    out += d
  })
  child.stderr!.on('data', (d) => {
    out += d
  })
  return { child, output: () => out }
}

/**
 * `stirhub serve` as a user starts it, with `env` over this process's environment; resolves
 * once its output (stdout and stderr) matches `ready`, rejects if `name` exits before.
 */
export async function startServe(
  name: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  const { child, output } = spawnServe(env)
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (ready.test(output())) {
        clearInterval(t)
        resolve()
      }
    }, 50)
    child.once('exit', (code, signal) => {
      clearInterval(t)
      reject(new Error(`${name} exited (${code ?? signal}) before it listened:\n${output()}`))
    })
  })
  return { child, output }
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
