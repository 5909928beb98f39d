/**
 * Bulk assignment jobs: the row is the job's progress, written after every batch by the process
 * running it and read by whichever process the caller polls. Reads are scoped to the bundle.
 */
import type { Executor } from './db.js'
import type { BulkAssignmentJobsTable } from './tables/bulk-assignment-jobs.table.js'

export type BulkAssignmentJobRow = BulkAssignmentJobsTable

export async function insertBulkJob(db: Executor, row: BulkAssignmentJobRow): Promise<void> {
  await db.insertInto('bulk_assignment_jobs').values(row).execute()
}

/** The progress fields a batch moves. */
export type BulkJobProgress = Pick<
  BulkAssignmentJobRow,
  'status' | 'done' | 'assigned' | 'already_assigned' | 'refused' | 'date_updated'
>

export async function updateBulkJob(db: Executor, sid: string, p: BulkJobProgress): Promise<void> {
  await db.updateTable('bulk_assignment_jobs').set(p).where('sid', '=', sid).execute()
}

/** Job `sid` of bundle `bundleSid` (of `accountSid`), if any. */
export async function findBulkJob(
  db: Executor,
  accountSid: string,
  bundleSid: string,
  sid: string,
): Promise<BulkAssignmentJobRow | undefined> {
  return db
    .selectFrom('bulk_assignment_jobs')
    .selectAll()
    .where('sid', '=', sid)
    .where('bundle_sid', '=', bundleSid)
    .where('account_sid', '=', accountSid)
    .executeTakeFirst()
}
