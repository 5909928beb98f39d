/**
 * Reference routes for HTTP signing and verification on this machine: bare Fastify routes
 * that parse the ATIS body and sign (or split, decode and verify) with node:crypto — no
 * store, decision, auth, certificate handling or checks — in one process per core, like
 * `stirhub serve`. The benches drive them with the same wrk load, so "stirhub / bare" says
 * how much of what Node can do stirhub keeps, and "bare / secsipidx" what the platform itself
 * allows. Run with PORT set, and BARE_VERIFY_CERT (a PEM certificate) for verification.
 * BARE_HTTP=node serves the signing route on Node's `http` module with no framework at all;
 * BARE_HTTP=noop answers it on stirhub's fast lane (src/api/stir/fast-lane) without signing (a
 * constant identity of the same size): read off the socket, written back, the least a Node
 * server does per request, so the most any answers under this load: a ceiling for the HTTP
 * signing target.
 */
import cluster from 'node:cluster'
import os from 'node:os'
import { generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto'
import http from 'node:http'
import Fastify from 'fastify'
import { installFastLane } from '../src/api/stir/fast-lane/fast-lane.js'

if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill()
    process.exit(0)
  })
} else {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const header = Buffer.from(
    '{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://cert.example.org/sp.pem"}',
  ).toString('base64url')
  const signed = (body: { signingRequest: unknown }) => {
    const input = header + '.' + Buffer.from(JSON.stringify(body.signingRequest)).toString('base64url')
    const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')
    return {
      signingResponse: { identity: `${input}.${sig};info=<https://cert.example.org/sp.pem>;alg=ES256;ppt=shaken` },
    }
  }
  const layer = process.env.BARE_HTTP
  if (layer === 'node' || layer === 'noop') {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const out = JSON.stringify(
          req.url === '/readyz' ? { ok: true } : signed(JSON.parse(Buffer.concat(chunks).toString())),
        )
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(out),
        })
        res.end(out)
      })
    })
    if (layer === 'noop') {
      const constant = JSON.stringify(
        signed({
          signingRequest: {
            attest: 'A',
            dest: { tn: ['12125551212'] },
            iat: 1700000000,
            orig: { tn: '12122000000' },
            origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
          },
        }),
      )
      const answer = async () => ({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: constant,
      })
      installFastLane(server, [{ method: 'POST', path: '/stir/v1/signing', maxBody: 1 << 20, answer }], {
        failed: (e) => console.error(e),
      })
    }
    server.listen(Number(process.env.PORT), '127.0.0.1')
  } else {
    await fastifyServer(signed)
  }
}

/** The Fastify routes: signing, and verification when BARE_VERIFY_CERT is set. */
async function fastifyServer(signed: (body: { signingRequest: unknown }) => unknown): Promise<void> {
  const app = Fastify()
  app.get('/readyz', async () => ({ ok: true }))
  app.post('/stir/v1/signing', async (req) => signed(req.body as { signingRequest: unknown }))
  const verifyKey = process.env.BARE_VERIFY_CERT
    ? new X509Certificate(process.env.BARE_VERIFY_CERT).publicKey
    : undefined
  app.post('/stir/v1/verification', async (req) => {
    const identity = (req.body as { verificationRequest: { identity: string } }).verificationRequest.identity
    const [h = '', p = '', sig = ''] = identity.slice(0, identity.indexOf(';')).split('.')
    JSON.parse(Buffer.from(h, 'base64url').toString())
    JSON.parse(Buffer.from(p, 'base64url').toString())
    const ok =
      verifyKey !== undefined &&
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: verifyKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig, 'base64url'),
      )
    return { verificationResponse: { verstat: ok ? 'TN-Validation-Passed' : 'TN-Validation-Failed' } }
  })
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
}
