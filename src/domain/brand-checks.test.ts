import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { brandChecks } from './brand-checks.js'
import { POLICY } from './policy-sids.js'

const profile = { sid: 'BUprofile', policy_sid: POLICY.PRIMARY_PROFILE, business_name: 'Acme Widgets, Inc.' }
const cnam = (name: string, dba: string[] = []) => ({
  policy_sid: POLICY.CNAM,
  endUsers: [{ type: 'cnam_information', attributes: { cnam_display_name: name, doing_business_as: dba } }],
  linked: [profile],
})
const facts = { others: [], numbers: 2, numbersOffShaken: [] }
const byName = (checks: ReturnType<typeof brandChecks>) => new Map(checks.map((c) => [c.name, c]))

describe('branding checks', () => {
  it('a CNAM name may be the legal name cut short; anything else shows its distance', () => {
    assert.equal(byName(brandChecks(cnam('ACME WIDGETS'), facts)).get('brand_name_matches_business')!.passed, true)
    const cut = byName(brandChecks(cnam('ACME WIDG'), facts)).get('brand_name_matches_business')!
    assert.equal(cut.passed, true)
    assert.match(cut.evidence, /truncated/)
    const other = byName(brandChecks(cnam('GLOBEX'), facts)).get('brand_name_matches_business')!
    assert.equal(other.passed, false)
    assert.match(other.evidence, /legal name "Acme Widgets, Inc." \(normalised "acme widgets", distance \d+\)/)
    assert.match(
      byName(brandChecks(cnam('GLOBEX', ['Globex']), facts)).get('brand_name_matches_business')!.evidence,
      /matches the DBA/,
    )
  })

  it('names look-alike brands of other accounts, and numbers off the SHAKEN/STIR product', () => {
    const c = byName(
      brandChecks(cnam('ACME WIDGETS'), {
        others: [{ bundle_sid: 'BUother', account_sid: 'ACother', display_name: 'Acmе Widgets' }],
        numbers: 2,
        numbersOffShaken: ['+12125550123'],
      }),
    )
    assert.equal(c.get('brand_name_not_confusable')!.passed, false)
    assert.match(c.get('brand_name_not_confusable')!.evidence, /BUother \(account ACother, distance 0/)
    assert.equal(c.get('brand_numbers_on_shaken_stir')!.passed, false)
    assert.match(c.get('brand_numbers_on_shaken_stir')!.evidence, /\+12125550123 is not on the linked SHAKEN\/STIR/)
    assert.equal(c.has('brand_logo'), false)
  })

  it('a Branded Calls logo that was not fetched fails; none at all passes', () => {
    const branded = (logo?: string) => ({
      policy_sid: POLICY.BRANDED_CALLS,
      endUsers: [
        {
          type: 'branded_calls_information',
          attributes: { branded_calls_display_name: 'Acme Widgets', ...(logo ? { branded_calls_logo_url: logo } : {}) },
        },
      ],
      linked: [profile],
    })
    assert.equal(byName(brandChecks(branded(), facts)).get('brand_logo')!.passed, true)
    const missing = byName(brandChecks(branded('https://acme.example/logo.png'), facts)).get('brand_logo')!
    assert.deepEqual(
      [missing.passed, missing.evidence],
      [false, 'https://acme.example/logo.png was not fetched for this check'],
    )
    assert.equal(brandChecks({ ...branded(), endUsers: [] }, facts)[0]!.name, 'brand_information')
  })
})
