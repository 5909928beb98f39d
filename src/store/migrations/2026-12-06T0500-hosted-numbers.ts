import type { Kysely } from 'kysely'

/**
 * Hosted numbers (Twilio's numbers v2 HostedNumber Orders and AuthorizationDocuments): an
 * account's request to have an outside number recognised as its own, with the letter of
 * authorization's fields, reviewed like a bundle; and the authorization documents that group
 * orders under one letter. Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hosted_number_orders')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('phone_number', 'varchar(20)', (c) => c.notNull())
    .addColumn('friendly_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('address_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('email', 'varchar(255)', (c) => c.notNull())
    .addColumn('cc_emails', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'varchar(255)')
    .addColumn('contact_title', 'varchar(255)')
    .addColumn('contact_phone_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('current_carrier', 'varchar(255)')
    .addColumn('carrier_account_number', 'varchar(255)')
    .addColumn('sms_capability', 'integer', (c) => c.notNull())
    .addColumn('signing_document_sid', 'varchar(34)')
    .addColumn('incoming_phone_number_sid', 'varchar(34)')
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  // An account's list, newest first (keyset on date_created, sid); open orders by number.
  await db.schema
    .createIndex('hosted_number_orders_account')
    .on('hosted_number_orders')
    .columns(['account_sid', 'date_created', 'sid'])
    .execute()
  await db.schema
    .createIndex('hosted_number_orders_number')
    .on('hosted_number_orders')
    .columns(['phone_number', 'status'])
    .execute()
  await db.schema
    .createIndex('hosted_number_orders_document')
    .on('hosted_number_orders')
    .columns(['signing_document_sid'])
    .execute()

  await db.schema
    .createTable('authorization_documents')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('address_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('email', 'varchar(255)', (c) => c.notNull())
    .addColumn('cc_emails', 'text', (c) => c.notNull())
    .addColumn('contact_title', 'varchar(255)')
    .addColumn('contact_phone_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('authorization_documents_account')
    .on('authorization_documents')
    .columns(['account_sid', 'date_created', 'sid'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('authorization_documents').execute()
  await db.schema.dropTable('hosted_number_orders').execute()
}
