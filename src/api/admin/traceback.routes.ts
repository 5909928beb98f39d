/**
 * `POST /admin/v1/traceback` (operator only): who placed a call this platform signed, from its
 * Identity header or from its origid, calling and called numbers and time. A header our own
 * certificates do not verify is answered `signed_by_this_platform: false` with the reason.
 */
import { Type, type Static } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { requireTn } from '../../domain/e164.js'
import { isUuid } from '../../stir/passport/index.js'
import { MAX_IDENTITY_LENGTH } from '../../stir/vs/identity-header.js'
import { NotAnIdentityHeader } from '../../stir/calls/own-signature.js'
import { traceCall, type TraceQuery } from '../../stir/calls/traceback.js'
import { presentTraceback } from './traceback.presenter.js'

const Body = Type.Object({
  identity: Type.Optional(
    Type.String({
      maxLength: MAX_IDENTITY_LENGTH + 64,
      description: 'an Identity header value as received (a leading `Identity:` is fine)',
    }),
  ),
  origid: Type.Optional(Type.String({ maxLength: 64, description: "the PASSporT's origid (a UUID)" })),
  orig: Type.Optional(Type.String({ maxLength: 64, description: 'the calling number, any spelling' })),
  dest: Type.Optional(Type.String({ maxLength: 64, description: 'the called number, any spelling' })),
  time: Type.Optional(
    Type.Union([Type.String({ maxLength: 64 }), Type.Number()], {
      description: 'when the call was made: ISO 8601, or NumericDate seconds (the PASSporT iat)',
    }),
  ),
})
type Body = Static<typeof Body>

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
/** NumericDate seconds beyond year 9999 are no time (milliseconds sent by mistake, most likely). */
const MAX_NUMERIC_DATE = 253_402_300_799

/** True when the calendar date and clock time of an ISO text exist (Date.parse rolls 02-31 over to March). */
function possible(iso: string): boolean {
  const [y, mo, d, h, mi, sec] = iso.split(/[-T:.Z+]/).map(Number) as [number, number, number, number, number, number?]
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && (sec === undefined || sec < 60)
}

/** Epoch ms of `time`: ISO 8601 with a zone, or NumericDate seconds (a number or digits). */
function timeOf(time: string | number | undefined): number {
  if (time === undefined || time === '') throw errors.missing('time')
  const seconds = typeof time === 'number' ? time : /^\d+$/.test(time) ? Number(time) : undefined
  if (seconds !== undefined) {
    if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_NUMERIC_DATE)
      throw errors.invalid('time', 'a NumericDate is whole seconds since 1970, up to year 9999')
    return seconds * 1000
  }
  const ms = typeof time === 'string' && ISO_TIME.test(time) && possible(time) ? Date.parse(time) : Number.NaN
  if (!Number.isFinite(ms))
    throw errors.invalid('time', 'must be an ISO 8601 time with a zone (2026-12-06T17:30:00Z) or NumericDate seconds')
  return ms
}

/** The query a body asks for: an Identity header, or origid + orig + dest + time; never both. */
function queryOf(b: Body | undefined): TraceQuery {
  const byCall = b && (b.origid ?? b.orig ?? b.dest ?? b.time) !== undefined
  if (b?.identity !== undefined) {
    if (byCall) throw errors.invalid('identity', 'give either identity, or origid, orig, dest and time, not both')
    if (b.identity.trim() === '') throw errors.invalid('identity', 'is empty')
    return { identity: b.identity }
  }
  if (!b || !byCall) throw errors.missing('identity (or origid, orig, dest and time)')
  if (b.origid === undefined) throw errors.missing('origid')
  if (!isUuid(b.origid)) throw errors.invalid('origid', 'must be a UUID')
  if (b.orig === undefined) throw errors.missing('orig')
  if (b.dest === undefined) throw errors.missing('dest')
  return {
    origid: b.origid.toLowerCase(),
    orig: requireTn(b.orig, 'orig'),
    dest: requireTn(b.dest, 'dest'),
    at: timeOf(b.time),
  }
}

export function adminTracebackRoutes(app: App, ctx: AppContext) {
  app.post(
    '/admin/v1/traceback',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Who placed a call this platform signed, and why it got its level: from an Identity header or origid + orig + dest + time (operator only)',
        security: [{ bearer: [] }],
        body: Body,
      },
    },
    async (req) => {
      const q = queryOf(req.body)
      try {
        return presentTraceback(ctx.config.publicUrl, await traceCall(ctx.store.db, q))
      } catch (e) {
        if (e instanceof NotAnIdentityHeader) throw errors.invalid('identity', e.message)
        throw e
      }
    },
  )
}
