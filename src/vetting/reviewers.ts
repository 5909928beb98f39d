/**
 * Taking a reviewer's access back (operator only): rotate its token (the new one is shown
 * once; the old one is refused on the very next request, since staff tokens are read from the
 * store on every request, never cached), disable it, or enable it again. A disabled reviewer
 * keeps its history and decisions; its open claims lapse when their lease ends. Each change is
 * audited with its actor.
 */
import type { Db } from '../store/db.js'
import { findReviewer, replaceReviewerToken, updateReviewerStatus, type ReviewerRow } from '../store/reviewers.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'

export type ReviewerStatus = 'active' | 'disabled'

/** A new token for reviewer `sid`; 404 for no such reviewer. */
export async function rotateReviewerToken(
  db: Db,
  clock: Clock,
  sid: string,
  actor: string,
): Promise<{ readonly row: ReviewerRow; readonly token: string }> {
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    const token = await replaceReviewerToken(trx, sid, now)
    if (!token) throw errors.notFound(`/admin/v1/Reviewers/${sid}`)
    await appendEvent(trx, { accountSid: null, resourceSid: sid, type: 'reviewer.token_rotated', actor }, now)
    return { row: (await findReviewer(trx, sid))!, token }
  })
}

/** Disables or enables reviewer `sid` (an unchanged status is not audited again); 404 for no such reviewer. */
export async function setReviewerStatus(
  db: Db,
  clock: Clock,
  sid: string,
  status: ReviewerStatus,
  actor: string,
): Promise<ReviewerRow> {
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    const before = await findReviewer(trx, sid)
    if (!before) throw errors.notFound(`/admin/v1/Reviewers/${sid}`)
    if (before.status === status) return before
    await updateReviewerStatus(trx, sid, status, now)
    await appendEvent(
      trx,
      {
        accountSid: null,
        resourceSid: sid,
        type: status === 'disabled' ? 'reviewer.disabled' : 'reviewer.enabled',
        actor,
        data: { from: before.status, to: status },
      },
      now,
    )
    return (await findReviewer(trx, sid))!
  })
}
