/** Approved brands (tables/brands.table.ts): pinned at approval, read by signing and the CNAM feed. */
import type { Executor } from './db.js'
import { inList } from './in-list.js'
import type { ApprovedBrandsTable } from './tables/brands.table.js'

export type ApprovedBrandRow = ApprovedBrandsTable

/** Pins (or re-pins, at a copy's approval) a trust product's approved branding. */
export async function saveApprovedBrand(db: Executor, row: ApprovedBrandRow): Promise<void> {
  await db
    .insertInto('approved_brands')
    .values(row)
    .onConflict((oc) =>
      oc.column('bundle_sid').doUpdateSet({
        display_name: row.display_name,
        logo_url: row.logo_url,
        logo_digest: row.logo_digest,
        call_reasons: row.call_reasons,
        approved_at: row.approved_at,
      }),
    )
    .execute()
}

/** The pinned branding of each of `bundleSids` that has one. */
export async function approvedBrandsOf(
  db: Executor,
  bundleSids: readonly string[],
): Promise<Map<string, ApprovedBrandRow>> {
  if (bundleSids.length === 0) return new Map()
  const rows = await db
    .selectFrom('approved_brands')
    .selectAll()
    .where(inList(db, 'bundle_sid', bundleSids))
    .execute()
  return new Map(rows.map((r) => [r.bundle_sid, r]))
}
