/**
 * Bulk assignment of numbers to a bundle (up to 5,000 per request), run as a job by the process
 * that took the request: batches of 250, each judged by the same rules as one assignment
 * ({@link judgeEndpoints}) and written in one transaction, with one audit event per number.
 * Every line is accounted for: assigned, already assigned, or refused with its reason. Between
 * batches the job yields the event loop and writes its progress to its row, which the caller polls.
 */
import type { Executor } from '../store/db.js'
import { atomically } from '../store/executor.js'
import { appendEvents } from '../store/events.repo.js'
import { findBundleForOperator, type BundleRow } from '../store/bundles.repo.js'
import { childSids } from '../store/accounts.repo.js'
import {
  insertChannelAssignments,
  isUniqueViolation,
  linkedBundleSids,
  numbersHeldBy,
  type ChannelEndpointAssignmentRow,
} from '../store/assignments.repo.js'
import {
  insertBulkJob,
  updateBulkJob,
  type BulkAssignmentJobRow,
  type BulkJobProgress,
} from '../store/bulk-assignment-jobs.repo.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { parseTn } from '../domain/e164.js'
import { assignChannelEndpoint, endpointEvent, judgeEndpoints } from './assignments.js'

/** Most numbers one bulk request may carry. */
export const MAX_BULK_ASSIGN = 5000
/** Numbers per transaction: short enough that other requests run between batches. */
const BATCH = 250

/** One input line: its 1-based number in the upload and its text. */
export interface BulkLine {
  readonly line: number
  readonly value: string
}
/** A line the job did not assign, and why. */
interface RefusedLine extends BulkLine {
  readonly reason: string
}

const PN_SID = /^PN[0-9a-fA-F]{32}$/
const HEADER = /^[a-z_ ]+$/i

/** The lines of a CSV upload: the first cell of each non-empty line; a header line first is skipped. */
export function csvLines(text: string): BulkLine[] {
  const out: BulkLine[] = []
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const value = (raw.split(/[,;\t]/)[0] ?? '').trim().replace(/^"(.*)"$/, '$1')
    if (!value || (i === 0 && HEADER.test(value))) return
    out.push({ line: i + 1, value })
  })
  return out
}

/** The lines of a JSON list: one number per element. */
export function listLines(values: readonly string[]): BulkLine[] {
  return values.map((value, i) => ({ line: i + 1, value: value.trim() }))
}

/** What a job is asked: the bundle, the lines, who asks, and for a trust product whether to fill its profile too. */
export interface BulkRequest {
  readonly bundle: BundleRow
  readonly lines: readonly BulkLine[]
  readonly actor: string
  /** Also assigns each number to the trust product's linked customer profile when it is not there yet. */
  readonly withProfile: boolean
}

/**
 * Checks the request, records the job and starts it; answers the job's row at once and the
 * promise of its run (which never rejects: a failure marks the job failed and is returned).
 */
export async function startBulkAssignment(
  db: Executor,
  clock: Clock,
  req: BulkRequest,
): Promise<{ job: BulkAssignmentJobRow; run: Promise<unknown> }> {
  if (req.lines.length === 0) throw errors.invalid('PhoneNumbers', 'no numbers given')
  if (req.lines.length > MAX_BULK_ASSIGN)
    throw errors.invalid('PhoneNumbers', `at most ${MAX_BULK_ASSIGN} numbers per request (got ${req.lines.length})`)
  const profile = req.withProfile ? await linkedProfile(db, req.bundle) : undefined
  const now = isoNow(clock)
  const job: BulkAssignmentJobRow = {
    sid: newSid('BK'),
    account_sid: req.bundle.account_sid,
    bundle_sid: req.bundle.sid,
    status: 'running',
    total: req.lines.length,
    done: 0,
    assigned: 0,
    already_assigned: 0,
    refused: '[]',
    date_created: now,
    date_updated: now,
  }
  await insertBulkJob(db, job)
  const run = runJob(db, clock, job, req, profile).catch(async (e) => {
    const failed = { ...progressOf(job), status: 'failed', date_updated: isoNow(clock) }
    await updateBulkJob(db, job.sid, failed).catch(() => undefined)
    return e
  })
  return { job, run }
}

/**
 * How long a running job may go without writing its progress before it counts as stopped: a
 * batch takes well under a second, so a minute of silence means its process went away (a
 * crash, a restart). Nothing resumes it; the job says so, and the lines it did are assigned.
 */
const STALLED_MS = 60_000

/** A job as it stands at `now`: a running job silent for longer than STALLED_MS is failed. */
export function jobAt(job: BulkAssignmentJobRow, now: Date): BulkAssignmentJobRow {
  return job.status === 'running' && now.getTime() - Date.parse(job.date_updated) > STALLED_MS
    ? { ...job, status: 'failed' }
    : job
}

/** A trust product's linked customer profile, which `withProfile` fills (400 when there is none). */
async function linkedProfile(db: Executor, bundle: BundleRow): Promise<BundleRow> {
  const linked = bundle.kind === 'trust-product' ? await linkedBundleSids(db, bundle) : []
  // The link was checked when it was made (its own account's profile, or its parent's); a
  // branding product also links a SHAKEN/STIR trust product, which is no profile to fill.
  let profile: BundleRow | undefined
  for (const sid of linked) {
    const b = await findBundleForOperator(db, sid)
    if (b?.kind === 'customer-profile') profile = b
  }
  if (profile?.kind !== 'customer-profile')
    throw errors.invalid(
      'AssignToProfile',
      bundle.kind === 'trust-product'
        ? `attach the Customer Profile to ${bundle.sid} (EntityAssignment ObjectSid=BU…) first`
        : 'only a trust product has a linked profile to fill',
    )
  return profile!
}

const progressOf = (j: BulkAssignmentJobRow): BulkJobProgress => ({
  status: j.status,
  done: j.done,
  assigned: j.assigned,
  already_assigned: j.already_assigned,
  refused: j.refused,
  date_updated: j.date_updated,
})

async function runJob(
  db: Executor,
  clock: Clock,
  job: BulkAssignmentJobRow,
  req: BulkRequest,
  profile: BundleRow | undefined,
): Promise<void> {
  const refused: RefusedLine[] = []
  const seen = new Map<string, number>()
  let assigned = 0
  let already = 0
  for (let i = 0; i < req.lines.length; i += BATCH) {
    const lines = req.lines.slice(i, i + BATCH)
    const pns = await resolve(db, req.bundle, lines, seen, refused)
    const r = await assignBatch(db, clock, req, profile, pns)
    assigned += r.assigned
    already += r.already
    refused.push(...r.refused)
    const last = i + BATCH >= req.lines.length
    Object.assign(job, {
      status: last ? 'completed' : 'running',
      done: i + lines.length,
      assigned,
      already_assigned: already,
      refused: JSON.stringify(refused.sort((a, b) => a.line - b.line)),
      date_updated: isoNow(clock),
    })
    await updateBulkJob(db, job.sid, progressOf(job))
    // Let the requests that arrived during the batch run before the next one.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/**
 * Turns lines into the bundle owners' PN SIDs, as the API reads numbers (E.164, 10-digit NANP,
 * digits with the country code, or a PN SID); what is not a number of theirs, or repeats an
 * earlier line, is refused with the reason.
 */
async function resolve(
  db: Executor,
  bundle: BundleRow,
  lines: readonly BulkLine[],
  seen: Map<string, number>,
  refused: RefusedLine[],
): Promise<Map<string, BulkLine>> {
  const keyOf = new Map<BulkLine, string>()
  for (const l of lines) {
    if (PN_SID.test(l.value)) {
      keyOf.set(l, l.value)
      continue
    }
    const tn = parseTn(l.value)
    if (tn.ok) keyOf.set(l, tn.e164)
    else refused.push({ ...l, reason: `not a phone number: ${tn.reason}` })
  }
  const keys = [...keyOf.values()]
  const owners = [bundle.account_sid, ...(await childSids(db, bundle.account_sid))]
  const held = await numbersHeldBy(
    db,
    owners,
    keys.filter((k) => k.startsWith('PN')),
    keys.filter((k) => k.startsWith('+')),
  )
  const pnOf = new Map(held.flatMap((n) => [[n.sid, n.sid] as const, [n.phone_number, n.sid] as const]))
  const out = new Map<string, BulkLine>()
  for (const [l, key] of keyOf) {
    const pn = pnOf.get(key)
    const earlier = pn && seen.get(pn)
    if (!pn)
      refused.push({
        ...l,
        reason: `${key} is not a phone number of account ${bundle.account_sid} or its sub-accounts`,
      })
    else if (earlier) refused.push({ ...l, reason: `the same number as line ${earlier}` })
    else {
      seen.set(pn, l.line)
      out.set(pn, l)
    }
  }
  return out
}

interface BatchResult {
  assigned: number
  already: number
  refused: RefusedLine[]
}

/** One batch in one transaction; when a concurrent write collides, number by number instead. */
async function assignBatch(
  db: Executor,
  clock: Clock,
  req: BulkRequest,
  profile: BundleRow | undefined,
  pns: Map<string, BulkLine>,
): Promise<BatchResult> {
  try {
    return await atomically(db, async (trx) => {
      const onProfile = profile
        ? (await writeBatch(trx, clock, profile, [...pns.keys()], req.actor)).refused
        : new Map<string, string>()
      const todo = [...pns.keys()].filter((pn) => !onProfile.has(pn))
      const r = await writeBatch(trx, clock, req.bundle, todo, req.actor)
      const refused = [...onProfile, ...r.refused].map(([pn, reason]) => ({ ...pns.get(pn)!, reason }))
      return { assigned: r.assigned, already: r.already, refused }
    })
  } catch (e) {
    if (!isUniqueViolation(e)) throw e
    return oneByOne(db, clock, req, profile, pns)
  }
}

/** Judges `pns` for `bundle` and writes the assignable ones with their audit events; tells the rest. */
async function writeBatch(db: Executor, clock: Clock, bundle: BundleRow, pns: readonly string[], actor: string) {
  const verdicts = await judgeEndpoints(db, bundle, pns)
  const now = isoNow(clock)
  const rows: ChannelEndpointAssignmentRow[] = []
  const refused = new Map<string, string>()
  let already = 0
  for (const [pn, v] of verdicts) {
    if (v.ok)
      rows.push({
        sid: newSid('RA'),
        bundle_sid: bundle.sid,
        account_sid: bundle.account_sid,
        channel_endpoint_type: 'phone-number',
        channel_endpoint_sid: pn,
        slot: v.slot,
        date_created: now,
      })
    else if (v.already) already++
    else refused.set(pn, v.reason)
  }
  await insertChannelAssignments(db, rows)
  await appendEvents(
    db,
    rows.map((r) => endpointEvent('channel_endpoint.assigned', r, actor)),
    now,
  )
  return { assigned: rows.length, already, refused }
}

/** The batch again, one assignment per transaction, each through {@link assignChannelEndpoint}. */
async function oneByOne(
  db: Executor,
  clock: Clock,
  req: BulkRequest,
  profile: BundleRow | undefined,
  pns: Map<string, BulkLine>,
): Promise<BatchResult> {
  const out: BatchResult = { assigned: 0, already: 0, refused: [] }
  for (const [pn, l] of pns) {
    try {
      if (profile) {
        const v = (await judgeEndpoints(db, profile, [pn])).get(pn)!
        if (!v.ok && !v.already) throw errors.invalid('ChannelEndpointSid', v.reason)
        if (v.ok) await assignChannelEndpoint(db, clock, profile, 'phone-number', pn, req.actor)
      }
      const v = (await judgeEndpoints(db, req.bundle, [pn])).get(pn)!
      if (!v.ok && v.already) out.already++
      else {
        await assignChannelEndpoint(db, clock, req.bundle, 'phone-number', pn, req.actor)
        out.assigned++
      }
    } catch (e) {
      out.refused.push({ ...l, reason: (e as Error).message })
    }
  }
  return out
}
