import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { DIALECTS } from './helpers/dialects.js'

for (const dialect of DIALECTS) {
  describe(`ops and catalogue [${dialect}]`, () => {
    let s: TestServer
    before(async () => {
      s = await startServer(dialect)
    })
    after(async () => {
      await s.stop()
    })

    it('healthz and readyz answer without credentials', async () => {
      assert.deepEqual((await http(s.url, 'GET', '/healthz')).body, { status: 'ok' })
      const r = await http(s.url, 'GET', '/readyz')
      assert.equal(r.status, 200)
      assert.equal(r.body.store, dialect)
    })

    it('readyz answers 503 while a known migration is not applied', async () => {
      const db = s.running.ctx.store.db as any
      const name = '2026-11-28T0220-idempotency'
      const row = await db.selectFrom('kysely_migration').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
      await db.deleteFrom('kysely_migration').where('name', '=', name).execute()
      try {
        const r = await http(s.url, 'GET', '/readyz')
        assert.equal(r.status, 503)
        assert.equal(r.body.status, 'unavailable')
      } finally {
        await db.insertInto('kysely_migration').values(row).execute()
      }
      assert.equal((await http(s.url, 'GET', '/readyz')).status, 200)
    })

    it('sends a browser at / to the console with a 302', async () => {
      const r = await fetch(`${s.url}/`, { redirect: 'manual' })
      assert.equal(r.status, 302)
      assert.equal(r.headers.get('location'), '/console')
    })

    it('serves an OpenAPI 3.1 document generated from the route schemas, and a docs page', async () => {
      const r = await http(s.url, 'GET', '/openapi.json')
      assert.equal(r.status, 200)
      assert.equal(r.body.openapi, '3.1.0')
      for (const p of [
        '/v1/EndUsers',
        '/v1/EndUsers/{Sid}',
        '/v1/Policies',
        '/2010-04-01/Accounts.json',
        '/admin/v1/Accounts',
      ]) {
        assert.ok(r.body.paths[p], `missing ${p}`)
      }
      assert.deepEqual(
        r.body.paths['/admin/v1/Accounts'].post.requestBody.content['application/json'].schema.required,
        ['FriendlyName'],
      )
      const docs = await fetch(`${s.url}/docs/`)
      assert.equal(docs.status, 200)
      assert.match(await docs.text(), /swagger/i)
    })

    it('lists policies with Twilio SIDs and the paging envelope; types by SID or machine name', async () => {
      const a = await newAccount(s.url)
      const r = await http(s.url, 'GET', '/v1/Policies?PageSize=2', { auth: a })
      assert.equal(r.status, 200)
      assert.equal(r.body.results.length, 2)
      assert.equal(r.body.meta.key, 'results')
      assert.equal(r.body.meta.page_size, 2)
      assert.match(r.body.meta.next_page_url, new RegExp(`^${s.url}/v1/Policies\\?PageSize=2&Page=1`))
      const types = await http(s.url, 'GET', '/v1/EndUserTypes', { auth: a })
      assert.equal(types.body.meta.key, 'end_user_types')
      const bi = types.body.end_user_types.find((t: any) => t.machine_name === 'customer_profile_business_information')
      assert.match(bi.sid, /^OY[0-9a-f]{32}$/)
      assert.equal(
        (await http(s.url, 'GET', `/v1/EndUserTypes/${bi.sid}`, { auth: a })).body.machine_name,
        bi.machine_name,
      )
      assert.equal(
        (await http(s.url, 'GET', '/v1/EndUserTypes/customer_profile_business_information', { auth: a })).body.sid,
        bi.sid,
      )
      const shaken = await http(s.url, 'GET', '/v1/Policies/RN7a97559effdf62d00f4298208492a5ea', { auth: a })
      assert.equal(shaken.body.friendly_name, 'SHAKEN/STIR Trust Product')
      assert.equal(
        (await http(s.url, 'GET', '/v1/Policies/RN00000000000000000000000000000000', { auth: a })).body.code,
        20404,
      )
    })

    it('end users: form in, snake_case out, bad Attributes JSON named, deep paging by token', async () => {
      const a = await newAccount(s.url)
      const bad = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { FriendlyName: 'x', Type: 'authorized_representative_1', Attributes: '{not json' },
      })
      assert.equal(bad.status, 400)
      assert.match(bad.body.message, /Attributes/)
      const unknownType = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { FriendlyName: 'x', Type: 'nope' },
      })
      assert.equal(unknownType.status, 400)
      assert.match(unknownType.body.message, /Type/)
      const missing = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: { Type: 'authorized_representative_1' },
      })
      assert.equal(missing.body.code, 20001)
      assert.equal(missing.body.message, 'Missing required parameter FriendlyName in the post body')
      const created = new Set<string>()
      for (let i = 0; i < 7; i++) {
        const r = await http(s.url, 'POST', '/v1/EndUsers', {
          auth: a,
          form: {
            FriendlyName: `rep ${i}`,
            Type: 'authorized_representative_1',
            Attributes: JSON.stringify({ first_name: `N${i}` }),
          },
        })
        assert.equal(r.status, 201)
        assert.deepEqual(r.body.attributes, { first_name: `N${i}` })
        assert.match(r.body.date_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        created.add(r.body.sid)
      }
      const seen = new Set<string>()
      let next: string | null = `/v1/EndUsers?PageSize=3`
      let pages = 0
      while (next) {
        const r = await http(s.url, 'GET', next.replace(s.url, ''), { auth: a })
        assert.equal(r.status, 200)
        for (const row of r.body.results) seen.add(row.sid)
        next = r.body.meta.next_page_url
        pages++
      }
      assert.equal(pages, 3)
      assert.deepEqual([...seen].sort(), [...created].sort())
      const other = await newAccount(s.url, 'Other')
      const sid = [...created][0]
      assert.equal((await http(s.url, 'GET', `/v1/EndUsers/${sid}`, { auth: other })).status, 404)
      assert.equal((await http(s.url, 'DELETE', `/v1/EndUsers/${sid}`, { auth: other })).status, 404)
      assert.equal((await http(s.url, 'GET', '/v1/EndUsers?PageToken=garbage', { auth: a })).status, 400)
      const upd = await http(s.url, 'POST', `/v1/EndUsers/${sid}`, {
        auth: a,
        form: { Attributes: '{"first_name":"Z"}' },
      })
      assert.deepEqual(upd.body.attributes, { first_name: 'Z' })
      assert.equal((await http(s.url, 'DELETE', `/v1/EndUsers/${sid}`, { auth: a })).status, 204)
      assert.equal((await http(s.url, 'GET', `/v1/EndUsers/${sid}`, { auth: a })).status, 404)
    })

    it('oversize bodies get 413, unsupported media 415, never a 500', async () => {
      const a = await newAccount(s.url)
      const big = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        form: {
          FriendlyName: 'x',
          Type: 'authorized_representative_1',
          Attributes: JSON.stringify({ x: 'y'.repeat(2_000_000) }),
        },
      })
      assert.equal(big.status, 413)
      assert.equal(big.body.status, 413)
      const xml = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        raw: '<x/>',
        headers: { 'content-type': 'application/xml' },
      })
      assert.equal(xml.status, 415)
      const badJson = await http(s.url, 'POST', '/v1/EndUsers', {
        auth: a,
        raw: '{',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(badJson.status, 400)
    })
  })
}
