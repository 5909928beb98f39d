import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { MAX_HEAD, readRequestHead, type RequestHead } from './request-head.js'

const LINES = [Buffer.from('POST /stir/v1/signing HTTP/1.1', 'latin1')]
const BODY = '{"signingRequest":{"attest":"A"}}'
const request = (fields: string[] = [], body = BODY, line = 'POST /stir/v1/signing HTTP/1.1') =>
  `${line}\r\nHost: sti.example\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n${body}`
const read = (s: string | Buffer, start = 0, maxBody = 1 << 20): RequestHead =>
  readRequestHead(Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1'), start, LINES, maxBody)

describe('fast lane request reader', () => {
  it('reads the subset: fields lower-cased and trimmed, the body bounds exact, at any start offset', () => {
    const text = request(['X-Account-Sid:\t ACabc  ', 'authorization: Basic eA=='])
    const r = read(text)
    assert.equal(r.kind, 'request')
    if (r.kind !== 'request') return
    assert.deepEqual(Object.fromEntries(r.headers), {
      host: 'sti.example',
      'content-type': 'application/json',
      'content-length': String(BODY.length),
      'x-account-sid': 'ACabc',
      authorization: 'Basic eA==',
    })
    assert.equal(text.slice(r.bodyStart, r.end), BODY)
    assert.equal(r.end, text.length)
    // Pipelined: the second request read from where the first ended.
    const two = text + text
    const second = read(two, r.end)
    assert.ok(
      second.kind === 'request' && second.end === two.length && two.slice(second.bodyStart, second.end) === BODY,
    )
    assert.equal(read(request(['Connection: Keep-Alive'])).kind, 'request')
  })

  it('says incomplete for every prefix of a request it would read, and never more', () => {
    const text = request(['Authorization: Basic eA=='])
    const full = read(text)
    assert.equal(full.kind, 'request')
    const headEnd = full.kind === 'request' ? full.bodyStart : 0
    for (let n = 1; n < headEnd; n++) assert.equal(read(text.slice(0, n)).kind, 'incomplete', `prefix of ${n} bytes`)
    // With the head complete and the body short, the caller sees `end` beyond what it holds.
    const partial = read(text.slice(0, headEnd + 3))
    assert.ok(partial.kind === 'request' && partial.end > headEnd + 3)
  })

  it('leaves everything outside the subset to Node', () => {
    const other: Array<[string, string]> = [
      ['another route', request([], BODY, 'POST /stir/v1/verification HTTP/1.1')],
      ['a query string', request([], BODY, 'POST /stir/v1/signing?x=1 HTTP/1.1')],
      ['HTTP/1.0', request([], BODY, 'POST /stir/v1/signing HTTP/1.0')],
      ['a lower-case method', request([], BODY, 'post /stir/v1/signing HTTP/1.1')],
      ['another method', request([], BODY, 'GET /stir/v1/signing HTTP/1.1')],
      ['a bare LF after the request line', request([], BODY).replace('HTTP/1.1\r\n', 'HTTP/1.1\n')],
      ['a bare LF ending a field', request(['A: b\nC: d'])],
      ['a bare CR in a value', request(['A: b\rc'])],
      ['a NUL in a value', request(['A: b\u0000c'])],
      ['obs-text in a value', request(['A: caf\u00e9'])],
      ['a folded line (obs-fold)', request(['A: b', ' c'])],
      ['space before the colon', request(['A : b'])],
      ['no colon', request(['A b'])],
      ['an empty name', request([': b'])],
      ['a non-token name', request(['A(b): c'])],
      ['a repeated field', request(['Authorization: Basic eA==', 'authorization: Basic eQ=='])],
      ['a repeated Content-Length', request(['Content-Length: 5'])],
      ['Transfer-Encoding', request(['Transfer-Encoding: chunked'])],
      ['Expect', request(['Expect: 100-continue'])],
      ['Upgrade', request(['Upgrade: h2c'])],
      ['Connection: close', request(['Connection: close'])],
      ['Proxy-Connection: close (llhttp reads it as Connection)', request(['Proxy-Connection: close'])],
      ['Proxy-Connection of any value', request(['proxy-connection: keep-alive'])],
      ['Connection: upgrade', request(['Connection: Upgrade'])],
      ['no Host', request([]).replace('Host: sti.example\r\n', '')],
      ['no Content-Length', request([]).replace(/Content-Length: \d+\r\n/, '')],
      ['a signed Content-Length', request([]).replace(/Content-Length: (\d+)/, 'Content-Length: +$1')],
      ['a Content-Length list', request([]).replace(/Content-Length: (\d+)/, 'Content-Length: $1, $1')],
      ['whitespace after Content-Length', request([]).replace(/Content-Length: (\d+)/, 'Content-Length: $1 ')],
      ['a huge Content-Length', request([]).replace(/Content-Length: (\d+)/, 'Content-Length: 99999999999')],
      ['too many fields', request(Array.from({ length: 70 }, (_, i) => `X-F${i}: v`))],
    ]
    for (const [why, text] of other) assert.equal(read(text).kind, 'other', why)
    assert.equal(read(request([]), 0, BODY.length - 1).kind, 'other', 'a body over the limit')
    assert.equal(read(request([`X-Big: ${'a'.repeat(MAX_HEAD)}`])).kind, 'other', 'a head over MAX_HEAD')
    assert.equal(
      read('POST /stir/v1/signing HTTP/1.1\r\n' + `X-Big: ${'a'.repeat(MAX_HEAD)}`).kind,
      'other',
      'an unfinished head over MAX_HEAD',
    )
  })

  it('never throws on random or mutated bytes, and what it reads lies inside the buffer', () => {
    const base = Buffer.from(request(['Authorization: Basic eA==', 'X-RequestID: 7']), 'latin1')
    for (let i = 0; i < 20_000; i++) {
      const b = i % 4 === 0 ? randomBytes(1 + (i % 300)) : Buffer.from(base)
      if (i % 4 !== 0) for (let k = 0; k <= i % 5; k++) b[(b.length * Math.random()) | 0] = (Math.random() * 256) | 0
      const r = readRequestHead(b.subarray(0, (b.length * Math.random()) | 0 || b.length), 0, LINES, 1 << 20)
      if (r.kind === 'request') assert.ok(r.bodyStart <= b.length && r.end >= r.bodyStart)
    }
  })

  /**
   * Differential: whatever the reader accepts, Node's own parser must read the same way —
   * same fields and values, same body, the connection kept alive, and the next request
   * starting where the reader says (the two never disagree on where a request ends, so nothing
   * can be smuggled past either). Mutations insert characters, drop them, change the length,
   * repeat a field, or add one of the fields Node's parser and server act on.
   */
  it("agrees with Node's parser on every request it accepts, mutated ones included", async () => {
    type Seen = {
      headers: Record<string, string | string[] | undefined>
      body: string
      url: string
      keepAlive: boolean
    }
    const seen: Seen[] = []
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      // shouldKeepAlive: what Node's parser made of Connection and its kin.
      req.on('end', () => {
        seen.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('latin1'),
          url: req.url ?? '',
          keepAlive: res.shouldKeepAlive,
        })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    const exchange = (bytes: Buffer) =>
      new Promise<void>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => c.end(bytes))
        c.on('error', () => resolve())
        c.on('close', () => resolve())
        c.resume()
      })
    const base = request(['Authorization: Basic eA==', 'X-Account-Sid: AC0123', 'X-RequestID: r-1'])
    const tail = 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n'
    const field = /\r\n[A-Za-z-]+:[^\r\n]*/g
    const special = [
      'Connection: close',
      'Connection: keep-alive',
      'Connection: keep-alive, close',
      'Proxy-Connection: close',
      'proxy-connection: keep-alive',
      'Keep-Alive: timeout=5',
      'Upgrade: h2c',
      'Expect: 100-continue',
      'Transfer-Encoding: chunked',
      'TE: trailers',
    ]
    const mutate = (s: string): string => {
      const r = Math.random()
      const at = (Math.random() * s.length) | 0
      const chars = ' \t:\r\n,;"=aZ09\u0000\u007f\u00e9'
      if (r < 0.4) return s.slice(0, at) + chars[(Math.random() * chars.length) | 0] + s.slice(at)
      if (r < 0.6) return s.slice(0, at) + s.slice(at + 1)
      if (r < 0.8)
        return s.replace(
          /Content-Length: (\d+)/,
          (_m, n: string) => `Content-Length: ${Number(n) + ((Math.random() * 7) | 0) - 3}`,
        )
      if (r < 0.9) return s.replace('\r\n\r\n', `\r\n${special[(Math.random() * special.length) | 0]}\r\n\r\n`)
      const fields = s.match(field) ?? []
      const pick = fields[(Math.random() * fields.length) | 0] ?? ''
      return s.replace('\r\n\r\n', `${pick}\r\n\r\n`)
    }
    let accepted = 0
    try {
      for (let i = 0; i < 2000; i++) {
        const text = i === 0 ? base : mutate(mutate(base))
        const r = read(text)
        if (r.kind !== 'request' || r.end > text.length) continue
        accepted++
        seen.length = 0
        await exchange(Buffer.from(text.slice(0, r.end) + tail, 'latin1'))
        assert.equal(seen[0]?.keepAlive, true, `Node closes after ${JSON.stringify(text)}`)
        assert.equal(seen.length, 2, `Node read ${seen.length} requests from ${JSON.stringify(text)}`)
        const [first, next] = seen as [Seen, Seen]
        assert.deepEqual(first.headers, Object.fromEntries(r.headers), JSON.stringify(text))
        assert.equal(first.body, text.slice(r.bodyStart, r.end))
        assert.equal(next.url, '/next')
      }
    } finally {
      server.close()
    }
    assert.ok(accepted >= 200, `only ${accepted} mutated requests were accepted: the test checks too little`)
  })
})
