import type { Kysely } from 'kysely'

/**
 * A bundle made by `POST …/Copies` records the bundle it copies (`copied_from`, a BU SID; null
 * for every other bundle): ReplaceItems takes items only from a copy of the bundle, and the
 * reviewer sees a copy as a revision of its original. Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bundles').addColumn('copied_from', 'text').execute()
  await db.schema.createIndex('bundles_copied_from').on('bundles').columns(['copied_from', 'date_created']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('bundles_copied_from').execute()
  await db.schema.alterTable('bundles').dropColumn('copied_from').execute()
}
