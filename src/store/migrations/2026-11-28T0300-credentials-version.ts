import type { Kysely } from 'kysely'

/**
 * A second counter beside the decision version: bumped by every write that changes what a
 * credential reaches (account status, sub-account created, API key deleted), so per-process
 * credential caches know they are stale. Read in the same statement as the decision version.
 * Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('decision_version')
    .addColumn('credentials_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decision_version').dropColumn('credentials_version').execute()
}
