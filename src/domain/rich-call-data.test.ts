import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { brandingOf, callReasonOf, textProblem, type BrandFact } from './rich-call-data.js'
import { POLICY } from './policy-sids.js'

const NOW = new Date('2026-12-06T12:00:00Z')
const BRAND: BrandFact = {
  displayName: 'Acme Pharmacy',
  logoUrl: 'https://acme.example/logo.png',
  logoDigest: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  callReasons: ['Prescription ready'],
}
const product = (over: Record<string, unknown> = {}) => ({
  sid: 'BU' + 'b'.repeat(32),
  accountSid: 'AC1',
  policySid: POLICY.BRANDED_CALLS,
  status: 'twilio-approved',
  validUntil: null as string | null,
  brand: BRAND as BrandFact | undefined,
  ...over,
})
const OWNERS = new Set(['AC1', 'AC0'])

describe('which calls carry Rich Call Data (RFC 9795)', () => {
  const rows: [string, string | undefined, ReturnType<typeof product>[], boolean][] = [
    ['A, approved product', 'A', [product()], true],
    ['A, product of the parent account', 'A', [product({ accountSid: 'AC0' })], true],
    ['B, approved product', 'B', [product()], false],
    ['C, approved product', 'C', [product()], false],
    ['not signed', undefined, [product()], false],
    ['A, no product', 'A', [], false],
    ['A, product of another account', 'A', [product({ accountSid: 'AC9' })], false],
    ['A, product in review', 'A', [product({ status: 'in-review' })], false],
    ['A, product expired', 'A', [product({ validUntil: '2026-12-01T00:00:00Z' })], false],
    ['A, a SHAKEN trust product only', 'A', [product({ policySid: POLICY.SHAKEN_STIR })], false],
    ['A, no branding pinned', 'A', [product({ brand: undefined })], false],
    ['A, logo without digest', 'A', [product({ brand: { ...BRAND, logoDigest: null } })], false],
    ['A, logo digest not in rcdi form', 'A', [product({ brand: { ...BRAND, logoDigest: 'abc' } })], false],
    ['A, name with a control character', 'A', [product({ brand: { ...BRAND, displayName: 'Ac\u0000me' } })], false],
    ['A, logo over ftp', 'A', [product({ brand: { ...BRAND, logoUrl: 'ftp://acme.example/l.png' } })], false],
    ['A, no logo', 'A', [product({ brand: { ...BRAND, logoUrl: null, logoDigest: null } })], true],
  ]
  for (const [name, attest, bundles, branded] of rows) {
    it(`${name}: ${branded ? 'branded' : 'not branded'}`, () => {
      const b = brandingOf(attest, bundles, OWNERS, NOW)
      assert.equal(b.rcd !== undefined, branded, JSON.stringify(b))
      assert.ok(b.reasons.length > 0, 'always says why')
      if (b.rcd) {
        assert.equal(b.rcd.nam, 'Acme Pharmacy')
        assert.equal(b.rcd.icn === undefined, b.rcd.rcdi === undefined, 'a logo always with its digest')
      }
    })
  }

  it('picks the lowest product SID when several are approved', () => {
    const a = product({ sid: 'BU' + 'a'.repeat(32), brand: { ...BRAND, displayName: 'First' } })
    assert.equal(brandingOf('A', [product(), a], OWNERS, NOW).rcd?.nam, 'First')
  })

  it('signs a call reason only when it is approved, exactly', () => {
    const g = brandingOf('A', [product()], OWNERS, NOW).rcd
    assert.deepEqual(callReasonOf(g, 'Prescription ready'), { crn: 'Prescription ready' })
    assert.equal(callReasonOf(g, 'prescription ready').crn, undefined)
    assert.match(callReasonOf(g, 'Refund').note!, /not approved/)
    assert.match(callReasonOf(undefined, 'Prescription ready').note!, /no branding/)
    assert.deepEqual(callReasonOf(g, undefined), {})
  })

  it('judges name and reason text', () => {
    assert.equal(textProblem('Acme Pharmacy', 255), undefined)
    assert.equal(textProblem('Café Ünïcode 😀', 255), undefined)
    for (const bad of ['', '   ', 'a\nb', 'rtl \u202e', 'x'.repeat(256), 'lone \ud800', 42])
      assert.ok(textProblem(bad, 255), JSON.stringify(bad))
  })
})
