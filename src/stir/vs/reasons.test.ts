import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { REASONS, REASON_SIP, REASON_VERSTAT, REASON_DESC, SIP_TEXT } from './reasons.js'

describe('verification reasons', () => {
  it('gives TN-Validation-Failed only where the PKI or signature check ran and failed (spec §5)', () => {
    const failed = REASONS.filter((r) => REASON_VERSTAT[r] === 'TN-Validation-Failed')
    assert.ok(
      failed.every((r) => r.startsWith('cert_') || r === 'signature_invalid' || r === 'div_signature_invalid'),
      failed.join(),
    )
    assert.ok(
      failed.includes('signature_invalid') && failed.includes('cert_untrusted') && failed.includes('cert_revoked'),
    )
    assert.deepEqual(
      REASONS.filter((r) => REASON_VERSTAT[r] === 'TN-Validation-Passed'),
      ['passed'],
    )
  })
  it('maps every reason to an RFC 8224 code with its phrase and a description', () => {
    for (const r of REASONS) {
      assert.ok(SIP_TEXT[REASON_SIP[r]], r)
      assert.ok(REASON_DESC[r].length > 10, r)
    }
    assert.equal(REASON_SIP.iat_stale, 403)
    assert.equal(REASON_SIP.identity_missing, 428)
    assert.equal(REASON_SIP.x5u_info_mismatch, 436)
    assert.equal(REASON_SIP.alg_unsupported, 437)
    assert.equal(REASON_SIP.compact_form, 438)
  })
})
