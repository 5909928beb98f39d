/** The console's pure logic: inline field checks, evaluation errors mapped to steps, CSV paste. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { checkStep, stepOfObjectType } from '../web/src/fields.js'
import { evaluationErrors } from '../web/src/fields.js'
import { pastedList } from '../web/src/csv.js'

describe('console logic', () => {
  it('checks a step inline: required fields, website, E.164 US phone, ZIP', () => {
    assert.deepEqual(Object.keys(checkStep('business', {})).sort(), [
      'business_identity',
      'business_industry',
      'business_name',
      'business_regions_of_operation',
      'business_registration_identifier',
      'business_registration_number',
      'business_type',
      'website_url',
    ])
    assert.match(checkStep('business', { website_url: 'acme' }).website_url!, /https:\/\//)
    const rep = checkStep('rep', {
      first_name: 'A',
      last_name: 'B',
      email: 'a@b.co',
      phone_number: '4155550100',
      business_title: 'CEO',
      job_position: 'CEO',
    })
    assert.deepEqual(Object.keys(rep), ['phone_number'])
    assert.deepEqual(
      checkStep('rep', {
        first_name: 'A',
        last_name: 'B',
        email: 'a@b.co',
        phone_number: '+14155550100',
        business_title: 'CEO',
        job_position: 'CEO',
      }),
      {},
    )
    assert.ok(checkStep('address', { postal_code: '9410' }).postal_code)
  })

  it('puts evaluation failures next to the fields of the right step', () => {
    const errs = evaluationErrors({
      status: 'noncompliant',
      results: [
        {
          object_type: 'customer_profile_business_information',
          passed: false,
          invalid: [{ object_field: 'business_name', failure_reason: 'The Business Name is missing' }],
        },
        {
          object_type: 'authorized_representative_1',
          passed: false,
          failure_reason: 'A representative is missing',
          invalid: [],
        },
        { object_type: 'customer_profile_address', passed: true, invalid: [] },
        {
          requirement_name: 'primary_customer_profile',
          passed: false,
          failure_reason: 'Primary profile not approved',
          invalid: [],
        },
      ],
    })
    assert.deepEqual(errs, {
      business: { business_name: 'The Business Name is missing' },
      rep: { _: 'A representative is missing' },
      other: { _: 'Primary profile not approved' },
    })
    assert.equal(stepOfObjectType('authorized_representative_2'), 'rep')
  })

  it('reads pasted numbers as a list for the server, dropping only a header: no number lost for lacking a +', () => {
    const pn = 'PN' + 'a'.repeat(32)
    assert.deepEqual(pastedList(`number\n+14155550100\n"4155550101";${pn}\n\n+14155550100,not-a-number`), [
      '+14155550100',
      '4155550101',
      pn,
      '+14155550100',
      'not-a-number',
    ])
  })
})
