/** Signing counters: how many calls each account signed per hour and level (dashboard). */
import type { Executor } from './db.js'
import type { SigningCountersTable } from './tables/attestation.table.js'
import { groupBy } from './group-by.js'
import { inList } from './in-list.js'

export type SigningCountRow = SigningCountersTable

/** Adds counts (upsert: existing buckets are incremented), in one statement. */
export async function addSigningCounts(db: Executor, rows: readonly SigningCountRow[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('signing_counters')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['account_sid', 'hour', 'attest'])
        .doUpdateSet((eb) => ({ count: eb('signing_counters.count', '+', eb.ref('excluded.count')) })),
    )
    .execute()
}

/** Each account's counters from `fromHour` (inclusive, `YYYY-MM-DDTHH`), oldest first, in one query. */
export async function signingCountsByAccount(
  db: Executor,
  accountSids: readonly string[],
  fromHour = '',
): Promise<Map<string, SigningCountRow[]>> {
  const rows = await db
    .selectFrom('signing_counters')
    .selectAll()
    .where(inList(db, 'account_sid', accountSids))
    .where('hour', '>=', fromHour)
    .orderBy('hour')
    .orderBy('attest')
    .execute()
  return groupBy(rows, (r) => r.account_sid)
}
