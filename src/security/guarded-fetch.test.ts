import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { createGuardedFetcher, refusalKind, type GuardRules } from './guarded-fetch.js'

let server: http.Server
let port = 0
let hits = 0

before(async () => {
  server = http.createServer((req, res) => {
    hits++
    if (req.url === '/ok') {
      res.end('hello')
      return
    }
    if (req.url === '/same') {
      res.writeHead(302, { location: '/ok' }).end()
      return
    }
    if (req.url === '/other') {
      res.writeHead(302, { location: `http://localhost:${port}/ok` }).end()
      return
    }
    if (req.url === '/big') {
      res.end(Buffer.alloc(10_000, 65))
      return
    }
    if (req.url === '/bigchunked') {
      res.writeHead(200)
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000, 66))
      res.end()
      return
    }
    if (req.url === '/slow') {
      // slow loris: headers at once, then one byte every 100 ms, forever
      res.writeHead(200, { 'content-type': 'text/plain' })
      const t = setInterval(() => res.write('x'), 100)
      res.on('close', () => clearInterval(t))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
})
after(() => {
  server.closeAllConnections()
  server.close()
})

const base = (over: Partial<GuardRules> = {}): GuardRules => ({
  schemes: ['https:'],
  ports: [443, 8443],
  allow: [`127.0.0.1:${port}`],
  timeoutMs: 3000,
  maxBytes: 4096,
  ...over,
})

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return refusalKind(e)
  }
}

describe('guarded fetch', () => {
  it('fetches an allowed loopback host over http', async () => {
    const f = createGuardedFetcher(base())
    const r = await f.fetch(`http://127.0.0.1:${port}/ok`)
    assert.equal(r.status, 200)
    assert.equal(r.body.toString(), 'hello')
    await f.close()
  })

  it('refuses a loopback server that is not allowed, without sending a request', async () => {
    const f = createGuardedFetcher(base({ allow: [], schemes: ['http:', 'https:'], ports: undefined }))
    const before = hits
    assert.equal(await kindOf(f.fetch(`http://127.0.0.1:${port}/ok`)), 'address')
    assert.equal(hits, before)
    await f.close()
  })

  it('checks the resolved address of a name (localhost -> 127.0.0.1), not only literals', async () => {
    const f = createGuardedFetcher(base({ schemes: ['http:'], ports: undefined }))
    const before = hits
    assert.equal(await kindOf(f.fetch(`http://localhost:${port}/ok`)), 'address')
    assert.equal(hits, before)
    await f.close()
  })

  it('refuses cloud metadata 169.254.169.254 and other private literals', async () => {
    const f = createGuardedFetcher(base({ schemes: ['http:', 'https:'], ports: undefined }))
    for (const u of [
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/x.pem',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      assert.equal(await kindOf(f.fetch(u)), 'address', u)
    }
    await f.close()
  })

  it('enforces scheme, port, userinfo and query rules', async () => {
    const f = createGuardedFetcher(base({ allow: [] }))
    assert.equal(await kindOf(f.fetch('http://certs.example.com/a.pem')), 'scheme')
    assert.equal(await kindOf(f.fetch('https://certs.example.com:8080/a.pem')), 'port')
    assert.equal(await kindOf(f.fetch('https://u:p@certs.example.com/a.pem')), 'userinfo')
    assert.equal(await kindOf(f.fetch('https://certs.example.com/a.pem?x=1')), 'query')
    assert.equal(await kindOf(f.fetch('file:///etc/passwd')), 'scheme')
    assert.equal(await kindOf(f.fetch('not a url')), 'bad_url')
    await f.close()
  })

  it('follows a same-host redirect and refuses one to another host', async () => {
    const f = createGuardedFetcher(base({ allow: [`127.0.0.1:${port}`, `localhost:${port}`] }))
    assert.equal((await f.fetch(`http://127.0.0.1:${port}/same`)).body.toString(), 'hello')
    assert.equal(await kindOf(f.fetch(`http://127.0.0.1:${port}/other`)), 'redirect')
    await f.close()
  })

  it('times out a slow-loris server within the deadline', async () => {
    // The server trickles a byte every 100 ms forever: only the overall deadline can end it.
    const f = createGuardedFetcher(base({ maxBytes: 1_000_000, timeoutMs: 400 }))
    const t0 = Date.now()
    assert.equal(await kindOf(f.fetch(`http://127.0.0.1:${port}/slow`)), 'timeout')
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`)
    await f.close()
  })

  it('refuses an oversize body, declared or streamed', async () => {
    const f = createGuardedFetcher(base())
    assert.equal(await kindOf(f.fetch(`http://127.0.0.1:${port}/big`)), 'too_large')
    assert.equal(await kindOf(f.fetch(`http://127.0.0.1:${port}/bigchunked`)), 'too_large')
    await f.close()
  })

  it('never connects to an allowed host on a port its entry does not name, by name or literal, over http or https', async () => {
    // Another service on the same host: it must not even see a TCP handshake.
    let connections = 0
    const other = net.createServer((sock) => {
      connections++
      sock.destroy()
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const otherPort = (other.address() as AddressInfo).port
    try {
      const anyPort = createGuardedFetcher(
        base({ allow: [`localhost:${port}`, `127.0.0.1:${port}`], schemes: ['http:', 'https:'], ports: undefined }),
      )
      const x5uLike = createGuardedFetcher(
        base({ allow: [`localhost:${port}`, `127.0.0.1:${port}`], ports: [otherPort] }),
      )
      for (const [f, url] of [
        [anyPort, `http://localhost:${otherPort}/x`],
        [anyPort, `https://localhost:${otherPort}/x`],
        [x5uLike, `https://localhost:${otherPort}/x`],
        [anyPort, `http://127.0.0.1:${otherPort}/x`],
        [x5uLike, `https://127.0.0.1:${otherPort}/x`],
      ] as const) {
        assert.equal(await kindOf(f.fetch(url)), 'address', url)
      }
      // The entry's own port still works by name.
      assert.equal((await anyPort.fetch(`http://localhost:${port}/ok`)).body.toString(), 'hello')
      await anyPort.close()
      await x5uLike.close()
      assert.equal(connections, 0)
    } finally {
      other.close()
    }
  })

  it('reports a refused connection as a network failure', async () => {
    const f = createGuardedFetcher(base({ allow: ['127.0.0.1:1'] }))
    assert.equal(await kindOf(f.fetch('http://127.0.0.1:1/x')), 'network')
    await f.close()
  })
})
