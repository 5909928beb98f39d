/** The dashboard chart's arithmetic: UTC hour counters into local days per level, and round y ticks. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { dailyByLevel, yTicks } from '../web/src/chart.js'

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
