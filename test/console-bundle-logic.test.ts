/** The bundle pages' pure logic: values and kinds in words, and a copy's edits as the diff reads them. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { diffBundles } from '../src/domain/bundle-diff.js'
import { POLICY } from '../src/domain/policy-sids.js'
import { diffSide, FIELDS_OF_CODE, formValues, kindInWords, previewFacts } from '../web/src/bundle-facts.js'
import { valueInWords } from '../web/src/words.js'
import { STEP_FIELDS } from '../web/src/fields.js'

const facts = {
  endUsers: [
    {
      sid: 'IT1',
      type: 'customer_profile_business_information',
      friendly_name: 'Acme',
      attributes: {
        business_name: 'Acme Inc',
        business_regions_of_operation: ['USA_AND_CANADA'],
        business_industry: 'TECHNOLOGY',
        website_url: 'https://acme.example.com',
      },
    },
  ],
  documents: [],
  addresses: [
    {
      sid: 'AD1',
      account_sid: 'AC1',
      customer_name: 'Acme Inc',
      street: '1 Main St',
      street_secondary: null,
      city: 'San Francisco',
      region: 'CA',
      postal_code: '94105',
      iso_country: 'US',
    },
  ],
  documentOf: { AD1: 'RD1' },
  linked: [],
}

describe('console bundle logic', () => {
  it('says allowed values and bundle kinds in words', () => {
    assert.equal(valueInWords('USA_AND_CANADA'), 'USA & Canada')
    assert.equal(valueInWords('OIL_AND_GAS'), 'Oil and gas')
    assert.equal(valueInWords('HEALTHCARE'), 'Healthcare')
    assert.equal(valueInWords('EIN'), 'EIN')
    assert.equal(valueInWords('Limited Liability Corporation'), 'Limited Liability Corporation')
    assert.equal(kindInWords('CustomerProfiles', POLICY.PRIMARY_PROFILE), 'Business profile')
    assert.equal(kindInWords('CustomerProfiles', POLICY.SECONDARY_PROFILE), 'Secondary business profile')
    assert.equal(kindInWords('TrustProducts', POLICY.SHAKEN_STIR), 'SHAKEN/STIR trust product')
  })

  it('an untouched form changes nothing; an edit changes only its field, lists stay lists', () => {
    const values = formValues(facts)
    assert.deepEqual(diffBundles(diffSide(facts), diffSide(previewFacts(facts, values))), [])
    values.IT1 = {
      ...values.IT1,
      website_url: 'https://new.example.com',
      business_regions_of_operation: 'USA_AND_CANADA,EUROPE',
    }
    values.AD1 = { ...values.AD1, street: '2 New St' }
    const after = previewFacts(facts, values)
    assert.deepEqual(after.endUsers[0]!.attributes.business_regions_of_operation, ['USA_AND_CANADA', 'EUROPE'])
    assert.deepEqual(
      diffBundles(diffSide(facts), diffSide(after)).map((c) => [c.type, c.field, c.after]),
      [
        ['customer_profile_business_information', 'business_regions_of_operation', ['USA_AND_CANADA', 'EUROPE']],
        ['customer_profile_business_information', 'website_url', 'https://new.example.com'],
        ['address', 'street', '2 New St'],
      ],
    )
  })

  it('every rejection code about a field names a field the form has', () => {
    const codes = Object.keys(FIELDS_OF_CODE).map(Number)
    assert.deepEqual(codes, [18601, 18602, 18603, 18604, 18605, 18606, 18609])
    for (const c of codes)
      for (const [section, field] of FIELDS_OF_CODE[c]!) {
        const step = section === 'rep2' ? 'rep' : section
        assert.ok(
          STEP_FIELDS[step].some((f) => f.name === field),
          `${c}: ${field} is not a field of ${step}`,
        )
      }
  })
})
