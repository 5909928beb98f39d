import type { Kysely } from 'kysely'

/**
 * Accounts, numbers, addresses and the Trust Hub resources. Frozen in time: imports no app
 * code. Portable types only (text ISO timestamps, JSON as text, integer booleans).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts = (t: any) => t.addColumn('date_created', 'varchar(32)', (c: any) => c.notNull())
  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await ts(
    db.schema
      .createTable('accounts')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('parent_sid', 'varchar(34)', (c) => c.references('accounts.sid'))
      .addColumn('friendly_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('auth_token_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('auth_token_sealed', 'text', (c) => c.notNull())
      .addColumn('origid', 'varchar(36)', (c) => c.notNull()),
  )
    .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
    .execute()
  await db.schema.createIndex('accounts_parent').on('accounts').columns(['parent_sid', 'date_created', 'sid']).execute()

  await ts(
    db.schema
      .createTable('api_keys')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
      .addColumn('friendly_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull()),
  )
    .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
    .execute()

  await ts(
    db.schema
      .createTable('phone_numbers')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
      .addColumn('phone_number', 'varchar(20)', (c) => c.notNull().unique())
      .addColumn('friendly_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('status_callback', 'text'),
  )
    .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('phone_numbers_account')
    .on('phone_numbers')
    .columns(['account_sid', 'date_created', 'sid'])
    .execute()

  await ts(
    db.schema
      .createTable('addresses')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
      .addColumn('customer_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('friendly_name', 'varchar(255)')
      .addColumn('street', 'varchar(255)', (c) => c.notNull())
      .addColumn('street_secondary', 'varchar(255)')
      .addColumn('city', 'varchar(255)', (c) => c.notNull())
      .addColumn('region', 'varchar(255)', (c) => c.notNull())
      .addColumn('postal_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('iso_country', 'varchar(2)', (c) => c.notNull())
      .addColumn('emergency_enabled', 'integer', (c) => c.notNull())
      .addColumn('validated', 'integer', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull()),
  )
    .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('addresses_account')
    .on('addresses')
    .columns(['account_sid', 'date_created', 'sid'])
    .execute()

  await ts(
    db.schema
      .createTable('bundles')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
      .addColumn('kind', 'varchar(24)', (c) => c.notNull())
      .addColumn('policy_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('friendly_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('email', 'varchar(255)', (c) => c.notNull())
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('status_callback', 'text')
      .addColumn('valid_until', 'varchar(32)')
      .addColumn('errors', 'text')
      .addColumn('failure_reason', 'text')
      .addColumn('submitted_at', 'varchar(32)'),
  )
    .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('bundles_account')
    .on('bundles')
    .columns(['account_sid', 'kind', 'date_created', 'sid'])
    .execute()
  await db.schema.createIndex('bundles_status').on('bundles').columns(['status', 'submitted_at']).execute()

  for (const table of ['end_users', 'supporting_documents']) {
    let t = db.schema
      .createTable(table)
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
      .addColumn('friendly_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
    if (table === 'supporting_documents') {
      t = t.addColumn('mime_type', 'varchar(64)').addColumn('status', 'varchar(32)', (c) => c.notNull())
    }
    await ts(t)
      .addColumn('date_updated', 'varchar(32)', (c: any) => c.notNull())
      .execute()
    await db.schema.createIndex(`${table}_account`).on(table).columns(['account_sid', 'date_created', 'sid']).execute()
  }

  await ts(
    db.schema
      .createTable('entity_assignments')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull().references('bundles.sid'))
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('object_sid', 'varchar(34)', (c) => c.notNull())
      .addUniqueConstraint('entity_assignments_once', ['bundle_sid', 'object_sid']),
  ).execute()
  await db.schema
    .createIndex('entity_assignments_bundle')
    .on('entity_assignments')
    .columns(['bundle_sid', 'date_created', 'sid'])
    .execute()
  await db.schema.createIndex('entity_assignments_object').on('entity_assignments').columns(['object_sid']).execute()

  await ts(
    db.schema
      .createTable('channel_endpoint_assignments')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull().references('bundles.sid'))
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('channel_endpoint_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('channel_endpoint_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('slot', 'varchar(34)', (c) => c.notNull())
      .addUniqueConstraint('channel_endpoint_once_per_slot', ['slot', 'channel_endpoint_sid']),
  ).execute()
  await db.schema
    .createIndex('cea_bundle')
    .on('channel_endpoint_assignments')
    .columns(['bundle_sid', 'date_created', 'sid'])
    .execute()
  await db.schema
    .createIndex('cea_endpoint')
    .on('channel_endpoint_assignments')
    .columns(['channel_endpoint_sid'])
    .execute()

  await ts(
    db.schema
      .createTable('evaluations')
      .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('bundle_sid', 'varchar(34)', (c) => c.notNull().references('bundles.sid'))
      .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('policy_sid', 'varchar(34)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('results', 'text', (c) => c.notNull()),
  ).execute()
  await db.schema
    .createIndex('evaluations_bundle')
    .on('evaluations')
    .columns(['bundle_sid', 'date_created', 'sid'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'evaluations',
    'channel_endpoint_assignments',
    'entity_assignments',
    'supporting_documents',
    'end_users',
    'bundles',
    'addresses',
    'phone_numbers',
    'api_keys',
    'accounts',
    'settings',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
