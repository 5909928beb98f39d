/** The CRLs verifying processes fetched, shared through the store (stir/trust/crl-share.ts). */
import type { Executor } from './db.js'
import type { CrlsTable } from './tables/shared.table.js'

export type CrlRow = CrlsTable

/**
 * Stores a fetched CRL for `url` unless the stored one is the same or newer (a process whose
 * fetch lagged must not put an older list back). Returns whether it was written.
 */
export async function saveCrl(db: Executor, row: CrlRow): Promise<boolean> {
  const r = await db
    .insertInto('crls')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('url')
        .doUpdateSet({
          issuer_pem: row.issuer_pem,
          body: row.body,
          digest: row.digest,
          this_update: row.this_update,
          fetched_at: row.fetched_at,
        })
        .where('crls.digest', '<>', row.digest)
        .where('crls.this_update', '<=', row.this_update),
    )
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Every stored CRL's URL and digest: what a process compares with what it loaded. */
export function crlDigests(db: Executor): Promise<{ url: string; digest: string }[]> {
  return db.selectFrom('crls').select(['url', 'digest']).orderBy('url').execute()
}

export function findCrl(db: Executor, url: string): Promise<CrlRow | undefined> {
  return db.selectFrom('crls').selectAll().where('url', '=', url).executeTakeFirst()
}
