import type { Kysely } from 'kysely'

/**
 * Traceback finds the account behind a PASSporT's origid even when no call record is left
 * (retention passed, recording off): one index lookup instead of a scan of every account.
 * Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accounts_origid').on('accounts').column('origid').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accounts_origid').execute()
}
