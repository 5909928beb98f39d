import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isSid, newSid } from './ids.js'

describe('newSid', () => {
  it('issues distinct, well-formed SIDs across many refills of its random pool', () => {
    const sids = Array.from({ length: 5000 }, (_, i) => newSid(i % 2 ? 'PN' : 'RA'))
    assert.equal(new Set(sids).size, sids.length)
    for (const [i, s] of sids.entries()) assert.ok(isSid(s, i % 2 ? 'PN' : 'RA') && /^[A-Z]{2}[0-9a-f]{32}$/.test(s), s)
    // The random part is not a counter: consecutive SIDs share no long prefix.
    const shared = sids.slice(1).filter((s, i) => s.slice(2, 10) === sids[i]!.slice(2, 10)).length
    assert.ok(shared < 3, `${shared} consecutive SIDs share their first 32 random bits`)
  })
})
