/** Read-only catalogue: Policies, EndUserTypes, SupportingDocumentTypes. */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import {
  END_USER_TYPES,
  POLICIES,
  SUPPORTING_DOCUMENT_TYPES,
  findDocumentType,
  findEndUserType,
  findPolicy,
  policyRequirements,
  type TypeDef,
} from '../../domain/policies.js'
import { errors } from '../../domain/errors.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { pathOf } from '../scope.js'

/** Pages an in-memory list with the same envelope as the store-backed lists. */
function pageArray<T>(rows: readonly T[], page: number, pageSize: number) {
  const start = page * pageSize
  return { rows: rows.slice(start, start + pageSize), more: start + pageSize < rows.length }
}

export function catalogRoutes(app: App, ctx: AppContext) {
  const base = `${ctx.config.publicUrl}/v1`
  const tags = ['trusthub catalog']
  const security = [{ basic: [] }]
  const presentType = (path: string) => (t: TypeDef) => ({
    sid: t.sid,
    friendly_name: t.friendly_name,
    machine_name: t.machine_name,
    fields: t.fields.map((f) => ({
      machine_name: f.machine_name,
      friendly_name: f.friendly_name,
      constraint: f.constraint,
    })),
    url: `${base}/${path}/${t.sid}`,
  })
  const presentPolicy = (p: (typeof POLICIES)[number]) => ({
    sid: p.sid,
    friendly_name: p.friendly_name,
    requirements: policyRequirements(p),
    url: `${base}/Policies/${p.sid}`,
  })

  // The catalogue is tiny and static: page by position (a keyset token would add nothing).
  const list = <T, R>(path: string, key: string, rows: readonly T[], present: (x: T) => R) =>
    app.get(
      `/v1/${path}`,
      { schema: { tags, security, summary: `List ${path}`, querystring: Type.Object(PagingQuery) } },
      async (req) => {
        const page = pageRequest({ ...req.query, PageToken: undefined })
        const r = pageArray(rows, page.page, page.pageSize)
        const env = v1Page(key, `${base}/${path}`, {}, page, { rows: r.rows.map(present) })
        env.meta.next_page_url = r.more ? `${base}/${path}?PageSize=${page.pageSize}&Page=${page.page + 1}` : null
        return env
      },
    )

  list('Policies', 'results', POLICIES, presentPolicy)
  list('EndUserTypes', 'end_user_types', END_USER_TYPES, presentType('EndUserTypes'))
  list(
    'SupportingDocumentTypes',
    'supporting_document_types',
    SUPPORTING_DOCUMENT_TYPES,
    presentType('SupportingDocumentTypes'),
  )

  const one = (path: string, find: (k: string) => unknown, present: (x: any) => unknown) =>
    app.get(
      `/v1/${path}/:Sid`,
      {
        schema: {
          tags,
          security,
          summary: `Fetch one of ${path} (SID or machine name)`,
          params: Type.Object({ Sid: Type.String({ maxLength: 64 }) }),
        },
      },
      async (req) => {
        const x = find(req.params.Sid)
        if (!x) throw errors.notFound(pathOf(req))
        return present(x)
      },
    )
  one('Policies', findPolicy, presentPolicy)
  one('EndUserTypes', findEndUserType, presentType('EndUserTypes'))
  one('SupportingDocumentTypes', findDocumentType, presentType('SupportingDocumentTypes'))
}
