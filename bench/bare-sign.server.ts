/**
 * The Node ceiling for HTTP signing on this machine: a bare Fastify route that parses the
 * ATIS body, builds a PASSporT-shaped input and signs it with node:crypto — no store, no
 * decision, no auth — in one process per core, like `stirhub serve`. The signing bench drives
 * it with the same wrk load, so "stirhub / bare" says how much of what Node can do stirhub
 * keeps, and "bare / secsipidx" what the platform itself allows. Run with PORT set.
 */
import cluster from 'node:cluster'
import os from 'node:os'
import { generateKeyPairSync, sign } from 'node:crypto'
import Fastify from 'fastify'

if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill()
    process.exit(0)
  })
} else {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const header = Buffer.from('{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://cert.example.org/sp.pem"}').toString('base64url')
  const app = Fastify()
  app.get('/readyz', async () => ({ ok: true }))
  app.post('/stir/v1/signing', async (req) => {
    const claims = (req.body as { signingRequest: unknown }).signingRequest
    const input = header + '.' + Buffer.from(JSON.stringify(claims)).toString('base64url')
    const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')
    return { signingResponse: { identity: `${input}.${sig};info=<https://cert.example.org/sp.pem>;alg=ES256;ppt=shaken` } }
  })
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
}
