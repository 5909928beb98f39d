import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { AppError } from './errors.js'
import { approvalValidUntil, dueAt, parseRejectionCodes, retryDelayMs } from './vetting-rules.js'

describe('vetting rules', () => {
  it('rejection codes: 18601-18609 only, at least one, deduplicated', () => {
    assert.deepEqual(parseRejectionCodes([18606, 18601, 18606]), [18601, 18606])
    assert.deepEqual(parseRejectionCodes('18601, 18606'), [18601, 18606])
    assert.deepEqual(parseRejectionCodes([{ code: 18603 }]), [18603])
    assert.throws(
      () => parseRejectionCodes([18610]),
      (e: AppError) => e.status === 400 && /18610 is not a rejection code/.test(e.message),
    )
    assert.throws(
      () => parseRejectionCodes([]),
      (e: AppError) => e.status === 400 && /Errors/.test(e.message),
    )
    assert.throws(
      () => parseRejectionCodes(['abc']),
      (e: AppError) => e.status === 400,
    )
    // String() and Number() throw a TypeError on these: each is an invalid code, never a 500.
    for (const odd of [
      { toString: '1' },
      [{ toString: 1 }],
      [{ code: { toString: 1 } }],
      [{ valueOf: 1, toString: 1 }],
    ]) {
      assert.throws(
        () => parseRejectionCodes(odd),
        (e: AppError) => e.status === 400 && /is not a rejection code/.test(e.message),
        JSON.stringify(odd),
      )
    }
  })

  it('SLA: profiles 24 h, trust products 72 h (configurable)', () => {
    const sla = { profileHours: 24, trustProductHours: 72 }
    assert.equal(dueAt('customer-profile', '2026-11-28T00:00:00.000Z', sla), '2026-11-29T00:00:00.000Z')
    assert.equal(dueAt('trust-product', '2026-11-28T00:00:00.000Z', sla), '2026-12-01T00:00:00.000Z')
    assert.equal(
      dueAt('customer-profile', '2026-11-28T00:00:00.000Z', { profileHours: 2, trustProductHours: 72 }),
      '2026-11-28T02:00:00.000Z',
    )
  })

  it('valid_until: one year by default; past, unparsable or too distant dates refused', () => {
    const now = new Date('2026-11-28T10:00:00.000Z')
    assert.equal(approvalValidUntil(undefined, now, 730), '2027-11-28T10:00:00.000Z')
    assert.equal(approvalValidUntil('2027-01-01T00:00:00Z', now, 730), '2027-01-01T00:00:00.000Z')
    assert.throws(() => approvalValidUntil('2026-11-27T00:00:00Z', now, 730), /in the past/)
    assert.throws(() => approvalValidUntil('tomorrow', now, 730), /not an ISO-8601/)
    // 730 days ahead is the last instant allowed; a second later is not.
    assert.equal(approvalValidUntil('2028-11-27T10:00:00Z', now, 730), '2028-11-27T10:00:00.000Z')
    assert.throws(
      () => approvalValidUntil('2028-11-27T10:00:01Z', now, 730),
      (e: any) =>
        e.key === 'APPROVAL_TOO_LONG' &&
        e.status === 400 &&
        e.details.param === 'ValidUntil' &&
        /ValidUntil.*730 days/.test(e.message),
    )
    assert.equal(approvalValidUntil('2036-01-01T00:00:00Z', now, 3650), '2036-01-01T00:00:00.000Z')
  })

  it('retry delays grow exponentially, are capped and jittered over the upper half', () => {
    assert.equal(
      retryDelayMs(1, 1000, 60_000, () => 0),
      500,
    )
    assert.equal(
      retryDelayMs(1, 1000, 60_000, () => 1),
      1000,
    )
    assert.equal(
      retryDelayMs(4, 1000, 60_000, () => 1),
      8000,
    )
    assert.equal(
      retryDelayMs(20, 1000, 60_000, () => 1),
      60_000,
    )
    // With the defaults (30 s doubling to 1 h), retries keep going well past 24 h of attempts.
    let total = 0
    for (let n = 1; n <= 30; n++) total += retryDelayMs(n, 30_000, 3_600_000, () => 0)
    assert.ok(total > 12 * 3_600_000)
  })
})
