/**
 * Runs Kamailio (Debian package `kamailio`, with `kamailio-secsipid-modules`) in the foreground
 * on deploy/kamailio/kamailio.cfg, configured through the environment as the README shows.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { udpBound, until } from './sipp.js'

const KAMAILIO = '/usr/sbin/kamailio'
const CONFIG = path.join(import.meta.dirname, '..', '..', 'deploy', 'kamailio', 'kamailio.cfg')

export interface Kamailio {
  /** Everything it has logged so far (stderr). */
  log(): string
  stop(): Promise<void>
}

/**
 * Starts Kamailio with `env` (KAMAILIO_OUTBOUND_PORT, KAMAILIO_INBOUND_PORT, STIRHUB_SIGN_URI, …)
 * and a runtime folder under `dir`; resolves once both of its UDP ports are bound.
 */
export async function startKamailio(env: Readonly<Record<string, string>>, dir: string): Promise<Kamailio> {
  if (!fs.existsSync(KAMAILIO))
    throw new Error(
      `${KAMAILIO} is missing: install the Debian packages kamailio and kamailio-secsipid-modules (npm test installs them when run as root)`,
    )
  const run = fs.mkdtempSync(path.join(dir, 'kamailio-'))
  const p = spawn(KAMAILIO, ['-DD', '-E', '-f', CONFIG, '-Y', run, '-w', run, '-m', '32', '-M', '8'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  let exited: number | null | undefined
  p.stderr.on('data', (d) => {
    log += d
  })
  const exit = new Promise<void>((resolve) =>
    p.on('exit', (code) => {
      exited = code
      resolve()
    }),
  )
  const ports = [Number(env.KAMAILIO_OUTBOUND_PORT), Number(env.KAMAILIO_INBOUND_PORT)]
  try {
    await until(
      () => {
        if (exited !== undefined) throw new Error(`kamailio exited (${exited}):\n${log}`)
        return ports.every(udpBound)
      },
      `kamailio on ${ports.join(', ')}`,
    )
  } catch (err) {
    p.kill()
    throw err
  }
  return {
    log: () => log,
    async stop() {
      if (exited === undefined) p.kill('SIGTERM')
      await exit
    },
  }
}
