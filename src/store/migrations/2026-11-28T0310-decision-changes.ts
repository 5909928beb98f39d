import type { Kysely } from 'kysely'

/**
 * What each decision-version bump changed (`bundle:BU…`, `number:PN…`, `tn:+1…`,
 * `account:AC…`, `family:AC…`, or `*` for everything), so a signer's index drops only the
 * entries a change touched instead of everything it holds. Written in the bump's transaction.
 * Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decision_changes')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('decision_changes_version').on('decision_changes').column('version').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decision_changes').execute()
}
