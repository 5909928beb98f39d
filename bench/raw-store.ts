/**
 * Raw inserts for benches: the fastest plain way each engine takes rows (a prepared statement
 * in one transaction on SQLite; one multi-row `INSERT … SELECT unnest(…)` per batch on
 * PostgreSQL). Used to fill the store quickly and as the yardstick for the bulk routes.
 */
import SQLite from 'better-sqlite3'
import pg from 'pg'

export interface NumberRow {
  sid: string
  account_sid: string
  phone_number: string
  friendly_name: string
  status_callback: string | null
  origin: string
  date_created: string
  date_updated: string
}
interface BundleRow {
  sid: string
  account_sid: string
  kind: string
  policy_sid: string
  friendly_name: string
  email: string
  status: string
  date_created: string
  date_updated: string
}
interface Cursor {
  readonly d: string
  readonly s: string
}

export interface RawStore {
  readonly method: string
  /** Inserts the rows in one transaction. */
  insertNumbers(rows: readonly NumberRow[]): Promise<void>
  insertBundles(rows: readonly BundleRow[]): Promise<void>
  /** The (date_created, sid) of the account's row at 0-based position `n`, newest first. */
  cursorAt(table: 'phone_numbers' | 'bundles', account: string, n: number): Promise<Cursor>
  /** Refreshes planner statistics after a bulk load (PostgreSQL plans from them). */
  analyze(): Promise<void>
  close(schema?: string): Promise<void>
}

const NUM_COLS = [
  'sid',
  'account_sid',
  'phone_number',
  'friendly_name',
  'status_callback',
  'origin',
  'date_created',
  'date_updated',
] as const
const BUN_COLS = [
  'sid',
  'account_sid',
  'kind',
  'policy_sid',
  'friendly_name',
  'email',
  'status',
  'date_created',
  'date_updated',
] as const

function sqliteRaw(file: string): RawStore {
  const db = new SQLite(file)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  const ins = (table: string, cols: readonly string[]) => {
    const stmt = db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`)
    return db.transaction((rows: readonly object[]) => {
      for (const r of rows) stmt.run(r)
    })
  }
  const numbers = ins('phone_numbers', NUM_COLS)
  const bundles = ins('bundles', BUN_COLS)
  return {
    method: 'better-sqlite3 prepared INSERT',
    insertNumbers: async (rows) => {
      numbers(rows)
    },
    insertBundles: async (rows) => {
      bundles(rows)
    },
    cursorAt: async (table, account, n) => {
      const kind = table === 'bundles' ? " AND kind = 'customer-profile'" : ''
      const r = db
        .prepare(
          `SELECT date_created d, sid s FROM ${table} WHERE account_sid = ?${kind} ORDER BY date_created DESC, sid DESC LIMIT 1 OFFSET ?`,
        )
        .get(account, n) as Cursor
      return r
    },
    analyze: async () => {
      db.exec('ANALYZE')
    },
    close: async () => {
      db.close()
    },
  }
}

function pgRaw(url: string, schema: string): RawStore {
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` })
  const ins = async (table: string, cols: readonly string[], rows: readonly Record<string, unknown>[]) => {
    const arrays = cols.map((c) => rows.map((r) => r[c] ?? null))
    await pool.query(
      `INSERT INTO ${table} (${cols.join(',')}) SELECT * FROM unnest(${cols.map((_, i) => `$${i + 1}::text[]`).join(',')})`,
      arrays,
    )
  }
  return {
    method: 'pg INSERT … SELECT unnest($arrays)',
    insertNumbers: (rows) => ins('phone_numbers', NUM_COLS, rows as any),
    insertBundles: (rows) => ins('bundles', BUN_COLS, rows as any),
    cursorAt: async (table, account, n) => {
      const kind = table === 'bundles' ? " AND kind = 'customer-profile'" : ''
      const r = await pool.query(
        `SELECT date_created d, sid s FROM ${table} WHERE account_sid = $1${kind} ORDER BY date_created DESC, sid DESC LIMIT 1 OFFSET $2`,
        [account, n],
      )
      return r.rows[0] as Cursor
    },
    analyze: async () => {
      await pool.query('ANALYZE phone_numbers; ANALYZE bundles')
    },
    close: async (s) => {
      if (s) await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
      await pool.end()
    },
  }
}

/** Opens the raw side of the store the app uses (`sqlite:<file>` or postgres with a schema). */
export async function openRaw(databaseUrl: string, schema?: string): Promise<RawStore> {
  if (databaseUrl.startsWith('sqlite:')) return sqliteRaw(databaseUrl.slice('sqlite:'.length))
  if (!schema) throw new Error('a PostgreSQL bench needs its own schema')
  return pgRaw(databaseUrl, schema)
}
