/**
 * The store versions: one row of counters bumped in the same transaction as the writes they
 * cover. `version` (decisions) moves with every write that can change an attestation decision
 * (bundle status or validity, entity and channel-endpoint assignments, number release or move,
 * sub-account moves, account status); `credentials_version` with every write that changes what
 * a credential reaches (account status, a new sub-account, a deleted API key); `trunks_version`
 * with every SIP trunk write. Per-process caches (the attestation index, the credential cache,
 * the SIP front's trunks) read them all before they answer and drop what they hold when theirs moved, so a revocation takes effect on the very next call (DESIGN §4)
 * in every process sharing the store. Each decisions bump also records what it touched
 * (`decision_changes`), so the attestation index drops only those entries.
 */
import type SQLite from 'better-sqlite3'
import type { Executor, Store } from './db.js'
import { atomically } from './executor.js'

/** What a version counter covers. */
type VersionKind = 'decisions' | 'credentials' | 'trunks'

/** The counters as read together. */
export interface StoreVersions {
  readonly decisions: number
  readonly credentials: number
  readonly trunks: number
}

const COLUMN = { decisions: 'version', credentials: 'credentials_version', trunks: 'trunks_version' } as const

/**
 * What a decision-relevant write touched, recorded with its bump in `decision_changes` so an
 * index drops only those entries. Anything not named precisely is `all`: a missing scope
 * costs a full reload, never a stale decision.
 */
export const scope = {
  all: '*',
  /** A bundle's row (status, validity) or its entity links. */
  bundle: (sid: string) => `bundle:${sid}`,
  /** The set of bundles an account owns, as its calls' rule-3 (B) candidates. */
  family: (accountSid: string) => `family:${accountSid}`,
  /** An account's row (status). */
  account: (sid: string) => `account:${sid}`,
  /** A number we hold: its owner or the bundles it is assigned to. */
  number: (pnSid: string) => `number:${pnSid}`,
  /** An E.164 number that became ours (the index also remembers numbers that are not). */
  tn: (e164: string) => `tn:${e164}`,
} as const

const SCOPE_KINDS = ['bundle', 'family', 'account', 'number', 'tn'] as const
export type ScopeKind = (typeof SCOPE_KINDS)[number]

/** The kind and id of a recorded scope (undefined for `all` or anything unknown). */
export function parseScope(s: string): { readonly kind: ScopeKind; readonly id: string } | undefined {
  const at = s.indexOf(':')
  const kind = s.slice(0, at)
  return (SCOPE_KINDS as readonly string[]).includes(kind)
    ? { kind: kind as ScopeKind, id: s.slice(at + 1) }
    : undefined
}

/** Which counters a write bumps, and what it touched. */
export interface Bump {
  readonly kinds?: readonly VersionKind[]
  readonly scopes?: readonly string[]
}

/** More scopes than this in one bump are recorded as `all` (a bulk import, say). */
const MAX_SCOPES = 500
/** Change rows kept (in versions); an index further behind reloads everything. */
const KEEP_VERSIONS = 10_000
const PRUNE_EVERY = 1000

/**
 * Marks the given caches stale in every process. Call it inside the transaction that makes
 * the change, so the change and the bump commit together (a reader never sees one without the
 * other); a decisions bump records its scopes under the new version in the same transaction.
 */
export async function bumpVersions(db: Executor, bump: Bump = {}): Promise<void> {
  const kinds = bump.kinds ?? ['decisions']
  const row = await db
    .updateTable('decision_version')
    .set((eb) => Object.fromEntries(kinds.map((k) => [COLUMN[k], eb(COLUMN[k], '+', 1)])))
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirstOrThrow()
  if (!kinds.includes('decisions')) return
  const version = Number(row.version)
  const named = [...new Set(bump.scopes ?? [])]
  const scopes = named.length === 0 || named.length > MAX_SCOPES || named.includes(scope.all) ? [scope.all] : named
  await db
    .insertInto('decision_changes')
    .values(scopes.map((s) => ({ version, scope: s })))
    .execute()
  if (version % PRUNE_EVERY === 0)
    await db
      .deleteFrom('decision_changes')
      .where('version', '<=', version - KEEP_VERSIONS)
      .execute()
}

/** Marks what `scopes` name stale in every attestation index (see {@link bumpVersions}). */
export async function bumpDecisionVersion(db: Executor, scopes: readonly string[] = [scope.all]): Promise<void> {
  await bumpVersions(db, { scopes })
}

/** The changes recorded for versions after `after` up to `upTo`, by version. */
export async function readDecisionChanges(db: Executor, after: number, upTo: number): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('decision_changes')
    .select(['version', 'scope'])
    .where('version', '>', after)
    .where('version', '<=', upTo)
    .execute()
  const out = new Map<number, string[]>()
  for (const r of rows) {
    const v = Number(r.version)
    let l = out.get(v)
    if (!l) out.set(v, (l = []))
    l.push(r.scope)
  }
  return out
}

/** Every version (one primary-key read). */
export async function readVersions(db: Executor): Promise<StoreVersions> {
  const row = await db
    .selectFrom('decision_version')
    .select(['version', 'credentials_version', 'trunks_version'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  return {
    decisions: Number(row.version),
    credentials: Number(row.credentials_version),
    trunks: Number(row.trunks_version),
  }
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
  type Row = { version: number; credentials_version: number; trunks_version: number }
  let stmt: SQLite.Statement<[], Row> | undefined
  return async () => {
    if (raw.inTransaction) return readVersions(store.db)
    stmt ??= raw.prepare<[], Row>(
      'select version, credentials_version, trunks_version from decision_version where id = 1',
    )
    const row = stmt.get()!
    return { decisions: row.version, credentials: row.credentials_version, trunks: row.trunks_version }
  }
}

/**
 * Runs a write and its bump (see {@link bumpVersions}; `bump` may be derived from what the
 * write returned) atomically: inside the caller's
 * transaction when `db` is one, else in a new transaction. (A bump committed separately from
 * its write would leave a window where a cache is trusted over a committed revocation.)
 */
export async function withDecisionBump<T>(
  db: Executor,
  write: (trx: Executor) => Promise<T>,
  bump: Bump | ((written: T) => Bump) = {},
): Promise<T> {
  const both = async (trx: Executor) => {
    const r = await write(trx)
    await bumpVersions(trx, typeof bump === 'function' ? bump(r) : bump)
    return r
  }
  return atomically(db, both)
}
