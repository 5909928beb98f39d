import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BatchedCounter, HourBucket, SEP, type CounterBatch } from './batched-counter.js'

describe('BatchedCounter', () => {
  it('writes each group and key once per flush with its count, and keeps counts a failed write lost', async () => {
    const written: CounterBatch[] = []
    let fail = true
    const counter = new BatchedCounter(async (batch) => {
      if (fail) {
        fail = false
        throw new Error('store down')
      }
      written.push(batch)
    }, 0)
    counter.add(`h1${SEP}A`, 'AC1')
    counter.add(`h1${SEP}A`, 'AC1')
    counter.add(`h1${SEP}B`, 'AC1')
    await assert.rejects(counter.flush(), /store down/)
    counter.add(`h1${SEP}A`, 'AC1')
    counter.add(`h1${SEP}A`, 'AC2')
    await counter.flush()
    await counter.flush() // nothing new: no write
    const sorted = (b: CounterBatch) => b.map(([parts, n]) => [parts.join('/'), n]).sort()
    assert.deepEqual(written.map(sorted), [
      [
        ['h1/A/AC1', 3],
        ['h1/A/AC2', 1],
        ['h1/B/AC1', 1],
      ],
    ])
    await counter.close()
  })
})

describe('HourBucket', () => {
  it('keeps one key string per hour and follows the clock either way', () => {
    let now = Date.parse('2026-11-29T10:59:59.999Z')
    const hour = new HourBucket(() => new Date(now))
    const first = hour.key()
    assert.equal(first, '2026-11-29T10')
    now -= 3_599_999 // 10:00:00.000, same hour
    assert.equal(hour.key(), first)
    now -= 1 // 09:59:59.999
    assert.equal(hour.key(), '2026-11-29T09')
    now = Date.parse('2026-11-29T11:00:00Z')
    assert.equal(hour.key(), '2026-11-29T11')
  })
})
