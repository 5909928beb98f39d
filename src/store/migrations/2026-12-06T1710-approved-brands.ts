import type { Kysely } from 'kysely'

/**
 * Approved brands: the branding facts (name, logo and its digest, call reasons, CNAM name) of
 * an approved Branded Calls or CNAM trust product, pinned at approval so signing reads exactly
 * what a reviewer approved. Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('approved_brands')
    .addColumn('bundle_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('logo_digest', 'varchar(80)')
    .addColumn('call_reasons', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('approved_brands_account')
    .on('approved_brands')
    .columns(['account_sid', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('approved_brands').execute()
}
