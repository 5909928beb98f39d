import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * Call records: one row per signed or verified call (search, traceback). On PostgreSQL the
 * table is partitioned by day on `date_created` (byte order, so ISO times compare as times and
 * partitions prune), with a default partition for rows no day partition takes; the day
 * partitions are created and dropped by the application (call-records.repo.ts). Verification
 * counters gain the claimed attest, so analytics per signer can split by level. Frozen in
 * time: imports no app code; portable types only.
 */
const COLUMNS = [
  ['sid', 'varchar(34) NOT NULL'],
  ['kind', 'varchar(8) NOT NULL'],
  ['ppt', 'varchar(8) NOT NULL'],
  ['account_sid', 'varchar(34) NOT NULL'],
  ['parent_sid', 'varchar(34)'],
  ['orig', 'varchar(32) NOT NULL'],
  ['dest', 'varchar(32) NOT NULL'],
  ['dests', 'text NOT NULL'],
  ['attest', 'varchar(1)'],
  ['origid', 'varchar(36)'],
  ['transport', 'varchar(8) NOT NULL'],
  ['request_id', 'varchar(128)'],
  ['identity_hash', 'varchar(64)'],
  ['rule', 'varchar(40)'],
  ['reasons', 'text NOT NULL'],
  ['profile_sid', 'varchar(34)'],
  ['trust_product_sid', 'varchar(34)'],
  ['origin', 'varchar(16)'],
  ['spc', 'varchar(40)'],
  ['cert_issuer', 'text'],
  ['cert_serial', 'varchar(64)'],
  ['x5u_host', 'varchar(255)'],
  ['verstat', 'varchar(40)'],
  ['reason', 'varchar(40)'],
] as const

/** Each search's index: its equality columns, then the keyset order (newest first). */
const INDEXES: Record<string, readonly string[]> = {
  call_records_account: ['account_sid'],
  call_records_parent: ['parent_sid'],
  call_records_origid: ['origid'],
  call_records_orig: ['orig'],
  call_records_dest: ['dest'],
  call_records_identity: ['identity_hash'],
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  const columns = COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')
  if (pg) {
    await sql
      .raw(
        `CREATE TABLE call_records (date_created varchar(32) COLLATE "C" NOT NULL, ${columns},
          PRIMARY KEY (date_created, sid)) PARTITION BY RANGE (date_created)`,
      )
      .execute(db)
    await sql`CREATE TABLE call_records_default PARTITION OF call_records DEFAULT`.execute(db)
  } else {
    await sql
      .raw(`CREATE TABLE call_records (date_created varchar(32) NOT NULL, ${columns}, PRIMARY KEY (date_created, sid))`)
      .execute(db)
  }
  for (const [name, cols] of Object.entries(INDEXES))
    await sql.raw(`CREATE INDEX ${name} ON call_records (${cols.join(', ')}, date_created, sid)`).execute(db)

  await db.schema
    .createTable('verification_counters_next')
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('hour', 'varchar(13)', (c) => c.notNull())
    .addColumn('reason', 'varchar(40)', (c) => c.notNull())
    .addColumn('spc', 'varchar(40)', (c) => c.notNull())
    .addColumn('attest', 'varchar(1)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_counts_pk', ['account_sid', 'hour', 'reason', 'spc', 'attest'])
    .execute()
  await sql`INSERT INTO verification_counters_next (account_sid, hour, reason, spc, attest, count)
    SELECT account_sid, hour, reason, spc, '', count FROM verification_counters`.execute(db)
  await db.schema.dropTable('verification_counters').execute()
  await db.schema.alterTable('verification_counters_next').renameTo('verification_counters').execute()
  await db.schema
    .createIndex('verification_counters_spc')
    .on('verification_counters')
    .columns(['spc', 'hour'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('call_records').cascade().execute()
  await db.schema.dropIndex('verification_counters_spc').execute()
  await db.schema
    .createTable('verification_counters_prev')
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('hour', 'varchar(13)', (c) => c.notNull())
    .addColumn('reason', 'varchar(40)', (c) => c.notNull())
    .addColumn('spc', 'varchar(40)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_counters_pk', ['account_sid', 'hour', 'reason', 'spc'])
    .execute()
  await sql`INSERT INTO verification_counters_prev (account_sid, hour, reason, spc, count)
    SELECT account_sid, hour, reason, spc, SUM(count) FROM verification_counters GROUP BY account_sid, hour, reason, spc`.execute(
    db,
  )
  await db.schema.dropTable('verification_counters').execute()
  await db.schema.alterTable('verification_counters_prev').renameTo('verification_counters').execute()
}
