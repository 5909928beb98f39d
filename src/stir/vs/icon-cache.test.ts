import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createGuardedFetcher } from '../../security/guarded-fetch.js'
import { iconRules } from './sti-vs.js'
import { IconCache } from './icon-cache.js'

describe('RCD icon cache (through the guarded fetcher, against a local logo server)', () => {
  let server: http.Server
  let base: string
  let body = Buffer.from('logo v1')
  let maxAge: string | undefined
  let hits = 0
  const fetcher = () => createGuardedFetcher(iconRules([new URL(base).host]))
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64')

  before(async () => {
    server = http.createServer((req, res) => {
      hits++
      if (req.url === '/missing.png') return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'image/png', ...(maxAge ? { 'cache-control': maxAge } : {}) }).end(body)
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((ok) => server.close(ok))
  })

  it('keeps a logo for its max-age within [5 min, 24 h], then fetches it again', async () => {
    let now = Date.parse('2026-12-06T12:00:00Z')
    const f = fetcher()
    const icons = new IconCache({ fetcher: (u) => f.fetch(u), clock: () => new Date(now) })
    maxAge = 'max-age=60'
    const a = await icons.get(`${base}/logo.png`)
    assert.ok(a.ok && a.cache === 'miss' && a.digest('sha256') === sha(body))
    const h = hits
    // 60 s granted, but the floor is 5 minutes: still a hit after 4.
    now += 4 * 60_000
    assert.equal((await icons.get(`${base}/logo.png`)).cache, 'hit')
    assert.equal(hits, h)
    body = Buffer.from('logo v2')
    now += 2 * 60_000
    const b = await icons.get(`${base}/logo.png`)
    assert.ok(b.ok && b.cache === 'miss' && b.digest('sha256') === sha(body))
    await f.close()
  })

  it('remembers a failure for 30 s, and shares one fetch between concurrent calls', async () => {
    let now = Date.parse('2026-12-06T12:00:00Z')
    const f = fetcher()
    const icons = new IconCache({ fetcher: (u) => f.fetch(u), clock: () => new Date(now) })
    const h = hits
    const [x, y] = await Promise.all([icons.get(`${base}/missing.png`), icons.get(`${base}/missing.png`)])
    assert.ok(!x.ok && !y.ok && /404/.test(x.detail))
    assert.equal(hits, h + 1)
    now += 10_000
    assert.equal((await icons.get(`${base}/missing.png`)).cache, 'hit')
    now += 30_000
    assert.equal((await icons.get(`${base}/missing.png`)).cache, 'miss')
    assert.equal(hits, h + 2)
    // The guard's refusals are failures too (a private address, never connected to).
    const r = await icons.get('https://192.168.1.10/logo.png')
    assert.ok(!r.ok && /address/.test(r.detail), JSON.stringify(r))
    await f.close()
  })
})
