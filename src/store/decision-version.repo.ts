/**
 * The store versions: one row of counters bumped in the same transaction as the writes they
 * cover. `version` (decisions) moves with every write that can change an attestation decision
 * (bundle status or validity, entity and channel-endpoint assignments, number release or move,
 * sub-account moves, account status); `credentials_version` with every write that changes what
 * a credential reaches (account status, a new sub-account, a deleted API key). Per-process
 * caches (the attestation index, the credential cache) read both before they answer and drop
 * what they hold when one moved, so a revocation takes effect on the very next call (DESIGN §4)
 * in every process sharing the store.
 */
import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Executor, Store } from './db.js'
import type { Database } from './database.js'

/** What a version counter covers. */
export type VersionKind = 'decisions' | 'credentials'

/** Both counters as read together. */
export interface StoreVersions {
  readonly decisions: number
  readonly credentials: number
}

const COLUMN = { decisions: 'version', credentials: 'credentials_version' } as const

/**
 * Marks the given caches stale in every process. Call it inside the transaction that makes
 * the change, so the change and the bump commit together (a reader never sees one without the other).
 */
export async function bumpVersions(db: Executor, kinds: readonly VersionKind[]): Promise<void> {
  await db.updateTable('decision_version')
    .set((eb) => Object.fromEntries(kinds.map((k) => [COLUMN[k], eb(COLUMN[k], '+', 1)])))
    .where('id', '=', 1).execute()
}

/** Marks every attestation index stale (see {@link bumpVersions}). */
export async function bumpDecisionVersion(db: Executor): Promise<void> {
  await bumpVersions(db, ['decisions'])
}

/** Both versions (one primary-key read). */
export async function readVersions(db: Executor): Promise<StoreVersions> {
  const row = await db.selectFrom('decision_version').select(['version', 'credentials_version']).where('id', '=', 1).executeTakeFirstOrThrow()
  return { decisions: Number(row.version), credentials: Number(row.credentials_version) }
}

/** The current decision version. */
export async function readDecisionVersion(db: Executor): Promise<number> {
  return (await readVersions(db)).decisions
}

/**
 * The per-call version read of a store. On SQLite it is one prepared statement on the
 * connection itself, run synchronously (a few µs, where Kysely's compile would cost several
 * times that on every call) — unless the connection is inside a transaction: that read would
 * see an uncommitted bump, and if the transaction rolled back, the next committed write would
 * bring the counter to the value a cache already holds, over facts it never saw. Then the read
 * goes through Kysely, which waits for the transaction to end.
 */
export function versionReader(store: Pick<Store, 'db' | 'sqlite'>): () => Promise<StoreVersions> {
  const raw = store.sqlite
  if (!raw) return () => readVersions(store.db)
  type Row = { version: number; credentials_version: number }
  let stmt: SQLite.Statement<[], Row> | undefined
  return async () => {
    if (raw.inTransaction) return readVersions(store.db)
    stmt ??= raw.prepare<[], Row>('select version, credentials_version from decision_version where id = 1')
    const row = stmt.get()!
    return { decisions: row.version, credentials: row.credentials_version }
  }
}

/**
 * Runs a write and the bump of `kinds` atomically: inside the caller's transaction when `db`
 * is one, else in a new transaction. (A bump committed separately from its write would leave
 * a window where a cache is trusted over a committed revocation.)
 */
export async function withDecisionBump<T>(db: Executor, write: (trx: Executor) => Promise<T>, kinds: readonly VersionKind[] = ['decisions']): Promise<T> {
  if (db.isTransaction) {
    const r = await write(db)
    await bumpVersions(db, kinds)
    return r
  }
  return (db as Kysely<Database>).transaction().execute(async (trx) => {
    const r = await write(trx)
    await bumpVersions(trx, kinds)
    return r
  })
}
