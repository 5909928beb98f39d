import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { Type } from 'typebox'
import { MAX_PAGE, pageRequest, PagingQuery } from './paging.js'
import { twilioErrorHandler } from './errors.js'

describe('paging query', () => {
  it('refuses a Page whose offset would not be an exact integer (Page=1e30 reached SQL as OFFSET 5e31)', async () => {
    // The app's own validator settings (src/api/app.ts): query strings are coerced to numbers.
    const app = Fastify({ ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } } })
    app.setErrorHandler(twilioErrorHandler)
    app.get('/list', { schema: { querystring: Type.Object(PagingQuery) } }, async (req) =>
      pageRequest(req.query as any),
    )
    for (const page of ['999999999999999999999999999999', String(MAX_PAGE + 1)]) {
      const r = await app.inject({ method: 'GET', url: `/list?Page=${page}&PageSize=1000` })
      assert.equal(r.statusCode, 400, page)
      assert.equal(r.json().code, 20001)
    }
    const ok = await app.inject({ method: 'GET', url: `/list?Page=${MAX_PAGE}&PageSize=1000` })
    assert.equal(ok.statusCode, 200)
    assert.ok(Number.isSafeInteger(ok.json().page * ok.json().pageSize))
  })
})
