/**
 * A bundle's EntityAssignments (BV…) and ChannelEndpointAssignments (RA…) over HTTP: schema,
 * then the rules of src/trusthub/assignments.ts, then the presenter.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { errors } from '../../domain/errors.js'
import {
  findChannelAssignment,
  findEntityAssignment,
  listChannelAssignments,
  listEntityAssignments,
  type ChannelEndpointAssignmentRow,
  type EntityAssignmentRow,
} from '../../store/assignments.repo.js'
import { assignChannelEndpoint, assignEntity, removeChannelEndpoint, removeEntity } from '../../trusthub/assignments.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'
import { presentChannelAssignment, presentEntityAssignment, type BundleResource } from './bundles.presenter.js'
import { loadBundle } from './bundles-scope.js'

const ANY_SID = '^[a-zA-Z]{2}[0-9a-fA-F]{32}$'

/** Registers EntityAssignments and ChannelEndpointAssignments for one bundle family. */
export function bundleAssignmentsRoutes(app: App, ctx: AppContext, r: BundleResource) {
  entityRoutes(app, ctx, r)
  channelRoutes(app, ctx, r)
}

function entityRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const list = `/v1/${r.path}/:BundleSid/EntityAssignments`
  const present = (row: EntityAssignmentRow) => presentEntityAssignment(ctx.config.publicUrl, r, row)
  const Parent = params({ BundleSid: sidParam('BU') })

  app.post(
    list,
    {
      schema: {
        tags,
        security,
        summary: `Attach an end user, document or supporting bundle to a ${r.noun}`,
        params: Parent,
        body: Type.Object({ ObjectSid: Type.String({ pattern: ANY_SID, description: 'IT…, RD… or BU…' }) }),
      },
    },
    async (req, reply) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      return reply.status(201).send(present(await assignEntity(db, ctx.clock, bundle, req.body.ObjectSid)))
    },
  )

  app.get(
    list,
    {
      schema: {
        tags,
        security,
        summary: `List a ${r.noun}'s entity assignments`,
        params: Parent,
        querystring: Type.Object({
          ...PagingQuery,
          ObjectType: str('filter by object type, e.g. customer_profile_business_information', 64),
        }),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const page = pageRequest(req.query)
      const res = await listEntityAssignments(db, bundle, req.query.ObjectType || undefined, page)
      return v1Page(
        'results',
        `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/EntityAssignments`,
        { ObjectType: req.query.ObjectType },
        page,
        { rows: res.rows.map(present), next: res.next },
        req.query.PageToken,
      )
    },
  )

  const One = params({ BundleSid: sidParam('BU'), Sid: sidParam('BV') })
  const loadOne = async (req: any) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const row = await findEntityAssignment(db, bundle, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return { bundle, row }
  }
  app.get(
    `${list}/:Sid`,
    { schema: { tags, security, summary: 'Fetch an entity assignment', params: One } },
    async (req) => present((await loadOne(req)).row),
  )
  app.delete(
    `${list}/:Sid`,
    { schema: { tags, security, summary: 'Remove an entity assignment', params: One } },
    async (req, reply) => {
      const { bundle, row } = await loadOne(req)
      await removeEntity(db, bundle, row)
      return reply.status(204).send()
    },
  )
}

function channelRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const list = `/v1/${r.path}/:BundleSid/ChannelEndpointAssignments`
  const present = (row: ChannelEndpointAssignmentRow) => presentChannelAssignment(ctx.config.publicUrl, r, row)
  const Parent = params({ BundleSid: sidParam('BU') })

  app.post(
    list,
    {
      schema: {
        tags,
        security,
        summary: `Assign a phone number to a ${r.noun}`,
        params: Parent,
        body: Type.Object({
          ChannelEndpointType: reqStr('phone-number', 32),
          ChannelEndpointSid: Type.String({ pattern: ANY_SID, description: 'PN…' }),
        }),
      },
    },
    async (req, reply) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const b = req.body
      return reply
        .status(201)
        .send(
          present(
            await assignChannelEndpoint(
              db,
              ctx.clock,
              bundle,
              b.ChannelEndpointType,
              b.ChannelEndpointSid,
              `account:${req.principal.account.sid}`,
            ),
          ),
        )
    },
  )

  app.get(
    list,
    {
      schema: {
        tags,
        security,
        summary: `List a ${r.noun}'s phone numbers`,
        params: Parent,
        querystring: Type.Object({
          ...PagingQuery,
          ChannelEndpointSid: str('filter by one PN…', 34),
          ChannelEndpointSids: str('filter by a comma list of PN…', 34 * 100 + 100),
        }),
      },
    },
    async (req) => {
      const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
      const q = req.query
      const page = pageRequest(q)
      const sids = [
        ...(q.ChannelEndpointSid ? [q.ChannelEndpointSid] : []),
        ...(q.ChannelEndpointSids ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ]
      const filtered = q.ChannelEndpointSid || q.ChannelEndpointSids ? sids : undefined
      const res = await listChannelAssignments(db, bundle, filtered, page)
      return v1Page(
        'results',
        `${ctx.config.publicUrl}/v1/${r.path}/${bundle.sid}/ChannelEndpointAssignments`,
        { ChannelEndpointSid: q.ChannelEndpointSid, ChannelEndpointSids: q.ChannelEndpointSids },
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )

  const One = params({ BundleSid: sidParam('BU'), Sid: sidParam('RA') })
  const loadOne = async (req: any) => {
    const bundle = await loadBundle(ctx, r, req, req.params.BundleSid)
    const row = await findChannelAssignment(db, bundle, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }
  app.get(
    `${list}/:Sid`,
    { schema: { tags, security, summary: 'Fetch a channel endpoint assignment', params: One } },
    async (req) => present(await loadOne(req)),
  )
  app.delete(
    `${list}/:Sid`,
    { schema: { tags, security, summary: 'Remove a phone number from the bundle', params: One } },
    async (req, reply) => {
      await removeChannelEndpoint(db, ctx.clock, await loadOne(req), `account:${req.principal.account.sid}`)
      return reply.status(204).send()
    },
  )
}
