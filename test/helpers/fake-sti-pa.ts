/**
 * A loopback stand-in for the STI-PA API: login, the signed CA list (its signer at the test
 * PKI's cert server), and SPC tokens for an account key's fingerprint. The sequence it serves
 * and the logins it saw can be changed and read; `broken` makes it misbehave.
 */
import nodeHttp from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID, X509Certificate } from 'node:crypto'
import type { TestPki } from './test-pki.js'
import { forgeJws } from './passport-forge.js'

export interface FakeStiPa {
  base: string
  sequence: number
  logins: unknown[]
  /** SPC token requests: the SP id and the atc asked for. */
  tokens: Array<{ spId: string; atc: unknown }>
  /** When set, the answer to a path instead of the real one: [status, raw body]. */
  broken: Map<string, [number, string]>
  close(): Promise<void>
}

const nowSec = () => Math.floor(Date.now() / 1000)
const der64 = (pem: string) => Buffer.from(new X509Certificate(pem).raw).toString('base64')

/** The STI-PA signs with the test PKI's wrongCa key; its certificate is served at `${certBase}/sti-pa.crt`. */
export async function fakeStiPa(pki: TestPki, certBase: string): Promise<FakeStiPa> {
  const state = {
    sequence: 1,
    logins: [] as unknown[],
    tokens: [] as FakeStiPa['tokens'],
    broken: new Map<string, [number, string]>(),
  }
  const sign = (payload: unknown) =>
    forgeJws({ alg: 'ES256', typ: 'JWT', x5u: `${certBase}/sti-pa.crt` }, payload, pki.leaves.wrongCa.key)
  const server = nodeHttp.createServer((req, res) => {
    let body = ''
    req.on('data', (d) => {
      body += d
    })
    req.on('end', () => {
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      const broken = state.broken.get(req.url ?? '')
      if (broken) return res.writeHead(broken[0], { 'content-type': 'text/html' }).end(broken[1])
      if (req.method === 'POST' && req.url === '/api/v1/auth/login') {
        const creds = JSON.parse(body) as { userId: string; password: string }
        state.logins.push(creds)
        return creds.password === 'sp-secret'
          ? send(200, { status: 'success', accessToken: 'token-42' })
          : send(401, { status: 'error', message: 'invalid credentials' })
      }
      if (req.headers.authorization !== 'token-42') return send(401, { status: 'error' })
      if (req.method === 'GET' && req.url === '/api/v1/ca-list') {
        if (req.headers.accept !== 'application/jose+json') return send(406, { status: 'error' })
        return send(200, {
          status: 'success',
          caList: sign({
            version: '1',
            sequence: state.sequence,
            exp: nowSec() + 86_400,
            trustList: [der64(pki.root.pem)],
          }),
        })
      }
      const token = /^\/api\/v1\/account\/([^/]+)\/token$/.exec(req.url ?? '')
      if (req.method === 'POST' && token) {
        const atc = (JSON.parse(body) as { atc?: unknown }).atc
        state.tokens.push({ spId: token[1]!, atc })
        return send(200, {
          status: 'success',
          token: sign({ exp: nowSec() + 3600, jti: randomUUID(), atc }),
          crl: `${certBase}/crl`,
        })
      }
      send(404, {})
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return Object.assign(state, {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    async close() {
      server.closeAllConnections()
      await new Promise((ok) => server.close(ok))
    },
  })
}
