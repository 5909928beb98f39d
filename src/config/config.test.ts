import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import os from 'node:os'
import { ConfigError, describeSettings, loadConfig, SETTINGS } from './config.js'

describe('config', () => {
  it('has working defaults and is frozen', () => {
    const c = loadConfig({})
    assert.equal(c.port, 3000)
    assert.match(c.databaseUrl, /^sqlite:.*data\/stirhub\.db$/)
    assert.equal(c.publicUrl, 'http://localhost:3000')
    assert.deepEqual([...c.roles], ['api', 'sip', 'worker'])
    assert.ok(Object.isFrozen(c))
  })

  it('flags win over env, and PUBLIC_URL follows PORT', () => {
    const c = loadConfig({ PORT: '4000' }, { port: '5000' })
    assert.equal(c.port, 5000)
    assert.equal(c.publicUrl, 'http://localhost:5000')
  })

  it('lists every bad value, each naming its variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', PUBLIC_URL: 'not a url', STIRHUB_ROLES: 'api,web' })
      assert.fail('should throw')
    } catch (e) {
      assert.ok(e instanceof ConfigError)
      const msg = (e as Error).message
      for (const v of ['PORT', 'DATABASE_URL', 'PUBLIC_URL', 'STIRHUB_ROLES']) assert.match(msg, new RegExp(v))
      assert.equal((e as ConfigError).problems.length, 4)
    }
  })

  it('takes PUBLIC_URL written with URI characters only: it becomes every x5u in an Identity header', () => {
    for (const bad of [
      'http://sti.example/a b',
      'http://sti.example/<x>',
      'http://sti.example/"x"',
      'https://sti.example/caf\u00e9',
    ]) {
      assert.throws(() => loadConfig({ PUBLIC_URL: bad }), /PUBLIC_URL.*URI characters/, bad)
    }
    assert.equal(
      loadConfig({ PUBLIC_URL: 'https://sti.example:8443/caf%C3%A9/' }).publicUrl,
      'https://sti.example:8443/caf%C3%A9',
    )
  })

  it('takes API processes as a count or auto (one per core)', () => {
    assert.equal(loadConfig({}).httpWorkers, os.availableParallelism())
    assert.equal(loadConfig({ STIRHUB_HTTP_WORKERS: '3' }).httpWorkers, 3)
    assert.equal(loadConfig({ STIRHUB_HTTP_WORKERS: 'auto' }).httpWorkers, os.availableParallelism())
    for (const bad of ['0', '2.5', 'many', '1000'])
      assert.throws(() => loadConfig({ STIRHUB_HTTP_WORKERS: bad }), /STIRHUB_HTTP_WORKERS/)
  })

  it('takes the attestation index bound as a whole number of at least 1000', () => {
    assert.equal(loadConfig({}).indexMaxNumbers, 500_000)
    assert.equal(loadConfig({ STIRHUB_INDEX_MAX_NUMBERS: '2000' }).indexMaxNumbers, 2000)
    for (const bad of ['999', '1e3.5', 'lots', '-5'])
      assert.throws(() => loadConfig({ STIRHUB_INDEX_MAX_NUMBERS: bad }), /STIRHUB_INDEX_MAX_NUMBERS/)
  })

  it('signs natively and on the HTTP fast lane unless turned off', () => {
    assert.equal(loadConfig({}).nativeSigner, true)
    assert.equal(loadConfig({ STIRHUB_NATIVE_SIGNER: 'off' }).nativeSigner, false)
    assert.equal(loadConfig({}).httpFastLane, true)
    assert.equal(loadConfig({ STIRHUB_HTTP_FAST_LANE: 'off' }).httpFastLane, false)
    assert.throws(() => loadConfig({ STIRHUB_HTTP_FAST_LANE: 'yes' }), /STIRHUB_HTTP_FAST_LANE.*must be on or off/)
    for (const bad of ['no', 'false', '0'])
      assert.throws(() => loadConfig({ STIRHUB_NATIVE_SIGNER: bad }), /STIRHUB_NATIVE_SIGNER/)
  })

  it('refuses production mode without a master key', () => {
    assert.throws(() => loadConfig({ STIRHUB_MODE: 'production' }), /STIRHUB_MASTER_KEY/)
    assert.equal(loadConfig({ STIRHUB_MODE: 'production', STIRHUB_MASTER_KEY: 'k'.repeat(32) }).mode, 'production')
  })

  it('takes request limits as numbers >= 0 (0: off) and proxies as CIDRs', () => {
    const d = loadConfig({})
    assert.deepEqual([d.apiRateLimit, d.stirRateLimit, d.authFailureLimit, [...d.trustProxy]], [100, 0, 50, []])
    const c = loadConfig({
      STIRHUB_API_RATE_LIMIT: '0.5',
      STIRHUB_STIR_RATE_LIMIT: '0',
      STIRHUB_TRUST_PROXY: '10.0.0.0/8, ::1/128',
    })
    assert.deepEqual([c.apiRateLimit, c.stirRateLimit, [...c.trustProxy]], [0.5, 0, ['10.0.0.0/8', '::1/128']])
    for (const [k, bad] of <Array<[string, string]>>[
      ['STIRHUB_API_RATE_LIMIT', '-1'],
      ['STIRHUB_STIR_RATE_LIMIT', 'fast'],
      ['STIRHUB_AUTH_FAILURE_LIMIT', 'Infinity'],
      ['STIRHUB_TRUST_PROXY', '10.0.0.1'],
      ['STIRHUB_TRUST_PROXY', 'lb.example/8'],
    ]) {
      assert.throws(() => loadConfig({ [k]: bad }), new RegExp(k), `${k}=${bad}`)
    }
  })

  it('takes SIP trusted and multi-tenant SBCs as CIDRs (IPv4, IPv6; canonical), the multi-tenant ones within the trusted', () => {
    const d = loadConfig({})
    assert.deepEqual([[...d.sipTrusted], [...d.sipMultiTenant]], [['127.0.0.1/32', '::1/128'], []])
    const c = loadConfig({
      STIRHUB_SIP_TRUSTED: '10.1.2.3/8, 2001:DB8::/32',
      STIRHUB_SIP_MULTI_TENANT: '10.9.0.0/16,2001:db8:0:1::7/128',
    })
    assert.deepEqual(
      [[...c.sipTrusted], [...c.sipMultiTenant]],
      [
        ['10.0.0.0/8', '2001:db8::/32'],
        ['10.9.0.0/16', '2001:db8:0:1::7/128'],
      ],
    )
    for (const bad of ['10.0.0.0/33', '10.0.0.1', 'sbc.example/24', '2001:db8::/129'])
      assert.throws(() => loadConfig({ STIRHUB_SIP_MULTI_TENANT: bad }), /STIRHUB_SIP_MULTI_TENANT/, bad)
    assert.throws(
      () => loadConfig({ STIRHUB_SIP_TRUSTED: '10.0.0.0/8', STIRHUB_SIP_MULTI_TENANT: '10.0.0.0/7' }),
      /10\.0\.0\.0\/7 is not within STIRHUB_SIP_TRUSTED/,
    )
    assert.throws(() => loadConfig({ STIRHUB_SIP_MULTI_TENANT: '192.0.2.1/32' }), /not within STIRHUB_SIP_TRUSTED/)
    assert.match(describeSettings(), /STIRHUB_SIP_MULTI_TENANT\s+--sip-multi-tenant .*strip it from customer traffic/)
  })

  it('wants the STI-PA roots with a trust list, and the credentials with the STI-PA API', () => {
    assert.throws(() => loadConfig({ STIRHUB_TRUST_LIST: '/x/list.txt' }), /STIRHUB_STI_PA_ROOTS/)
    assert.throws(
      () => loadConfig({ STIRHUB_STI_PA_API: 'https://sti-pa.example/api/v1' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 2 &&
        ['STIRHUB_STI_PA_USER', 'STIRHUB_STI_PA_PASSWORD'].every((v, i) => e.problems[i]!.startsWith(v)),
    )
    assert.throws(() => loadConfig({ STIRHUB_STI_PA_API: 'sti-pa.example' }), /STIRHUB_STI_PA_API/)
    const c = loadConfig({
      STIRHUB_STI_PA_API: 'https://sti-pa.example/api/v1/',
      STIRHUB_STI_PA_USER: 'u',
      STIRHUB_STI_PA_PASSWORD: 'p',
      STIRHUB_TRUST_LIST: '/x/list.txt',
      STIRHUB_STI_PA_ROOTS: '/x/roots.pem',
    })
    assert.deepEqual([c.stiPaApi, c.trustListRefreshHours], ['https://sti-pa.example/api/v1', 12])
  })

  it('listens on loopback in development and on every interface in production, unless HOST says', () => {
    const prod = { STIRHUB_MODE: 'production', STIRHUB_MASTER_KEY: 'k'.repeat(32) }
    assert.equal(loadConfig({}).host, '127.0.0.1')
    assert.equal(loadConfig(prod).host, '0.0.0.0')
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0')
    assert.equal(loadConfig({ ...prod, HOST: '10.1.2.3' }).host, '10.1.2.3')
    for (const ok of ['::', '::1', 'localhost', 'sbc-side.example.net']) assert.equal(loadConfig({ HOST: ok }).host, ok)
    for (const bad of ['0.0.0.0:3000', 'http://localhost', 'a b', '-x.example', '[::1]'])
      assert.throws(() => loadConfig({ HOST: bad }), /HOST.*IP address/, bad)
  })

  it('caps approvals at two years unless set longer (never below the one-year default)', () => {
    assert.equal(loadConfig({}).maxApprovalDays, 730)
    assert.equal(loadConfig({ STIRHUB_MAX_APPROVAL_DAYS: '1825' }).maxApprovalDays, 1825)
    for (const bad of ['364', '0', '-1', '730.5', 'two years', '40000']) {
      assert.throws(
        () => loadConfig({ STIRHUB_MAX_APPROVAL_DAYS: bad }),
        /STIRHUB_MAX_APPROVAL_DAYS \(--max-approval-days\): must be a whole number of days from 365 to 36500/,
        bad,
      )
    }
    assert.match(describeSettings(), /STIRHUB_MAX_APPROVAL_DAYS\s+--max-approval-days .*\(default: 730\)/)
  })

  it('takes SQLite durability as full or normal (normal by default)', () => {
    assert.equal(loadConfig({}).sqliteSync, 'normal')
    assert.equal(loadConfig({ STIRHUB_SQLITE_SYNC: 'full' }).sqliteSync, 'full')
    assert.throws(
      () => loadConfig({ STIRHUB_SQLITE_SYNC: 'off' }),
      /STIRHUB_SQLITE_SYNC \(--sqlite-sync\): must be one of full, normal/,
    )
  })

  it('describes every setting for --help, with the computed defaults in words', () => {
    const help = describeSettings()
    for (const s of SETTINGS) assert.ok(help.includes(s.env), s.env)
    assert.match(help, /HOST .*default: 127\.0\.0\.1 in development, 0\.0\.0\.0 in production/)
  })
})
