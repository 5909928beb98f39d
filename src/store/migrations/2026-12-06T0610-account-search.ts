import type { Kysely } from 'kysely'

/**
 * The operator's list of every account pages newest first over (date_created, sid), alone or
 * within one status: two indexes so each page is an index range scan, not a sort of the table.
 * Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accounts_created').on('accounts').columns(['date_created', 'sid']).execute()
  await db.schema.createIndex('accounts_status').on('accounts').columns(['status', 'date_created', 'sid']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accounts_status').execute()
  await db.schema.dropIndex('accounts_created').execute()
}
