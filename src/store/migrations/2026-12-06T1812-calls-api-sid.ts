import type { Kysely } from 'kysely'

/**
 * A call record fetched by its SID (`GET …/calls/{CallSid}`): the primary key leads with the
 * time, so without this index one record is a scan of every day. On PostgreSQL the index is
 * made on each day partition. Frozen in time: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('call_records_sid').on('call_records').column('sid').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('call_records_sid').execute()
}
