/**
 * Pure rules of the vetting back-office (DESIGN §3, Trust Hub spec §1 and §4): rejection
 * codes, SLA due times, approval validity, expiry notices and callback retry delays.
 */
import { AppError, errors } from './errors.js'

/** Twilio's bundle rejection codes (Trust Hub spec §1) with what each tells the customer. */
const REJECTION_CODES: Readonly<Record<number, string>> = Object.freeze({
  18601: 'business name and website could not be verified as the same business',
  18602: 'business registration ID could not be verified',
  18603: 'business address could not be verified',
  18604: 'authorized representative #1 could not be verified',
  18605: 'authorized representative #2 could not be verified',
  18606: 'email domain does not match the website domain',
  18607: 'not eligible to be copied',
  18608: 'already copied',
  18609: 'ineligible business registration authority',
})

/** What a rejection code tells the customer (the code itself when unknown). */
export const rejectionText = (code: number): string => REJECTION_CODES[code] ?? String(code)

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Validates rejection codes: at least one, each a known 186xx code; returns them sorted and unique. */
export function parseRejectionCodes(raw: unknown): number[] {
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(',')
      : raw === undefined || raw === null
        ? []
        : [raw]
  if (list.length === 0) throw errors.missing('Errors')
  const given = list.map((c) =>
    typeof c === 'object' && c !== null && 'code' in c ? (c as { code: unknown }).code : c,
  )
  const codes = given.map(codeNumber)
  for (const [i, c] of codes.entries()) {
    if (!Number.isInteger(c) || !(c in REJECTION_CODES))
      throw errors.invalid('Errors', `${shown(given[i])} is not a rejection code (18601-18609)`)
  }
  return [...new Set(codes)].sort()
}

/**
 * A code given as a number or its text; anything else is no code (NaN). Never String() or
 * Number() on an object: both throw on `{"toString":1}`, which any JSON body can hold.
 */
export function codeNumber(c: unknown): number {
  return typeof c === 'number' ? c : typeof c === 'string' ? Number(c.trim()) : NaN
}

const shown = (c: unknown) =>
  typeof c === 'number' || typeof c === 'string' || typeof c === 'boolean'
    ? String(c).trim()
    : c === null
      ? 'null'
      : Array.isArray(c)
        ? 'a list'
        : 'an object'

/** SLA due time of a submission: profiles and trust products have their own hours (configurable). */
export function dueAt(
  kind: string,
  submittedAt: string,
  sla: { profileHours: number; trustProductHours: number },
): string {
  const hours = kind === 'trust-product' ? sla.trustProductHours : sla.profileHours
  return new Date(Date.parse(submittedAt) + hours * HOUR).toISOString()
}

/**
 * The approval's `valid_until`: one year from now by default; a given value must parse and lie
 * in the future (approving with a past date would approve nothing) and no more than `maxDays`
 * ahead (an approval that outlives any re-vetting is no vetting).
 */
export function approvalValidUntil(raw: string | undefined, now: Date, maxDays: number): string {
  if (raw === undefined || raw === '') {
    const d = new Date(now)
    d.setUTCFullYear(d.getUTCFullYear() + 1)
    return d.toISOString()
  }
  const t = Date.parse(raw)
  if (Number.isNaN(t)) throw errors.invalid('ValidUntil', `"${raw}" is not an ISO-8601 date-time`)
  if (t <= now.getTime()) throw errors.invalid('ValidUntil', `${raw} is in the past`)
  return capApproval(raw, t, now, maxDays)
}

/** `t` (parsed from `raw`) as ISO text, unless it lies more than `maxDays` after `now`: then 400 APPROVAL_TOO_LONG. */
export function capApproval(raw: string, t: number, now: Date, maxDays: number): string {
  if (t - now.getTime() > maxDays * DAY) {
    throw new AppError(
      'APPROVAL_TOO_LONG',
      `Invalid parameter ValidUntil: ${raw} is more than ${maxDays} days from now, the longest approval allowed`,
      { param: 'ValidUntil', max_days: maxDays },
    )
  }
  return new Date(t).toISOString()
}

/** How long before valid_until the customer is told the approval expires. */
export const EXPIRY_NOTICE_DAYS = 30

/** ISO time `days` from `now`, for "expires within" queries. */
export const daysAhead = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString()

/**
 * Delay before retry `attempt` (1 = after the first failure): exponential from `baseMs`,
 * capped at `maxMs`, with "full jitter" over the upper half so a herd of failed callbacks
 * spreads out instead of retrying in lockstep. `random` is injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + random() * (exp / 2))
}
