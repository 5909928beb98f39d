/**
 * Operator bulk placement of numbers on an account: `POST /admin/v1/Accounts/:AccountSid/
 * IncomingPhoneNumbers` with `{"PhoneNumbers": ["+1…", …]}` (up to 10,000 per call). The batch
 * is one transaction; the answer counts what was added, what the account already held and
 * what was refused (with the reason for each). The CLI's `numbers add|import` drive this.
 */
import type SQLite from 'better-sqlite3'
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateOperator } from '../auth.js'
import { findAccount } from '../../store/accounts.repo.js'
import { holdersOf, insertFreeNumbers, type PhoneNumberRow } from '../../store/numbers.repo.js'
import type { Executor } from '../../store/db.js'
import { newSid } from '../../domain/ids.js'
import { isoNow } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { parseE164 } from '../../domain/e164.js'
import { sidParam } from '../params.js'
import { pathOf } from '../scope.js'

/** Most numbers one call may carry (the CLI sends 5,000). */
export const MAX_BULK = 10_000

export interface Refusal { readonly phone_number: string; readonly code: number; readonly reason: string }
export interface BulkResult { readonly added: number; readonly already_held: number; readonly refused: Refusal[] }

/** Parses and de-duplicates the input; what does not parse is refused with 21421. */
function parseAll(input: readonly string[]): { valid: Map<string, string>; refused: Refusal[] } {
  const valid = new Map<string, string>()
  const refused: Refusal[] = []
  for (const raw of input) {
    const r = parseE164(String(raw))
    if (r.ok) { if (!valid.has(r.e164)) valid.set(r.e164, r.national) } else refused.push({ phone_number: String(raw), code: 21421, reason: r.reason })
  }
  return { valid, refused }
}

/**
 * Places the parsed numbers on `accountSid` inside one transaction `trx`: inserts those no
 * account holds (the unique index decides, in the same statement), then looks up who holds
 * the rest, usually none, to tell the account's own from another's.
 */
async function placeAll(trx: Executor, accountSid: string, valid: Map<string, string>, now: string, sqlite?: SQLite.Database) {
  const rows: PhoneNumberRow[] = []
  for (const [e164, national] of valid) rows.push({ sid: newSid('PN'), account_sid: accountSid, phone_number: e164, friendly_name: national, status_callback: null, date_created: now, date_updated: now })
  const inserted = await insertFreeNumbers(trx, rows, sqlite)
  const holders = await holdersOf(trx, [...valid.keys()].filter((n) => !inserted.has(n)))
  const refused: Refusal[] = []
  let alreadyHeld = 0
  for (const [e164, holder] of holders) {
    if (holder === accountSid) alreadyHeld++
    else refused.push({ phone_number: e164, code: 21422, reason: `${e164} is already held by another account` })
  }
  // Skipped by the insert, then released by its holder before the look-up (on PostgreSQL each
  // statement reads its own snapshot): it was held when the insert ran; the caller may retry.
  for (const e164 of valid.keys()) if (!inserted.has(e164) && !holders.has(e164)) refused.push({ phone_number: e164, code: 21422, reason: `${e164} was held by another account; try again` })
  return { added: inserted.size, already_held: alreadyHeld, refused }
}

/** Bulk placement, usable without HTTP (the bench measures this same path). */
export async function placeNumbers(ctx: AppContext, accountSid: string, input: readonly string[]): Promise<BulkResult> {
  const { valid, refused } = parseAll(input)
  const now = isoNow(ctx.clock)
  const res = await ctx.store.db.transaction().execute((trx) => placeAll(trx, accountSid, valid, now, ctx.store.sqlite))
  return { added: res.added, already_held: res.already_held, refused: [...refused, ...res.refused] }
}

export function adminNumbersRoutes(app: App, ctx: AppContext) {
  app.addHook('onRequest', async (req) => authenticateOperator(ctx, req))
  app.post('/admin/v1/Accounts/:AccountSid/IncomingPhoneNumbers', {
    // 10,000 E.164 strings in JSON are ~200 KB; allow headroom above the default body limit.
    bodyLimit: Math.max(ctx.config.bodyLimit, 1024 * 1024),
    schema: {
      tags: ['admin'], summary: 'Place up to 10,000 numbers on an account in one transaction', security: [{ bearer: [] }],
      params: Type.Object({ AccountSid: sidParam('AC') }),
      body: Type.Object({ PhoneNumbers: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: MAX_BULK }) }),
    },
  }, async (req) => {
    const acct = await findAccount(ctx.store.db, req.params.AccountSid)
    if (!acct) throw errors.notFound(pathOf(req))
    if (acct.status === 'closed') throw errors.invalid('AccountSid', `${acct.sid} is closed`)
    const res = await placeNumbers(ctx, acct.sid, req.body.PhoneNumbers)
    req.log.info({ account: acct.sid, added: res.added, held: res.already_held, refused: res.refused.length }, 'numbers placed by operator')
    return res
  })
}
