/** Starts a real stirhub server on a free loopback port for a test, on either engine. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import dgram from 'node:dgram'
import { after, before } from 'node:test'
import { loadConfig } from '../../src/config/config.js'
import { serve, type Running } from '../../src/runtime/serve.js'
import { dropSchema, newSchemaName, PG_URL, type Dialect } from './dialects.js'
import type { Clock } from '../../src/domain/time.js'
import type { Logger } from 'pino'

export const ADMIN_TOKEN = 'test-operator-token-0123456789abcdef'

export interface TestServer {
  readonly url: string
  readonly port: number
  readonly running: Running
  readonly dataDir: string
  /** PostgreSQL schema of this server's store (undefined on SQLite). */
  readonly schema: string | undefined
  stop(): Promise<void>
}

/** The first port the kernel hands to outgoing connections (Linux: ip_local_port_range). */
function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768
  } catch {
    return 32768
  }
}

/** True when `port` on loopback takes a TCP listener and a UDP socket now (the SIP fronts need both). */
async function bindable(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
  if (!tcp) return false
  return new Promise<boolean>((resolve) => {
    const u = dgram.createSocket('udp4')
    u.once('error', () => {
      u.close()
      resolve(false)
    })
    u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)))
  })
}

/**
 * A loopback port free for TCP and UDP, chosen below the ephemeral range: a port the kernel
 * picked with listen(0) could be taken by one of the many outgoing connections the tests
 * make, between this check and the server's own listen (seen: EADDRINUSE in a SIP test).
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow()
  for (let i = 0; i < 100; i++) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000))
    if (await bindable(port)) return port
  }
  throw new Error(`no free loopback port between 10000 and ${low}`)
}

export interface StartOptions {
  readonly env?: Record<string, string>
  readonly clock?: Clock
  /** Run a second server on the first one's database and data dir (they are cleaned up by the first). */
  readonly shareWith?: TestServer
  /** The server's logger (default: none, LOG_LEVEL silent). */
  readonly log?: Logger
}

export async function startServer(dialect: Dialect, opts: StartOptions = {}): Promise<TestServer> {
  const port = await freePort()
  const owner = !opts.shareWith
  const dataDir = opts.shareWith?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-test-'))
  const schema = opts.shareWith ? opts.shareWith.schema : dialect === 'postgres' ? newSchemaName() : undefined
  const url = `http://127.0.0.1:${port}`
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    STIRHUB_DATA_DIR: dataDir,
    DATABASE_URL: dialect === 'postgres' ? PG_URL : `sqlite:${path.join(dataDir, 'stirhub.db')}`,
    STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN,
    STIRHUB_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
    STIRHUB_ROLES: 'api',
    // The server runs in the test's own process: its rate limits are this one process's.
    STIRHUB_HTTP_WORKERS: '1',
    LOG_LEVEL: 'silent',
    // The sip role's verify front must never collide on the default 5070 across test files.
    SIP_VERIFY_PORT: '0',
    ...opts.env,
  })
  const running = await serve(config, { schema, quiet: true, noFirstAccount: true, clock: opts.clock, log: opts.log })
  return {
    url,
    port,
    running,
    dataDir,
    schema,
    async stop() {
      await running.stop()
      if (!owner) return
      if (schema) await dropSchema(schema)
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Two servers on one store for the enclosing describe block (started before its tests, stopped
 * after): changes made through `a` must show at once on `b`, which caches what it read.
 */
export function twoServersOnOneStore(dialect: Dialect): { readonly a: TestServer; readonly b: TestServer } {
  const pair = {} as { a: TestServer; b: TestServer }
  before(async () => {
    pair.a = await startServer(dialect)
    pair.b = await startServer(dialect, { shareWith: pair.a })
  })
  after(async () => {
    await pair.b?.stop()
    await pair.a?.stop()
  })
  return pair
}
