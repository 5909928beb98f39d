/**
 * Opens the store on either engine and runs migrations. Everything above this file sees one
 * `Kysely<Database>`; engine differences are reduced to the capability flags in `StoreInfo`.
 */
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import {
  CompiledQuery,
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type SqliteDialectConfig,
} from 'kysely'
import type { Database } from './database.js'
import type { Engine } from './executor.js'
import { AppError } from '../domain/errors.js'
import { allMigrations, migrationProvider } from './migrations/index.js'
import { ConnectionSqliteAdapter } from './dialect.js'
import { makePrivateDir, makePrivateFile, narrowIfExists } from '../security/private-files.js'

export type { Executor } from './executor.js'
export type Db = Kysely<Database>

export interface Store {
  readonly db: Db
  readonly engine: Engine
  /** Postgres pool; absent on SQLite. */
  readonly pool?: pg.Pool
  /** The SQLite connection under Kysely, for the per-call version read (see store-version.ts). */
  readonly sqlite?: SQLite.Database
  /** Postgres schema this store lives in, when not the default search path. */
  readonly schema?: string
  close(): Promise<void>
}

/** SQLite's `synchronous` setting (STIRHUB_SQLITE_SYNC): `full` syncs the WAL at every commit. */
type SqliteSync = 'full' | 'normal'

export interface OpenOptions {
  /** SQLite only: how hard commits are pushed to disk (default `normal`). */
  readonly sqliteSync?: SqliteSync
  /** Postgres only: a schema to create and use (tests give each file its own). */
  readonly schema?: string
  readonly poolSize?: number
  /**
   * Postgres only: told when the server closes an idle pooled connection (restart, failover,
   * an idle timeout in a proxy). The pool has already dropped it and reconnects on next use;
   * without a listener node-postgres would throw it out of the event loop and end the process.
   */
  readonly onConnectionLost?: (err: Error) => void
}

/** Opens `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
export async function openStore(url: string, opts: OpenOptions = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    if (file !== ':memory:') {
      makePrivateDir(path.dirname(path.resolve(file)))
      // SQLite gives -wal and -shm the mode of the database file: 0600 for all three.
      makePrivateFile(file)
      for (const side of ['-wal', '-shm']) narrowIfExists(file + side)
    }
    const database = new SQLite(file === ':memory:' ? ':memory:' : file)
    // WAL lets readers run beside the writer; busy_timeout rides out a second process's lock.
    database.pragma('journal_mode = WAL')
    database.pragma('busy_timeout = 5000')
    database.pragma('foreign_keys = ON')
    // NORMAL in WAL mode syncs at checkpoints, not at each commit: a power loss may roll back
    // the last commits, never corrupt the file. FULL syncs every commit (README, STIRHUB_SQLITE_SYNC).
    database.pragma(`synchronous = ${opts.sqliteSync === 'full' ? 'FULL' : 'NORMAL'}`)
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }, database),
    })
    return { db, engine: 'sqlite', sqlite: database, close: () => db.destroy() }
  }
  const schema = opts.schema
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`)
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  pool.on('error', (err) => opts.onConnectionLost?.(err))
  // A connection lost while checked out (its backend terminated mid-query, a failover) fails the
  // query in flight, whose caller sees it, and the pool drops the client on release; but the
  // client also emits 'error', which the pool listens for only while the client is idle, and
  // an 'error' nobody listens for ends the process.
  pool.on('connect', (client) => client.on('error', () => undefined))
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, engine: 'postgres', pool, schema, close: () => db.destroy() }
}

/**
 * The migrator for a store. On PostgreSQL Kysely's own tables are pinned to the store's
 * schema: otherwise its existence check sees another schema's kysely_migration_lock and then
 * fails to find it on the search_path.
 */
function migratorFor(store: Pick<Store, 'db' | 'schema'>): Migrator {
  return new Migrator({
    db: store.db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  })
}

/**
 * Kysely opens SQLite transactions with a deferred BEGIN, which takes the write lock only at
 * the first write: a transaction that read first then fails at once with SQLITE_BUSY
 * (busy_timeout does not apply) if another process committed in between — an approval lost
 * to a counter flush in another API process. BEGIN IMMEDIATE takes the lock up front and
 * waits for it up to busy_timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  readonly #connection: SQLite.Database
  constructor(config: SqliteDialectConfig, connection: SQLite.Database) {
    super(config)
    this.#config = config
    this.#connection = connection
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config)
  }

  /** Repos reach the connection through the adapter's capabilities (store/dialect.ts), not through the store. */
  override createAdapter(): ConnectionSqliteAdapter {
    return new ConnectionSqliteAdapter(this.#connection)
  }
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a
 * typical indexed lookup. Statements are reusable (the driver runs them synchronously), so
 * keep them by SQL text. The set of distinct SQL texts is small (queries are built from code,
 * values are bound), and the cache is bounded anyway.
 */
function withStatementCache(database: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText)
      if (!stmt) {
        if (cache.size >= 1000) cache.clear()
        stmt = database.prepare(sqlText)
        cache.set(sqlText, stmt)
      }
      return stmt
    },
    close: () => {
      cache.clear()
      database.close()
    },
  }
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(store: Pick<Store, 'db' | 'schema'>): Promise<void> {
  const migrator = migratorFor(store)
  let { error, results } = await migrator.migrateToLatest()
  // Kysely's existence checks introspect every schema; a schema dropped meanwhile by another
  // process (parallel test servers) can fail that read with "schema … does not exist". The
  // migrator found nothing applied in that case (no migration ran), so one retry is safe.
  if (
    error &&
    !results?.some((r) => r.status === 'Success') &&
    /does not exist/.test(String((error as Error).message))
  ) {
    ;({ error, results } = await migrator.migrateToLatest())
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    const why = (error as Error).message ?? String(error)
    // No migration ran: the store itself did not answer (a refused connection, a bad URL).
    if (!failed)
      throw new Error(
        `the store did not answer: ${why}${/user name/.test(why) ? ' (name the user in DATABASE_URL: postgres://user@host/db)' : ''}`,
      )
    throw new Error(`migration ${failed.migrationName} failed: ${why}`)
  }
}

/** True when the store answers and every known migration has run (for /readyz). */
export async function isReady(store: Pick<Store, 'db' | 'schema'>): Promise<boolean> {
  try {
    // Read the migration table directly: the migrator's own check introspects every schema,
    // which fails while another process drops one (and /readyz must not flap for that).
    const table = sql.table(store.schema ? `${store.schema}.${DEFAULT_MIGRATION_TABLE}` : DEFAULT_MIGRATION_TABLE)
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(store.db)
    const applied = new Set(rows.map((r) => r.name))
    return Object.keys(allMigrations()).every((name) => applied.has(name))
  } catch {
    return false
  }
}

/**
 * Driver errors that mean "busy or unreachable, try again" rather than a bug: SQLite lock
 * timeouts, PostgreSQL serialization failures, deadlocks, lock timeouts, a server shutting
 * down or still starting (57P01–57P03), lost and refused connections. The API answers them
 * 503 (UNAVAILABLE), not 500.
 */
const TRANSIENT = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  '40001',
  '40P01',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
])

/** The 503 a transient store failure should be answered with, or undefined for any other error. */
export function transientStoreError(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !TRANSIENT.has(code)) return undefined
  return new AppError('UNAVAILABLE', `the store is busy or unreachable (${code}): retry shortly`)
}
