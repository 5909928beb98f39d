import type { Kysely } from 'kysely'

/**
 * The operator's verification analytics read every account's counters of the last 24 hours
 * to 90 days: an index by hour makes that a range scan, not a scan of every hour ever counted.
 * Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('verification_counters_hour')
    .on('verification_counters')
    .columns(['hour', 'spc', 'reason', 'attest'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('verification_counters_hour').execute()
}
