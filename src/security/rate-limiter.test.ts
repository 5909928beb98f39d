import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RateLimiter } from './rate-limiter.js'

describe('rate limiter (token buckets)', () => {
  it('lets a key spend its burst, then one request per 1/rate seconds; keys are independent', () => {
    const l = new RateLimiter(10, 3)
    const t = 1_000_000
    assert.deepEqual([l.take('a', t), l.take('a', t), l.take('a', t)], [0, 0, 0])
    assert.equal(l.take('a', t), 100)
    assert.equal(l.take('b', t), 0)
    assert.equal(l.wait('a', t + 50), 50)
    assert.equal(l.take('a', t + 100), 0)
    assert.equal(l.take('a', t + 100), 100)
    // Idle time refills up to the burst, never beyond.
    assert.equal(l.wait('a', t + 10_000), 0)
    assert.deepEqual(
      [0, 1, 2, 3].map(() => l.take('a', t + 10_000)),
      [0, 0, 0, 100],
    )
  })

  it('wait() spends nothing and knows no unseen key', () => {
    const l = new RateLimiter(1, 1)
    assert.equal(l.wait('x', 0), 0)
    assert.equal(l.size, 0)
    assert.equal(l.take('x', 0), 0)
    assert.equal(l.wait('x', 0), 1000)
    assert.equal(l.wait('x', 0), 1000)
    assert.equal(l.take('x', 1000), 0)
  })

  it('stays bounded under a flood of keys, forgetting refilled ones first', () => {
    const l = new RateLimiter(1, 1)
    for (let i = 0; i < 100_000; i++) l.take(`k${i}`, 0)
    assert.equal(l.size, 100_000)
    // A millisecond later no bucket is full again: the oldest tenth is forgotten.
    l.take('new', 1)
    assert.equal(l.size, 90_001)
    for (let i = 0; i < 9_999; i++) l.take(`m${i}`, 2)
    // A second on, the first keys have refilled and go; the later ones are still spending.
    l.take('newer', 1001)
    assert.equal(l.size, 10_000)
  })

  it('refuses a rate or burst that could never admit a request', () => {
    assert.throws(() => new RateLimiter(0, 1), RangeError)
    assert.throws(() => new RateLimiter(1, 0.5), RangeError)
  })
})
