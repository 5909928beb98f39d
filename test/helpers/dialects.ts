/**
 * The engines every store test runs against: SQLite always, PostgreSQL at 127.0.0.1:5432/test
 * (override with STIRHUB_TEST_PG, filter with STIRHUB_TEST_DIALECTS=sqlite). Each test server
 * on PostgreSQL gets its own schema, dropped at the end.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export type Dialect = 'sqlite' | 'postgres'

export const PG_URL = process.env.STIRHUB_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

export const DIALECTS: readonly Dialect[] = (process.env.STIRHUB_TEST_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Dialect => s === 'sqlite' || s === 'postgres')

export function newSchemaName(): string {
  return 't_' + randomBytes(6).toString('hex')
}

/** Runs one administrative statement on the test server (schemas, databases). */
export async function pgAdmin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    await c.query(statement)
  } finally {
    await c.end()
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await pgAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
}
