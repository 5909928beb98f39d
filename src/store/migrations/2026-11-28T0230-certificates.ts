import type { Kysely } from 'kysely'

/**
 * STI certificates and their sealed keys. Frozen in time: imports no app code. Portable
 * types only (text ISO timestamps).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificates')
    .addColumn('id', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('chain_pem', 'text', (c) => c.notNull())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('spc', 'varchar(32)')
    .addColumn('not_before', 'varchar(32)', (c) => c.notNull())
    .addColumn('not_after', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('retired_at', 'varchar(32)')
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('certificates_status').on('certificates').columns(['status', 'date_created']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('certificates').execute()
}
