/** A fresh development install verifies the calls it signs itself (its own STI-CR and dev CA). */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startServer, type TestServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { loadConfig } from '../src/config/config.js'
import { x5uAllowList } from '../src/stir/vs/sti-vs.js'

describe('signing then verifying on one development server', () => {
  let s: TestServer
  before(async () => {
    s = await startServer('sqlite')
  })
  after(async () => {
    await s.stop()
  })

  it('passes with no STIRHUB_X5U_ALLOW; production mode would refuse the http x5u', async () => {
    const a = await newAccount(s.url)
    const iat = Math.floor(Date.now() / 1000)
    const signed = await http(s.url, 'POST', '/stir/v1/signing', {
      auth: a,
      json: {
        signingRequest: {
          attest: 'C',
          dest: { tn: ['12025550143'] },
          iat,
          orig: { tn: '12025550100' },
          origid: randomUUID(),
        },
      },
    })
    assert.equal(signed.status, 200, JSON.stringify(signed.body))
    const identity = signed.body.signingResponse.identity
    assert.match(identity, new RegExp(`;info=<${s.url}/certs/CR[0-9a-f]{32}\\.pem>`))
    const verified = await http(s.url, 'POST', '/stir/v1/verification', {
      auth: a,
      json: { verificationRequest: { from: { tn: '12025550100' }, to: { tn: ['12025550143'] }, time: iat, identity } },
    })
    assert.equal(verified.status, 200)
    assert.deepEqual(verified.body, { verificationResponse: { verstat: 'TN-Validation-Passed' } })
  })

  it('only development adds its own PUBLIC_URL host to the x5u allow-list', () => {
    const env = { PUBLIC_URL: 'http://sti.example.net:8080', STIRHUB_X5U_ALLOW: 'certs.test:8443' }
    assert.deepEqual([...x5uAllowList(loadConfig(env))], ['certs.test:8443', 'sti.example.net:8080'])
    assert.deepEqual(
      [...x5uAllowList(loadConfig({ ...env, STIRHUB_MODE: 'production', STIRHUB_MASTER_KEY: 'k'.repeat(32) }))],
      ['certs.test:8443'],
    )
  })
})
