import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { buildTestPki, type TestPki } from '../../../test/helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from '../../../test/helpers/passport-forge.js'
import { loadConfig } from '../../config/config.js'
import { buildVerifierParts } from '../vs/sti-vs.js'
import { completeTrustList, verifyTrustList } from './trust-list.js'
import { trustStoreOf } from './trust-store.js'

const nowSec = () => Math.floor(Date.now() / 1000)
const der64 = (pem: string) => Buffer.from(new X509Certificate(pem).raw).toString('base64')

// The STI-PA of these tests: `otherRoot` is its root, and `wrongCa` (an end-entity P-256
// certificate issued straight by otherRoot) signs its lists. The STI-CA it approves is `root`,
// the root of the test PKI's SP certificates.
describe('STI-PA trust list', () => {
  let pki: TestPki
  let stiPa: ReturnType<typeof trustStoreOf>
  const header = { alg: 'ES256', typ: 'JWT', x5u: 'https://sti-pa.example/cert.crt' }
  const payload = (over: Record<string, unknown> = {}) => ({
    version: '1',
    sequence: 5,
    exp: nowSec() + 86_400,
    trustList: [der64(pki.root.pem)],
    ...over,
  })
  const jwsOf = (p: unknown = payload(), h: unknown = header, key = pki.leaves.wrongCa.key) => forgeJws(h, p, key)
  const fileOf = (jws = jwsOf()) => `${jws}\n${pki.leaves.wrongCa.pem}`
  const check = (text: string, minSequence?: number) => verifyTrustList(text, stiPa, new Date(), minSequence)
  const problem = (text: string, minSequence?: number) => {
    const r = check(text, minSequence)
    assert.equal(r.ok, false, 'expected a refusal')
    return r.ok ? '' : r.problem
  }

  before(async () => {
    pki = await buildTestPki(new Date(), 'http://127.0.0.1:9')
    stiPa = trustStoreOf([new X509Certificate(pki.otherRoot.pem)])
  })

  it('takes the list as the STI-PA API serves it (JSON or bare JWS) and returns its CA roots', () => {
    const jws = jwsOf(
      payload({ trustList: [der64(pki.root.pem), pki.intermediate.pem, pki.leaves.good.pem, 'not a certificate'] }),
    )
    for (const text of [
      fileOf(jws),
      `${JSON.stringify({ status: 'success', caList: jws })}\n${pki.leaves.wrongCa.pem}`,
    ]) {
      const r = check(text)
      assert.ok(r.ok, r.ok ? '' : r.problem)
      // PEM and base64 DER entries both read; the SP leaf and the garbage are skipped.
      assert.deepEqual(
        r.list.roots.map((c) => c.subject),
        [pki.root.cert.subject, pki.intermediate.cert.subject].map((s) => s.split(', ').join('\n')),
      )
      assert.equal(r.list.skipped, 2)
      assert.equal(r.list.sequence, 5)
      assert.equal(r.list.version, '1')
      assert.match(r.list.signer, /SHAKEN 1234/)
    }
  })

  it('refuses a list it cannot trust, saying why', () => {
    const good = jwsOf()
    const [h, , s] = good.split('.')
    const swapped = `${h}.${Buffer.from(JSON.stringify(payload({ trustList: [der64(pki.otherRoot.pem)] }))).toString('base64url')}.${s}`
    assert.match(problem(fileOf(swapped)), /signature does not verify/)
    assert.match(problem(fileOf(jwsOf(payload(), { ...header, alg: 'HS256' }))), /alg "HS256" is not ES256/)
    assert.match(problem(fileOf(jwsOf(payload(), { ...header, alg: 'none' }))), /not ES256/)
    // Signed by an SP key whose chain leads to an STI-CA root, not to the STI-PA's.
    assert.match(
      problem(`${jwsOf(payload(), header, pki.leaves.good.key)}\n${pki.chainPem('good')}`),
      /does not chain to an STI-PA root/,
    )
    assert.match(problem(good), /no signer certificate/)
    assert.match(problem(fileOf(jwsOf(payload({ exp: nowSec() - 1 })))), /expired/)
    assert.match(problem(fileOf(), 6), /sequence 5 is older than the list in use \(6\)/)
    assert.equal(check(fileOf(), 5).ok, true)
    assert.match(problem(fileOf(jwsOf(payload({ trustList: [] })))), /trustList is missing or empty/)
    assert.match(problem(fileOf(jwsOf(payload({ trustList: [pki.leaves.good.pem] })))), /no CA certificate/)
    assert.match(
      problem(`${JSON.stringify({ status: 'error', caList: good })}\n${pki.leaves.wrongCa.pem}`),
      /status "error"/,
    )
    assert.equal(verifyTrustList(fileOf(), trustStoreOf([]), new Date()).ok, false)
    // A signer certificate outside its validity refuses the list.
    const later = verifyTrustList(
      fileOf(jwsOf(payload({ exp: nowSec() + 800 * 86_400 }))),
      stiPa,
      new Date(Date.now() + 400 * 86_400_000),
    )
    assert.ok(!later.ok && /not valid now/.test(later.problem))
  })

  it('reads the signer from x5c when the file has no PEM', () => {
    const r = check(jwsOf(payload(), { ...header, x5c: [der64(pki.leaves.wrongCa.pem)] }))
    assert.ok(r.ok, r.ok ? '' : r.problem)
  })

  it('fetches the signer from x5u only when the file lacks it', async () => {
    const asked: string[] = []
    const fetchChain = async (url: string) => {
      asked.push(url)
      return Buffer.from(pki.leaves.wrongCa.pem)
    }
    const done = await completeTrustList(JSON.stringify({ status: 'success', caList: jwsOf() }), fetchChain)
    assert.deepEqual(asked, [header.x5u])
    assert.ok(check(done).ok)
    assert.equal(await completeTrustList(done, fetchChain), done)
    assert.equal(asked.length, 1)
    await assert.rejects(completeTrustList(jwsOf(payload(), { alg: 'ES256' }), fetchChain), /no x5u/)
    await assert.rejects(
      completeTrustList(jwsOf(), async () => Buffer.from('no certificate here')),
      /served no certificate/,
    )
    // Served as DER, as a .crt often is.
    assert.ok(
      check(await completeTrustList(jwsOf(), async () => Buffer.from(new X509Certificate(pki.leaves.wrongCa.pem).raw)))
        .ok,
    )
  })

  it('turns garbage, truncation and type-confused payloads into a refusal, never a throw', () => {
    const good = fileOf()
    const shapes: unknown[] = [
      null,
      [],
      'x',
      7,
      { trustList: 'abc' },
      { trustList: [1, null, {}, []] },
      { trustList: [der64(pki.root.pem)], exp: 'tomorrow' },
      { trustList: [der64(pki.root.pem)], sequence: 1.5 },
      { trustList: [der64(pki.root.pem)], exp: 1e400 },
      { trustList: ['A'.repeat(70_000)] },
    ]
    const inputs = [
      '',
      '{',
      '{}',
      '{"caList":7}',
      'a.b',
      '...',
      'x'.repeat(5_000_000),
      good.slice(0, 40),
      good.slice(0, good.length / 2),
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      ...shapes.map((p) => fileOf(jwsOf(p))),
    ]
    for (const text of inputs) assert.equal(check(text).ok, false, text.slice(0, 60))
    // One character changed in the JWS: refused. In the PEM: refused, or still the same list.
    const cut = good.indexOf('\n')
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(Math.random() * good.length)
      const mutated = good.slice(0, at) + String.fromCharCode(32 + Math.floor(Math.random() * 95)) + good.slice(at + 1)
      if (mutated === good) continue
      const r = check(mutated)
      if (at < cut) assert.equal(r.ok, false, `mutation at ${at}`)
      else if (r.ok)
        assert.deepEqual(
          r.list.roots.map((c) => c.fingerprint256),
          [new X509Certificate(pki.root.pem).fingerprint256],
        )
    }
  })

  describe("as the verifier's trust anchors", () => {
    let dir: string
    let listFile: string
    const x5u = 'https://cr.example.net/sp.pem'
    const write = (text: string, at: number) => {
      fs.writeFileSync(listFile, text)
      fs.utimesSync(listFile, at, at)
    }
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-trustlist-'))
      listFile = path.join(dir, 'trust-list.txt')
      fs.writeFileSync(path.join(dir, 'sti-pa.pem'), pki.otherRoot.pem)
    })
    after(() => fs.rmSync(dir, { recursive: true, force: true }))
    const parts = () =>
      buildVerifierParts(
        loadConfig({
          STIRHUB_DATA_DIR: dir,
          STIRHUB_TRUST_LIST: listFile,
          STIRHUB_STI_PA_ROOTS: path.join(dir, 'sti-pa.pem'),
        }),
        () => new Date(),
        { fetcher: async () => ({ status: 200, headers: {}, body: Buffer.from(pki.chainPem('good')) }) as never },
      )

    it('trusts the STI-CAs of a checked list, follows a newer one, refuses a rollback and keeps the last good list', async () => {
      write(fileOf(), Date.now() / 1000)
      const vs = parts()
      const verify = async () =>
        (
          await vs.verifier.verify({
            identity: [identityOf(forgeJws(shakenHeader(x5u), shakenClaims(nowSec()), pki.leaves.good.key), x5u)],
            from: '12155550121',
            to: ['12025550143'],
          })
        ).reason
      try {
        assert.equal(await verify(), 'passed')
        // The STI-PA withdraws the STI-CA: sequence 6 no longer lists it.
        write(fileOf(jwsOf(payload({ sequence: 6, trustList: [der64(pki.otherRoot.pem)] }))), Date.now() / 1000 + 10)
        vs.refreshTrust()
        assert.equal(await verify(), 'cert_untrusted')
        // An older list that still lists it is a rollback; a broken file changes nothing.
        write(fileOf(), Date.now() / 1000 + 20)
        vs.refreshTrust()
        assert.equal(await verify(), 'cert_untrusted')
        write('garbage', Date.now() / 1000 + 30)
        vs.refreshTrust()
        assert.equal(await verify(), 'cert_untrusted')
        write(fileOf(jwsOf(payload({ sequence: 7 }))), Date.now() / 1000 + 40)
        vs.refreshTrust()
        assert.equal(await verify(), 'passed')
      } finally {
        await vs.close()
      }
    })

    it('keeps an expired list in use, and still follows changes of the PEM bundle', async () => {
      let now = Date.now()
      const bundle = path.join(dir, 'bundle.pem')
      fs.writeFileSync(bundle, '')
      write(fileOf(jwsOf(payload({ sequence: 1, exp: Math.floor(now / 1000) + 100 }))), now / 1000 + 50)
      const chains: Record<string, string> = {
        'https://cr.example.net/good.pem': pki.chainPem('good'),
        'https://cr.example.net/other.pem': pki.chainPem('wrongCa'),
      }
      const vs = buildVerifierParts(
        loadConfig({
          STIRHUB_DATA_DIR: dir,
          STIRHUB_TRUST_LIST: listFile,
          STIRHUB_STI_PA_ROOTS: path.join(dir, 'sti-pa.pem'),
          STIRHUB_TRUST_ANCHORS: bundle,
        }),
        () => new Date(now),
        { fetcher: async (u) => ({ status: 200, headers: {}, body: Buffer.from(chains[u]!) }) as never },
      )
      const verify = async (name: 'good' | 'other', key: 'good' | 'wrongCa') => {
        const u = `https://cr.example.net/${name}.pem`
        return (
          await vs.verifier.verify({
            identity: [
              identityOf(forgeJws(shakenHeader(u), shakenClaims(Math.floor(now / 1000)), pki.leaves[key].key), u),
            ],
            from: '12155550121',
            to: ['12025550143'],
          })
        ).reason
      }
      try {
        assert.equal(await verify('good', 'good'), 'passed')
        assert.equal(await verify('other', 'wrongCa'), 'cert_untrusted')
        now += 200_000
        fs.writeFileSync(bundle, pki.otherRoot.pem)
        fs.utimesSync(bundle, now / 1000, now / 1000)
        vs.refreshTrust()
        assert.equal(await verify('other', 'wrongCa'), 'passed')
        assert.equal(await verify('good', 'good'), 'passed')
      } finally {
        await vs.close()
      }
    })

    it('fails the start on a list it cannot trust, and wants the STI-PA roots with it', () => {
      write(`${jwsOf(payload(), header, pki.leaves.good.key)}\n${pki.chainPem('good')}`, Date.now() / 1000)
      assert.throws(() => parts(), /does not chain to an STI-PA root/)
      assert.throws(
        () => loadConfig({ STIRHUB_TRUST_LIST: listFile }),
        /STIRHUB_STI_PA_ROOTS .*required with STIRHUB_TRUST_LIST/,
      )
    })
  })
})
