import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  APPROVED,
  APPROVAL_VALIDITY_MS,
  BUNDLE_STATUSES,
  DRAFT,
  IN_REVIEW,
  PENDING_REVIEW,
  REJECTED,
  assertCustomerMayRequest,
  canTransition,
  isApproved,
  isEditable,
  statusPatch,
} from './bundle.js'
import { AppError } from './errors.js'

const NOW = new Date('2026-11-28T00:00:00.000Z')

describe('bundle rules', () => {
  it("Twilio's five status values, on the wire as-is", () => {
    assert.deepEqual(
      [...BUNDLE_STATUSES],
      ['draft', 'pending-review', 'in-review', 'twilio-rejected', 'twilio-approved'],
    )
  })

  it('approved means twilio-approved and not past valid_until (null never runs out)', () => {
    assert.equal(isApproved(APPROVED, '2026-11-28T00:00:00.001Z', NOW), true)
    assert.equal(isApproved(APPROVED, '2026-11-28T00:00:00.000Z', NOW), false, 'expires at valid_until itself')
    assert.equal(isApproved(APPROVED, '2020-01-01T00:00:00.000Z', NOW), false)
    assert.equal(isApproved(APPROVED, null, NOW), true)
    for (const s of [DRAFT, PENDING_REVIEW, IN_REVIEW, REJECTED]) assert.equal(isApproved(s, null, NOW), false, s)
  })

  it('attachments change only in draft or twilio-rejected', () => {
    assert.deepEqual(BUNDLE_STATUSES.filter(isEditable), [DRAFT, REJECTED])
  })

  it('the state machine: submit, claim, decide or release; nothing leaves an approval but the operator', () => {
    assert.equal(canTransition(DRAFT, PENDING_REVIEW), true)
    assert.equal(canTransition(REJECTED, PENDING_REVIEW), true)
    assert.equal(canTransition(PENDING_REVIEW, IN_REVIEW), true)
    for (const to of [APPROVED, REJECTED, PENDING_REVIEW]) assert.equal(canTransition(IN_REVIEW, to), true, to)
    assert.equal(canTransition(DRAFT, APPROVED), false)
    assert.equal(canTransition(PENDING_REVIEW, APPROVED), false)
    assert.equal(canTransition(APPROVED, PENDING_REVIEW), false)
    assert.equal(canTransition('nope', DRAFT), false)
  })

  it('the customer may only submit, and only from draft or twilio-rejected', () => {
    assertCustomerMayRequest({ sid: 'BU1', status: DRAFT }, PENDING_REVIEW)
    assertCustomerMayRequest({ sid: 'BU1', status: REJECTED }, PENDING_REVIEW)
    const code = (f: () => void) => {
      try {
        f()
        return 'none'
      } catch (e) {
        return (e as AppError).key
      }
    }
    assert.equal(
      code(() => assertCustomerMayRequest({ sid: 'BU1', status: DRAFT }, 'approved')),
      'INVALID_PARAM',
    )
    assert.equal(
      code(() => assertCustomerMayRequest({ sid: 'BU1', status: DRAFT }, APPROVED)),
      'BUNDLE_STATE',
    )
    assert.equal(
      code(() => assertCustomerMayRequest({ sid: 'BU1', status: IN_REVIEW }, PENDING_REVIEW)),
      'BUNDLE_STATE',
    )
    assert.throws(
      () => assertCustomerMayRequest({ sid: 'BU1', status: APPROVED }, PENDING_REVIEW),
      /BU1 is twilio-approved; only a draft or twilio-rejected bundle can be submitted/,
    )
  })

  it('what each move stores: a submission or approval clears the rejection; a rejection clears the approval', () => {
    const now = NOW.toISOString()
    assert.deepEqual(statusPatch(PENDING_REVIEW, { actor: 'customer' }, now), {
      status: PENDING_REVIEW,
      date_updated: now,
      submitted_at: now,
      errors: null,
      failure_reason: null,
    })
    assert.equal(
      statusPatch(APPROVED, { actor: 'operator' }, now).valid_until,
      new Date(NOW.getTime() + APPROVAL_VALIDITY_MS).toISOString(),
    )
    assert.equal(
      statusPatch(APPROVED, { actor: 'operator', validUntil: '2027-01-01T00:00:00.000Z' }, now).valid_until,
      '2027-01-01T00:00:00.000Z',
    )
    assert.deepEqual(statusPatch(REJECTED, { actor: 'RV1', errors: [18601, 18606], failureReason: 'why' }, now), {
      status: REJECTED,
      date_updated: now,
      valid_until: null,
      errors: '[{"code":18601},{"code":18606}]',
      failure_reason: 'why',
    })
    assert.equal(statusPatch(REJECTED, { actor: 'RV1' }, now).errors, null)
    assert.deepEqual(statusPatch(DRAFT, { actor: 'operator', failureReason: 'note' }, now), {
      status: DRAFT,
      date_updated: now,
      valid_until: null,
      failure_reason: 'note',
    })
  })
})
