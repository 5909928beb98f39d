/**
 * The operator's CNAM feed (docs/branding.md "CNAM feed"): one CSV row per number assigned to
 * an approved, unexpired CNAM trust product, with the caller name pinned at its approval, for
 * the operator's CNAM database provider. Written page by page, so a feed of millions of
 * numbers never sits in memory.
 */
import { csvLine } from '../domain/csv.js'
import type { Executor } from '../store/db.js'
import { cnamFeedPage, type CnamEntry } from '../store/cnam.repo.js'

/** The header row's columns. */
const CNAM_COLUMNS = ['phone_number', 'caller_name', 'account_sid', 'trust_product_sid', 'approved_at'] as const

/** Rows read per store query. */
const PAGE = 1000

const row = (e: CnamEntry) => csvLine([e.phone_number, e.caller_name, e.account_sid, e.bundle_sid, e.approved_at])

/** The feed as CSV text chunks: the header, then a chunk per page, ordered by number. */
export async function* cnamCsv(db: Executor, now: string, pageSize = PAGE): AsyncGenerator<string> {
  yield csvLine(CNAM_COLUMNS)
  let after: string | undefined
  for (;;) {
    const page = await cnamFeedPage(db, now, pageSize, after)
    if (page.length > 0) yield page.map(row).join('')
    if (page.length < pageSize) return
    after = page.at(-1)!.phone_number
  }
}
