/**
 * The server the HTTP benches measure: booted on a temporary SQLite file, or on a fresh schema
 * of BENCH_PG_URL (default the test database), with no first account and no rate limit.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../src/config/config.js'
import { boot, type Booted } from '../src/runtime/boot.js'

export const ADMIN = 'bench-operator-token-0123456789abcdef'

export interface BenchEngine {
  readonly booted: Booted
  readonly databaseUrl: string
  readonly schema: string | undefined
  /** Stops the server and removes its data directory. */
  close(): Promise<void>
}

export async function bootEngine(engine: 'sqlite' | 'postgres'): Promise<BenchEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-bench-'))
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const schema = engine === 'postgres' ? `bench_${randomBytes(4).toString('hex')}` : undefined
  const config = loadConfig({
    DATABASE_URL: engine === 'postgres' ? pgUrl : `sqlite:${path.join(dir, 'bench.db')}`,
    STIRHUB_DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    STIRHUB_ADMIN_TOKEN: ADMIN,
    STIRHUB_MASTER_KEY: 'bench-master-key-0123456789abcdef0123456789',
    STIRHUB_ROLES: 'api',
    LOG_LEVEL: 'silent',
    // Requests are timed back to back from one account: the per-account rate limit would time its 429s instead.
    STIRHUB_API_RATE_LIMIT: '0',
  })
  const booted = await boot(config, { schema, noFirstAccount: true })
  return {
    booted,
    databaseUrl: config.databaseUrl,
    schema,
    async close() {
      await booted.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
