/** /v1/EndUsers and /v1/SupportingDocuments: create, list, fetch, update, delete (the rules: src/trusthub/entities.ts). */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { newSid } from '../../domain/ids.js'
import { isoNow, toV1Date } from '../../domain/time.js'
import { errors } from '../../domain/errors.js'
import { findDocumentType, findEndUserType } from '../../domain/policies.js'
import {
  findEntity,
  listEntities,
  type EndUserRow,
  type EntityTable,
  type SupportingDocumentRow,
} from '../../store/entities.repo.js'
import { createEntityObject, deleteEntityObject, updateEntityObject } from '../../trusthub/entities.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { attributesJson, params, reqStr, sidParam, str } from '../params.js'
import { pathOf } from '../scope.js'

interface Resource {
  readonly path: 'EndUsers' | 'SupportingDocuments'
  readonly table: EntityTable
  readonly prefix: 'IT' | 'RD'
  readonly knownType: (t: string) => unknown
}

const RESOURCES: readonly Resource[] = [
  { path: 'EndUsers', table: 'end_users', prefix: 'IT', knownType: findEndUserType },
  { path: 'SupportingDocuments', table: 'supporting_documents', prefix: 'RD', knownType: findDocumentType },
]

export function endUsersRoutes(app: App, ctx: AppContext) {
  for (const r of RESOURCES) entityRoutes(app, ctx, r)
}

function entityRoutes(app: App, ctx: AppContext, r: Resource) {
  const db = ctx.store.db
  const base = `${ctx.config.publicUrl}/v1/${r.path}`
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const present = (row: EndUserRow | SupportingDocumentRow) => ({
    sid: row.sid,
    account_sid: row.account_sid,
    friendly_name: row.friendly_name,
    type: row.type,
    ...('status' in row ? { mime_type: row.mime_type, status: row.status } : {}),
    attributes: JSON.parse(row.attributes),
    date_created: toV1Date(row.date_created),
    date_updated: toV1Date(row.date_updated),
    url: `${base}/${row.sid}`,
  })
  const Params = params({ Sid: sidParam(r.prefix) })
  const load = async (req: any) => {
    const row = await findEntity(db, r.table, req.principal.visible, req.params.Sid)
    if (!row) throw errors.notFound(pathOf(req))
    return row
  }

  app.post(
    `/v1/${r.path}`,
    {
      schema: {
        tags,
        security,
        summary: `Create a ${r.path.slice(0, -1)}`,
        body: Type.Object({
          FriendlyName: reqStr('A descriptive name'),
          Type: reqStr('The type machine name (see the types catalogue)', 64),
          Attributes: Type.Optional(Type.Unknown({ description: 'JSON object as a string' })),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body
      if (!r.knownType(b.Type))
        throw errors.invalid(
          'Type',
          `"${b.Type}" is not a known type; list /v1/${r.path === 'EndUsers' ? 'EndUserTypes' : 'SupportingDocumentTypes'}`,
        )
      const attributes = attributesJson(b.Attributes)
      const now = isoNow(ctx.clock)
      const common = {
        sid: newSid(r.prefix),
        account_sid: req.principal.account.sid,
        friendly_name: b.FriendlyName,
        type: b.Type,
        attributes,
        date_created: now,
        date_updated: now,
      }
      const row = r.table === 'end_users' ? common : { ...common, mime_type: null, status: 'DRAFT' }
      await createEntityObject(db, r.table, row as any)
      return reply.status(201).send(present(row as any))
    },
  )

  app.get(
    `/v1/${r.path}`,
    { schema: { tags, security, summary: `List ${r.path}`, querystring: Type.Object(PagingQuery) } },
    async (req) => {
      const page = pageRequest(req.query)
      const res = await listEntities(db, r.table, req.principal.account.sid, page)
      return v1Page('results', base, {}, page, { rows: res.rows.map(present), next: res.next }, req.query.PageToken)
    },
  )

  app.get(
    `/v1/${r.path}/:Sid`,
    { schema: { tags, security, summary: `Fetch a ${r.path.slice(0, -1)}`, params: Params } },
    async (req) => present(await load(req)),
  )

  app.post(
    `/v1/${r.path}/:Sid`,
    {
      schema: {
        tags,
        security,
        summary: `Update a ${r.path.slice(0, -1)} (Type is immutable; refused while a bundle under review or approved attaches it)`,
        params: Params,
        body: Type.Optional(
          Type.Object({ FriendlyName: str('A descriptive name'), Attributes: Type.Optional(Type.Unknown()) }),
        ),
      },
    },
    async (req) => {
      const row = await load(req)
      const b = req.body ?? {}
      const patch: { friendly_name?: string; attributes?: string } = {}
      if (b.FriendlyName) patch.friendly_name = b.FriendlyName
      if (b.Attributes !== undefined) patch.attributes = attributesJson(b.Attributes)
      return present(await updateEntityObject(db, ctx.clock, r.table, row, patch))
    },
  )

  app.delete(
    `/v1/${r.path}/:Sid`,
    { schema: { tags, security, summary: `Delete a ${r.path.slice(0, -1)}`, params: Params } },
    async (req, reply) => {
      const row = await load(req)
      await deleteEntityObject(db, r.table, row)
      return reply.status(204).send()
    },
  )
}
