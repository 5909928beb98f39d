/**
 * A loopback STI-CA speaking ACME (RFC 8555) with the `tkauth-01` challenge (RFC 9448), for the
 * ACME client's tests: every POST is a JWS checked as a CA would (ES256, URL, one-time nonce,
 * account key), the challenge checks the SPC token against the STI-PA key and this account's
 * fingerprint, and the finalize issues an ATIS-1000080 certificate for the CSR's key.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto'
import { x509 } from '../../src/stir/cert/x509-kit.js'
import { issueSpCertFor, type CertAndKey } from '../../src/stir/cert/dev-ca.js'
import { accountFingerprint } from '../../src/stir/cert/acme.js'
import { TN_AUTH_LIST_OID } from '../../src/stir/cert/tn-auth-list.js'

export interface FakeAcme {
  /** The directory URL. */
  readonly directory: string
  /** Certificates issued so far. */
  issued: number
  /** When set, the answer to a path instead of the real one: [status, raw body] (a misbehaving CA). */
  readonly broken: Map<string, [number, string]>
  close(): Promise<void>
}

const b64uJson = (s: string): any => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))

/** Verifies a compact ES256 JWS (the SPC token) with `key`; its payload, or undefined. */
function compactPayload(jws: string, key: KeyObject): any {
  const [h, p, s] = jws.split('.')
  if (!h || !p || !s) return undefined
  return verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))
    ? b64uJson(p)
    : undefined
}

export async function fakeAcme(o: {
  readonly stiPaKey: KeyObject
  readonly ca: CertAndKey
  readonly publicUrl: string
}): Promise<FakeAcme> {
  const nonces = new Set<string>()
  const accounts = new Map<string, KeyObject>()
  let order: any
  let authz: any
  let chain = ''
  const state = { issued: 0, nonceExpired: false, broken: new Map<string, [number, string]>() }
  let base = ''
  const nonce = () => {
    const n = randomBytes(12).toString('base64url')
    nonces.add(n)
    return n
  }
  const problem = (res: http.ServerResponse, type: string, detail: string, status = 400) =>
    res
      .writeHead(status, { 'content-type': 'application/problem+json', 'replay-nonce': nonce() })
      .end(JSON.stringify({ type: `urn:ietf:params:acme:error:${type}`, detail }))
  const send = (res: http.ServerResponse, body: unknown, extra: Record<string, string> = {}, status = 200) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'replay-nonce': nonce(), ...extra })
      .end(JSON.stringify(body))

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (d) => {
      raw += d
    })
    req.on('end', () => {
      void (async () => {
        const url = `${base}${req.url}`
        const broken = state.broken.get(req.url ?? '')
        if (broken)
          return res.writeHead(broken[0], { 'content-type': 'text/html', 'replay-nonce': nonce() }).end(broken[1])
        if (req.method === 'GET' && req.url === '/dir')
          return send(res, {
            newNonce: `${base}/nonce`,
            newAccount: `${base}/new-account`,
            newOrder: `${base}/new-order`,
          })
        if (req.method === 'GET' && req.url === '/nonce') return res.writeHead(204, { 'replay-nonce': nonce() }).end()
        if (req.method !== 'POST') return problem(res, 'malformed', 'POST only', 405)
        // The JWS: ES256 over protected.payload, for this URL, with a nonce used once, by a known (or new) account key.
        const jws = JSON.parse(raw) as { protected: string; payload: string; signature: string }
        const header = b64uJson(jws.protected)
        if (header.alg !== 'ES256') return problem(res, 'badSignatureAlgorithm', String(header.alg))
        if (header.url !== url) return problem(res, 'unauthorized', 'url mismatch')
        if (!nonces.delete(header.nonce)) return problem(res, 'badNonce', 'unknown or used nonce')
        // The first order meets an expired nonce, as after a pause: the client must fetch another and send again.
        if (req.url === '/new-order' && !state.nonceExpired) {
          state.nonceExpired = true
          return problem(res, 'badNonce', 'nonce expired')
        }
        const key = header.jwk ? createPublicKey({ key: header.jwk, format: 'jwk' }) : accounts.get(header.kid)
        if (!key) return problem(res, 'accountDoesNotExist', 'unknown kid')
        if (
          !verify(
            'sha256',
            Buffer.from(`${jws.protected}.${jws.payload}`),
            { key, dsaEncoding: 'ieee-p1363' },
            Buffer.from(jws.signature, 'base64url'),
          )
        )
          return problem(res, 'unauthorized', 'bad signature')
        const payload = jws.payload ? b64uJson(jws.payload) : undefined
        switch (req.url) {
          case '/new-account': {
            if (!header.jwk) return problem(res, 'malformed', 'newAccount needs jwk')
            const kid = `${base}/acct/${accounts.size + 1}`
            accounts.set(kid, key)
            return send(res, { status: 'valid' }, { location: kid }, 201)
          }
          case '/new-order': {
            const id = payload?.identifiers?.[0]
            if (id?.type !== 'TNAuthList') return problem(res, 'unsupportedIdentifier', JSON.stringify(id))
            authz = {
              status: 'pending',
              identifier: id,
              challenges: [
                { type: 'tkauth-01', 'tkauth-type': 'atc', url: `${base}/chall/1`, status: 'pending', token: 't1' },
              ],
            }
            order = {
              status: 'pending',
              identifiers: [id],
              authorizations: [`${base}/authz/1`],
              finalize: `${base}/order/1/finalize`,
            }
            return send(res, order, { location: `${base}/order/1` }, 201)
          }
          case '/authz/1':
            return send(res, authz)
          case '/order/1':
            return send(res, order)
          case '/chall/1': {
            // The SPC token: signed by the STI-PA, for this TNAuthList, naming this account's key.
            const atc = compactPayload(String(payload?.atc ?? ''), o.stiPaKey)?.atc
            const value = Buffer.from(order.identifiers[0].value, 'base64url')
            const ok =
              atc?.tktype === 'TNAuthList' &&
              Buffer.from(String(atc.tkvalue), 'base64').equals(value) &&
              atc.fingerprint === accountFingerprint(key)
            authz.status = ok ? 'valid' : 'invalid'
            authz.challenges[0].status = authz.status
            order.status = ok ? 'ready' : 'invalid'
            if (!ok)
              order.error = {
                type: 'urn:ietf:params:acme:error:unauthorized',
                detail: 'the SPC token does not match this account or TNAuthList',
              }
            return send(res, authz.challenges[0])
          }
          case '/order/1/finalize': {
            if (order.status !== 'ready') return problem(res, 'orderNotReady', order.status, 403)
            const csr = new x509.Pkcs10CertificateRequest(Buffer.from(String(payload?.csr), 'base64url'))
            if (!(await csr.verify()) || !csr.getExtension(TN_AUTH_LIST_OID))
              return problem(res, 'badCSR', 'signature or TNAuthList')
            const spc = /SHAKEN (\w+)/.exec(csr.subject)?.[1] ?? ''
            const leaf = await issueSpCertFor(o.ca, await csr.publicKey.export(), {
              spc,
              publicUrl: o.publicUrl,
              now: new Date(),
            })
            chain = leaf + o.ca.certPem
            state.issued++
            order = { ...order, status: 'valid', certificate: `${base}/cert/1` }
            return send(res, order)
          }
          case '/cert/1':
            return res
              .writeHead(200, { 'content-type': 'application/pem-certificate-chain', 'replay-nonce': nonce() })
              .end(chain)
        }
        problem(res, 'malformed', 'no such resource', 404)
      })().catch((e: Error) => problem(res, 'serverInternal', e.message, 500))
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return Object.assign(state, {
    directory: `${base}/dir`,
    async close() {
      server.closeAllConnections()
      await new Promise((ok) => server.close(ok))
    },
  })
}
