/** What repo functions run on; its own file so that db.ts and dialect.ts both import it without a cycle. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './database.js'

export type Engine = 'sqlite' | 'postgres'
/** A repo function accepts the root handle or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>

/** Runs `work` in the executor's own transaction, or in a new one when it is the root handle. */
export function atomically<T>(db: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : (db as Kysely<Database>).transaction().execute(work)
}
