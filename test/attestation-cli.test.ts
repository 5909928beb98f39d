/**
 * `stirhub attestation explain` and `stirhub sign` against the store of a running server
 * (SQLite file: the CLI opens the store directly, like `serve`).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createPublicKey } from 'node:crypto'
import path from 'node:path'
import { promisify } from 'node:util'
import { compactVerify } from 'jose'
import { startServer, type TestServer } from './helpers/server.js'
import { buildWorld, setBundle, type World } from './helpers/attestation-world.js'

const exec = promisify(execFile)
const BIN = path.join(import.meta.dirname, '..', 'bin', 'stirhub.mjs')

describe('stirhub attestation explain / sign [sqlite]', () => {
  let s: TestServer
  let w: World
  let env: Record<string, string>
  before(async () => {
    s = await startServer('sqlite')
    w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
    env = {
      ...(process.env as Record<string, string>),
      STIRHUB_DATA_DIR: s.dataDir,
      DATABASE_URL: `sqlite:${path.join(s.dataDir, 'stirhub.db')}`,
      STIRHUB_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
      PUBLIC_URL: s.url,
      LOG_LEVEL: 'silent',
    }
  })
  after(async () => {
    await s.stop()
  })

  const cli = (...args: string[]) => exec(process.execPath, [BIN, ...args], { env, timeout: 60_000 })

  it('explain prints the level, the rule and what is missing for A', async () => {
    const b = await cli(
      'attestation',
      'explain',
      '--account',
      w.caller.sid,
      '--from',
      '+12125550100',
      '--to',
      '+12125551212',
    )
    assert.match(b.stdout, /Attestation {2}B {2}\(partial-attestation\)/)
    assert.match(b.stdout, /To reach A:\n {2}- add the calling number/)
  })

  it('sign prints an Identity header that verifies with the active certificate, at the decided level', async () => {
    const r = await cli('sign', '--account', w.caller.sid, '--from', w.number.phone, '--to', '+12125551212', '--json')
    const j = JSON.parse(r.stdout)
    assert.equal(j.attest, 'A')
    const { payload } = await compactVerify(j.identity.split(';')[0], createPublicKey(s.running.ctx.signer.key))
    assert.equal(JSON.parse(Buffer.from(payload).toString()).attest, 'A')
    await setBundle(s.running.ctx.store.db, w.trustSid, { status: 'twilio-rejected', valid_until: null })
    const c = await cli('sign', '--account', w.caller.sid, '--from', w.number.phone, '--to', '+12125551212')
    assert.match(c.stdout, /^Identity: \S+;info=<[^>]+>;alg=ES256;ppt=shaken/)
    assert.match(c.stdout, /Attestation {2}C/)
    assert.match(c.stdout, /was rejected/)
    // C: the steps to reach B are listed apart from those to reach A.
    assert.match(
      c.stdout,
      /To reach A:\n(?: {2}- .*\n)+To reach B:\n {2}- SHAKEN\/STIR trust product BU\w+ was rejected/,
    )
  })

  it('explain and sign decide numbers as the API does: 10 digits are +1, a number valid nowhere is refused', async () => {
    const ten = w.number.phone.slice(2)
    const e = JSON.parse(
      (await cli('attestation', 'explain', '--account', w.caller.sid, '--from', ten, '--to', '3109570142', '--json'))
        .stdout,
    )
    // The number's trust product was rejected above: C, whichever spelling.
    assert.deepEqual([e.level, e.from, e.to], ['C', w.number.phone.slice(1), '13109570142'])
    const r = JSON.parse(
      (await cli('sign', '--account', w.caller.sid, '--from', ten, '--to', '(310) 957-0142', '--json')).stdout,
    )
    assert.deepEqual([r.attest, r.decision.from, r.decision.to], [e.level, e.from, e.to])
    const { payload } = await compactVerify(r.identity.split(';')[0], createPublicKey(s.running.ctx.signer.key))
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString()).orig, { tn: w.number.phone.slice(1) })
    await assert.rejects(
      cli('attestation', 'explain', '--account', w.caller.sid, '--from', '+1212555010', '--to', '3109570142'),
      (err: { code: number; stderr: string }) =>
        err.code === 1 && /Invalid parameter from: \+1212555010 is not a valid telephone number/.test(err.stderr),
    )
    await assert.rejects(
      cli('sign', '--account', w.caller.sid, '--from', ten, '--to', '2127362000x'),
      (err: { code: number; stderr: string }) =>
        err.code === 1 && /Invalid parameter dest: .* is not a telephone number/.test(err.stderr),
    )
  })

  it("sign --div prints a div Identity for a call forwarded from the account's number, and none for another number", async () => {
    /** The same forwarded call, diverted from `div`. */
    const forwarded = (div: string, ...more: string[]) =>
      cli('sign', '--account', w.caller.sid, '--from', '+12125550150', '--to', '+12125550177', '--div', div, ...more)
    const r = await forwarded(w.number.phone, '--json')
    const j = JSON.parse(r.stdout)
    const { payload } = await compactVerify(j.identity.split(';')[0], createPublicKey(s.running.ctx.signer.key))
    assert.deepEqual(JSON.parse(Buffer.from(payload).toString()).div, { tn: w.number.phone.slice(1) })
    const other = await forwarded('+12125550166')
    assert.match(
      other.stdout,
      /^Identity: \(none: hop not signed\)\nNote: not signed: the diverting number 12125550166 is not one of ours/,
    )
  })
})
