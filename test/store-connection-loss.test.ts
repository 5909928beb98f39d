/**
 * PostgreSQL restarts, fails over, or a proxy closes idle connections: the pooled connections
 * a server holds die under it. The server must survive that, answer what it can, and reconnect.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS, pgAdmin } from './helpers/dialects.js'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'

describe("PostgreSQL closes the server's connections", {
  skip: !DIALECTS.includes('postgres') && 'PostgreSQL not under test',
}, () => {
  let server: TestServer
  before(async () => {
    server = await startServer('postgres')
  })
  after(async () => {
    await server?.stop()
  })

  /** Terminates every backend this server's pool holds, as an administrator would. */
  async function terminatePool(): Promise<number> {
    const pool = server.running.ctx.store.pool!
    // Each query checks out an idle client; hold them all to learn every backend's pid.
    const clients = await Promise.all(Array.from({ length: pool.totalCount || 1 }, () => pool.connect()))
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    )
    for (const c of clients) c.release()
    await pgAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (${pids.join(',')})`)
    return pids.length
  }

  it('idle connections dropped by the server do not end the process; the next request reconnects', async () => {
    const caller = await newAccount(server.url)
    assert.equal((await http(server.url, 'GET', '/v1/Policies', { auth: caller })).status, 200)
    const uncaught: Error[] = []
    const onUncaught = (e: Error) => uncaught.push(e)
    process.on('uncaughtException', onUncaught)
    try {
      assert.ok((await terminatePool()) >= 1)
      // Let the termination notices reach the idle clients.
      await new Promise((r) => setTimeout(r, 200))
      for (let i = 0; i < 5; i++) {
        const r = await http(server.url, 'GET', `/2010-04-01/Accounts/${caller.sid}.json`, { auth: caller })
        assert.equal(r.status, 200, JSON.stringify(r.body))
      }
      assert.deepEqual(
        uncaught.map((e) => e.message),
        [],
      )
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})
