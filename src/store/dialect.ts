/**
 * Engine capability flags: the one place engine differences become data, so repos take a flag
 * instead of branching on the engine name (STYLE §8).
 */
import type SQLite from 'better-sqlite3'
import { SqliteAdapter } from 'kysely'
import type { Engine, Executor } from './executor.js'

export interface Capabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL); SQLite serialises writers instead. */
  readonly skipLocked: boolean
  /** Call records partitioned by day, dropped a partition at a time (PostgreSQL); SQLite deletes rows. */
  readonly dayPartitions: boolean
  /**
   * The connection that runs the statements, when one prepared statement run per row inside the
   * caller's transaction beats multi-row INSERTs (SQLite: 1.5–3x); undefined elsewhere.
   */
  readonly preparedRows?: SQLite.Database
}

export function capabilities(engine: Engine): Capabilities {
  return { skipLocked: engine === 'postgres', dayPartitions: engine === 'postgres' }
}

/** SQLite's adapter, carrying the connection under Kysely (see `preparedRows`). */
export class ConnectionSqliteAdapter extends SqliteAdapter {
  constructor(readonly connection: SQLite.Database) {
    super()
  }
}

/** The capabilities of the engine under `db`, a root handle or a transaction. */
export function capabilitiesOf(db: Executor): Capabilities {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof ConnectionSqliteAdapter) return { ...capabilities('sqlite'), preparedRows: adapter.connection }
  return capabilities(adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres')
}
