/**
 * The attestation decision version: one counter row bumped in the same transaction as every
 * write that can change an attestation decision (bundle status or validity, entity and
 * channel-endpoint assignments, number release or move, sub-account moves). Signers read it
 * before every decision and drop their in-memory index when it moved, so a revocation takes
 * effect on the very next call (DESIGN §4), in every process sharing the store.
 */
import type { Kysely } from 'kysely'
import type { Executor } from './db.js'
import type { Database } from './database.js'

/**
 * Marks every attestation index stale. Call it inside the transaction that makes the change,
 * so the change and the bump commit together (a reader never sees one without the other).
 */
export async function bumpDecisionVersion(db: Executor): Promise<void> {
  await db.updateTable('decision_version').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', 1).execute()
}

/** The current decision version (one primary-key read). */
export async function readDecisionVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom('decision_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()
  return Number(row.version)
}

/**
 * Runs a decision-relevant write and the version bump atomically: inside the caller's
 * transaction when `db` is one, else in a new transaction. (A bump committed separately from
 * its write would leave a window where a signer trusts its cache over a committed revocation.)
 */
export async function withDecisionBump<T>(db: Executor, write: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) {
    const r = await write(db)
    await bumpDecisionVersion(db)
    return r
  }
  return (db as Kysely<Database>).transaction().execute(async (trx) => {
    const r = await write(trx)
    await bumpDecisionVersion(trx)
    return r
  })
}
