/** A bulk assignment of numbers to one bundle, run in batches; the row is its progress. */
export interface BulkAssignmentJobsTable {
  sid: string
  /** The bundle's account (tenant scope). */
  account_sid: string
  bundle_sid: string
  /** running | completed | failed */
  status: string
  total: number
  done: number
  assigned: number
  already_assigned: number
  /** JSON array of {line, value, reason}. */
  refused: string
  date_created: string
  date_updated: string
}
