/**
 * Fuzz: the fast lane's HTTP request-head reader (src/api/stir/fast-lane/request-head.ts), which
 * reads every byte a client sends to the API port before Node's parser does. It never throws;
 * a head it takes is in its strict subset (Host and a Content-Length of digits present, each
 * field once, offsets inside the buffer); anything else is `other` or `incomplete`.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { readRequestHead } from '../../src/api/stir/fast-lane/request-head.js'
import { fuzzParams, mutatedFrom } from '../helpers/fuzz.js'

const LINES = [
  Buffer.from('POST /stir/v1/signing HTTP/1.1', 'latin1'),
  Buffer.from('POST /stir/v1/verification HTTP/1.1', 'latin1'),
]
const BODY = '{"signingRequest":{}}'
const BASES = [
  `POST /stir/v1/signing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Basic QUM6eA==\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
  `POST /stir/v1/verification HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: keep-alive\r\nX-RequestID: r1\r\n\r\n{}POST /stir/v1/signing HTTP/1.1\r\nHost: y\r\nContent-Length: 0\r\n\r\n`,
  'POST /stir/v1/signing HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
]

describe('fuzz: fast lane request heads', () => {
  it('readRequestHead never throws, and what it takes is in its strict subset', () => {
    fc.assert(
      fc.property(
        mutatedFrom(BASES, 5),
        fc.nat({ max: 40 }),
        fc.integer({ min: 0, max: 65536 }),
        (text, start, maxBody) => {
          const buf = Buffer.from(text, 'latin1')
          const from = Math.min(start, buf.length)
          const r = readRequestHead(buf, from, LINES, maxBody)
          if (r.kind !== 'request') return
          assert.ok(r.headers.has('host'))
          assert.match(r.headers.get('content-length')!, /^\d{1,9}$/)
          assert.ok(Number(r.headers.get('content-length')) <= maxBody)
          assert.ok(r.bodyStart > from && r.bodyStart <= buf.length && r.end >= r.bodyStart)
          for (const n of ['transfer-encoding', 'expect', 'upgrade']) assert.ok(!r.headers.has(n))
          for (const [k, v] of r.headers) {
            assert.match(k, /^[!#$%&'*+\-.^_`|~0-9a-z]+$/)
            assert.match(v, /^[\t\x20-\x7e]*$/)
          }
        },
      ),
      fuzzParams(10_000),
    )
  })
})
