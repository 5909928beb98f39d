/**
 * Idempotency keys (`I-Twilio-Idempotency-Token`), per account: a reservation while the first
 * request runs, then its kept response. The API's hooks (src/api/idempotency.ts) decide what a
 * retry gets; this repo only reads and writes the rows.
 */
import type { Executor } from './db.js'
import type { IdempotencyKeysTable } from './tables/idempotency.table.js'

export type IdempotencyRow = IdempotencyKeysTable

/** Forgets keys reserved before `before` (ISO). */
export async function sweepIdempotencyKeys(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute()
}

/** Reserves `key` for `account`; false when the key is already there (a retry, or a reuse). */
export async function reserveIdempotencyKey(
  db: Executor,
  account: string,
  key: string,
  fingerprint: string,
  now: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      account_sid: account,
      key,
      fingerprint,
      status_code: null,
      body: null,
      content_type: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['account_sid', 'key']).doNothing())
    .executeTakeFirst()
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function findIdempotencyKey(
  db: Executor,
  account: string,
  key: string,
): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('account_sid', '=', account)
    .where('key', '=', key)
    .executeTakeFirst()
}

/** Takes over an abandoned reservation (its request's process died) as of `now`. */
export async function renewIdempotencyKey(db: Executor, account: string, key: string, now: string): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ created_at: now })
    .where('account_sid', '=', account)
    .where('key', '=', key)
    .execute()
}

/** Keeps the response of the request holding `key`. */
export async function keepIdempotentResponse(
  db: Executor,
  account: string,
  key: string,
  r: Pick<IdempotencyRow, 'status_code' | 'body' | 'content_type'>,
): Promise<void> {
  await db.updateTable('idempotency_keys').set(r).where('account_sid', '=', account).where('key', '=', key).execute()
}

/** Releases `key` (its request failed with a 5xx: the client may try again). */
export async function releaseIdempotencyKey(db: Executor, account: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('account_sid', '=', account).where('key', '=', key).execute()
}
