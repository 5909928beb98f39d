import type { Kysely } from 'kysely'

/**
 * Vetting back-office: reviewers, reviews (one per submission), the audit log and the
 * status-callback outbox. Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reviewers')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('email', 'varchar(255)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('reviews')
    .addColumn('sid', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('kind', 'varchar(24)', (c) => c.notNull())
    .addColumn('submission', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_at', 'varchar(32)')
    .addColumn('claim_expires_at', 'varchar(32)')
    .addColumn('decided_by', 'varchar(64)')
    .addColumn('decided_at', 'varchar(32)')
    .addColumn('errors', 'text')
    .addColumn('reason', 'text')
    .addColumn('valid_until', 'varchar(32)')
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('reviews_submission_once', ['bundle_sid', 'submission'])
    .execute()
  await db.schema.createIndex('reviews_queue').on('reviews').columns(['status', 'submitted_at', 'sid']).execute()

  await db.schema
    .createTable('events')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)')
    .addColumn('resource_sid', 'varchar(64)')
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('actor', 'varchar(64)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'varchar(128)', (c) => c.unique())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_time').on('events').columns(['date_created', 'sid']).execute()
  await db.schema.createIndex('events_account').on('events').columns(['account_sid', 'date_created', 'sid']).execute()
  await db.schema.createIndex('events_resource').on('events').columns(['resource_sid', 'date_created', 'sid']).execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('locked_until', 'varchar(32)')
    .addColumn('locked_by', 'varchar(64)')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'varchar(32)')
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'events', 'reviews', 'reviewers']) await db.schema.dropTable(t).execute()
}
