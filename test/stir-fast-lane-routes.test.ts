/**
 * Every /stir route is either answered by the HTTP fast lane (src/api/stir/stir.fast-lane.ts) or
 * listed in its OFF_THE_LANE with a reason: a new per-call route cannot slip past the lane
 * unnoticed, nor can the list keep a route that is gone.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { OFF_THE_LANE, stirFastRoutes } from '../src/api/stir/stir.fast-lane.js'
import { startServer, type TestServer } from './helpers/server.js'

describe('fast lane coverage of /stir', () => {
  let s: TestServer
  before(async () => {
    s = await startServer('sqlite')
  })
  after(async () => {
    await s?.stop()
  })

  it('every registered /stir route is on the lane or listed as off it, and nothing else is', () => {
    const registered = new Set(
      s.running
        .app!.routeTable()
        .filter((r) => r.split(' ')[1]!.startsWith('/stir/'))
        // HEAD answers as its GET (Fastify adds it for every GET route).
        .map((r) => r.replace(/^HEAD /, 'GET ')),
    )
    assert.ok(
      registered.has('POST /stir/v1/signing'),
      `the /stir routes were enumerated: ${[...registered].join(', ')}`,
    )
    const lane = stirFastRoutes(s.running.ctx, { responded: () => undefined, timed: () => undefined }).map(
      (r) => `${r.method} ${r.path}`,
    )
    const accounted = new Set([...lane, ...Object.keys(OFF_THE_LANE)])
    const missing = [...registered].filter((r) => !accounted.has(r))
    assert.deepEqual(missing, [], 'routes neither on the fast lane nor in OFF_THE_LANE')
    const stale = [...accounted].filter((r) => !registered.has(r))
    assert.deepEqual(stale, [], 'lane routes or OFF_THE_LANE entries with no registered route')
    assert.equal(
      lane.filter((r) => OFF_THE_LANE[r] !== undefined).length,
      0,
      'a route both on the lane and listed off it',
    )
  })
})
