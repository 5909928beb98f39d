/**
 * The operator's confirmation of a number stored before origins existed (`unverified`): it
 * vouches that the holder has the right to use it, which makes the origin `operator` and lets
 * the number reach A again (DESIGN §4 rule 2). Audited; confirming a verified number changes
 * nothing.
 */
import type { Db } from '../store/db.js'
import { changeOrigin, findHeldNumber, type PhoneNumberRow } from '../store/numbers.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { isVerifiedOrigin } from '../domain/number-origin.js'
import { numberEvent } from './number-events.js'

export interface Confirmation {
  readonly row: PhoneNumberRow
  /** False when the number already had a verified origin. */
  readonly changed: boolean
}

/** Confirms the held number `e164`; undefined when no account holds it. */
export async function confirmNumber(
  db: Db,
  clock: Clock,
  e164: string,
  actor: string,
): Promise<Confirmation | undefined> {
  const now = isoNow(clock)
  return db.transaction().execute(async (trx) => {
    const row = await findHeldNumber(trx, e164)
    if (!row) return undefined
    if (isVerifiedOrigin(row.origin) || !(await changeOrigin(trx, row.sid, row.origin, 'operator', now)))
      return { row, changed: false }
    const after = { ...row, origin: 'operator', date_updated: now }
    await appendEvent(trx, numberEvent('number.confirmed', after, actor, { from: row.origin }), now)
    return { row: after, changed: true }
  })
}
