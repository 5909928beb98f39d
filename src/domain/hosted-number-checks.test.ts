import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  checkAddress,
  checkCarrier,
  checkNumberFree,
  checkSigner,
  checkUsNumber,
  normalizeAddress,
  runOrderChecks,
  type LoaAddress,
  type OrderFacts,
} from './hosted-number-checks.js'
import { documentStatus } from './hosted-number.js'

const address = (over: Partial<LoaAddress> = {}): LoaAddress => ({
  sid: 'AD1',
  street: '1 Main St',
  street_secondary: null,
  city: 'San Francisco',
  region: 'CA',
  postal_code: '94105',
  iso_country: 'US',
  ...over,
})
const facts = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  phone_number: '+12125550188',
  email: 'jane@acme.com',
  contact_name: 'Jane Doe',
  current_carrier: 'Old Telco',
  carrier_account_number: '42',
  address: address(),
  inventory: null,
  holder: null,
  profile: {
    sid: 'BU1',
    account_sid: 'AC1',
    representative: { first_name: 'Jane', last_name: 'Doe', email: 'jane@acme.com' },
    addresses: [address({ sid: 'AD2' })],
  },
  ...over,
})

describe('hosted-number order checks', () => {
  it('all pass on a consistent order', () => {
    assert.deepEqual(
      runOrderChecks(facts()).filter((c) => !c.passed),
      [],
    )
  })

  it('us_number: malformed and non-US numbers fail with the reason', () => {
    assert.match(checkUsNumber(facts({ phone_number: '+1555' })).evidence, /not/)
    assert.equal(checkUsNumber(facts({ phone_number: '+14165550123' })).passed, false, 'Canada is +1 but not the US')
    assert.equal(checkUsNumber(facts({ phone_number: '+17875550123' })).passed, true, 'Puerto Rico is a US territory')
  })

  it('number_not_ours_nor_held: the inventory first, then the holder', () => {
    assert.match(checkNumberFree(facts({ inventory: 'held', holder: 'AC9' })).evidence, /inventory \(held\)/)
    assert.match(checkNumberFree(facts({ holder: 'AC9' })).evidence, /held by account AC9/)
  })

  it('loa_signer_is_representative: email and name folded; a different name or email fails; no profile fails', () => {
    assert.equal(checkSigner(facts({ email: ' JANE@Acme.com', contact_name: 'jane  doe' })).passed, true)
    assert.equal(checkSigner(facts({ contact_name: null })).passed, true, 'the name is compared only when given')
    assert.equal(checkSigner(facts({ email: 'john@acme.com' })).passed, false)
    assert.equal(checkSigner(facts({ contact_name: 'John Doe' })).passed, false)
    assert.match(checkSigner(facts({ profile: null })).evidence, /no approved primary business profile/)
    assert.match(
      checkSigner(facts({ profile: { ...facts().profile!, representative: null } })).evidence,
      /no authorized_representative_1/,
    )
  })

  it('addresses compare normalised: case, punctuation, USPS suffixes, ZIP+4', () => {
    const spelled = address({
      street: '1 MAIN STREET,',
      street_secondary: 'Suite 5',
      city: 'san francisco',
      region: 'ca',
      postal_code: '94105-1234',
    })
    assert.equal(
      normalizeAddress(spelled),
      normalizeAddress(address({ street: '1 Main St', street_secondary: 'Ste. 5' })),
    )
    assert.notEqual(normalizeAddress(address()), normalizeAddress(address({ street: '2 Main St' })))
    assert.notEqual(normalizeAddress(address()), normalizeAddress(address({ postal_code: '94107' })))
    assert.equal(
      checkAddress(
        facts({
          address: spelled,
          profile: { ...facts().profile!, addresses: [address({ street_secondary: 'Ste 5' })] },
        }),
      ).passed,
      true,
    )
    assert.match(
      checkAddress(facts({ address: address({ street: '9 Elm Rd' }) })).evidence,
      /differs from profile BU1's AD2 1 Main St/,
    )
    assert.match(checkAddress(facts({ address: null })).evidence, /no longer exists/)
  })

  it('current_carrier_present names what is missing', () => {
    assert.match(checkCarrier(facts({ carrier_account_number: ' ' })).evidence, /^missing CarrierAccountNumber$/)
    assert.match(
      checkCarrier(facts({ current_carrier: null, carrier_account_number: null })).evidence,
      /CurrentCarrier and CarrierAccountNumber/,
    )
  })

  it("a document's status follows its orders", () => {
    assert.equal(documentStatus([]), 'canceled')
    assert.equal(documentStatus(['completed', 'received']), 'opened')
    assert.equal(documentStatus(['completed', 'failed']), 'failed')
    assert.equal(documentStatus(['completed', 'completed']), 'signed')
  })
})
