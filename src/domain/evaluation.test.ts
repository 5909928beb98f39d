import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { evaluate, failureSummary, type EvaluationFacts } from './evaluation.js'
import type { LinkedBundle as EvalBundle } from './bundle.js'
import { POLICY, findPolicy } from './policies.js'
import { fieldProblem } from './evaluation-fields.js'

const AD = 'AD' + '1'.repeat(32)
const business = (over: Record<string, unknown> = {}) => ({
  sid: 'IT' + 'b'.repeat(32),
  type: 'customer_profile_business_information',
  attributes: {
    business_name: 'Acme Inc',
    business_identity: 'direct_customer',
    business_type: 'Corporation',
    business_industry: 'TECHNOLOGY',
    business_registration_identifier: 'EIN',
    business_registration_number: '12-3456789',
    business_regions_of_operation: 'USA_AND_CANADA,EUROPE',
    website_url: 'https://acme.example.com',
    ...over,
  },
})
const rep = (n = 1, over: Record<string, unknown> = {}) => ({
  sid: 'IT' + String(n).repeat(32),
  type: `authorized_representative_${n}`,
  attributes: {
    first_name: 'Jane',
    last_name: 'Doe',
    email: 'jane@acme.example.com',
    phone_number: '+14155550100',
    business_title: 'CEO',
    job_position: 'CEO',
    ...over,
  },
})
const addressDoc = (sids: unknown = AD) => ({
  sid: 'RD' + 'd'.repeat(32),
  type: 'customer_profile_address',
  attributes: { address_sids: sids },
})
const primary = (over: Partial<EvalBundle> = {}): EvalBundle => ({
  sid: 'BU' + 'p'.repeat(0) + 'a'.repeat(32),
  policy_sid: POLICY.PRIMARY_PROFILE,
  status: 'twilio-approved',
  valid_until: '2099-01-01T00:00:00.000Z',
  business_identity: 'isv_reseller_or_partner',
  ...over,
})

function facts(policySid: string, over: Partial<EvaluationFacts> = {}): EvaluationFacts {
  return {
    policy: findPolicy(policySid)!,
    endUsers: [business(), rep(1)],
    documents: [addressDoc()],
    addressSids: new Set([AD]),
    bundles: [],
    now: new Date('2026-11-28T00:00:00Z'),
    ...over,
  }
}
const byReq = (o: ReturnType<typeof evaluate>, name: string) => o.results.find((r) => r.requirement_name === name)!

describe('evaluation', () => {
  it("a complete primary profile is compliant, one item per requirement in Twilio's shape", () => {
    const o = evaluate(facts(POLICY.PRIMARY_PROFILE))
    assert.equal(o.status, 'compliant')
    assert.deepEqual(
      o.results.map((r) => r.requirement_name),
      [
        'customer_profile_business_information',
        'authorized_representative_1',
        'authorized_representative_2',
        'customer_profile_address',
      ],
    )
    const b = byReq(o, 'customer_profile_business_information')
    assert.deepEqual(Object.keys(b).sort(), [
      'error_code',
      'failure_reason',
      'friendly_name',
      'invalid',
      'object_type',
      'passed',
      'requirement_friendly_name',
      'requirement_name',
      'valid',
    ])
    assert.deepEqual(b.valid[0], {
      friendly_name: 'Business Name',
      object_field: 'business_name',
      passed: true,
      failure_reason: null,
      error_code: null,
    })
    assert.equal(b.invalid.length, 0)
    assert.equal(byReq(o, 'authorized_representative_2').passed, true, 'rep #2 is optional')
  })

  it('a missing end user is 22214, a missing field 22215 naming the attribute to set', () => {
    const o = evaluate(facts(POLICY.PRIMARY_PROFILE, { endUsers: [business({ business_name: '' })] }))
    assert.equal(o.status, 'noncompliant')
    const r1 = byReq(o, 'authorized_representative_1')
    assert.equal(r1.passed, false)
    assert.equal(r1.error_code, 22214)
    assert.match(r1.failure_reason!, /Authorized Representative 1 end user is missing.*EntityAssignment/)
    const b = byReq(o, 'customer_profile_business_information')
    assert.equal(b.error_code, 22215)
    assert.deepEqual(
      b.invalid.map((i) => i.object_field),
      ['business_name'],
    )
    assert.match(b.invalid[0]!.failure_reason, /attributes\.business_name/)
    assert.match(failureSummary(o), /Business Information: .*\| Authorized Representative 1: /)
  })

  it('checks values: allowed lists, EIN/DUNS, E.164, email, URL', () => {
    const o = evaluate(
      facts(POLICY.PRIMARY_PROFILE, {
        endUsers: [
          business({
            business_type: 'Conglomerate',
            business_registration_number: '123',
            business_regions_of_operation: 'MARS',
            website_url: 'acme',
          }),
          rep(1, { phone_number: '555-0100', email: 'jane-at-acme', job_position: 'Janitor' }),
        ],
      }),
    )
    const b = byReq(o, 'customer_profile_business_information')
    assert.deepEqual(b.invalid.map((i) => i.object_field).sort(), [
      'business_regions_of_operation',
      'business_registration_number',
      'business_type',
      'website_url',
    ])
    assert.match(b.invalid.find((i) => i.object_field === 'business_registration_number')!.failure_reason, /NN-NNNNNNN/)
    const r = byReq(o, 'authorized_representative_1')
    assert.deepEqual(r.invalid.map((i) => i.object_field).sort(), ['email', 'job_position', 'phone_number'])
    const duns = evaluate(
      facts(POLICY.PRIMARY_PROFILE, {
        endUsers: [
          business({ business_registration_identifier: 'DUNS', business_registration_number: '12-3456789' }),
          rep(1),
        ],
      }),
    )
    assert.match(byReq(duns, 'customer_profile_business_information').failure_reason!, /9-digit D-U-N-S/)
    const dunsOk = evaluate(
      facts(POLICY.PRIMARY_PROFILE, {
        endUsers: [
          business({ business_registration_identifier: 'DUNS', business_registration_number: '123456789' }),
          rep(1),
        ],
      }),
    )
    assert.equal(dunsOk.status, 'compliant')
  })

  it('values String() cannot convert ({"toString":1} in a list) are invalid, never a throw', () => {
    const odd = [{ toString: 1 }]
    const o = evaluate(
      facts(POLICY.PRIMARY_PROFILE, {
        endUsers: [
          business({
            business_type: odd,
            business_regions_of_operation: odd,
            website_url: odd,
            business_registration_number: odd,
          }),
          rep(1, { email: odd, phone_number: odd }),
        ],
      }),
    )
    assert.deepEqual(
      byReq(o, 'customer_profile_business_information')
        .invalid.map((i) => i.object_field)
        .sort(),
      ['business_regions_of_operation', 'business_registration_number', 'business_type', 'website_url'],
    )
    assert.deepEqual(
      byReq(o, 'authorized_representative_1')
        .invalid.map((i) => i.object_field)
        .sort(),
      ['email', 'phone_number'],
    )
    assert.equal(
      fieldProblem('constructor', 'x', {}),
      null,
      'a field without a rule accepts any value, whatever its name',
    )
    assert.equal(fieldProblem('__proto__', 'x', {}), null)
  })

  it('an optional rep #2, once attached, is validated', () => {
    const o = evaluate(facts(POLICY.PRIMARY_PROFILE, { endUsers: [business(), rep(1), rep(2, { email: '' })] }))
    assert.equal(byReq(o, 'authorized_representative_2').passed, false)
    assert.equal(o.status, 'noncompliant')
  })

  it('address document: missing 22216, empty address_sids 22217, unknown address 22219', () => {
    assert.equal(
      byReq(evaluate(facts(POLICY.PRIMARY_PROFILE, { documents: [] })), 'customer_profile_address').error_code,
      22216,
    )
    assert.equal(
      byReq(evaluate(facts(POLICY.PRIMARY_PROFILE, { documents: [addressDoc('')] })), 'customer_profile_address')
        .error_code,
      22217,
    )
    const other = 'AD' + '9'.repeat(32)
    const r = byReq(
      evaluate(facts(POLICY.PRIMARY_PROFILE, { documents: [addressDoc(`${AD},${other}`)] })),
      'customer_profile_address',
    )
    assert.equal(r.error_code, 22219)
    assert.match(r.failure_reason!, new RegExp(other))
    assert.equal(
      byReq(evaluate(facts(POLICY.PRIMARY_PROFILE, { documents: [addressDoc([AD])] })), 'customer_profile_address')
        .passed,
      true,
    )
  })

  it('secondary profile: needs an attached, approved, unexpired isv_reseller_or_partner primary', () => {
    const missing = byReq(evaluate(facts(POLICY.SECONDARY_PROFILE)), 'primary_customer_profile')
    assert.equal(missing.passed, false)
    assert.equal(missing.error_code, 22216)
    assert.equal(evaluate(facts(POLICY.SECONDARY_PROFILE, { bundles: [primary()] })).status, 'compliant')
    const direct = byReq(
      evaluate(facts(POLICY.SECONDARY_PROFILE, { bundles: [primary({ business_identity: 'direct_customer' })] })),
      'primary_customer_profile',
    )
    assert.equal(direct.passed, false)
    assert.match(direct.failure_reason!, /isv_reseller_or_partner.*direct_customer/)
    const pending = byReq(
      evaluate(facts(POLICY.SECONDARY_PROFILE, { bundles: [primary({ status: 'pending-review' })] })),
      'primary_customer_profile',
    )
    assert.match(pending.failure_reason!, /pending-review; it must be twilio-approved/)
    const expired = byReq(
      evaluate(facts(POLICY.SECONDARY_PROFILE, { bundles: [primary({ valid_until: '2026-01-01T00:00:00.000Z' })] })),
      'primary_customer_profile',
    )
    assert.match(expired.failure_reason!, /expired/)
  })

  it('trust product: a linked primary or secondary profile must be attached', () => {
    const none = evaluate(facts(POLICY.SHAKEN_STIR, { endUsers: [], documents: [] }))
    assert.equal(none.status, 'noncompliant')
    // Nothing linked: one failing item per acceptable type, never one joined type string.
    assert.deepEqual(
      none.results.map((r) => [r.requirement_name, r.object_type, r.passed]),
      [
        ['customer_profile', 'primary_customer_profile_type_business', false],
        ['customer_profile', 'secondary_customer_profile_type_business', false],
      ],
    )
    assert.equal(failureSummary(none).split(' | ').length, 1, 'the requirement is summarised once')
    const withPrimary = evaluate(
      facts(POLICY.SHAKEN_STIR, {
        bundles: [primary({ status: 'pending-review', business_identity: 'direct_customer' })],
      }),
    )
    assert.equal(withPrimary.status, 'compliant')
    assert.deepEqual(
      withPrimary.results.map((r) => [r.requirement_name, r.object_type]),
      [['customer_profile', 'primary_customer_profile_type_business']],
    )
    assert.deepEqual(
      withPrimary.results[0]!.valid.map((v) => v.object_field),
      ['bundle_sid', 'bundle_status'],
    )
    const secondary = evaluate(
      facts(POLICY.SHAKEN_STIR, { bundles: [primary({ policy_sid: POLICY.SECONDARY_PROFILE, status: 'draft' })] }),
    )
    assert.equal(secondary.status, 'compliant')
    assert.deepEqual(
      secondary.results.map((r) => r.object_type),
      ['secondary_customer_profile_type_business'],
    )
    const rejected = evaluate(facts(POLICY.SHAKEN_STIR, { bundles: [primary({ status: 'twilio-rejected' })] }))
    assert.equal(rejected.results[0]!.error_code, 22217)
    const wrongKind = evaluate(facts(POLICY.SHAKEN_STIR, { bundles: [primary({ policy_sid: POLICY.CNAM })] }))
    assert.equal(wrongKind.status, 'noncompliant')
  })
})
