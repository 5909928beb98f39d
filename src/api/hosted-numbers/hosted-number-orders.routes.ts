/**
 * Twilio's numbers v2 `/v2/HostedNumber/Orders`: file an order for an outside number with its
 * letter-of-authorization fields (it enters the review queue at once), list with Twilio's
 * filters, fetch, and withdraw (DELETE) until it is approved. The rules are
 * src/trusthub/hosted-orders.ts'; the decisions the reviewers' (src/vetting/order-decisions.ts).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { ORDER_STATUSES } from '../../domain/hosted-number.js'
import { findOrder, listOrders, type HostedNumberOrderRow } from '../../store/hosted-numbers.repo.js'
import { createOrder, withdrawOrder } from '../../trusthub/hosted-orders.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf, requireVisibleAccount } from '../scope.js'
import { presentOrder } from './hosted-numbers.presenter.js'

const tags = ['hosted-numbers']
const security = [{ basic: [] }]

/** A list parameter: repeated form fields (what the SDK sends), one value, or a JSON array. */
export const StringList = (description: string) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength: 255 }), Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 })], {
      description,
    }),
  )

/** The values of a list parameter. */
export const listOf = (v: string | string[] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '')

const CreateBody = Type.Object({
  PhoneNumber: reqStr('The number to host, E.164 (+12025550123)', 32),
  ContactPhoneNumber: reqStr("The LOA signer's phone number, E.164", 32),
  AddressSid: Type.String({ pattern: '^AD[0-9a-fA-F]{32}$', description: 'The service address on the LOA (AD…)' }),
  Email: reqStr("The LOA signer's email (compared with the business profile's authorized representative)"),
  AccountSid: Type.Optional(
    Type.String({
      pattern: '^AC[0-9a-fA-F]{32}$',
      description: "A sub-account to file the order for (default: the caller's)",
    }),
  ),
  FriendlyName: str('A descriptive name (default: the number)', 128),
  CcEmails: StringList('Emails copied on the LOA'),
  ContactTitle: str("The LOA signer's title"),
  SmsCapability: Type.Optional(
    Type.Boolean({ description: 'Whether SMS is hosted too (recorded; signing is about voice)' }),
  ),
  ContactName: str("Extension: the LOA signer's name (compared with the authorized representative's)"),
  CurrentCarrier: str('Extension: the carrier the number is with today'),
  CarrierAccountNumber: str('Extension: the account number at the current carrier'),
})

const ListQuery = Type.Object({
  Status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
  SmsCapability: Type.Optional(Type.Boolean()),
  PhoneNumber: str('an E.164 number', 32),
  IncomingPhoneNumberSid: str('the IncomingPhoneNumber an approval created', 34),
  FriendlyName: str('filter by name', 128),
  ...PagingQuery,
})

/** The v2 list filters as the query names them (echoed in paging URLs). */
export const orderFilters = (q: {
  Status?: string
  SmsCapability?: boolean
  PhoneNumber?: string
  IncomingPhoneNumberSid?: string
  FriendlyName?: string
}) => ({
  Status: q.Status,
  SmsCapability: q.SmsCapability,
  PhoneNumber: q.PhoneNumber,
  IncomingPhoneNumberSid: q.IncomingPhoneNumberSid,
  FriendlyName: q.FriendlyName,
})

/** The order filter of a list query. */
export const orderFilter = (q: ReturnType<typeof orderFilters>) => ({
  status: q.Status,
  smsCapability: q.SmsCapability,
  phoneNumber: q.PhoneNumber,
  incomingPhoneNumberSid: q.IncomingPhoneNumberSid,
  friendlyName: q.FriendlyName,
})

export { ListQuery as OrderListQuery }

export function hostedNumberOrdersRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const publicUrl = ctx.config.publicUrl
  const present = (o: HostedNumberOrderRow) => presentOrder(publicUrl, o)
  const Params = params({ Sid: sidParam('HR') })
  const actorOf = (req: { principal: { account: { sid: string } } }) => `account:${req.principal.account.sid}`

  app.post(
    '/v2/HostedNumber/Orders',
    { schema: { tags, security, summary: 'File a hosted-number order (enters the review queue)', body: CreateBody } },
    async (req, reply) => {
      const b = req.body
      const accountSid = b.AccountSid ? requireVisibleAccount(req, b.AccountSid) : req.principal.account.sid
      const row = await createOrder(db, ctx.clock, ctx.config, {
        accountSid,
        visible: req.principal.visible,
        actor: actorOf(req),
        phoneNumber: b.PhoneNumber,
        contactPhoneNumber: b.ContactPhoneNumber,
        addressSid: b.AddressSid,
        email: b.Email,
        friendlyName: b.FriendlyName,
        ccEmails: listOf(b.CcEmails),
        contactTitle: b.ContactTitle,
        contactName: b.ContactName,
        currentCarrier: b.CurrentCarrier,
        carrierAccountNumber: b.CarrierAccountNumber,
        smsCapability: b.SmsCapability,
      })
      req.log.info({ account: accountSid, order: row.sid }, 'hosted number order filed')
      return reply.status(201).send(present(row))
    },
  )

  app.get(
    '/v2/HostedNumber/Orders',
    { schema: { tags, security, summary: "List the account's hosted-number orders", querystring: ListQuery } },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listOrders(db, req.principal.account.sid, orderFilter(orderFilters(q)), page)
      return v1Page(
        'items',
        `${publicUrl}/v2/HostedNumber/Orders`,
        orderFilters(q),
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )

  const load = async (
    req: { principal: { visible: readonly string[] }; params: { Sid: string } } & Parameters<typeof pathOf>[0],
  ) => {
    const row = await findOrder(db, req.principal.visible, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }

  app.get(
    '/v2/HostedNumber/Orders/:Sid',
    { schema: { tags, security, summary: 'Fetch a hosted-number order', params: Params } },
    async (req) => present(await load(req)),
  )

  app.delete(
    '/v2/HostedNumber/Orders/:Sid',
    { schema: { tags, security, summary: 'Withdraw a hosted-number order that is not approved', params: Params } },
    async (req, reply) => {
      await withdrawOrder(db, ctx.clock, await load(req), actorOf(req))
      return reply.status(204).send()
    },
  )
}
