import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  checkDuplicateRegistration,
  checkEmailDomain,
  checkEvaluation,
  checkRegistrationNumber,
  checkRepresentativePhones,
  checkSecondaryPrimary,
  checkTrustProductProfile,
  checkUsAddress,
  runChecks,
  type BundleFacts,
} from './vetting-checks.js'
import { POLICY, findPolicy } from './policies.js'
import { evaluate } from './evaluation.js'

const NOW = '2026-11-28T00:00:00.000Z'
const business = (over: Record<string, unknown> = {}) => ({
  sid: 'IT1',
  type: 'customer_profile_business_information',
  attributes: {
    business_name: 'Acme',
    business_identity: 'direct_customer',
    business_registration_identifier: 'EIN',
    business_registration_number: '12-3456789',
    website_url: 'https://www.acme.com',
    ...over,
  },
})
const rep = (over: Record<string, unknown> = {}) => ({
  sid: 'IT2',
  type: 'authorized_representative_1',
  attributes: { first_name: 'Jane', last_name: 'Doe', email: 'jane@acme.com', phone_number: '+14155238886', ...over },
})
const compliant = { sid: 'EL1', status: 'compliant' as const, results: [], date_created: NOW }
const facts = (over: Partial<BundleFacts> = {}): BundleFacts => ({
  sid: 'BU1',
  account_sid: 'AC1',
  policy_sid: POLICY.PRIMARY_PROFILE,
  endUsers: [business(), rep()],
  documents: [{ sid: 'RD1', type: 'customer_profile_address', attributes: { address_sids: 'AD1' } }],
  addresses: [{ sid: 'AD1', iso_country: 'US', region: 'CA', postal_code: '94105' }],
  linked: [],
  duplicates: [],
  now: NOW,
  evaluation: compliant,
  ...over,
})
const approvedPrimary = (
  identity = 'isv_reseller_or_partner',
  status = 'twilio-approved',
  valid_until: string | null = '2027-11-28T00:00:00.000Z',
) => ({ sid: 'BUp', policy_sid: POLICY.PRIMARY_PROFILE, status, valid_until, business_identity: identity })

describe('automated vetting checks (each passes and fails with evidence)', () => {
  it('policy requirements: the verdict of the evaluation the submission was judged by', () => {
    const ok = checkEvaluation(facts())
    assert.equal(ok.passed, true)
    assert.match(ok.evidence, /all requirements of Primary Customer Profile .* \(evaluation EL1 is compliant\)/)
    const primary = findPolicy(POLICY.PRIMARY_PROFILE)!
    const outcome = evaluate({
      policy: primary,
      endUsers: [business({ website_url: '' })],
      documents: [],
      addressSids: new Set(),
      bundles: [],
      now: new Date(NOW),
    })
    const bad = checkEvaluation(facts({ evaluation: { ...outcome, sid: null, date_created: NOW } }))
    assert.equal(bad.passed, false)
    assert.match(bad.evidence, /^the evaluation at submission is noncompliant: /)
    assert.match(bad.evidence, /Authorized Representative 1: An Authorized Representative 1 end user is missing/)
    assert.match(bad.evidence, /Website URL is missing/)
    assert.match(bad.evidence, /Physical Business Address supporting document is missing/)
    const none = checkEvaluation(facts({ evaluation: undefined }))
    assert.equal(none.passed, false)
    assert.match(none.evidence, /no evaluation was recorded/)
  })

  it('EIN and DUNS formats', () => {
    assert.deepEqual(checkRegistrationNumber(facts()), {
      name: 'registration_number_format',
      passed: true,
      evidence: 'EIN 12-3456789 has the form NN-NNNNNNN',
    })
    assert.match(
      checkRegistrationNumber(facts({ endUsers: [business({ business_registration_number: '123456789' })] })).evidence,
      /EIN "123456789" is not of the form/,
    )
    assert.equal(
      checkRegistrationNumber(
        facts({
          endUsers: [business({ business_registration_identifier: 'DUNS', business_registration_number: '123456789' })],
        }),
      ).passed,
      true,
    )
    const duns = checkRegistrationNumber(
      facts({
        endUsers: [business({ business_registration_identifier: 'DUNS', business_registration_number: '12345' })],
      }),
    )
    assert.equal(duns.passed, false)
    assert.match(duns.evidence, /DUNS "12345" is not nine digits/)
    assert.match(
      checkRegistrationNumber(facts({ endUsers: [business({ business_registration_identifier: 'VAT' })] })).evidence,
      /not a US authority/,
    )
  })

  it('representative phones are valid US E.164', () => {
    const ok = checkRepresentativePhones(facts())
    assert.equal(ok.passed, true)
    assert.match(ok.evidence, /authorized_representative_1: \+14155238886/)
    assert.match(
      checkRepresentativePhones(facts({ endUsers: [business(), rep({ phone_number: '4155238886' })] })).evidence,
      /not in E\.164/,
    )
    assert.match(
      checkRepresentativePhones(facts({ endUsers: [business(), rep({ phone_number: '+442071838750' })] })).evidence,
      /not a valid US number/,
    )
    // 555-01XX is the NANP fiction range: libphonenumber accepts it, vetting must not.
    const fiction = checkRepresentativePhones(facts({ endUsers: [business(), rep({ phone_number: '+14155550100' })] }))
    assert.equal(fiction.passed, false)
    assert.match(fiction.evidence, /\+14155550100 is not a valid US number/)
  })

  it('email domain matches the website (18606)', () => {
    const ok = checkEmailDomain(facts())
    assert.equal(ok.passed, true)
    assert.match(ok.evidence, /at acme\.com/)
    assert.equal(checkEmailDomain(facts({ endUsers: [business(), rep({ email: 'jane@mail.acme.com' })] })).passed, true)
    const bad = checkEmailDomain(facts({ endUsers: [business(), rep({ email: 'jane@gmail.com' })] }))
    assert.equal(bad.passed, false)
    assert.match(bad.evidence, /jane@gmail\.com is not at acme\.com \(18606\)/)
  })

  it('US address with a state code and ZIP', () => {
    assert.match(checkUsAddress(facts()).evidence, /AD1: CA 94105 US/)
    assert.match(
      checkUsAddress(
        facts({ addresses: [{ sid: 'AD1', iso_country: 'GB', region: 'London', postal_code: 'SW1A 1AA' }] }),
      ).evidence,
      /not a US address/,
    )
    assert.match(
      checkUsAddress(facts({ addresses: [{ sid: 'AD1', iso_country: 'US', region: 'XX', postal_code: '94105' }] }))
        .evidence,
      /"XX" is not a US state code/,
    )
    assert.match(
      checkUsAddress(facts({ addresses: [{ sid: 'AD1', iso_country: 'US', region: 'CA', postal_code: '941' }] }))
        .evidence,
      /"941" is not a ZIP code/,
    )
    assert.equal(checkUsAddress(facts({ addresses: [] })).passed, false)
  })

  it('duplicate registration on an unrelated account', () => {
    assert.equal(checkDuplicateRegistration(facts()).passed, true)
    const dup = checkDuplicateRegistration(facts({ duplicates: [{ bundle_sid: 'BUx', account_sid: 'ACx' }] }))
    assert.equal(dup.passed, false)
    assert.match(dup.evidence, /12-3456789 is already approved on BUx \(account ACx\)/)
  })

  it("trust product's linked profile is approved and unexpired", () => {
    const tp = (linked: BundleFacts['linked']) =>
      facts({ policy_sid: POLICY.SHAKEN_STIR, endUsers: [], documents: [], addresses: [], linked })
    assert.match(
      checkTrustProductProfile(tp([approvedPrimary('direct_customer')])).evidence,
      /BUp is twilio-approved until/,
    )
    assert.match(
      checkTrustProductProfile(tp([approvedPrimary('direct_customer', 'pending-review')])).evidence,
      /BUp is pending-review/,
    )
    assert.match(
      checkTrustProductProfile(tp([approvedPrimary('direct_customer', 'twilio-approved', '2026-01-01T00:00:00.000Z')]))
        .evidence,
      /expired 2026-01-01/,
    )
    assert.equal(checkTrustProductProfile(tp([])).passed, false)
    assert.deepEqual(
      runChecks(tp([approvedPrimary()])).map((c) => c.name),
      ['policy_requirements', 'linked_profile_approved'],
    )
  })

  it("secondary profile's primary is approved and an ISV", () => {
    const sec = (p: BundleFacts['linked'][number]) => facts({ policy_sid: POLICY.SECONDARY_PROFILE, linked: [p] })
    assert.equal(checkSecondaryPrimary(sec(approvedPrimary())).passed, true)
    const direct = checkSecondaryPrimary(sec(approvedPrimary('direct_customer')))
    assert.equal(direct.passed, false)
    assert.match(direct.evidence, /business_identity is direct_customer, not isv_reseller_or_partner/)
    assert.match(
      checkSecondaryPrimary(sec(approvedPrimary('isv_reseller_or_partner', 'twilio-rejected'))).evidence,
      /is twilio-rejected/,
    )
    assert.equal(
      runChecks(sec(approvedPrimary())).every((c) => c.passed),
      true,
    )
    assert.equal(runChecks(sec(approvedPrimary())).length, 7)
  })
})
