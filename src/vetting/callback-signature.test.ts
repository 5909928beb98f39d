import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import twilio from 'twilio'
import { callbackParams, formBody, twilioSignature } from './callback-signature.js'

describe('status callback signature', () => {
  const params = callbackParams({
    sid: 'BU' + 'a'.repeat(32),
    account_sid: 'AC' + 'b'.repeat(32),
    status: 'twilio-rejected',
    failure_reason: 'Website does not match',
    valid_until: null,
    errors: '[{"code":18601},{"code":18606}]',
  })

  it('carries the documented fields', () => {
    assert.deepEqual(Object.keys(params), [
      'AccountSid',
      'BundleSid',
      'Status',
      'FailureReason',
      'ValidUntil',
      'Errors',
    ])
    assert.equal(params.Errors, '18601,18606')
    assert.equal(params.ValidUntil, '')
    assert.match(formBody(params), /^AccountSid=AC.*&Errors=18601%2C18606&FailureReason=Website\+does\+not\+match/)
  })

  it('is accepted by twilio.validateRequest and refused with another token or URL', () => {
    const url = 'https://cb.example.com/hook?x=1'
    const sig = twilioSignature('tok-123', url, params)
    assert.equal(twilio.validateRequest('tok-123', sig, url, params), true)
    assert.equal(twilio.validateRequest('tok-456', sig, url, params), false)
    assert.equal(twilio.validateRequest('tok-123', sig, 'https://cb.example.com/other', params), false)
    assert.equal(twilio.validateRequest('tok-123', sig, url, { ...params, Status: 'twilio-approved' }), false)
  })
})
