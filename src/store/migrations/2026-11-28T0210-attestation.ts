import type { Kysely } from 'kysely'

/**
 * The attestation decision version (one row) and signing counters. Frozen in time: imports no
 * app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decision_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute()
  await db.insertInto('decision_version').values({ id: 1, version: 1 }).execute()
  await db.schema
    .createTable('signing_counters')
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('hour', 'varchar(13)', (c) => c.notNull())
    .addColumn('attest', 'varchar(4)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('signing_counters_pk', ['account_sid', 'hour', 'attest'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signing_counters').execute()
  await db.schema.dropTable('decision_version').execute()
}
