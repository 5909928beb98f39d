/**
 * Twilio 2010 IncomingPhoneNumbers: the numbers the platform has placed on an account. The
 * platform owns the numbers, so creating one assigns it to the account named in the path;
 * deleting releases it (and drops its channel-endpoint assignments in the same transaction).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { AppError, errors } from '../../domain/errors.js'
import { parseE164 } from '../../domain/e164.js'
import { findNumber, holdersOf, insertNumber, listNumbers, releaseNumber, updateNumber, type PhoneNumberRow } from '../../store/numbers.repo.js'
import { presentNumber } from './phone-number.presenter.js'
import { legacyPage, pageRequest, PagingQuery } from '../paging.js'
import { params, sidParam, str } from '../params.js'
import { pathOf, requireVisibleAccount } from '../scope.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const NumberParams = params({ AccountSid: sidParam('AC'), Sid: sidParam('PN') })
const tags = ['numbers']
const security = [{ basic: [] }]

/** Parses a number or throws Twilio's 21421. */
function requireE164(raw: string): { e164: string; national: string } {
  const r = parseE164(raw)
  if (!r.ok) throw new AppError('INVALID_PHONE_NUMBER', `Invalid parameter PhoneNumber: ${r.reason}`, { param: 'PhoneNumber' })
  return r
}

/** The error for a number another account (or this one) already holds. */
const numberTaken = (e164: string) =>
  new AppError('NUMBER_TAKEN', `The phone number ${e164} is already held by an account on this platform`, { param: 'PhoneNumber' })

/** Registers the IncomingPhoneNumbers collection and item routes. */
export function numbersRoutes(app: App, ctx: AppContext) {
  collectionRoutes(app, ctx)
  itemRoutes(app, ctx)
}

/** Places a number on `acct` (21422 when any account holds it already). */
async function placeOne(ctx: AppContext, acct: string, b: { PhoneNumber: string; FriendlyName?: string; StatusCallback?: string }): Promise<PhoneNumberRow> {
  const db = ctx.store.db
  const { e164, national } = requireE164(b.PhoneNumber)
  if ((await holdersOf(db, [e164])).has(e164)) throw numberTaken(e164)
  const now = isoNow(ctx.clock)
  const row: PhoneNumberRow = {
    sid: newSid('PN'), account_sid: acct, phone_number: e164, friendly_name: b.FriendlyName || national,
    status_callback: b.StatusCallback || null, date_created: now, date_updated: now,
  }
  try {
    await insertNumber(db, row)
  } catch (e) {
    // A concurrent create of the same number lost the race on the unique index.
    if ((await holdersOf(db, [e164])).has(e164)) throw numberTaken(e164)
    throw e
  }
  return row
}

function collectionRoutes(app: App, ctx: AppContext) {
  const path = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers.json'
  app.post(path, {
    schema: {
      tags, security, summary: 'Place a number on the account (the platform owns the numbers)', params: AccountParams,
      body: Type.Object({
        PhoneNumber: Type.String({ minLength: 1, maxLength: 32, description: 'E.164 number, e.g. +12025550123' }),
        FriendlyName: str('A descriptive name (default: the formatted number)', 64),
        StatusCallback: str('URL for status callbacks', 1024),
      }),
    },
  }, async (req, reply) => reply.status(201).send(presentNumber(await placeOne(ctx, requireVisibleAccount(req, req.params.AccountSid), req.body))))

  app.get(path, {
    schema: {
      tags, security, summary: 'List the account\'s numbers', params: AccountParams,
      querystring: Type.Object({
        PhoneNumber: Type.Optional(Type.String({ maxLength: 32, description: 'digits found anywhere in the number; * matches one digit' })),
        FriendlyName: Type.Optional(Type.String({ maxLength: 64 })),
        ...PagingQuery,
      }),
    },
  }, async (req) => {
    const acct = requireVisibleAccount(req, req.params.AccountSid)
    const q = req.query
    const page = pageRequest(q)
    const res = await listNumbers(ctx.store.db, acct, { phoneNumber: q.PhoneNumber, friendlyName: q.FriendlyName }, page)
    return legacyPage('incoming_phone_numbers', `/2010-04-01/Accounts/${acct}/IncomingPhoneNumbers.json`, { PhoneNumber: q.PhoneNumber, FriendlyName: q.FriendlyName },
      page, { rows: res.rows.map(presentNumber), next: res.next }, q.PageToken)
  })
}

function itemRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const path = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers/:Sid.json'
  const load = async (req: any): Promise<PhoneNumberRow> => {
    const acct = requireVisibleAccount(req, req.params.AccountSid)
    const row = await findNumber(db, [acct], req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }

  app.get(path, { schema: { tags, security, summary: 'Fetch a number', params: NumberParams } }, async (req) => presentNumber(await load(req)))

  app.post(path, {
    schema: {
      tags, security, summary: 'Update a number (FriendlyName, StatusCallback)', params: NumberParams,
      body: Type.Optional(Type.Object({ FriendlyName: str('A descriptive name', 64), StatusCallback: str('URL for status callbacks', 1024) })),
    },
  }, async (req) => {
    const row = await load(req)
    const b = req.body ?? {}
    const patch: Partial<Pick<PhoneNumberRow, 'friendly_name' | 'status_callback'>> = {}
    if (b.FriendlyName) patch.friendly_name = b.FriendlyName
    // An empty StatusCallback clears it, as in Twilio.
    if (b.StatusCallback !== undefined) patch.status_callback = b.StatusCallback || null
    await updateNumber(db, row.account_sid, row.sid, patch, isoNow(ctx.clock))
    return presentNumber((await findNumber(db, [row.account_sid], row.sid))!)
  })

  app.delete(path, { schema: { tags, security, summary: 'Release a number (its bundle assignments go with it)', params: NumberParams } }, async (req, reply) => {
    const row = await load(req)
    const released = await db.transaction().execute((trx) => releaseNumber(trx, row.account_sid, row.sid))
    if (!released) throw errors.notFound(pathOf(req))
    return reply.status(204).send()
  })
}
