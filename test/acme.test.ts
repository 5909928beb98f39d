/**
 * An STI certificate over ACME, as an operator gets one: `stirhub cert acme-account` prints the
 * account key's fingerprint for the SPC token, `stirhub cert acme` orders the certificate from a
 * loopback STI-CA (test/helpers/fake-acme.ts) with that token, or with one it asks the STI-PA
 * API for (test/helpers/fake-sti-pa.ts), and signs with it; a token for another account key is
 * refused by the CA and nothing changes.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { runCli } from './helpers/cli.js'
import { buildTestPki, type TestPki } from './helpers/test-pki.js'
import { forgeJws } from './helpers/passport-forge.js'
import { fakeAcme, type FakeAcme } from './helpers/fake-acme.js'
import { fakeStiPa } from './helpers/fake-sti-pa.js'
import { createDevRoot } from '../src/stir/cert/dev-ca.js'
import { accountFingerprint, tnAuthListIdentifier } from '../src/stir/cert/acme.js'
import { createSealer, resolveMasterKey } from '../src/security/secrets.js'

describe('STI certificate over ACME (tkauth-01)', () => {
  let pki: TestPki
  let ca: FakeAcme
  let dir: string
  let env: Record<string, string>
  // The STI-PA of these tests signs SPC tokens with the test PKI's wrongCa key.
  const spcToken = (fingerprint: string, spc = '7734') =>
    forgeJws(
      { alg: 'ES256', typ: 'JWT', x5u: 'https://sti-pa.example/cert.crt' },
      {
        exp: Math.floor(Date.now() / 1000) + 3600,
        jti: randomUUID(),
        atc: {
          tktype: 'TNAuthList',
          tkvalue: Buffer.from(tnAuthListIdentifier(spc).value, 'base64url').toString('base64'),
          ca: false,
          fingerprint,
        },
      },
      pki.leaves.wrongCa.key,
    )

  before(async () => {
    pki = await buildTestPki(new Date(), 'http://127.0.0.1:9')
    ca = await fakeAcme({
      stiPaKey: createPublicKey(pki.leaves.wrongCa.key),
      ca: await createDevRoot(new Date()),
      publicUrl: 'https://sti-ca.example',
    })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-acme-'))
    env = { STIRHUB_DATA_DIR: dir, STIRHUB_X5U_ALLOW: new URL(ca.directory).host }
  })
  after(async () => {
    await ca.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('formats the account fingerprint as the STI-PA does', () => {
    assert.match(
      accountFingerprint(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
      /^SHA256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    )
  })

  it('orders the certificate with the SPC token, imports it and signs with it', async () => {
    const acct = await runCli(['cert', 'acme-account'], env)
    assert.equal(acct.code, 0, acct.err)
    const fingerprint = /fingerprint\s+(SHA256 \S+)/.exec(acct.out)?.[1]
    assert.ok(fingerprint, acct.out)
    // The same key on the next run: the token stays valid for it.
    assert.match((await runCli(['cert', 'acme-account'], env)).out, new RegExp(fingerprint!.replace(/ /g, '\\s')))
    fs.writeFileSync(path.join(dir, 'spc.jwt'), spcToken(fingerprint!))
    const r = await runCli(
      ['cert', 'acme', '--directory', ca.directory, '--spc', '7734', '--spc-token', path.join(dir, 'spc.jwt')],
      env,
    )
    assert.equal(r.code, 0, r.err + r.out)
    assert.match(r.out, /active, SPC 7734, issued over ACME/)
    assert.equal(ca.issued, 1)
    const show = await runCli(['cert', 'show'], env)
    assert.match(show.out, /active\s+SPC 7734/)
    // The account key is kept sealed under the master key, never in the clear.
    const db = new SQLite(path.join(dir, 'stirhub.db'), { readonly: true })
    try {
      const sealed = (
        db.prepare("SELECT value FROM settings WHERE key = 'acme_account_key'").get() as { value: string }
      ).value
      assert.match(sealed, /^v1\./)
      // It opens under the data dir's master key to the key whose fingerprint was printed…
      const der = createSealer(resolveMasterKey(undefined, dir)).open(sealed, 'acme-account')
      assert.equal(accountFingerprint(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })), fingerprint)
      // …and none of that key's encodings appears in what the store holds.
      for (const enc of ['base64', 'base64url', 'hex'] as const)
        assert.ok(!sealed.includes(der.toString(enc).slice(0, 24)), enc)
      assert.doesNotMatch(sealed, /PRIVATE KEY/)
    } finally {
      db.close()
    }
  })

  it('asks the STI-PA API for the SPC token itself, for this account key and TNAuthList', async () => {
    const stiPa = await fakeStiPa(pki, 'https://sti-pa.example')
    try {
      const withStiPa = {
        ...env,
        STIRHUB_STI_PA_API: stiPa.base,
        STIRHUB_STI_PA_USER: 'sp-user',
        STIRHUB_STI_PA_PASSWORD: 'sp-secret',
        STIRHUB_X5U_ALLOW: `${new URL(ca.directory).host},${new URL(stiPa.base).host}`,
      }
      const r = await runCli(
        ['cert', 'acme', '--directory', ca.directory, '--spc', '7734', '--sti-pa-sp-id', 'SP7734'],
        withStiPa,
      )
      assert.equal(r.code, 0, r.err + r.out)
      assert.equal(ca.issued, 2)
      const fingerprint = /fingerprint\s+(SHA256 \S+)/.exec((await runCli(['cert', 'acme-account'], env)).out)![1]
      assert.deepEqual(stiPa.tokens, [
        {
          spId: 'SP7734',
          atc: { tktype: 'TNAuthList', tkvalue: tnAuthListIdentifier('7734').value, ca: false, fingerprint },
        },
      ])
      const neither = await runCli(['cert', 'acme', '--directory', ca.directory, '--spc', '7734'], withStiPa)
      assert.equal(neither.code, 1)
      assert.match(neither.err, /--spc-token <file>, or --sti-pa-sp-id/)
    } finally {
      await stiPa.close()
    }
  })

  it('a token for another account key is refused by the CA, and the certificate in use stays', async () => {
    const other = accountFingerprint(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
    fs.writeFileSync(path.join(dir, 'wrong.jwt'), spcToken(other))
    const r = await runCli(
      ['cert', 'acme', '--directory', ca.directory, '--spc', '7734', '--spc-token', path.join(dir, 'wrong.jwt')],
      env,
    )
    assert.equal(r.code, 1)
    assert.match(r.err, /ACME order failed: invalid: .*SPC token does not match/)
    assert.equal(ca.issued, 2)
    // A misbehaving CA: an error naming the step, and nothing activated.
    fs.writeFileSync(
      path.join(dir, 'spc.jwt'),
      spcToken(/fingerprint\s+(SHA256 \S+)/.exec((await runCli(['cert', 'acme-account'], env)).out)![1]!),
    )
    const cases: Array<[string, number, string, RegExp]> = [
      ['/dir', 200, '<html>maintenance</html>', /ACME directory failed: not a JSON object/],
      ['/new-account', 201, '{"status":"valid"}', /ACME newAccount failed: no Location/],
      ['/cert/1', 200, 'not a certificate', /chain/],
    ]
    for (const [at, status, body, expected] of cases) {
      ca.broken.set(at, [status, body])
      try {
        const bad = await runCli(
          ['cert', 'acme', '--directory', ca.directory, '--spc', '7734', '--spc-token', path.join(dir, 'spc.jwt')],
          env,
        )
        assert.equal(bad.code, 1, at)
        assert.match(bad.err, expected, at)
      } finally {
        ca.broken.clear()
      }
    }
    assert.match((await runCli(['cert', 'show'], env)).out, /active\s+SPC 7734/)
    // Plain http to a host not on the allow list: refused before any request.
    const guarded = await runCli(
      ['cert', 'acme', '--directory', ca.directory, '--spc', '7734', '--spc-token', path.join(dir, 'spc.jwt')],
      { STIRHUB_DATA_DIR: dir },
    )
    assert.equal(guarded.code, 1)
    assert.match(guarded.err, /http: not allowed for 127.0.0.1/)
  })
})
