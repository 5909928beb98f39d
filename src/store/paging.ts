/**
 * Keyset pagination over (date_created, sid), newest first. A page token names the last row
 * of the previous page, so page N costs what page 1 does (an index range scan, no OFFSET).
 */
import type { SelectQueryBuilder } from 'kysely'

export interface Cursor {
  readonly d: string
  readonly s: string
}

export interface PageRequest {
  readonly pageSize: number
  /** 0-based page number, echoed in URLs; used as an OFFSET only when no token is given. */
  readonly page: number
  readonly after?: Cursor
}

export interface Page<T> {
  readonly rows: T[]
  /** Cursor for the next page, present only when more rows exist. */
  readonly next?: Cursor
}

/** Opaque token form of a cursor ("PT" + base64url JSON). */
export function encodeCursor(c: Cursor): string {
  return 'PT' + Buffer.from(JSON.stringify([c.d, c.s])).toString('base64url')
}

/** Parses a token; undefined when it is not one of ours (the caller reports the error). */
export function decodeCursor(token: string): Cursor | undefined {
  if (!token.startsWith('PT')) return undefined
  try {
    const v = JSON.parse(Buffer.from(token.slice(2), 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { d: v[0], s: v[1] }
  } catch {
    /* fall through */
  }
  return undefined
}

/**
 * Runs `q` (already filtered and scoped) as one keyset page. The table must have
 * `date_created` and `sid` columns; `prefix` qualifies them when the query joins.
 */
export async function keysetPage<T extends { date_created: string; sid: string }>(
  q: SelectQueryBuilder<any, any, T>,
  req: PageRequest,
  prefix = '',
): Promise<Page<T>> {
  const d = `${prefix}date_created`
  const s = `${prefix}sid`
  let query: SelectQueryBuilder<any, any, T> = q
    .orderBy(d, 'desc')
    .orderBy(s, 'desc')
    .limit(req.pageSize + 1)
  if (req.after) {
    const { d: ad, s: as } = req.after
    // A row-value comparison: both engines turn it into one index range scan.
    query = query.where((eb: any) => eb(eb.refTuple(d, s), '<', eb.tuple(ad, as)))
  } else if (req.page > 0) {
    query = query.offset(req.page * req.pageSize)
  }
  const rows = await query.execute()
  if (rows.length <= req.pageSize) return { rows }
  rows.pop()
  const last = rows[rows.length - 1]!
  return { rows, next: { d: last.date_created, s: last.sid } }
}
