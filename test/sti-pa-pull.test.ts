/**
 * Pulling the trust list from the STI-PA API, against a loopback stand-in for it (login, then
 * the signed CA list; the signer certificate at the list's x5u): `stirhub trust-list pull`, the
 * refusals that leave the list in use alone, the worker pulling on its own at start so the
 * server verifies calls under the STI-CAs the STI-PA approves, and the list reaching another
 * machine through the store (both engines).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { buildTestPki, startCertServer, type CertServer, type TestPki } from './helpers/test-pki.js'
import { forgeJws, identityOf, shakenClaims, shakenHeader } from './helpers/passport-forge.js'
import { runCli } from './helpers/cli.js'
import { ADMIN_TOKEN, startServer } from './helpers/server.js'
import { http, newAccount } from './helpers/http.js'
import { DIALECTS } from './helpers/dialects.js'
import { getSetting } from '../src/store/accounts.repo.js'
import { adoptPublishedTrustList } from '../src/stir/trust/trust-list-share.js'
import { pullTrustList } from '../src/stir/trust/sti-pa.js'
import { fakeStiPa, type FakeStiPa } from './helpers/fake-sti-pa.js'
import { loadConfig } from '../src/config/config.js'

const nowSec = () => Math.floor(Date.now() / 1000)
const der64 = (pem: string) => Buffer.from(new X509Certificate(pem).raw).toString('base64')

/** A shaken call signed under the test PKI's good leaf (chain at the cert server), and a verification of it. */
async function verifiesOn(
  srv: { url: string },
  certBase: string,
  key: TestPki['leaves']['good']['key'],
): Promise<string> {
  const acct = await newAccount(srv.url)
  const x5u = `${certBase}/sp.pem`
  const identity = identityOf(forgeJws(shakenHeader(x5u), shakenClaims(nowSec()), key), x5u)
  const r = await http(srv.url, 'POST', '/stir/v1/verification', {
    auth: acct,
    json: {
      verificationRequest: { from: { tn: '12155550121' }, to: { tn: ['12025550143'] }, time: nowSec(), identity },
    },
  })
  return r.body.verificationResponse.verstat
}

/** What every test here needs: the test PKI and its cert server, the STI-PA stand-in, a folder with the STI-PA root, and the env naming them. */
interface World {
  readonly certs: CertServer
  readonly pki: TestPki
  readonly stiPa: FakeStiPa
  readonly dir: string
  /** The STI-PA settings (list file `trust-list.txt` in `dir`) and the allow list for both loopback servers. */
  readonly env: Record<string, string>
  close(): Promise<void>
}

async function world(): Promise<World> {
  const certs = await startCertServer()
  const pki = await buildTestPki(new Date(), certs.base)
  certs.routes.set('/sti-pa.crt', { body: pki.leaves.wrongCa.pem })
  certs.routes.set('/sp.pem', { body: pki.chainPem('good') })
  const stiPa = await fakeStiPa(pki, certs.base)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-stipa-'))
  fs.writeFileSync(path.join(dir, 'sti-pa-root.pem'), pki.otherRoot.pem)
  const env = {
    STIRHUB_DATA_DIR: dir,
    STIRHUB_STI_PA_API: stiPa.base,
    STIRHUB_STI_PA_USER: 'sp-user',
    STIRHUB_STI_PA_PASSWORD: 'sp-secret',
    STIRHUB_TRUST_LIST: path.join(dir, 'trust-list.txt'),
    STIRHUB_STI_PA_ROOTS: path.join(dir, 'sti-pa-root.pem'),
    STIRHUB_X5U_ALLOW: `${new URL(certs.base).host},${new URL(stiPa.base).host}`,
  }
  return {
    certs,
    pki,
    stiPa,
    dir,
    env,
    async close() {
      await stiPa.close()
      await certs.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe('STI-PA trust list pull', () => {
  let w: World
  let certs: CertServer
  let pki: TestPki
  let stiPa: FakeStiPa
  let dir: string
  let env: Record<string, string>
  const listFile = () => path.join(dir, 'trust-list.txt')
  before(async () => {
    w = await world()
    ;({ certs, pki, stiPa, dir, env } = w)
  })
  after(() => w.close())

  it('logs in, fetches and checks the CA list, and installs it', async () => {
    const r = await runCli(['trust-list', 'pull'], env)
    assert.equal(r.code, 0, r.err + r.out)
    assert.match(r.out, /Sequence: 1/)
    assert.match(r.out, /Test SHAKEN Root/)
    assert.deepEqual(stiPa.logins.at(-1), { userId: 'sp-user', password: 'sp-secret' })
    assert.match(fs.readFileSync(listFile(), 'utf8'), /-----BEGIN CERTIFICATE-----/)
  })

  it('keeps the list in use on a refused login, an older list, or an STI-PA outside the guards', async () => {
    const before = fs.readFileSync(listFile(), 'utf8')
    const bad = await runCli(['trust-list', 'pull'], { ...env, STIRHUB_STI_PA_PASSWORD: 'guess' })
    assert.equal(bad.code, 1)
    assert.match(bad.err, /STI-PA login as sp-user failed: HTTP 401 \(invalid credentials\)/)
    assert.doesNotMatch(bad.err + bad.out, /guess/)
    stiPa.sequence = 2
    assert.equal((await runCli(['trust-list', 'pull'], env)).code, 0)
    const second = fs.readFileSync(listFile(), 'utf8')
    assert.notEqual(second, before)
    stiPa.sequence = 1
    const rollback = await runCli(['trust-list', 'pull'], env)
    assert.equal(rollback.code, 1)
    assert.match(rollback.err, /sequence 1 is older than the list in use \(2\)/)
    // Plain http to a loopback host not on the allow list: refused before any request.
    const logins = stiPa.logins.length
    const guarded = await runCli(['trust-list', 'pull'], { ...env, STIRHUB_X5U_ALLOW: new URL(certs.base).host })
    assert.equal(guarded.code, 1)
    assert.equal(stiPa.logins.length, logins)
    assert.equal(fs.readFileSync(listFile(), 'utf8'), second)
    const missing = await runCli(['trust-list', 'pull'], { ...env, STIRHUB_STI_PA_USER: '' })
    assert.equal(missing.code, 2)
    assert.match(missing.err, /STIRHUB_STI_PA_USER: required with STIRHUB_STI_PA_API/)
  })

  it('turns a misbehaving STI-PA API into an error naming the step, never a crash or a changed list', async () => {
    const before = fs.readFileSync(listFile(), 'utf8')
    const jws = (p: unknown) =>
      forgeJws({ alg: 'ES256', typ: 'JWT', x5u: `${certs.base}/sti-pa.crt` }, p, pki.leaves.wrongCa.key)
    const cases: Array<[string, number, string, RegExp]> = [
      ['/api/v1/auth/login', 200, '<html>maintenance</html>', /login as sp-user failed: HTTP 200/],
      ['/api/v1/auth/login', 200, '{"status":"success","accessToken":7}', /login as sp-user failed/],
      ['/api/v1/auth/login', 200, '[[[[[[[[[[[[[[[[[[[[', /login as sp-user failed/],
      ['/api/v1/ca-list', 500, 'oops', /ca-list: HTTP 500/],
      ['/api/v1/ca-list', 200, '<html>', /not a compact JWS/],
      ['/api/v1/ca-list', 200, '{"status":"success","caList":["x"]}', /no caList string/],
      [
        '/api/v1/ca-list',
        200,
        JSON.stringify({ status: 'success', caList: jws({ trustList: 'abc' }) }),
        /trustList is missing or empty/,
      ],
      [
        '/api/v1/ca-list',
        200,
        JSON.stringify({ status: 'success', caList: jws({ trustList: [der64(pki.root.pem)], sequence: '9' }) }),
        /sequence is not an integer/,
      ],
      ['/api/v1/ca-list', 200, 'x'.repeat(5 * 1024 * 1024), /too_large|larger than/i],
    ]
    for (const [at, status, body, expected] of cases) {
      stiPa.broken.set(at, [status, body])
      try {
        const r = await runCli(['trust-list', 'pull'], env)
        assert.equal(r.code, 1, `${at} ${body.slice(0, 40)}: ${r.out}`)
        assert.match(r.err, expected, `${at} ${body.slice(0, 40)}`)
      } finally {
        stiPa.broken.clear()
      }
    }
    assert.equal(fs.readFileSync(listFile(), 'utf8'), before)
  })

  it('the worker pulls at start: the server then verifies calls of the STI-CAs the list approves', async () => {
    const own = path.join(dir, 'server-list.txt')
    const srv = await startServer('sqlite', { env: { ...env, STIRHUB_TRUST_LIST: own, STIRHUB_ROLES: 'api,worker' } })
    try {
      for (let i = 0; i < 300 && !fs.existsSync(own); i++) await new Promise((r) => setTimeout(r, 50))
      assert.ok(fs.existsSync(own), 'the worker wrote the list')
      srv.running.ctx.stiVs.refreshTrust()
      assert.equal(await verifiesOn(srv, certs.base, pki.leaves.good.key), 'TN-Validation-Passed')
      // What operations alert on: the list checks out, how many STI-CAs, when it expires and last changed.
      const scrape = async () =>
        (await http(srv.url, 'GET', '/metrics', { auth: { bearer: ADMIN_TOKEN } })).body as string
      const text = await scrape()
      assert.match(text, /^stirhub_trust_list_valid 1$/m)
      assert.match(text, /^stirhub_trust_list_roots 1$/m)
      assert.match(text, new RegExp(`^stirhub_trust_list_sequence ${stiPa.sequence}$`, 'm'))
      assert.match(text, /^stirhub_trust_list_expires_seconds \d{10}$/m)
      assert.match(text, /^stirhub_trust_list_updated_seconds \d{10}$/m)
      // The operator's view of the anchors in use (reviewers may not see it).
      const platform = await http(srv.url, 'GET', '/admin/v1/Platform', { auth: { bearer: ADMIN_TOKEN } })
      assert.equal(platform.status, 200)
      assert.deepEqual(
        { ...platform.body.trust_list, expires_at: typeof platform.body.trust_list.expires_at },
        {
          sequence: stiPa.sequence,
          version: '1',
          expires_at: 'string',
          signer: platform.body.trust_list.signer,
          roots: 1,
        },
      )
      assert.ok(platform.body.trust_anchors.some((a: { subject: string }) => /Test SHAKEN Root/.test(a.subject)))
      assert.match(platform.body.signing_certificate.x5u, /\/certs\/CR[0-9a-f]{32}\.pem$/)
      assert.equal(typeof platform.body.es256_signer.native, 'boolean')
      assert.match(platform.body.es256_signer.detail, /^(native|node:crypto) \(/)
      assert.equal(platform.body.http_fast_lane, true)
      const reviewer = await http(srv.url, 'POST', '/admin/v1/Reviewers', {
        auth: { bearer: ADMIN_TOKEN },
        json: { Name: 'Rita', Email: 'rita@example.net' },
      })
      assert.equal(
        (await http(srv.url, 'GET', '/admin/v1/Platform', { auth: { bearer: reviewer.body.token } })).status,
        403,
      )
      fs.writeFileSync(own, 'not a list')
      assert.match(await scrape(), /^stirhub_trust_list_valid 0$/m)
    } finally {
      await srv.stop()
    }
  })
})

for (const dialect of DIALECTS) {
  describe(`STI-PA trust list shared through the store [${dialect}]`, () => {
    let w: World
    before(async () => {
      w = await world()
    })
    after(() => w.close())

    it('a machine without STI-PA access installs the list another machine pulled, and refuses an older one', async () => {
      const { certs, pki, stiPa, dir } = w
      // Each server keeps its own data dir; B has no STI-PA credentials.
      const { STIRHUB_DATA_DIR: _dataDir, ...withCredentials } = w.env
      const {
        STIRHUB_STI_PA_API: _api,
        STIRHUB_STI_PA_USER: _user,
        STIRHUB_STI_PA_PASSWORD: _password,
        ...common
      } = withCredentials
      const a = await startServer(dialect, {
        env: { ...withCredentials, STIRHUB_ROLES: 'api,worker', STIRHUB_TRUST_LIST: path.join(dir, 'a.txt') },
      })
      try {
        for (let i = 0; i < 300 && !(await getSetting(a.running.ctx.store.db, 'trust_list_digest')); i++)
          await new Promise((r) => setTimeout(r, 50))
        // Another machine: its own file, no STI-PA credentials, the same store.
        const bFile = path.join(dir, 'b.txt')
        const b = await startServer(dialect, {
          shareWith: a,
          env: { ...common, STIRHUB_ROLES: 'api', STIRHUB_TRUST_LIST: bFile },
        })
        try {
          for (let i = 0; i < 300 && !fs.existsSync(bFile); i++) await new Promise((r) => setTimeout(r, 50))
          assert.equal(fs.readFileSync(bFile, 'utf8'), fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'))
          b.running.ctx.stiVs.refreshTrust()
          assert.equal(await verifiesOn(b, certs.base, pki.leaves.good.key), 'TN-Validation-Passed')
          // A newer list reaches B on its next look; an older one published later is refused.
          const db = a.running.ctx.store.db
          const roots = path.join(dir, 'sti-pa-root.pem')
          // A third machine pulls (into its own file) and publishes.
          const publish = async (sequence: number) => {
            stiPa.sequence = sequence
            await pullTrustList(
              loadConfig({ ...w.env, STIRHUB_TRUST_LIST: path.join(dir, `seq${sequence}.txt`) }),
              () => new Date(),
              db,
              'test',
            )
          }
          await publish(5)
          const newer = await adoptPublishedTrustList(db, bFile, roots, new Date())
          assert.equal(newer.list?.sequence, 5)
          await publish(4)
          const older = await adoptPublishedTrustList(db, bFile, roots, new Date())
          assert.match(older.refused ?? '', /sequence 4 is older than the list in use \(5\)/)
          // Nothing new since: one small read, nothing installed.
          assert.deepEqual(await adoptPublishedTrustList(db, bFile, roots, new Date(), older.digest), {
            digest: older.digest,
          })
          // Each list published is in the audit log once, with who published it.
          const events = await http(a.url, 'GET', '/admin/v1/Events?Type=trust_list.published', {
            auth: { bearer: ADMIN_TOKEN },
          })
          assert.deepEqual(
            events.body.results.map((e: { actor: string; data: { sequence: number } }) => [e.actor, e.data.sequence]),
            [
              ['test', 4],
              ['test', 5],
              ['worker', 1],
            ],
          )
          assert.match(events.body.results[0].data.roots[0], /Test SHAKEN Root/)
        } finally {
          await b.stop()
        }
      } finally {
        await a.stop()
      }
    })
  })
}
