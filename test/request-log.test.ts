/**
 * The server's request log: one line per completed request at info, none at info for the
 * per-call STIR routes (signing, verification), which log at debug.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { startServer, ADMIN_TOKEN } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'

type Line = {
  level: number
  msg: string
  url?: string
  method?: string
  remoteAddress?: string
  statusCode?: number
  responseTime?: number
}

function capturingLogger(level: string): { log: pino.Logger; lines: Line[] } {
  const lines: Line[] = []
  return {
    lines,
    log: pino(
      { level },
      {
        write: (s: string) => {
          lines.push(JSON.parse(s) as Line)
        },
      },
    ),
  }
}

const signingRequest = {
  signingRequest: {
    attest: 'A',
    dest: { tn: ['12125551212'] },
    iat: Math.floor(Date.now() / 1000),
    orig: { tn: '12025550100' },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  },
}

describe('request log', () => {
  for (const level of ['info', 'debug'] as const) {
    it(`at ${level}: one line per completed request; signing calls ${level === 'info' ? 'not logged' : 'at debug'}`, async () => {
      const { log, lines } = capturingLogger(level)
      const s = await startServer('sqlite', { log })
      try {
        const a = await newAccount(s.url)
        lines.length = 0
        assert.equal((await http(s.url, 'GET', '/v1/Policies')).status, 401)
        assert.equal(
          (
            await http(s.url, 'POST', '/stir/v1/signing', {
              auth: { bearer: ADMIN_TOKEN },
              headers: { 'x-account-sid': a.sid },
              json: signingRequest,
            })
          ).status,
          200,
        )
        const requests = lines.filter((l) => /request/.test(l.msg))
        assert.equal(requests.filter((l) => l.msg === 'incoming request').length, 0)
        const policies = requests.filter((l) => l.url === '/v1/Policies')
        assert.equal(policies.length, 1)
        assert.deepEqual(
          [
            policies[0]!.level,
            policies[0]!.method,
            policies[0]!.remoteAddress,
            policies[0]!.statusCode,
            policies[0]!.msg,
          ],
          [30, 'GET', '127.0.0.1', 401, 'request completed'],
        )
        assert.equal(typeof policies[0]!.responseTime, 'number')
        const signing = requests.filter((l) => l.url === '/stir/v1/signing')
        assert.deepEqual(
          signing.map((l) => [l.level, l.statusCode]),
          level === 'info' ? [] : [[20, 200]],
        )
      } finally {
        await s.stop()
      }
    })
  }
})
