import type { Kysely } from 'kysely'

/** Console sessions ended by sign-out, until they would have expired (frozen in time: imports no app code). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_sign_outs')
    .addColumn('session_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('console_sign_outs_expires').on('console_sign_outs').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_sign_outs').execute()
}
