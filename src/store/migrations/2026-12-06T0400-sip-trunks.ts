import type { Kysely } from 'kysely'

/**
 * SIP trunks (`TK…`): the account the SIP signing front signs for, found from an INVITE's
 * source address (`source_addresses`, a JSON array of canonical CIDRs) and, where trunks share
 * an SBC, its RFC 4904 `tgrp` (`trunk_group`, null for none). A third store-version counter,
 * `trunks_version`, moves with every trunk write, so each SIP process reloads its trunks
 * before its next INVITE. Frozen in time: imports no app code; portable types only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sip_trunks')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull().references('accounts.sid'))
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('source_addresses', 'text', (c) => c.notNull())
    .addColumn('trunk_group', 'text')
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sip_trunks_created').on('sip_trunks').columns(['date_created', 'sid']).execute()
  await db.schema
    .createIndex('sip_trunks_account')
    .on('sip_trunks')
    .columns(['account_sid', 'date_created', 'sid'])
    .execute()
  await db.schema
    .alterTable('decision_version')
    .addColumn('trunks_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decision_version').dropColumn('trunks_version').execute()
  await db.schema.dropTable('sip_trunks').execute()
}
