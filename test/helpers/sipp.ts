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
