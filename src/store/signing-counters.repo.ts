/** Signing counters: how many calls each account signed per hour and level (dashboard). */
import type { Executor } from './db.js'
import type { SigningCountersTable } from './tables/attestation.table.js'

export type SigningCountRow = SigningCountersTable

/** Adds counts (upsert: existing buckets are incremented), in one statement. */
export async function addSigningCounts(db: Executor, rows: readonly SigningCountRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.insertInto('signing_counters').values([...rows])
    .onConflict((oc) => oc.columns(['account_sid', 'hour', 'attest'])
      .doUpdateSet((eb) => ({ count: eb('signing_counters.count', '+', eb.ref('excluded.count')) })))
    .execute()
}

/** An account's counters from `fromHour` (inclusive, `YYYY-MM-DDTHH`), oldest first. */
export async function listSigningCounts(db: Executor, accountSid: string, fromHour = ''): Promise<SigningCountRow[]> {
  return db.selectFrom('signing_counters').selectAll().where('account_sid', '=', accountSid)
    .where('hour', '>=', fromHour).orderBy('hour').orderBy('attest').execute()
}
