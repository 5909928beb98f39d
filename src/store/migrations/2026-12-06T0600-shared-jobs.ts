import type { Kysely } from 'kysely'

/**
 * Sharing between instances on one store: `leases` (a periodic job, taken by one instance per
 * period) and `crls` (each CRL a verifying process fetched, with the CA it was checked
 * against, so every process applies it without fetching it). Frozen in time: imports no app
 * code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'varchar(32)', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('crls')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('issuer_pem', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull())
    .addColumn('this_update', 'varchar(32)', (c) => c.notNull())
    .addColumn('fetched_at', 'varchar(32)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('crls').execute()
  await db.schema.dropTable('leases').execute()
}
