/** The console's pure logic: inline field checks, evaluation errors mapped to steps, CSV paste. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { checkStep, stepOfObjectType } from '../web/src/fields.js'
import { evaluationErrors } from '../web/src/fields.js'
import { pastedList } from '../web/src/csv.js'
import { fieldProblems, normalisedPhone, reviewChecks } from '../web/src/checks.js'

describe('console logic', () => {
  it('checks a step inline: required fields, website, ZIP', () => {
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
    assert.deepEqual(
      checkStep('rep', {
        first_name: 'A',
        last_name: 'B',
        email: 'a@b.co',
        phone_number: '+14155238886',
        business_title: 'CEO',
        job_position: 'CEO',
      }),
      {},
    )
    assert.ok(checkStep('address', { postal_code: '9410' }).postal_code)
  })

  it("runs the reviewer's profile checks on a draft: per field and for the review step; phones as the API keeps them", () => {
    const form = {
      business: {
        business_registration_identifier: 'EIN',
        business_registration_number: '123456789',
        website_url: 'https://www.acme.com',
      },
      rep: { email: 'ann@gmail.com', phone_number: '+14155550100' },
      address: { iso_country: 'US', region: 'CA', postal_code: '94105' },
      email: '',
    }
    assert.deepEqual(fieldProblems('business', form), {
      business_registration_number: 'Write the EIN as NN-NNNNNNN, with the dash, e.g. 12-3456789',
      business_registration_identifier: 'Write the EIN as NN-NNNNNNN, with the dash, e.g. 12-3456789',
      website_url: "Use an email address at the business's own domain, acme.com (not gmail.com)",
    })
    assert.deepEqual(Object.keys(fieldProblems('rep', form)).sort(), ['email', 'phone_number'])
    assert.deepEqual(fieldProblems('address', form), {})
    // A field not filled yet is not judged (the email check waits for the website).
    assert.deepEqual(fieldProblems('rep', { ...form, business: {}, rep: { email: 'ann@gmail.com' } }), {})
    const fixed = {
      ...form,
      business: { ...form.business, business_registration_number: '12-3456789' },
      rep: { email: 'ann@acme.com', phone_number: normalisedPhone('+1 (415) 523-8886') },
    }
    assert.equal(fixed.rep.phone_number, '+14155238886')
    assert.deepEqual(
      reviewChecks(fixed).map((c) => [c.name, c.passed]),
      [
        ['registration_number_format', true],
        ['representative_phones', true],
        ['email_domain_matches_website', true],
        ['us_address', true],
      ],
    )
    assert.equal(normalisedPhone('4155238886'), '4155238886', 'without a country code it stays as typed')
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
