import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { approvalOverride, suggestedRejectionCodes } from './review-gate.js'
import { AppError } from './errors.js'

const c = (name: string, passed: boolean, evidence = '') => ({ name, passed, evidence })

describe('review gate', () => {
  it('an approval over failed checks needs a reason, and records it with the failed check names', () => {
    assert.equal(approvalOverride('BU1', [c('us_address', true)], undefined), undefined)
    assert.equal(approvalOverride('BU1', [c('us_address', true)], 'not needed'), undefined)
    const failed = [c('us_address', false, 'AD1: not a US address'), c('policy_requirements', true)]
    for (const reason of [undefined, '', '  \n ']) {
      assert.throws(
        () => approvalOverride('BU1', failed, reason),
        (e: unknown) =>
          e instanceof AppError &&
          e.key === 'CHECKS_FAILED' &&
          /us_address \(AD1: not a US address\)/.test(e.message) &&
          JSON.stringify(e.details) ===
            JSON.stringify({ failed_checks: [{ name: 'us_address', evidence: 'AD1: not a US address' }] }),
      )
    }
    assert.deepEqual(approvalOverride('BU1', failed, '  Verified by phone '), {
      reason: 'Verified by phone',
      failed_checks: ['us_address'],
    })
  })

  it('failed checks suggest rejection codes, each once and in order', () => {
    assert.deepEqual(
      suggestedRejectionCodes([
        c('email_domain_matches_website', false),
        c('representative_phones', false, 'authorized_representative_2: bad; authorized_representative_1: bad'),
        c('registration_number_format', false, 'registration identifier "VAT" is not a US authority (EIN or DUNS)'),
        c('duplicate_registration', false),
        c('us_address', true),
        c('policy_requirements', false),
      ]),
      [18602, 18604, 18605, 18606, 18609],
    )
    assert.deepEqual(
      suggestedRejectionCodes([c('registration_number_format', false, 'EIN "1" is not of the form')]),
      [18602],
    )
    assert.deepEqual(
      suggestedRejectionCodes([c('loa_signer_is_representative', false), c('loa_address_matches_profile', false)]),
      [18603, 18604],
    )
    assert.deepEqual(suggestedRejectionCodes([c('us_address', true)]), [])
  })
})
