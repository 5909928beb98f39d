/** The dashboard chart's arithmetic: UTC hour counters into local days per level, and round y ticks. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bucketLabel, dailyByLevel, labelEvery, yTicks } from '../web/src/chart.js'
import { sortSigners, topReasons, type Signer } from '../web/src/analytics.js'

/** The UTC hour key (`YYYY-MM-DDTHH`) of a local time. */
const hourOf = (d: Date) => d.toISOString().slice(0, 13)

describe('signed-calls chart', () => {
  it('buckets counters into the local days they fall in, oldest first, empty days included', () => {
    const now = new Date(2026, 11, 6, 15, 30)
    const lateYesterday = new Date(2026, 11, 5, 23, 10)
    const earlyToday = new Date(2026, 11, 6, 0, 20)
    const days = dailyByLevel(
      [
        { hour: hourOf(lateYesterday), attest: 'A', count: 2 },
        { hour: hourOf(earlyToday), attest: 'B', count: 3 },
        { hour: hourOf(earlyToday), attest: 'C', count: 1 },
        { hour: hourOf(earlyToday), attest: 'none', count: 9 },
        { hour: hourOf(new Date(2026, 10, 1)), attest: 'A', count: 7 },
      ],
      7,
      now,
    )
    assert.equal(days.length, 7)
    assert.deepEqual(
      days.map((d) => d.date.getDate()),
      [30, 1, 2, 3, 4, 5, 6],
    )
    assert.deepEqual(
      days.slice(-2).map((d) => [d.A, d.B, d.C]),
      [
        [2, 0, 0],
        [0, 3, 1],
      ],
    )
    assert.equal(
      days.reduce((n, d) => n + d.A, 0),
      2,
      'a counter before the range is left out',
    )
  })

  it('ticks are round steps from 0 to at least the highest day', () => {
    assert.deepEqual(yTicks(0), [0, 1])
    assert.deepEqual(yTicks(3), [0, 1, 2, 3])
    assert.deepEqual(yTicks(7), [0, 2, 4, 6, 8])
    assert.deepEqual(yTicks(130), [0, 50, 100, 150])
    assert.deepEqual(yTicks(1000), [0, 500, 1000])
  })
})

describe('inbound-calls charts and signers table', () => {
  it('labels about every 60 px, counted from the latest bar', () => {
    assert.equal(labelEvery(7, 600), 1)
    assert.equal(labelEvery(24, 300), 5)
    assert.equal(labelEvery(90, 300), 18)
    assert.equal(labelEvery(90, 50), 45, 'two labels at least')
  })

  it('labels an hour in local time and a day as the UTC day the API counted', () => {
    assert.equal(bucketLabel('2026-12-06T00:00:00Z', 'day', 'en-US'), 'Dec 6')
    const hour = new Date('2026-12-06T14:00:00Z')
    assert.equal(bucketLabel('2026-12-06T14:00:00Z', 'hour', 'en-GB'), `${String(hour.getHours()).padStart(2, '0')}:00`)
  })

  const signer = (spc: string, total: number, failed: number, failed_a: number, reasons = {}): Signer => ({
    spc,
    total,
    passed: total - failed,
    failed,
    attest: { A: total, B: 0, C: 0 },
    failed_a,
    reasons,
  })
  const signers = [signer('200', 5, 1, 0), signer('100', 5, 4, 3), signer('300', 9, 0, 0)]

  it('sorts signers by a column, most first, ties by SPC; SPCs either way', () => {
    const spcs = (s: Signer[]) => s.map((x) => x.spc)
    assert.deepEqual(spcs(sortSigners(signers, 'total', false)), ['300', '100', '200'])
    assert.deepEqual(spcs(sortSigners(signers, 'failed', false)), ['100', '200', '300'])
    assert.deepEqual(spcs(sortSigners(signers, 'failed_a', true)), ['200', '300', '100'])
    assert.deepEqual(spcs(sortSigners(signers, 'spc', true)), ['100', '200', '300'])
    assert.deepEqual(spcs(sortSigners(signers, 'spc', false)), ['300', '200', '100'])
  })

  it("names a signer's most frequent failure reasons first", () => {
    const s = signer('1', 9, 9, 0, { iat_stale: 2, signature_invalid: 5, cert_expired: 2, cert_revoked: 1 })
    assert.deepEqual(topReasons(s), [
      ['signature_invalid', 5],
      ['cert_expired', 2],
      ['iat_stale', 2],
    ])
  })
})
