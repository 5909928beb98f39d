import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import { staticRoutes } from './static.routes.js'
import { twilioErrorHandler } from '../errors.js'
import type { App } from '../app-types.js'

describe('console static routes', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-web-'))
  const app = Fastify()
  before(async () => {
    fs.mkdirSync(path.join(root, 'assets'))
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>')
    fs.writeFileSync(path.join(root, 'assets', 'a%b.js'), 'x')
    app.setErrorHandler(twilioErrorHandler)
    await staticRoutes(app as unknown as App, root)
  })
  after(async () => {
    await app.close()
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('reads the path as the router decoded it: a % it produced is no escape, and a NUL names no file', async () => {
    for (const url of ['/console/%25', '/console/%2525', '/console/a%00b', '/console/%00']) {
      const r = await app.inject({ method: 'GET', url })
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`)
      assert.match(r.body, /<title>console<\/title>/)
    }
    const asset = await app.inject({ method: 'GET', url: '/console/assets/a%25b.js' })
    assert.equal(asset.statusCode, 200)
    assert.equal(asset.body, 'x')
    assert.equal((await app.inject({ method: 'GET', url: '/console/assets/%00' })).statusCode, 404)
  })
})
