/**
 * Copies and ReplaceItems (Twilio Regulatory Compliance v2, served under Trust Hub): the one way
 * an approved bundle's facts change (DESIGN §2). A copy is a draft bundle with copies of the
 * original's end users and supporting documents (new SIDs, same attributes) and the same
 * supporting bundle; its documents name the same addresses (an address is never copied: a
 * customer who must change one creates a new address and points the copy's document at it).
 * The copy is edited, submitted and reviewed like any bundle; once approved, ReplaceItems
 * swaps the original's end users and documents for the copy's in one transaction. The original
 * keeps its SID, status, valid_until, numbers and the trust products that link it, so its
 * numbers keep their attestation throughout.
 */
import type { Db, Executor } from '../store/db.js'
import { findBundle, insertBundle, lockBundle, type BundleRow } from '../store/bundles.repo.js'
import {
  deleteEntityAssignment,
  entityAssignmentsOf,
  insertEntityAssignment,
  type EntityAssignmentRow,
} from '../store/assignments.repo.js'
import { findEntity, insertEntity, type EntityTable } from '../store/entities.repo.js'
import { appendEvent } from '../store/events.repo.js'
import { APPROVED, DRAFT, isApproved } from '../domain/bundle.js'
import type { BundleKind } from '../domain/policies.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError } from '../domain/errors.js'
import { repinFromCopy } from '../vetting/brand-pin.js'

const tableOf = (sid: string): EntityTable | undefined =>
  sid.startsWith('IT') ? 'end_users' : sid.startsWith('RD') ? 'supporting_documents' : undefined
const isItem = (a: EntityAssignmentRow) => tableOf(a.object_sid) !== undefined
const actorOf = (accountSid: string) => `account:${accountSid}`

/** A copy of end user or document `sid` of `account` under a new SID; its new SID. */
async function copyObject(db: Executor, account: string, sid: string, now: string): Promise<string> {
  const table = tableOf(sid)!
  const row = await findEntity(db, table, [account], sid)
  if (!row) throw new Error(`entity ${sid} of an assignment of account ${account} is missing`)
  const copy = { ...row, sid: newSid(table === 'end_users' ? 'IT' : 'RD'), date_created: now, date_updated: now }
  await insertEntity(db, table, 'status' in copy ? { ...copy, status: 'DRAFT' } : copy)
  return copy.sid
}

/**
 * Makes a draft copy of an approved bundle (NOT_COPYABLE otherwise: a draft or rejected bundle
 * is edited directly, one under review waits for its decision). Writes a `bundle.copied` event.
 */
export async function copyBundle(db: Db, clock: Clock, original: BundleRow, friendlyName?: string): Promise<BundleRow> {
  if (original.status !== APPROVED) {
    throw new AppError(
      'NOT_COPYABLE',
      `Bundle ${original.sid} is ${original.status}: only a twilio-approved bundle is copied; ${original.status === DRAFT || original.status === 'twilio-rejected' ? 'edit it and submit it directly' : "wait for the review's decision"}`,
    )
  }
  return db.transaction().execute(async (trx) => {
    const start = clock().getTime()
    const now = new Date(start).toISOString()
    const copy: BundleRow = {
      ...original,
      sid: newSid('BU'),
      friendly_name: friendlyName || original.friendly_name,
      status: DRAFT,
      valid_until: null,
      errors: null,
      failure_reason: null,
      submitted_at: null,
      copied_from: original.sid,
      date_created: now,
      date_updated: now,
    }
    await insertBundle(trx, copy)
    const objects: Record<string, string> = {}
    let i = 0
    for (const a of await entityAssignmentsOf(trx, original)) {
      // One millisecond apart, so the copy lists its attachments in the original's order.
      const at = new Date(start + i++).toISOString()
      const objectSid = isItem(a)
        ? (objects[a.object_sid] = await copyObject(trx, original.account_sid, a.object_sid, now))
        : a.object_sid
      await insertEntityAssignment(trx, {
        sid: newSid('BV'),
        bundle_sid: copy.sid,
        account_sid: copy.account_sid,
        object_sid: objectSid,
        date_created: at,
      })
    }
    await appendEvent(
      trx,
      {
        accountSid: copy.account_sid,
        resourceSid: copy.sid,
        type: 'bundle.copied',
        actor: actorOf(copy.account_sid),
        data: { copied_from: original.sid, objects },
      },
      now,
    )
    return copy
  })
}

const notACopy = (original: BundleRow, from: string, why = 'is not a copy of it') =>
  new AppError(
    'NOT_A_COPY',
    `Invalid parameter FromBundleSid: ${from} ${why} (bundle ${original.sid} of account ${original.account_sid}); make one with POST /v1/…/${original.sid}/Copies`,
    { param: 'FromBundleSid' },
  )

/** The BU objects an assignment list links, sorted (a copy must keep its original's). */
const links = (rows: readonly EntityAssignmentRow[]) =>
  rows
    .filter((a) => a.object_sid.startsWith('BU'))
    .map((a) => a.object_sid)
    .sort()

/**
 * Swaps the original's end users and supporting documents for those of `fromSid`, an approved
 * copy of it in the same account, in one transaction. Refuses a copy that is not approved
 * (COPY_NOT_APPROVED), anything that is not a copy of this bundle (NOT_A_COPY, the same answer
 * for another account's bundle or no bundle), and an original that is not approved. Writes a
 * `bundle.items-replaced` event; returns the original, whose status and validity are unchanged.
 */
export async function replaceItems(db: Db, clock: Clock, original: BundleRow, fromSid: string): Promise<BundleRow> {
  return db.transaction().execute(async (trx) => {
    const now = isoNow(clock)
    // Both rows locked: neither may be submitted, decided or replaced again while the items move.
    const target = await lockBundle(trx, original.account_sid, original.sid)
    const from = fromSid === original.sid ? undefined : await lockBundle(trx, original.account_sid, fromSid)
    if (!target) throw notACopy(original, fromSid, 'cannot replace the items of a bundle that no longer exists')
    if (!from || from.kind !== target.kind || from.copied_from !== target.sid) throw notACopy(original, fromSid)
    if (!isApproved(from.status, from.valid_until, clock())) {
      throw new AppError(
        'COPY_NOT_APPROVED',
        `Copy ${from.sid} is ${from.status === APPROVED ? 'approved but its approval ran out' : from.status}: submit it and wait for its approval before replacing the items of ${target.sid}`,
        { from_bundle_sid: from.sid, status: from.status },
      )
    }
    if (target.status !== APPROVED)
      throw new AppError(
        'COPY_NOT_APPROVED',
        `Bundle ${target.sid} is ${target.status}: ReplaceItems changes only an approved bundle; edit a draft or rejected bundle directly`,
        { status: target.status },
      )
    const current = await entityAssignmentsOf(trx, target)
    const incoming = await entityAssignmentsOf(trx, from)
    if (links(current).join() !== links(incoming).join())
      throw notACopy(
        original,
        fromSid,
        `links ${links(incoming).join(', ') || 'no bundle'} where the original links ${links(current).join(', ') || 'none'}, so it is not a revision of it`,
      )
    const removed = current.filter(isItem)
    for (const a of removed) await deleteEntityAssignment(trx, a.sid)
    const added = incoming.filter(isItem)
    for (const a of added)
      await insertEntityAssignment(trx, {
        sid: newSid('BV'),
        bundle_sid: target.sid,
        account_sid: target.account_sid,
        object_sid: a.object_sid,
        date_created: a.date_created,
      })
    // A branding product now carries the brand pinned when its copy was approved.
    await repinFromCopy(trx, target, from.sid)
    await appendEvent(
      trx,
      {
        accountSid: target.account_sid,
        resourceSid: target.sid,
        type: 'bundle.items-replaced',
        actor: actorOf(target.account_sid),
        data: {
          from_bundle_sid: from.sid,
          removed: removed.map((a) => a.object_sid),
          added: added.map((a) => a.object_sid),
        },
      },
      now,
    )
    return (await findBundle(trx, [target.account_sid], target.kind as BundleKind, target.sid))!
  })
}
