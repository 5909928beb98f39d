import type { Kysely } from 'kysely'

/**
 * Taking access back: an account's secondary auth token (Twilio's accounts v1 AuthTokens:
 * hashed to verify, sealed so a promotion can make it the webhook-signing token; null when
 * there is none) and a reviewer's status (`active` or `disabled`). Frozen in time: imports no
 * app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('secondary_token_hash', 'text').execute()
  await db.schema.alterTable('accounts').addColumn('secondary_token_sealed', 'text').execute()
  await db.schema.alterTable('accounts').addColumn('secondary_token_created', 'varchar(32)').execute()
  await db.schema
    .alterTable('reviewers')
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reviewers').dropColumn('status').execute()
  for (const c of ['secondary_token_created', 'secondary_token_sealed', 'secondary_token_hash'])
    await db.schema.alterTable('accounts').dropColumn(c).execute()
}
