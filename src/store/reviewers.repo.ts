/** Compliance reviewers (RV…): created by the operator, each with its own bearer token. */
import type { Executor } from './db.js'
import type { ReviewersTable } from './tables/vetting.table.js'
import { newSecret, newSid } from '../domain/ids.js'
import { hashSecret } from '../security/secrets.js'

export type ReviewerRow = ReviewersTable

/** Creates a reviewer; the plain token is returned once and only its hash is stored. */
export async function createReviewer(db: Executor, name: string, email: string, now: string): Promise<{ row: ReviewerRow; token: string }> {
  const token = newSecret() + newSecret()
  const row: ReviewerRow = { sid: newSid('RV'), name, email, token_hash: hashSecret(token), status: 'active', date_created: now, date_updated: now }
  await db.insertInto('reviewers').values(row).execute()
  return { row, token }
}

/** Finds the reviewer a presented token belongs to (lookup by its SHA-256, an index hit). */
export async function findReviewerByToken(db: Executor, token: string): Promise<ReviewerRow | undefined> {
  return db.selectFrom('reviewers').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst()
}

export async function listReviewers(db: Executor): Promise<ReviewerRow[]> {
  return db.selectFrom('reviewers').selectAll().orderBy('date_created').orderBy('sid').execute()
}
