/**
 * An account's auth tokens (Twilio's accounts v1 AuthTokens): the primary and at most one
 * secondary, both stored hashed (to verify) and sealed (the primary signs webhooks, and a
 * promoted secondary becomes the primary). Every write that takes a token away bumps the
 * credentials version in its transaction, so no process answers from a cached principal
 * verified with it (credential-cache.ts).
 */
import type { Executor } from './db.js'
import type { AccountRow } from './accounts.repo.js'
import { withDecisionBump } from './decision-version.repo.js'
import { newSecret } from '../domain/ids.js'
import { hashSecret, type Sealer } from '../security/secrets.js'

/** Gives account `sid` a new secondary token (replacing any); the plain token is returned once. */
export async function setSecondaryToken(db: Executor, sealer: Sealer, sid: string, now: string): Promise<string> {
  const token = newSecret()
  // A replaced secondary stops working: cached principals verified with it must go.
  await withDecisionBump(
    db,
    (t) =>
      t
        .updateTable('accounts')
        .set({
          secondary_token_hash: hashSecret(token),
          secondary_token_sealed: sealer.seal(token, 'auth-token'),
          secondary_token_created: now,
          date_updated: now,
        })
        .where('sid', '=', sid)
        .execute(),
    { kinds: ['credentials'] },
  )
  return token
}

/** Removes account `sid`'s secondary token; false when it had none. */
export async function deleteSecondaryToken(db: Executor, sid: string, now: string): Promise<boolean> {
  const r = await withDecisionBump(
    db,
    (t) =>
      t
        .updateTable('accounts')
        .set({
          secondary_token_hash: null,
          secondary_token_sealed: null,
          secondary_token_created: null,
          date_updated: now,
        })
        .where('sid', '=', sid)
        .where('secondary_token_hash', 'is not', null)
        .executeTakeFirst(),
    { kinds: ['credentials'] },
  )
  return Number(r.numUpdatedRows) > 0
}

/**
 * Makes account `sid`'s secondary token its primary (the old primary stops working) and clears
 * the secondary; undefined when it had none.
 */
export async function promoteSecondaryToken(db: Executor, sid: string, now: string): Promise<AccountRow | undefined> {
  return withDecisionBump(
    db,
    async (t) => {
      const r = await t
        .updateTable('accounts')
        .set((eb) => ({
          auth_token_hash: eb.ref('secondary_token_hash') as never,
          auth_token_sealed: eb.ref('secondary_token_sealed') as never,
          secondary_token_hash: null,
          secondary_token_sealed: null,
          secondary_token_created: null,
          date_updated: now,
        }))
        .where('sid', '=', sid)
        .where('secondary_token_hash', 'is not', null)
        .returningAll()
        .executeTakeFirst()
      return r
    },
    { kinds: ['credentials'] },
  )
}
