import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { installFastLane, type FastRequest, type FastRoute } from './fast-lane.js'

/** A Node server answering "node <method> <url> <body>", with the lane in front for POST /fast. */
async function setup(
  answer: FastRoute['answer'] = async (req) => ({
    status: 200,
    headers: { 'x-lane': 'yes' },
    body: `lane ${req.body.toString()}`,
  }),
) {
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => {
      body += c.toString()
    })
    req.on('end', () => res.end(`node ${req.method} ${req.url} ${body}`))
  })
  const outcomes: string[] = []
  const failures: unknown[] = []
  const lane = installFastLane(server, [{ method: 'POST', path: '/fast', maxBody: 1024, answer }], {
    failed: (e) => failures.push(e),
    counted: (o) => outcomes.push(o),
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return { server, lane, port, outcomes, failures }
}

const post = (path: string, body: string, fields = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\n${fields}Content-Length: ${body.length}\r\n\r\n${body}`

/** Sends `parts` (pausing between them), then reads until the server closes or `ms` pass. */
function talk(port: number, parts: string[], ms = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1')
    let out = ''
    c.on('data', (d) => {
      out += d.toString('latin1')
    })
    c.on('error', reject)
    const t = setTimeout(() => {
      c.destroy()
      resolve(out)
    }, ms)
    c.on('close', () => {
      clearTimeout(t)
      resolve(out)
    })
    let i = 0
    const next = () => {
      if (i < parts.length) {
        c.write(parts[i++]!)
        setTimeout(next, 40)
      }
    }
    c.on('connect', next)
  })
}

/**
 * Writes `bytes` in one go, half-closes after them when `fin`, then reads until the server ends
 * the connection or `ms` pass; `closed` says which (the bound only keeps a failure from hanging).
 */
function converse(
  port: number,
  bytes: string,
  fin: boolean,
  ms = 5000,
): Promise<{ readonly raw: string; readonly closed: boolean }> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.write(bytes)
      if (fin) c.end()
    })
    let raw = ''
    c.on('data', (d) => {
      raw += d.toString('latin1')
    })
    c.on('error', reject)
    const t = setTimeout(() => {
      c.destroy()
      resolve({ raw, closed: false })
    }, ms)
    c.on('close', () => {
      clearTimeout(t)
      resolve({ raw, closed: true })
    })
  })
}

/** The same handler as `setup`'s, alone: what Node's server does with bytes the lane hands it. */
async function nodeAlone(tune: (server: http.Server) => void = () => undefined) {
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => {
      body += c.toString()
    })
    req.on('end', () => res.end(`node ${req.method} ${req.url} ${body}`))
  })
  tune(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as net.AddressInfo).port }
}

const undated = (raw: string) => raw.replace(/\r\nDate: [^\r]+/g, '\r\nDate: -')

/** The bodies of the responses in `raw`, in order (Content-Length framed). */
function bodies(raw: string): string[] {
  const out: string[] = []
  let at = 0
  for (;;) {
    const head = raw.indexOf('\r\n\r\n', at)
    if (head < 0) return out
    const len = Number(/content-length: (\d+)/i.exec(raw.slice(at, head))?.[1] ?? 0)
    out.push(raw.slice(head + 4, head + 4 + len))
    at = head + 4 + len
  }
}

describe('HTTP fast lane', () => {
  it('answers its route on one keep-alive connection and leaves others to Node, in order', async () => {
    const { server, port, outcomes } = await setup()
    try {
      const raw = await talk(port, [post('/fast', 'a'), post('/fast', 'b')])
      assert.deepEqual(bodies(raw), ['lane a', 'lane b'])
      assert.match(
        raw,
        /^HTTP\/1\.1 200 OK\r\nx-lane: yes\r\ncontent-length: 6\r\nDate: [^\r]+ GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n/,
      )
      assert.deepEqual(outcomes, ['answered', 'answered'])
      // Pipelined in one write: answered, then the connection goes to Node with every byte left.
      outcomes.length = 0
      assert.deepEqual(bodies(await talk(port, [post('/fast', '1') + post('/slow', '2') + post('/fast', '3')])), [
        'lane 1',
        'node POST /slow 2',
        'node POST /fast 3',
      ])
      assert.deepEqual(outcomes, ['answered', 'handed_off'])
      // A request split across reads, a GET, an unusual field: Node's, whole.
      assert.deepEqual(
        bodies(await talk(port, [post('/fast', 'hello').slice(0, 20), post('/fast', 'hello').slice(20)])),
        ['node POST /fast hello'],
      )
      assert.deepEqual(bodies(await talk(port, ['GET /fast HTTP/1.1\r\nHost: x\r\n\r\n'])), ['node GET /fast '])
      assert.deepEqual(bodies(await talk(port, [post('/fast', 'z', 'Connection: close\r\n')])), ['node POST /fast z'])
      assert.deepEqual(bodies(await talk(port, [post('/fast', 'big'.repeat(400))])), [
        `node POST /fast ${'big'.repeat(400)}`,
      ])
      // Malformed input reaches Node's parser, which refuses it as it would without the lane.
      assert.match(
        await talk(port, ['POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab']),
        /^HTTP\/1\.1 400 Bad Request/,
      )
    } finally {
      server.close()
    }
  })

  it('hands a request the route declines to Node, and answers later ones there too', async () => {
    const { server, port, outcomes } = await setup(async (req) =>
      req.body.toString() === 'no' ? undefined : { status: 201, headers: {}, body: 'lane' },
    )
    try {
      assert.deepEqual(bodies(await talk(port, [post('/fast', 'ok'), post('/fast', 'no'), post('/fast', 'ok')])), [
        'lane',
        'node POST /fast no',
        'node POST /fast ok',
      ])
      assert.deepEqual(outcomes, ['answered', 'handed_off'])
    } finally {
      server.close()
    }
  })

  it('drops the connection when a route throws, and goes on serving others', async () => {
    const { server, port, failures } = await setup(async (req: FastRequest) => {
      if (req.body.toString() === 'boom') throw new Error('boom')
      return { status: 200, headers: {}, body: 'fine' }
    })
    try {
      assert.equal(await talk(port, [post('/fast', 'boom')], 2000), '')
      assert.equal(failures.length, 1)
      assert.deepEqual(bodies(await talk(port, [post('/fast', 'x')])), ['fine'])
      // A client that resets mid-request costs nothing but its connection.
      await new Promise<void>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => {
          c.write('POST /fast HTTP/1.1\r\nHo')
          c.resetAndDestroy()
          resolve()
        })
      })
      assert.deepEqual(bodies(await talk(port, [post('/fast', 'y')])), ['fine'])
    } finally {
      server.close()
    }
  })

  it('refuses a line break in a header value it is asked to write', async () => {
    const { server, port, failures } = await setup(async () => ({
      status: 200,
      headers: { 'x-bad': 'a\r\nSet-Cookie: x=1' },
      body: '',
    }))
    try {
      assert.equal(await talk(port, [post('/fast', 'x')], 2000), '')
      assert.match(String(failures[0]), /line break/)
    } finally {
      server.close()
    }
  })

  it('closes idle connections after headersTimeout or keepAliveTimeout, and on close lets a busy one finish', async () => {
    let release: () => void = () => undefined
    const { server, lane, port } = await setup(async (req) => {
      if (req.body.toString() === 'slow')
        await new Promise<void>((resolve) => {
          release = resolve
        })
      return { status: 200, headers: {}, body: 'done' }
    })
    server.keepAliveTimeout = 300
    const t0 = Date.now()
    const idle = await talk(port, [post('/fast', 'x')], 5000)
    assert.deepEqual(bodies(idle), ['done'])
    assert.ok(Date.now() - t0 >= 250 && Date.now() - t0 < 3000, `closed after ${Date.now() - t0} ms`)
    // A connection that never sends a request: closed after headersTimeout, as Node would.
    server.keepAliveTimeout = 60_000
    server.headersTimeout = 300
    const t1 = Date.now()
    assert.equal(await talk(port, [], 5000), '')
    assert.ok(Date.now() - t1 >= 250 && Date.now() - t1 < 3000, `silent connection closed after ${Date.now() - t1} ms`)
    server.headersTimeout = 60_000

    server.keepAliveTimeout = 60_000
    const idler = net.connect(port, '127.0.0.1')
    await new Promise((resolve) => idler.once('connect', resolve))
    const busy = talk(port, [post('/fast', 'slow')], 5000)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(lane.connections, 2)
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    lane.close()
    const idlerGone = new Promise((resolve) => idler.once('close', resolve))
    await idlerGone
    release()
    const raw = await busy
    assert.deepEqual(bodies(raw), ['done'])
    assert.match(raw, /Connection: close/)
    await closed
  })

  it("after the client's FIN, answers the requests it holds, hands the rest to Node and ends as Node does", async () => {
    // The lane is still answering (a timer away) when the FIN arrives.
    const { server, port, outcomes } = await setup(async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { status: 200, headers: {}, body: `lane ${req.body.toString()}` }
    })
    server.keepAliveTimeout = 60_000
    try {
      const five = ['1', '2', '3', '4', '5'].map((b) => post('/fast', b)).join('')
      const r = await converse(port, five + 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n', true)
      assert.deepEqual(bodies(r.raw), ['lane 1', 'lane 2', 'lane 3', 'lane 4', 'lane 5', 'node GET /after '])
      assert.ok(r.closed, "the connection outlived the client's FIN")
      assert.deepEqual(outcomes, ['answered', 'answered', 'answered', 'answered', 'answered', 'handed_off'])
      // A request cut short by the FIN: Node's parser has the bytes and the end, and answers 400 as it does alone.
      const cut = await converse(port, post('/fast', '1') + post('/fast', 'whole').slice(0, -2), true)
      assert.deepEqual(bodies(cut.raw).slice(0, 1), ['lane 1'])
      assert.match(cut.raw, /HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/)
      assert.ok(cut.closed)
    } finally {
      server.close()
    }
  })

  it('after a FIN read while it held the socket paused, lets Node answer what it hands over before the end', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const { server, port } = await setup(async (req) => {
      await gate
      return { status: 200, headers: {}, body: `lane ${req.body.length}` }
    })
    const sockets: net.Socket[] = []
    server.prependListener('connection', (s: net.Socket) => sockets.push(s))
    server.keepAliveTimeout = 60_000
    // Polls a condition a bounded while: what the case needs is server state a client cannot see.
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 400 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    try {
      const c = net.connect(port, '127.0.0.1')
      let raw = ''
      let closed = false
      c.on('data', (d) => {
        raw += d.toString('latin1')
      })
      c.on('close', () => {
        closed = true
      })
      await new Promise((resolve) => c.once('connect', resolve))
      c.write(post('/fast', 'first'))
      await until(() => sockets[0] !== undefined && sockets[0].bytesRead > 0)
      // Past MAX_HEAD + maxBody (9 KiB here) pipelined while it answers, the lane stops reading;
      // bytes sent after that wait in the stream, and the FIN behind them.
      const s = sockets[0]!
      c.write(Array.from({ length: 40 }, () => post('/fast', 'x'.repeat(300))).join(''))
      await until(() => s.isPaused())
      c.end('GET /after HTTP/1.1\r\nHost: x\r\n\r\n')
      // The stream has read the FIN and holds it (its end not yet emitted), as the case needs.
      const finRead = () => (s as unknown as { _readableState: { ended: boolean } })._readableState.ended
      await until(finRead)
      assert.ok(finRead() && s.isPaused() && !s.readableEnded, 'the lane did not hold the stream with the FIN in it')
      release()
      await until(() => closed)
      assert.ok(closed, "the connection outlived the client's FIN")
      const got = bodies(raw)
      assert.equal(got.length, 42, `${got.length} answers`)
      assert.equal(got.at(-1), 'node GET /after ')
    } finally {
      release()
      server.close()
    }
  })

  it('ends a connection the client has ended once its answers are written, busy or idle when the FIN came', async () => {
    const { server, port } = await setup(async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { status: 200, headers: {}, body: `lane ${req.body.toString()}` }
    })
    server.keepAliveTimeout = 60_000
    try {
      const busy = await converse(port, post('/fast', 'a') + post('/fast', 'b'), true)
      assert.deepEqual(bodies(busy.raw), ['lane a', 'lane b'])
      assert.ok(busy.closed, 'kept after a FIN that came while answering')
      const idle = await new Promise<{ raw: string; closed: boolean }>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => c.write(post('/fast', 'c')))
        let raw = ''
        c.on('data', (d) => {
          raw += d.toString('latin1')
          if (bodies(raw).length === 1) c.end()
        })
        c.on('error', reject)
        const t = setTimeout(() => {
          c.destroy()
          resolve({ raw, closed: false })
        }, 5000)
        c.on('close', () => {
          clearTimeout(t)
          resolve({ raw, closed: true })
        })
      })
      assert.deepEqual(bodies(idle.raw), ['lane c'])
      assert.ok(idle.closed, 'kept after a FIN that came once answered')
    } finally {
      server.close()
    }
  })

  it('leaves Proxy-Connection to Node, which reads it as Connection', async () => {
    const { server, port, outcomes } = await setup()
    const alone = await nodeAlone()
    try {
      for (const field of [
        'Proxy-Connection: close\r\n',
        'Proxy-Connection: keep-alive\r\n',
        'proxy-connection: Close\r\n',
      ]) {
        const bytes = post('/fast', 'z', field) + post('/fast', 'y')
        const [a, b] = [await converse(port, bytes, false, 300), await converse(alone.port, bytes, false, 300)]
        assert.equal(undated(a.raw), undated(b.raw), field)
        assert.equal(a.closed, b.closed, field)
      }
      assert.deepEqual(outcomes, ['handed_off', 'handed_off', 'handed_off'])
    } finally {
      server.close()
      alone.server.close()
    }
  })

  it('leaves every connection to Node while the server sets maxRequestsPerSocket', async () => {
    const { server, port } = await setup()
    server.maxRequestsPerSocket = 2
    const alone = await nodeAlone((s) => {
      s.maxRequestsPerSocket = 2
    })
    try {
      const bytes = post('/fast', 'a') + post('/fast', 'b') + post('/fast', 'c')
      const [a, b] = [await converse(port, bytes, false, 300), await converse(alone.port, bytes, false, 300)]
      assert.equal(undated(a.raw), undated(b.raw))
      assert.match(a.raw, /Keep-Alive: timeout=5, max=2\r\n[^]*Connection: close\r\n[^]*HTTP\/1\.1 503 /)
      // Set while a connection is on the lane: Node counts from the first request after it, as it does alone.
      server.maxRequestsPerSocket = 0
      const c = net.connect(port, '127.0.0.1')
      let raw = ''
      const got = (n: number) =>
        new Promise<void>((resolve) => {
          const on = () => {
            if (bodies(raw).length >= n) {
              c.off('data', on)
              resolve()
            }
          }
          c.on('data', on)
        })
      c.on('data', (d) => {
        raw += d.toString('latin1')
      })
      c.write(post('/fast', 'd'))
      await got(1)
      server.maxRequestsPerSocket = 1
      c.write(post('/fast', 'e') + post('/fast', 'f'))
      await got(3)
      c.destroy()
      assert.deepEqual(bodies(raw).slice(0, 2), ['lane d', 'node POST /fast e'])
      assert.match(raw, /Connection: close\r\n[^]*HTTP\/1\.1 503 /)
    } finally {
      server.close()
      alone.server.close()
    }
  })

  it('will not stand in front of a server whose connections someone else also watches', () => {
    const server = http.createServer()
    server.on('connection', () => undefined)
    assert.throws(() => installFastLane(server, [], { failed: () => undefined }), /connection listener alone, found 2/)
  })
})
