/** What repo functions run on; its own file so that db.ts and dialect.ts both import it without a cycle. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './database.js'

export type Engine = 'sqlite' | 'postgres'
/** A repo function accepts the root handle or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
