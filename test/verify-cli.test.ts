/** `stirhub verify` as a user runs it: verdict plus every check, exit 0 only when passed. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { CHECKS } from '../src/stir/vs/checks.js'

import { runCli } from './helpers/cli.js'

const cli = (args: readonly string[], env: Record<string, string>) => runCli(['verify', ...args], env)

describe('stirhub verify (CLI)', { concurrency: true }, () => {
  let srv: CertServer
  let pki: TestPki
  let dir: string
  let env: Record<string, string>
  before(async () => {
    srv = await startCertServer()
    pki = await buildTestPki(new Date(), srv.base)
    srv.routes.set('/sp.pem', { body: pki.chainPem('good') })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-verifycli-'))
    fs.writeFileSync(path.join(dir, 'roots.pem'), pki.root.pem)
    env = {
      STIRHUB_DATA_DIR: dir,
      STIRHUB_TRUST_ANCHORS: path.join(dir, 'roots.pem'),
      STIRHUB_X5U_ALLOW: new URL(srv.base).host,
    }
  })
  after(async () => {
    await srv.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const identity = (key: 'good' | 'revoked') =>
    identityOf(
      forgeJws(shakenHeader(`${srv.base}/sp.pem`), shakenClaims(Math.floor(Date.now() / 1000)), pki.leaves[key].key),
      `${srv.base}/sp.pem`,
    )

  it('prints a passed verdict with every check that ran and exits 0', async () => {
    const r = await cli(['--identity', identity('good'), '--from', '+1 215 555 0121', '--to', '12025550143'], env)
    assert.equal(r.code, 0, r.err + r.out)
    assert.match(r.out, /Verdict: TN-Validation-Passed \(passed\)/)
    assert.match(r.out, /SPC 1234/)
    for (const c of CHECKS) assert.match(r.out, new RegExp(`ok\\s+${c.name}`), c.name)
  })

  it('prints the failing check and its reason, exits 1; --json gives the verdict object', async () => {
    const r = await cli(['--identity', identity('revoked'), '--from', '12155550121', '--to', '12025550143'], env)
    assert.equal(r.code, 1, r.err)
    assert.match(r.out, /Verdict: TN-Validation-Failed \(signature_invalid\)/)
    assert.match(r.out, /SIP: 438 Invalid Identity Header/)
    assert.match(r.out, /FAIL signature: signature_invalid/)
    const j = await cli(['--identity', identity('good'), '--from', '12155550121', '--to', '12025550199', '--json'], env)
    assert.equal(j.code, 1)
    const v = JSON.parse(j.out)
    assert.equal(v.reason, 'dest_mismatch')
    assert.equal(v.checks.at(-1).check, 'orig_dest')
  })

  it('follows a repeated --identity div header to the called number and prints the hop', async () => {
    const x5u = `${srv.base}/sp.pem`
    const original = identity('good') // signed before the div, as a forwarded call's are
    const div = identityOf(
      forgeJws(
        { alg: 'ES256', ppt: 'div', typ: 'passport', x5u },
        {
          dest: { tn: ['12025550199'] },
          div: { tn: '12025550143' },
          iat: Math.floor(Date.now() / 1000),
          orig: { tn: '12155550121' },
        },
        pki.leaves.good.key,
      ),
      x5u,
      ';alg=ES256;ppt=div',
    )
    const r = await cli(
      ['--identity', original, '--identity', div, '--from', '12155550121', '--to', '12025550199'],
      env,
    )
    assert.equal(r.code, 0, r.err + r.out)
    assert.match(r.out, /Diversion: div 12025550143 → 12025550199: verified \(SPC 1234\)/)
    // --div names the numbers the call was forwarded from: a div from another is not this call's.
    const other = await cli(
      [
        '--identity',
        original,
        '--identity',
        div,
        '--from',
        '12155550121',
        '--to',
        '12025550199',
        '--div',
        '+12025550111',
      ],
      env,
    )
    assert.equal(other.code, 1, other.err + other.out)
    assert.match(other.out, /Verdict: No-TN-Validation \(div_invalid\)/)
    assert.match(other.out, /Diversion: div 12025550143 → 12025550199: redirect_mismatch/)
  })
})
