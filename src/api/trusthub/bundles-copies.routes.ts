/**
 * A bundle's Copies and ReplaceItems over HTTP (Twilio Regulatory Compliance v2's resources,
 * under Trust Hub): schema, then the rules of src/trusthub/copies.ts, then the presenter. Both
 * answer with the bundle's own shape (a copy is a bundle; ReplaceItems returns the original).
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { listCopies } from '../../store/bundles.repo.js'
import { copyBundle, replaceItems } from '../../trusthub/copies.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { params, sidParam, str } from '../params.js'
import { presentBundle, type BundleResource } from './bundles.presenter.js'
import { loadBundle } from './bundles-scope.js'

/** Registers Copies (create, list) and ReplaceItems for one bundle family. */
export function bundleCopiesRoutes(app: App, ctx: AppContext, r: BundleResource) {
  const db = ctx.store.db
  const tags = ['trusthub']
  const security = [{ basic: [] }]
  const Parent = params({ BundleSid: sidParam('BU') })
  const present = (row: Parameters<typeof presentBundle>[2]) => presentBundle(ctx.config.publicUrl, r, row)
  const copies = `/v1/${r.path}/:BundleSid/Copies`

  app.post(
    copies,
    {
      schema: {
        tags,
        security,
        params: Parent,
        body: Type.Optional(Type.Object({ FriendlyName: str("Name of the copy (default: the original's)") })),
        summary: `Copy an approved ${r.noun} into a draft (new end users and documents, same addresses and supporting bundle) to edit and submit`,
      },
    },
    async (req, reply) => {
      const original = await loadBundle(ctx, r, req, req.params.BundleSid)
      return reply.status(201).send(present(await copyBundle(db, ctx.clock, original, req.body?.FriendlyName)))
    },
  )

  app.get(
    copies,
    {
      schema: {
        tags,
        security,
        summary: `List a ${r.noun}'s copies, newest first`,
        params: Parent,
        querystring: Type.Object(PagingQuery),
      },
    },
    async (req) => {
      const original = await loadBundle(ctx, r, req, req.params.BundleSid)
      const page = pageRequest(req.query)
      const res = await listCopies(db, original, page)
      return v1Page(
        'results',
        `${ctx.config.publicUrl}/v1/${r.path}/${original.sid}/Copies`,
        {},
        page,
        { rows: res.rows.map(present), next: res.next },
        req.query.PageToken,
      )
    },
  )

  app.post(
    `/v1/${r.path}/:BundleSid/ReplaceItems`,
    {
      schema: {
        tags,
        security,
        params: Parent,
        body: Type.Object({ FromBundleSid: sidParam('BU') }),
        summary: `Replace an approved ${r.noun}'s end users and documents with those of its approved copy FromBundleSid (status, validity and numbers are kept)`,
      },
    },
    async (req, reply) => {
      const original = await loadBundle(ctx, r, req, req.params.BundleSid)
      return reply.status(201).send(present(await replaceItems(db, ctx.clock, original, req.body.FromBundleSid)))
    },
  )
}
