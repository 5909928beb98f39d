import type { Kysely } from 'kysely'

/**
 * Each review of a bundle keeps what the submission attached (`snapshot`, JSON of its end
 * users, documents, addresses and supporting bundles; null for orders and earlier reviews), so
 * a resubmission shows what changed since the decided one. Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reviews').addColumn('snapshot', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reviews').dropColumn('snapshot').execute()
}
