/** Compliance reviewers (RV…): created by the operator, each with its own bearer token. */
import type { Executor } from './db.js'
import type { ReviewersTable } from './tables/vetting.table.js'
import { newSecret, newSid } from '../domain/ids.js'
import { hashSecret } from '../security/secrets.js'

export type ReviewerRow = ReviewersTable

const newToken = () => newSecret() + newSecret()

/** Creates a reviewer; the plain token is returned once and only its hash is stored. */
export async function createReviewer(
  db: Executor,
  name: string,
  email: string,
  now: string,
): Promise<{ row: ReviewerRow; token: string }> {
  const token = newToken()
  const row: ReviewerRow = {
    sid: newSid('RV'),
    name,
    email,
    token_hash: hashSecret(token),
    status: 'active',
    date_created: now,
    date_updated: now,
  }
  await db.insertInto('reviewers').values(row).execute()
  return { row, token }
}

/**
 * Finds the active reviewer a presented token belongs to (lookup by its SHA-256, an index hit).
 * Read on every staff request, never cached: a rotation or a disable applies to the next one.
 */
export async function findReviewerByToken(db: Executor, token: string): Promise<ReviewerRow | undefined> {
  return db
    .selectFrom('reviewers')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .where('status', '=', 'active')
    .executeTakeFirst()
}

export async function findReviewer(db: Executor, sid: string): Promise<ReviewerRow | undefined> {
  return db.selectFrom('reviewers').selectAll().where('sid', '=', sid).executeTakeFirst()
}

export async function listReviewers(db: Executor): Promise<ReviewerRow[]> {
  return db.selectFrom('reviewers').selectAll().orderBy('date_created').orderBy('sid').execute()
}

/** Gives reviewer `sid` a new token (the old one is refused from now on); the plain token, or undefined for no such reviewer. */
export async function replaceReviewerToken(db: Executor, sid: string, now: string): Promise<string | undefined> {
  const token = newToken()
  const r = await db
    .updateTable('reviewers')
    .set({ token_hash: hashSecret(token), date_updated: now })
    .where('sid', '=', sid)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0 ? token : undefined
}

/** Sets reviewer `sid`'s status (`active` or `disabled`). */
export async function updateReviewerStatus(
  db: Executor,
  sid: string,
  status: 'active' | 'disabled',
  now: string,
): Promise<void> {
  await db.updateTable('reviewers').set({ status, date_updated: now }).where('sid', '=', sid).execute()
}
