import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isValidUsAddress } from './us-address.js'

describe('isValidUsAddress', () => {
  it('accepts a USPS state or territory code with a 5-digit ZIP or ZIP+4', () => {
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'IL', postalCode: '62701' }), true)
    assert.equal(isValidUsAddress({ isoCountry: 'us', region: ' ca ', postalCode: '94105-1234' }), true)
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'PR', postalCode: '00901' }), true)
  })

  it('refuses unknown regions, malformed ZIPs and other countries', () => {
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'XX', postalCode: '62701' }), false)
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'Illinois', postalCode: '62701' }), false)
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'IL', postalCode: '6270' }), false)
    assert.equal(isValidUsAddress({ isoCountry: 'US', region: 'IL', postalCode: '62701-12' }), false)
    assert.equal(isValidUsAddress({ isoCountry: 'CA', region: 'ON', postalCode: '62701' }), false)
  })
})
