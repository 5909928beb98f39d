import type { Kysely } from 'kysely'

/**
 * Console users, their server-side sessions, single-use invitation and reset tokens, recovery
 * codes, and an account's security settings (frozen in time: imports no app code).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)')
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('totp_sealed', 'text')
    .addColumn('totp_pending_sealed', 'text')
    .addColumn('totp_last_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('users_account').on('users').columns(['account_sid', 'email']).execute()

  await db.schema
    .createTable('user_sessions')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('id_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('user_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_agent', 'varchar(512)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('user_sessions_user').on('user_sessions').columns(['user_sid', 'date_created']).execute()
  await db.schema.createIndex('user_sessions_expires').on('user_sessions').column('expires_at').execute()

  await db.schema
    .createTable('user_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('account_sid', 'varchar(34)')
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_sid', 'varchar(34)')
    .addColumn('created_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(32)')
    .execute()
  await db.schema
    .createIndex('user_tokens_account')
    .on('user_tokens')
    .columns(['account_sid', 'date_created'])
    .execute()

  await db.schema
    .createTable('user_recovery_codes')
    .addColumn('user_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(32)')
    .addPrimaryKeyConstraint('user_recovery_codes_pk', ['user_sid', 'code_hash'])
    .execute()

  await db.schema
    .createTable('account_sso')
    .addColumn('account_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('domain', 'varchar(253)', (c) => c.notNull().unique())
    .addColumn('issuer', 'varchar(2048)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('default_role', 'varchar(16)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('account_security')
    .addColumn('account_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('require_two_factor', 'integer', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['account_sso', 'account_security', 'user_recovery_codes', 'user_tokens', 'user_sessions', 'users'])
    await db.schema.dropTable(t).execute()
}
