/**
 * The query string of a call-record search, checked at the edge: each bad value is a 400 that
 * names its parameter, so nothing unchecked reaches the store.
 */
import { Type } from 'typebox'
import { errors } from '../../domain/errors.js'
import { parseTn } from '../../domain/e164.js'
import { isSid } from '../../domain/ids.js'
import { decodeCursor } from '../../store/paging.js'
import type { CallFilter, CallPageRequest } from '../../store/call-search.repo.js'
import { PagingQuery, type PagingParams } from '../paging.js'

const ATTESTS = ['A', 'B', 'C'] as const
const KINDS = ['signed', 'verified'] as const
const OUTCOMES = ['signed', 'not-signed', 'passed', 'failed'] as const

/** The filters both areas take (the operator's adds `account`). */
export const CallFilterQuery = {
  from: Type.Optional(Type.String({ maxLength: 64, description: 'calling number, any spelling (matched as E.164)' })),
  to: Type.Optional(
    Type.String({ maxLength: 64, description: 'first called number, any spelling (matched as E.164)' }),
  ),
  origid: Type.Optional(Type.String({ maxLength: 64, description: 'the origination identifier (a UUID)' })),
  attest: Type.Optional(Type.String({ enum: [...ATTESTS], description: 'attestation level' })),
  kind: Type.Optional(Type.String({ enum: [...KINDS], description: 'signed or verified calls' })),
  outcome: Type.Optional(
    Type.String({
      enum: [...OUTCOMES],
      description: 'signed | not-signed (signed calls); passed | failed (verified calls)',
    }),
  ),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 time: calls at or after it' })),
  until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 time: calls before it' })),
  ...PagingQuery,
}

export interface CallQuery extends PagingParams {
  from?: string
  to?: string
  origid?: string
  attest?: string
  kind?: string
  outcome?: string
  since?: string
  until?: string
  account?: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// A date, or a date and time with seconds optional, fraction optional, and a zone required.
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/
/** Records are written as `toISOString()`: a cursor names one of them. */
const RECORD_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
/** Deepest a search pages by number (Page × PageSize) before it must follow next_page_url's token. */
const MAX_OFFSET = 100_000

function tnOf(raw: string | undefined, param: string): string | undefined {
  if (raw === undefined || raw === '') return undefined
  const r = parseTn(raw)
  if (!r.ok) throw errors.invalid(param, r.reason)
  return r.tn
}

/** True when the date part names a day of the calendar (Date.parse rolls 2026-02-30 into March). */
function realDay(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split('-').map(Number) as [number, number, number]
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

function timeOf(raw: string | undefined, param: string): string | undefined {
  if (raw === undefined || raw === '') return undefined
  const ms = ISO.test(raw) && realDay(raw) ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : Number.NaN
  if (!Number.isFinite(ms) || ms < 0 || ms > 253_402_300_799_999)
    throw errors.invalid(param, 'must be an ISO 8601 time with a zone (2026-12-06T17:00:00Z) or a date')
  return new Date(ms).toISOString()
}

function oneOf<T extends string>(raw: string | undefined, allowed: readonly T[], param: string): T | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!(allowed as readonly string[]).includes(raw)) throw errors.invalid(param, `must be one of ${allowed.join(', ')}`)
  return raw as T
}

/** The store filter of a search (without its scope), or a 400 naming the bad parameter. */
export function callFilterOf(q: CallQuery): CallFilter {
  let origids: string[] | undefined
  if (q.origid !== undefined && q.origid !== '') {
    if (!UUID.test(q.origid)) throw errors.invalid('origid', 'must be a UUID')
    origids = [...new Set([q.origid, q.origid.toLowerCase(), q.origid.toUpperCase()])]
  }
  const kind = oneOf(q.kind, KINDS, 'kind')
  const outcome = oneOf(q.outcome, OUTCOMES, 'outcome')
  if (outcome && kind && (outcome === 'passed' || outcome === 'failed') !== (kind === 'verified'))
    throw errors.invalid('outcome', `${outcome} is not an outcome of ${kind} calls`)
  const since = timeOf(q.since, 'since')
  const until = timeOf(q.until, 'until')
  return {
    orig: tnOf(q.from, 'from'),
    dest: tnOf(q.to, 'to'),
    origids,
    attest: oneOf(q.attest, ATTESTS, 'attest'),
    kind,
    outcome,
    since,
    until,
  }
}

/** The operator's `account` filter: an account SID, or a 400. */
export function accountOf(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!isSid(raw, 'AC')) throw errors.invalid('account', 'must be an account SID (AC…)')
  return raw
}

/** Paging of a search: PageSize and Page, or a PageToken this server issued (checked, not trusted). */
export function callPageOf(q: PagingParams): CallPageRequest & { readonly page: number } {
  const pageSize = q.PageSize ?? 50
  const page = q.Page ?? 0
  if (q.PageToken !== undefined && q.PageToken !== '') {
    const after = decodeCursor(q.PageToken)
    if (!after || !RECORD_TIME.test(after.d) || !isSid(after.s, 'CL'))
      throw errors.invalid('PageToken', 'not a page token issued by this server')
    return { pageSize, page, offset: 0, after }
  }
  if (page * pageSize > MAX_OFFSET)
    throw errors.invalid('Page', `pages past row ${MAX_OFFSET} are reached with next_page_url's PageToken`)
  return { pageSize, page, offset: page * pageSize }
}
