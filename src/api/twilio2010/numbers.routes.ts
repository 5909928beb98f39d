/**
 * Twilio 2010 IncomingPhoneNumbers: the numbers an account holds. Creating one buys it from the
 * operator's inventory (`PhoneNumber`, or the first free one under `AreaCode`; the `Local` and
 * `TollFree` sub-collections buy only that kind) through src/trusthub/purchase.ts; deleting
 * releases it (its channel-endpoint assignments go with it, an inventory number is free again).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { isoNow } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import type { InventoryKind } from '../../domain/inventory-number.js'
import { findNumber, listNumbers, updateNumber, type PhoneNumberRow } from '../../store/numbers.repo.js'
import { buyNumber, releaseHeldNumber } from '../../trusthub/purchase.js'
import { presentNumber } from './phone-number.presenter.js'
import { legacyPage, pageRequest, PagingQuery } from '../paging.js'
import { params, sidParam, str } from '../params.js'
import { pathOf, requireVisibleAccount } from '../scope.js'

const AccountParams = params({ AccountSid: sidParam('AC') })
const NumberParams = params({ AccountSid: sidParam('AC'), Sid: sidParam('PN') })
const tags = ['numbers']
const security = [{ basic: [] }]

const BuyBody = Type.Object({
  PhoneNumber: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'E.164 number from AvailablePhoneNumbers, e.g. +12025550123',
    }),
  ),
  AreaCode: Type.Optional(
    Type.String({
      pattern: '^[0-9]{3}$',
      description: 'buy the first free number in this area code (when PhoneNumber is not given)',
    }),
  ),
  FriendlyName: str('A descriptive name (default: the formatted number)', 64),
  StatusCallback: str('URL for status callbacks', 1024),
})

/** Registers the IncomingPhoneNumbers collection and item routes. */
export function numbersRoutes(app: App, ctx: AppContext) {
  collectionRoutes(app, ctx)
  itemRoutes(app, ctx)
}

/** The actor of a customer's action in the audit log. */
const actorOf = (req: { principal: { account: { sid: string } } }) => `account:${req.principal.account.sid}`

function buyRoutes(app: App, ctx: AppContext) {
  const buyers: Array<[string, InventoryKind | undefined, string]> = [
    ['IncomingPhoneNumbers.json', undefined, 'Buy a number from the inventory (PhoneNumber or AreaCode)'],
    ['IncomingPhoneNumbers/Local.json', 'local', 'Buy a local number from the inventory'],
    ['IncomingPhoneNumbers/TollFree.json', 'toll-free', 'Buy a toll-free number from the inventory'],
  ]
  for (const [tail, kind, summary] of buyers) {
    app.post(
      `/2010-04-01/Accounts/:AccountSid/${tail}`,
      { schema: { tags, security, summary, params: AccountParams, body: BuyBody } },
      async (req, reply) => {
        const accountSid = requireVisibleAccount(req, req.params.AccountSid)
        const b = req.body
        const row = await buyNumber(ctx.store.db, ctx.clock, {
          accountSid,
          actor: actorOf(req),
          kind,
          phoneNumber: b.PhoneNumber,
          areaCode: b.AreaCode,
          friendlyName: b.FriendlyName,
          statusCallback: b.StatusCallback,
        })
        req.log.info({ account: accountSid, number: row.sid }, 'number bought')
        return reply.status(201).send(presentNumber(row))
      },
    )
  }
}

function collectionRoutes(app: App, ctx: AppContext) {
  const path = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers.json'
  buyRoutes(app, ctx)

  app.get(
    path,
    {
      schema: {
        tags,
        security,
        summary: "List the account's numbers",
        params: AccountParams,
        querystring: Type.Object({
          PhoneNumber: Type.Optional(
            Type.String({ maxLength: 32, description: 'digits found anywhere in the number; * matches one digit' }),
          ),
          FriendlyName: Type.Optional(Type.String({ maxLength: 64 })),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const acct = requireVisibleAccount(req, req.params.AccountSid)
      const q = req.query
      const page = pageRequest(q)
      const res = await listNumbers(
        ctx.store.db,
        acct,
        { phoneNumber: q.PhoneNumber, friendlyName: q.FriendlyName },
        page,
      )
      return legacyPage(
        'incoming_phone_numbers',
        `/2010-04-01/Accounts/${acct}/IncomingPhoneNumbers.json`,
        { PhoneNumber: q.PhoneNumber, FriendlyName: q.FriendlyName },
        page,
        { rows: res.rows.map(presentNumber), next: res.next },
        q.PageToken,
      )
    },
  )
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

  app.get(path, { schema: { tags, security, summary: 'Fetch a number', params: NumberParams } }, async (req) =>
    presentNumber(await load(req)),
  )

  app.post(
    path,
    {
      schema: {
        tags,
        security,
        summary: 'Update a number (FriendlyName, StatusCallback)',
        params: NumberParams,
        body: Type.Optional(
          Type.Object({
            FriendlyName: str('A descriptive name', 64),
            StatusCallback: str('URL for status callbacks', 1024),
          }),
        ),
      },
    },
    async (req) => {
      const row = await load(req)
      const b = req.body ?? {}
      const patch: Partial<Pick<PhoneNumberRow, 'friendly_name' | 'status_callback'>> = {}
      if (b.FriendlyName) patch.friendly_name = b.FriendlyName
      // An empty StatusCallback clears it, as in Twilio.
      if (b.StatusCallback !== undefined) patch.status_callback = b.StatusCallback || null
      await updateNumber(db, row.account_sid, row.sid, patch, isoNow(ctx.clock))
      return presentNumber((await findNumber(db, [row.account_sid], row.sid))!)
    },
  )

  app.delete(
    path,
    {
      schema: { tags, security, summary: 'Release a number (its bundle assignments go with it)', params: NumberParams },
    },
    async (req, reply) => {
      const row = await load(req)
      if (!(await releaseHeldNumber(db, ctx.clock, row, actorOf(req)))) throw errors.notFound(pathOf(req))
      return reply.status(204).send()
    },
  )
}
