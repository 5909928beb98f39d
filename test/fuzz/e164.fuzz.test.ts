/**
 * Fuzz: telephone numbers as strangers type them: E.164 `PhoneNumber` (src/domain/e164.ts,
 * Twilio 2010 numbers and the bulk import) and PASSporT TNs (src/stir/passport/tn.ts, the
 * /stir routes and the SIP fronts). Neither parser throws; what they accept is canonical and
 * parses again to itself; the E.164 fast path agrees with libphonenumber's full parse.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { parseE164 } from '../../src/domain/e164.js'
import { canonicalTn, tryCanonicalTn } from '../../src/stir/passport/index.js'
import { AppError } from '../../src/domain/errors.js'
import { fuzzParams, mutatedFrom, weirdValue } from '../helpers/fuzz.js'

const BASES: readonly string[] = [
  '+12025550123',
  '+1 (202) 555-0123',
  '+442071838750',
  '+33 1 42 68 53 00',
  '+8613800138000',
  '+16135550123',
  '2025550123',
  '12025550123',
  'tel:+1-202-555-0123;phone-context=example.com',
  '+1202555012',
  '+999999999999999',
  '+0123',
  ' +12025550123 ',
]
const numbers = fc.oneof(
  { weight: 4, arbitrary: mutatedFrom(BASES, 3) },
  { weight: 1, arbitrary: fc.stringMatching(/^\+?[0-9 ().-]{0,30}$/) },
)

describe('fuzz: E.164 and PASSporT TNs', () => {
  it('parseE164 never throws; an accepted number is canonical E.164 and parses again to itself', () => {
    fc.assert(
      fc.property(numbers, (raw) => {
        const r = parseE164(raw)
        if (!r.ok) {
          assert.equal(typeof r.reason, 'string')
          return
        }
        assert.match(r.e164, /^\+[1-9][0-9]{1,14}$/)
        assert.ok(r.national.length > 0)
        const again = parseE164(r.e164)
        assert.ok(again.ok && again.e164 === r.e164)
      }),
      fuzzParams(10_000),
    )
  })

  it("parseE164 agrees with libphonenumber's full parse on canonical input (the fast path is only a shortcut)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\+[1-9][0-9]{6,14}$/), fc.constantFrom(...BASES.filter((b) => /^\+\d+$/.test(b)))),
        (s) => {
          const full = parsePhoneNumberFromString(s)
          const r = parseE164(s)
          assert.equal(r.ok, Boolean(full?.isValid()), s)
          if (r.ok) assert.equal(r.e164, full!.number)
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('tryCanonicalTn never throws on any value; canonicalTn throws only the invalid-parameter error', () => {
    fc.assert(
      fc.property(fc.oneof(numbers, weirdValue), fc.integer({ min: 1, max: 40 }), (raw, maxLength) => {
        const tn = tryCanonicalTn(raw, { maxLength })
        if (tn !== undefined) {
          assert.match(tn, /^[0-9]+$/)
          assert.ok(tn.length <= maxLength)
          assert.equal(tryCanonicalTn(tn, { maxLength }), tn)
        }
        try {
          assert.equal(canonicalTn(raw, { maxLength }), tn)
        } catch (e) {
          assert.ok(e instanceof AppError && e.key === 'INVALID_PARAM' && tn === undefined, String(e))
        }
      }),
      fuzzParams(10_000),
    )
  })
})
