/**
 * STI-VS: verification outcome counters (per account, hour, reason and signer SPC) and each
 * account's verify-front policy (failure action, Identity required). Portable types only.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('verification_counters')
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('hour', 'varchar(13)', (c) => c.notNull())
    .addColumn('reason', 'varchar(40)', (c) => c.notNull())
    .addColumn('spc', 'varchar(40)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_counters_pk', ['account_sid', 'hour', 'reason', 'spc'])
    .execute()
  await db.schema
    .createTable('verification_policies')
    .addColumn('account_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('failure_action', 'varchar(16)', (c) => c.notNull())
    .addColumn('require_identity', 'integer', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('verification_policies').execute()
  await db.schema.dropTable('verification_counters').execute()
}
