import type { Kysely } from 'kysely'

/**
 * The evaluation a submission passed, kept on its review (JSON text: sid, status, results), so
 * the reviewer sees exactly what the customer submitted against. Null on reviews opened before
 * this column existed. Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reviews').addColumn('evaluation', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reviews').dropColumn('evaluation').execute()
}
