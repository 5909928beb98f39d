/**
 * The operator's inventory of numbers customers buy (src/trusthub/inventory.ts):
 * `POST /admin/v1/PhoneNumberInventory` `{"PhoneNumbers": [...]}` (up to 10,000 per call),
 * `GET` (keyset-paged in number order, filters `AreaCode`, `Status`, `Type`) and
 * `DELETE /admin/v1/PhoneNumberInventory/{E164}` for a free number. Operator only.
 */
import { Type } from 'typebox'
import type { App } from '../app-types.js'
import type { AppContext } from '../../runtime/context.js'
import { authenticateOperator } from '../auth.js'
import { errors } from '../../domain/errors.js'
import { parseE164 } from '../../domain/e164.js'
import { MAX_BULK } from '../../trusthub/numbers.js'
import { importInventory, removeFromInventory } from '../../trusthub/inventory.js'
import { listInventory, type InventoryRow } from '../../store/inventory.repo.js'
import { toV1Date } from '../../domain/time.js'
import { pageRequest, PagingQuery, v1Page } from '../paging.js'
import { pathOf } from '../scope.js'

const tags = ['admin']
const security = [{ bearer: [] }]

/** An E.164 number in a path (`+` may arrive as is or as %2B; without it, it is added). */
export const E164Param = Type.String({ pattern: '^\\+?[0-9]{8,15}$', description: 'E.164 number' })

/** The E.164 form of a path's number, or 404 (a path that names no number names nothing). */
export function pathNumber(raw: string, path: string): string {
  const r = parseE164(raw.startsWith('+') ? raw : `+${raw}`)
  if (!r.ok) throw errors.notFound(path)
  return r.e164
}

const present = (r: InventoryRow) => ({
  phone_number: r.phone_number,
  area_code: r.area_code,
  type: r.kind,
  status: r.status,
  date_created: toV1Date(r.date_created),
  date_updated: toV1Date(r.date_updated),
})

export function adminInventoryRoutes(app: App, ctx: AppContext) {
  app.addHook('onRequest', async (req) => authenticateOperator(ctx, req))
  const base = `${ctx.config.publicUrl}/admin/v1/PhoneNumberInventory`
  app.post(
    '/admin/v1/PhoneNumberInventory',
    {
      // 10,000 E.164 strings in JSON are ~200 KB; allow headroom above the default body limit.
      bodyLimit: Math.max(ctx.config.bodyLimit, 1024 * 1024),
      schema: {
        tags,
        security,
        summary: 'Add up to 10,000 numbers to the inventory in one transaction',
        body: Type.Object({
          PhoneNumbers: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: MAX_BULK }),
        }),
      },
    },
    async (req) => {
      const res = await importInventory(ctx.store.db, ctx.clock, req.body.PhoneNumbers, 'operator')
      req.log.info(
        { added: res.added, present: res.already_present, refused: res.refused.length },
        'inventory imported',
      )
      return res
    },
  )

  app.get(
    '/admin/v1/PhoneNumberInventory',
    {
      schema: {
        tags,
        security,
        summary: 'The inventory, in number order',
        querystring: Type.Object({
          AreaCode: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
          Status: Type.Optional(Type.Union([Type.Literal('available'), Type.Literal('held')])),
          Type: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('toll-free')])),
          ...PagingQuery,
        }),
      },
    },
    async (req) => {
      const q = req.query
      const page = pageRequest(q)
      const res = await listInventory(ctx.store.db, { areaCode: q.AreaCode, status: q.Status, kind: q.Type }, page)
      return v1Page(
        'results',
        base,
        { AreaCode: q.AreaCode, Status: q.Status, Type: q.Type },
        page,
        { rows: res.rows.map(present), next: res.next },
        q.PageToken,
      )
    },
  )

  app.delete(
    '/admin/v1/PhoneNumberInventory/:PhoneNumber',
    {
      schema: {
        tags,
        security,
        summary: 'Remove a free number from the inventory (409 while held)',
        params: Type.Object({ PhoneNumber: E164Param }),
      },
    },
    async (req, reply) => {
      await removeFromInventory(
        ctx.store.db,
        ctx.clock,
        pathNumber(req.params.PhoneNumber, pathOf(req)),
        pathOf(req),
        'operator',
      )
      return reply.status(204).send()
    },
  )
}
