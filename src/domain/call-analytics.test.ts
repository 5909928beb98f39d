import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { analyticsRange, callAnalytics, type SignerCount } from './call-analytics.js'

const NOW = new Date('2026-12-06T17:42:10.123Z')

describe('analytics windows', () => {
  it('24h: the current hour and the 23 before it', () => {
    const r = analyticsRange('24h', NOW)
    assert.equal(r.bucket, 'hour')
    assert.equal(r.keys.length, 24)
    assert.deepEqual([r.keys[0], r.keys[23]], ['2026-12-05T18', '2026-12-06T17'])
    assert.deepEqual([r.since, r.until], ['2026-12-05T18:00:00Z', '2026-12-06T17:42:10Z'])
    assert.deepEqual([r.fromHour, r.toHour], ['2026-12-05T18', '2026-12-06T17'])
  })

  it('7, 30 and 90 days: whole UTC days ending today', () => {
    const week = analyticsRange('7d', NOW)
    assert.equal(week.bucket, 'day')
    assert.deepEqual([week.keys[0], week.keys[6], week.keys.length], ['2026-11-30', '2026-12-06', 7])
    assert.deepEqual([week.since, week.fromHour], ['2026-11-30T00:00:00Z', '2026-11-30T00'])
    assert.equal(analyticsRange('30d', NOW).keys.length, 30)
    const q = analyticsRange('90d', NOW)
    assert.deepEqual([q.keys.length, q.keys[0]], [90, '2026-09-08'])
  })
})

describe('analytics shaping', () => {
  const range = analyticsRange('24h', NOW)

  it('fills every bucket, counts levels over passed and failed, and drops rows outside the range', () => {
    const a = callAnalytics(
      range,
      [
        { bucket: '2026-12-06T17', attest: 'A', passed: 3, failed: 1 },
        { bucket: '2026-12-06T17', attest: '', passed: 0, failed: 2 },
        { bucket: '2026-12-06T15', attest: 'C', passed: 1, failed: 0 },
        { bucket: '2026-12-04T15', attest: 'C', passed: 9, failed: 9 },
      ],
      [],
    )
    assert.equal(a.series.length, 24)
    assert.deepEqual(a.series[23], { t: '2026-12-06T17:00:00Z', passed: 3, failed: 3, A: 4, B: 0, C: 0 })
    assert.deepEqual(a.series[21], { t: '2026-12-06T15:00:00Z', passed: 1, failed: 0, A: 0, B: 0, C: 1 })
    assert.equal(
      a.series.reduce((n, p) => n + p.passed + p.failed, 0),
      7,
    )
  })

  it('totals each signer, names the top ten by failures and by failed A, unknown signers left out', () => {
    const rows: SignerCount[] = [
      { spc: '', reason: 'iat_stale', attest: 'A', count: 50 },
      { spc: '100', reason: 'passed', attest: 'A', count: 4 },
      { spc: '100', reason: 'signature_invalid', attest: 'A', count: 2 },
      { spc: '100', reason: 'cert_revoked', attest: 'B', count: 1 },
      { spc: '100', reason: 'cert_revoked', attest: '', count: 1 },
    ]
    for (let i = 0; i < 12; i++) rows.push({ spc: `2${i}`, reason: 'cert_expired', attest: 'B', count: 1 })
    const a = callAnalytics(range, [], rows)
    assert.deepEqual(a.signers[1], {
      spc: '100',
      total: 8,
      passed: 4,
      failed: 4,
      attest: { A: 6, B: 1, C: 0 },
      failed_a: 2,
      reasons: { signature_invalid: 2, cert_revoked: 2 },
    })
    assert.equal(a.signers[0]!.spc, '', 'most calls first')
    assert.deepEqual(a.top_failing, ['100', '20', '21', '210', '211', '22', '23', '24', '25', '26'])
    assert.deepEqual(a.top_failed_a, ['100'])
  })
})
