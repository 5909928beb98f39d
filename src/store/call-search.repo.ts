/**
 * Call-record searches: keyset pages over (date_created, sid), newest first, each branch of a
 * search one range scan of one of the table's indexes (account_sid / parent_sid / origid / orig
 * / dest, each followed by date_created, sid; or the primary key). A customer's scope
 * `account_sid = X OR parent_sid = X` is run as two queries merged here: an OR of two indexed
 * columns makes PostgreSQL read every row of both (a BitmapOr and a sort) before the LIMIT,
 * while each branch alone stops after a page.
 */
import type { SelectQueryBuilder } from 'kysely'
import type { Executor } from './db.js'
import { timeOfCallSid } from '../domain/ids.js'
import type { Database } from './database.js'
import type { CallRecordRow } from './call-records.repo.js'
import type { Cursor, Page } from './paging.js'

/** What a search narrows to; every member optional, all of them ANDed. */
export interface CallFilter {
  /** Only calls of this account and its sub-accounts (a customer's scope, or the operator's `account`). */
  readonly scope?: string
  /** Calling number, canonical TN (digits with the country code). */
  readonly orig?: string
  /** First called number, canonical TN. */
  readonly dest?: string
  /** Spellings of one origid to match (the index takes equality only). */
  readonly origids?: readonly string[]
  readonly attest?: 'A' | 'B' | 'C'
  readonly kind?: 'signed' | 'verified'
  readonly outcome?: 'signed' | 'not-signed' | 'passed' | 'failed'
  /** ISO 8601 UTC times (ms, `Z`): since inclusive, until exclusive. */
  readonly since?: string
  readonly until?: string
}

export interface CallPageRequest {
  readonly pageSize: number
  /** Rows to skip before the page (Page × PageSize, when no cursor is given). */
  readonly offset: number
  readonly after?: Cursor
}

type Q = SelectQueryBuilder<Database, 'call_records', CallRecordRow>

function filtered(db: Executor, f: CallFilter, branch?: 'account_sid' | 'parent_sid'): Q {
  let q = db.selectFrom('call_records').selectAll() as Q
  if (branch && f.scope !== undefined) q = q.where(branch, '=', f.scope)
  if (f.orig !== undefined) q = q.where('orig', '=', f.orig)
  if (f.dest !== undefined) q = q.where('dest', '=', f.dest)
  if (f.origids !== undefined) q = q.where('origid', 'in', f.origids as string[])
  if (f.attest !== undefined) q = q.where('attest', '=', f.attest)
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind)
  switch (f.outcome) {
    case 'signed':
      q = q.where('kind', '=', 'signed').where('identity_hash', 'is not', null)
      break
    case 'not-signed':
      q = q.where('kind', '=', 'signed').where('identity_hash', 'is', null)
      break
    case 'passed':
      q = q.where('kind', '=', 'verified').where('reason', '=', 'passed')
      break
    case 'failed':
      q = q.where('kind', '=', 'verified').where('reason', '<>', 'passed')
      break
  }
  if (f.since !== undefined) q = q.where('date_created', '>=', f.since)
  if (f.until !== undefined) q = q.where('date_created', '<', f.until)
  return q
}

/** Newest first: (date_created, sid) descending, as the indexes are read backwards. */
const newestFirst = (a: CallRecordRow, b: CallRecordRow) =>
  a.date_created === b.date_created
    ? a.sid < b.sid
      ? 1
      : a.sid > b.sid
        ? -1
        : 0
    : a.date_created < b.date_created
      ? 1
      : -1

/**
 * The queries of one search: one per index branch (two for a scope), each ordered newest
 * first, after the cursor, and limited to offset + pageSize + 1 rows.
 */
export function callSearchQueries(db: Executor, f: CallFilter, req: CallPageRequest): Q[] {
  const branches: Q[] =
    f.scope === undefined ? [filtered(db, f)] : [filtered(db, f, 'account_sid'), filtered(db, f, 'parent_sid')]
  return branches.map((b) => {
    let q = b
      .orderBy('date_created', 'desc')
      .orderBy('sid', 'desc')
      .limit(req.offset + req.pageSize + 1)
    if (req.after) {
      const { d, s } = req.after
      // A row-value comparison: both engines turn it into one index range scan.
      q = q.where((eb) => eb(eb.refTuple('date_created', 'sid'), '<', eb.tuple(d, s)))
    }
    return q
  })
}

/**
 * One page of the calls `f` matches, newest first, with the cursor of the next page when more
 * rows exist. Each branch reads at most offset + pageSize + 1 rows from its index.
 */
export async function searchCalls(db: Executor, f: CallFilter, req: CallPageRequest): Promise<Page<CallRecordRow>> {
  const parts = await Promise.all(callSearchQueries(db, f, req).map((q) => q.execute()))
  const merged = parts.length === 1 ? parts[0]! : parts.flat().sort(newestFirst)
  const rows = merged.slice(req.offset, req.offset + req.pageSize + 1)
  if (rows.length <= req.pageSize) return { rows }
  rows.pop()
  const last = rows[rows.length - 1]!
  return { rows, next: { d: last.date_created, s: last.sid } }
}

/** One record by SID, when it is in `scope` (an account and its sub-accounts; every account when undefined). */
export async function findCall(db: Executor, sid: string, scope?: string): Promise<CallRecordRow | undefined> {
  // The SID carries the record's time: one primary-key lookup (and on PostgreSQL one partition).
  const at = timeOfCallSid(sid)
  if (at === undefined) return undefined
  let q = db.selectFrom('call_records').selectAll().where('date_created', '=', at).where('sid', '=', sid)
  if (scope !== undefined) q = q.where((eb) => eb.or([eb('account_sid', '=', scope), eb('parent_sid', '=', scope)]))
  return q.executeTakeFirst()
}
