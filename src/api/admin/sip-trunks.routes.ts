/**
 * `/admin/v1/SipTrunks` (operator only): the SIP trunks whose account the SIP signing front
 * signs for (src/trusthub/sip-trunks.ts). Create, list (paged, newest first), fetch, update
 * and delete; every change is audited and applies to the next INVITE in every SIP process.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { changeTrunk, createTrunk, getTrunk, removeTrunk } from '../../trusthub/sip-trunks.js'
import { listTrunks, trunkAddresses, type SipTrunkRow } from '../../store/sip-trunks.repo.js'
import { toV1Date } from '../../domain/time.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, sidParam } from '../params.js'

const SourceAddresses = Type.Union(
  [
    Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }),
    Type.String({ minLength: 1, maxLength: 6400 }),
  ],
  { description: "CIDRs of the SBC(s) the trunk's INVITEs come from (IPv4 or IPv6): a JSON array, or comma-separated" },
)
const TrunkGroup = Type.String({
  maxLength: 64,
  description: 'RFC 4904 tgrp label that selects this trunk among those sharing a source address (empty: none)',
})
const TrunkParams = params({ Sid: sidParam('TK') })

export function adminSipTrunksRoutes(app: App, ctx: AppContext) {
  const db = ctx.store.db
  const base = `${ctx.config.publicUrl}/admin/v1/SipTrunks`
  const schema = { tags: ['admin'], security: [{ bearer: [] }] }
  const present = (r: SipTrunkRow) => ({
    sid: r.sid,
    account_sid: r.account_sid,
    friendly_name: r.friendly_name,
    source_addresses: trunkAddresses(r),
    trunk_group: r.trunk_group,
    date_created: toV1Date(r.date_created),
    date_updated: toV1Date(r.date_updated),
    url: `${base}/${r.sid}`,
  })

  app.post(
    '/admin/v1/SipTrunks',
    {
      schema: {
        ...schema,
        summary: 'Create a SIP trunk: the SIP signing front signs its INVITEs for its account',
        body: Type.Object({
          FriendlyName: Type.String({ minLength: 1, maxLength: 255 }),
          AccountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
          SourceAddresses,
          TrunkGroup: Type.Optional(TrunkGroup),
        }),
      },
    },
    async (req, reply) => {
      const row = await createTrunk(db, ctx.clock, req.body, req.staff.actor)
      req.log.info({ trunk: row.sid, account: row.account_sid }, 'sip trunk created by operator')
      return reply.status(201).send(present(row))
    },
  )

  app.get(
    '/admin/v1/SipTrunks',
    {
      schema: {
        ...schema,
        summary: 'List SIP trunks, newest first',
        querystring: Type.Object({
          AccountSid: Type.Optional(Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' })),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listTrunks(db, q.AccountSid, page)
      return v1Page(
        'results',
        base,
        { AccountSid: q.AccountSid },
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )

  app.get(
    '/admin/v1/SipTrunks/:Sid',
    { schema: { ...schema, summary: 'Fetch a SIP trunk', params: TrunkParams } },
    async (req) => present(await getTrunk(db, req.params.Sid)),
  )

  app.post(
    '/admin/v1/SipTrunks/:Sid',
    {
      schema: {
        ...schema,
        summary: 'Update a SIP trunk (the fields given); the next INVITE uses it',
        params: TrunkParams,
        body: Type.Object({
          FriendlyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          AccountSid: Type.Optional(Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' })),
          SourceAddresses: Type.Optional(SourceAddresses),
          TrunkGroup: Type.Optional(TrunkGroup),
        }),
      },
    },
    async (req) => {
      const row = await changeTrunk(db, ctx.clock, req.params.Sid, req.body, req.staff.actor)
      req.log.info({ trunk: row.sid, account: row.account_sid }, 'sip trunk updated by operator')
      return present(row)
    },
  )

  app.delete(
    '/admin/v1/SipTrunks/:Sid',
    {
      schema: {
        ...schema,
        summary: 'Delete a SIP trunk: its INVITEs are refused (403) from the next one',
        params: TrunkParams,
      },
    },
    async (req, reply) => {
      await removeTrunk(db, ctx.clock, req.params.Sid, req.staff.actor)
      req.log.info({ trunk: req.params.Sid }, 'sip trunk deleted by operator')
      return reply.status(204).send()
    },
  )
}
