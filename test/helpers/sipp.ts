/** Runs sipp (Debian package sip-tester) scenarios against a front under test. */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { freePort } from './server.js'

const SIPP = '/usr/bin/sipp'

export interface SippRun {
  readonly code: number
  readonly log: string
  readonly out: string
}

interface SippCall {
  /** The front's port on 127.0.0.1. */
  readonly port: number
  /** Folder for logs (sipp's cwd). */
  readonly dir: string
  /** Scenario file name under test/sipp/, without `.xml`. */
  readonly name: string
  readonly transport: 'u1' | 't1'
  readonly keys?: Readonly<Record<string, string>>
  readonly bind?: string
}

function once(c: SippCall, signalPort: number, mediaPort: number): Promise<SippRun> {
  const logFile = path.join(c.dir, `${c.name}-${c.transport}-${Date.now()}-${Math.random()}.log`)
  const args = [
    `127.0.0.1:${c.port}`,
    '-sf',
    path.join(import.meta.dirname, '..', 'sipp', `${c.name}.xml`),
    '-m',
    '1',
    '-t',
    c.transport,
    '-i',
    c.bind ?? '127.0.0.1',
    '-p',
    String(signalPort),
    '-mp',
    String(mediaPort),
    '-timeout',
    '15s',
    '-timeout_error',
    '-nostdin',
    '-trace_logs',
    '-log_file',
    logFile,
    ...Object.entries(c.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
  ]
  return new Promise((resolve, reject) => {
    const p = spawn(SIPP, args, { cwd: c.dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.stderr.on('data', (d) => {
      out += d
    })
    p.on('error', reject)
    p.on('exit', (code) =>
      resolve({ code: code ?? -1, out, log: fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '' }),
    )
  })
}

/**
 * One sipp call; resolves with its exit code (0: every call succeeded) and its <log> output.
 * sipp also binds media sockets next to `-mp` (audio and video RTP/RTCP); with several sipp
 * runs in parallel one of those can be taken, so a bind failure is retried on other ports.
 */
export async function sipp(
  port: number,
  dir: string,
  name: string,
  transport: 'u1' | 't1',
  keys: Readonly<Record<string, string>> = {},
  bind = '127.0.0.1',
): Promise<SippRun> {
  const c: SippCall = { port, dir, name, transport, keys, bind }
  let run: SippRun | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    run = await once(c, await freePort(), await freePort())
    if (!/Unable to bind .*Address already in use/.test(run.out)) return run
  }
  return run!
}

/** True when something is bound to UDP `port` on 127.0.0.1 (/proc/net/udp). */
export function udpBound(port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`
  return fs
    .readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((l) => l.trim().split(/\s+/)[1] === local)
}

/** Waits until `ready()` holds (it may throw to give up), or fails after `ms` naming `what`. */
export async function until(ready: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms
  while (!ready()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface SippUas {
  /** The port it answers on (127.0.0.1, UDP). */
  readonly port: number
  /** Resolves when sipp exits: after its one call, or at its timeout. */
  readonly done: Promise<SippRun>
  stop(): void
}

/**
 * A sipp UAS on `port` (default: a free one) of 127.0.0.1, answering one call with scenario
 * `name` (under test/sipp/); `done` resolves once it has (or after 20 s without one, with a
 * non-zero code). Resolves once sipp listens.
 */
export async function sippUas(dir: string, name: string, port?: number): Promise<SippUas> {
  port ??= await freePort()
  const logFile = path.join(dir, `${name}-${port}-${Math.random()}.log`)
  const args = [
    '-sf',
    path.join(import.meta.dirname, '..', 'sipp', `${name}.xml`),
    '-m',
    '1',
    '-t',
    'u1',
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-mp',
    String(await freePort()),
    '-timeout',
    '20s',
    '-timeout_error',
    '-nostdin',
    '-trace_logs',
    '-log_file',
    logFile,
  ]
  const p = spawn(SIPP, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  p.stdout.on('data', (d) => {
    out += d
  })
  p.stderr.on('data', (d) => {
    out += d
  })
  let exited = false
  const done = new Promise<SippRun>((resolve, reject) => {
    p.on('error', reject)
    p.on('exit', (code) => {
      exited = true
      resolve({ code: code ?? -1, out, log: fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '' })
    })
  })
  const bound = port
  await until(() => {
    if (exited) throw new Error(`sipp UAS ${name} exited:\n${out}`)
    return udpBound(bound)
  }, `the sipp UAS on ${port}`)
  return { port, done, stop: () => p.kill() }
}
