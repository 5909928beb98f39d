/**
 * Twilio's numbers v2 `/v2/HostedNumber/AuthorizationDocuments`: a letter of authorization
 * covering some of the account's hosted-number orders (create, list, fetch, and its
 * DependentHostedNumberOrders). The rules are src/trusthub/authorization-documents.ts'.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import { DOCUMENT_STATUSES } from '../../domain/hosted-number.js'
import {
  findDocument,
  listDocuments,
  listOrders,
  orderSidsOf,
  type AuthorizationDocumentRow,
} from '../../store/hosted-numbers.repo.js'
import { createDocument } from '../../trusthub/authorization-documents.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'
import { presentDocument, presentOrder } from './hosted-numbers.presenter.js'
import { listOf, orderFilter, orderFilters, OrderListQuery, StringList } from './hosted-number-orders.routes.js'

const tags = ['hosted-numbers']
const security = [{ basic: [] }]
const PATH = '/v2/HostedNumber/AuthorizationDocuments'

const CreateBody = Type.Object({
  AddressSid: Type.String({ pattern: '^AD[0-9a-fA-F]{32}$', description: 'The service address on the LOA (AD…)' }),
  Email: reqStr("The signer's email"),
  ContactPhoneNumber: reqStr("The signer's phone number, E.164", 32),
  HostedNumberOrderSids: Type.Union(
    [Type.String({ maxLength: 34 }), Type.Array(Type.String({ maxLength: 34 }), { minItems: 1, maxItems: 100 })],
    { description: 'The orders (HR…) the letter covers' },
  ),
  ContactTitle: str("The signer's title"),
  CcEmails: StringList('Emails copied on the letter'),
})

export function authorizationDocumentsRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const publicUrl = ctx.config.publicUrl
  const present = async (d: AuthorizationDocumentRow) => presentDocument(publicUrl, d, await orderSidsOf(db, d.sid))
  const Params = params({ Sid: sidParam('PX') })

  app.post(
    PATH,
    { schema: { tags, security, summary: 'Create an authorization document over received orders', body: CreateBody } },
    async (req, reply) => {
      const b = req.body
      const row = await createDocument(db, ctx.clock, {
        visible: req.principal.visible,
        actor: `account:${req.principal.account.sid}`,
        addressSid: b.AddressSid,
        email: b.Email,
        contactPhoneNumber: b.ContactPhoneNumber,
        hostedNumberOrderSids: listOf(b.HostedNumberOrderSids),
        contactTitle: b.ContactTitle,
        ccEmails: listOf(b.CcEmails),
      })
      return reply.status(201).send(await present(row))
    },
  )

  app.get(
    PATH,
    {
      schema: {
        tags,
        security,
        summary: "List the account's authorization documents",
        querystring: Type.Object({
          Email: str('filter by signer email'),
          Status: Type.Optional(Type.Union(DOCUMENT_STATUSES.map((s) => Type.Literal(s)))),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listDocuments(db, req.principal.account.sid, { email: q.Email, status: q.Status }, page)
      const rows = []
      for (const d of res.rows) rows.push(await present(d))
      return v1Page(
        'items',
        `${publicUrl}${PATH}`,
        { Email: q.Email, Status: q.Status },
        page,
        { rows, next: res.next },
        q.PageToken,
      )
    },
  )

  const load = async (
    req: Parameters<typeof pathOf>[0] & { principal: { visible: readonly string[] } },
    sid: string,
  ) => {
    const row = await findDocument(db, req.principal.visible, sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }

  app.get(
    `${PATH}/:Sid`,
    { schema: { tags, security, summary: 'Fetch an authorization document', params: Params } },
    async (req) => present(await load(req, req.params.Sid)),
  )

  app.get(
    `${PATH}/:SigningDocumentSid/DependentHostedNumberOrders`,
    {
      schema: {
        tags,
        security,
        summary: 'The hosted-number orders an authorization document covers',
        params: params({ SigningDocumentSid: sidParam('PX') }),
        querystring: OrderListQuery,
      },
    },
    async (req) => {
      const doc = await load(req, req.params.SigningDocumentSid)
      const q = req.query
      const page = pageRequest(q)
      const res = await listOrders(db, doc.account_sid, { ...orderFilter(orderFilters(q)), documentSid: doc.sid }, page)
      return v1Page(
        'items',
        `${publicUrl}${PATH}/${doc.sid}/DependentHostedNumberOrders`,
        orderFilters(q),
        page,
        { rows: res.rows.map((o) => presentOrder(publicUrl, o)), next: res.next },
        q.PageToken,
      )
    },
  )
}
