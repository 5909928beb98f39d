import type { Kysely } from 'kysely'

/**
 * Bulk assignment jobs: one request assigning up to 5,000 numbers to a bundle, run by the API
 * process in batches; the row is its progress, polled by the caller from any process. Refused
 * lines are a JSON array. Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bulk_assignment_jobs')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('assigned', 'integer', (c) => c.notNull())
    .addColumn('already_assigned', 'integer', (c) => c.notNull())
    .addColumn('refused', 'text', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('bulk_assignment_jobs_bundle')
    .on('bulk_assignment_jobs')
    .columns(['bundle_sid', 'date_created'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bulk_assignment_jobs').execute()
}
