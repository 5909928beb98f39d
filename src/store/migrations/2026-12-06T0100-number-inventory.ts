import type { Kysely } from 'kysely'

/**
 * Where an account's right to use a number comes from (`phone_numbers.origin`: inventory,
 * operator, hosted); numbers stored before origins existed are `unverified`. The operator's
 * inventory (`phone_number_inventory`): numbers customers may buy, `available` or `held`.
 * Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('phone_numbers')
    .addColumn('origin', 'varchar(16)', (c) => c.notNull().defaultTo('unverified'))
    .execute()

  await db.schema
    .createTable('phone_number_inventory')
    .addColumn('phone_number', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('area_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute()
  // Search (area code or kind, free ones) and the admin list walk numbers in order.
  await db.schema
    .createIndex('phone_number_inventory_area')
    .on('phone_number_inventory')
    .columns(['area_code', 'status', 'phone_number'])
    .execute()
  await db.schema
    .createIndex('phone_number_inventory_kind')
    .on('phone_number_inventory')
    .columns(['kind', 'status', 'phone_number'])
    .execute()
  await db.schema
    .createIndex('phone_number_inventory_status')
    .on('phone_number_inventory')
    .columns(['status', 'phone_number'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('phone_number_inventory').execute()
  await db.schema.alterTable('phone_numbers').dropColumn('origin').execute()
}
