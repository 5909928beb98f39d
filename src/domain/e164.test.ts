import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isUsNumber, parseE164, parseTn, requireTn } from './e164.js'
import { AppError } from './errors.js'

describe('parseE164', () => {
  it('accepts valid numbers in any common formatting and returns the canonical form', () => {
    assert.deepEqual(parseE164('+12125550100'), { ok: true, e164: '+12125550100', national: '(212) 555-0100' })
    assert.deepEqual(parseE164(' +1 (212) 555-0100 '), { ok: true, e164: '+12125550100', national: '(212) 555-0100' })
    const uk = parseE164('+44 20 7183 8750')
    assert.ok(uk.ok)
    assert.equal(uk.ok && uk.e164, '+442071838750')
    assert.equal(uk.ok && uk.national, '+44 20 7183 8750')
  })

  it('refuses numbers without a country code, too short, or not valid for their country', () => {
    for (const bad of [
      '2125550100',
      '+1212',
      '+11234567890',
      '+1 212 555 01001',
      '+999123456789',
      'abc',
      '+1212555010a',
      '',
    ]) {
      const r = parseE164(bad)
      assert.equal(r.ok, false, bad)
      assert.ok(!r.ok && r.reason.includes(bad), bad)
    }
  })
})

describe('parseE164 fast path', () => {
  it('agrees with a full libphonenumber parse on random NANP and international numbers', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max')
    let seed = 42
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const inputs = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0 ? `+${1 + rnd(99)}${String(rnd(1e9)).padStart(9, '0')}` : `+1${String(2e9 + rnd(8e9))}`,
    )
    for (const s of inputs) {
      const full = parsePhoneNumberFromString(s)
      const expected = full && full.isValid() ? full.number : undefined
      const got = parseE164(s)
      assert.equal(got.ok ? got.e164 : undefined, expected, s)
    }
  })
})

describe('parseTn: the numbers calls name (signing, verification, attestation)', () => {
  // Every spelling of one number decides to the same canonical TN (ATIS-1000074: digits with the country code).
  const spellings: Array<[string, string, string | undefined]> = [
    ['+12125550100', '12125550100', 'US'],
    ['12125550100', '12125550100', 'US'],
    ['2125550100', '12125550100', 'US'],
    ['+1 (212) 555-0100', '12125550100', 'US'],
    ['(212) 555-0100', '12125550100', 'US'],
    ['1 212 555 0100', '12125550100', 'US'],
    ['212.555.0100', '12125550100', 'US'],
    [' +1-212-555-0100 ', '12125550100', 'US'],
    ['tel:+1-212-555-0100', '12125550100', 'US'],
    ['tel:2125550100;phone-context=+1', '12125550100', 'US'],
    ['TEL:+12125550100', '12125550100', 'US'],
    // 10 digits are NANP, never a country code: not Morocco (+212), not the Netherlands (+31).
    ['2127362000', '12127362000', 'US'],
    ['3109570142', '13109570142', 'US'],
    ['13109570142', '13109570142', 'US'],
    // Other NANP members keep their country (a non-US destination).
    ['4165551234', '14165551234', 'CA'],
    ['+1 416 555 1234', '14165551234', 'CA'],
    ['18765551234', '18765551234', 'JM'],
    // Other countries: with + or in the canonical form (country code first).
    ['+44 20 7183 8750', '442071838750', 'GB'],
    ['442071838750', '442071838750', 'GB'],
    ['tel:+44-20-7183-8750', '442071838750', 'GB'],
    // Ten digits that make no NANP number are read with their country code (Denmark, Germany).
    ['4532121212', '4532121212', 'DK'],
    ['+4532121212', '4532121212', 'DK'],
    ['4930123456', '4930123456', 'DE'],
  ]
  for (const [raw, tn, country] of spellings) {
    it(`${JSON.stringify(raw)} → ${tn} (${country})`, () => {
      const r = parseTn(raw)
      assert.ok(r.ok, JSON.stringify(r))
      assert.equal(r.tn, tn)
      assert.equal(r.e164, `+${tn}`)
      assert.equal(r.country, country)
      assert.equal(requireTn(raw, 'orig'), tn)
    })
  }

  const refused: Array<[string, RegExp]> = [
    // +1 with 9 or 11 national digits.
    ['+1212555010', /not a valid telephone number/],
    ['+121255501001', /not a valid telephone number/],
    ['1212555010', /neither \+11212555010 nor \+1212555010/],
    ['121255501001', /read as \+121255501001/],
    // Written with its country code, 2125550100 is Morocco's +212, and no valid number there.
    ['+2125550100', /read as \+2125550100/],
    // A NANP area code not in service; a country code that does not exist; too short.
    ['+15555550100', /not a valid/],
    ['+999123456789', /not a valid/],
    ['5550100', /read as \+5550100/],
    ['01256500600', /not a valid/],
    // Not written as a number at all.
    ['Bob', /not a telephone number/],
    ['', /not a telephone number/],
    ['+', /not a telephone number/],
    ['++12125550100', /not a telephone number/],
    ['sip:+12125550100@host', /not a telephone number/],
    ['*67 212 555 0100', /not a telephone number/],
    ['1'.repeat(21), /not a telephone number/],
    ['2'.repeat(100), /not a telephone number/],
  ]
  for (const [raw, reason] of refused) {
    it(`refuses ${JSON.stringify(raw.slice(0, 24))}`, () => {
      const r = parseTn(raw)
      assert.equal(r.ok, false)
      assert.match(!r.ok ? r.reason : '', reason)
      assert.throws(
        () => requireTn(raw, 'dest'),
        (e: unknown) =>
          e instanceof AppError && e.key === 'INVALID_PARAM' && e.details?.param === 'dest' && reason.test(e.message),
      )
    })
  }

  it('refuses what is not a string, naming the parameter', () => {
    for (const v of [undefined, null, 12125550100, ['12125550100'], {}]) {
      assert.throws(
        () => requireTn(v, 'from'),
        (e: unknown) => e instanceof AppError && e.details?.param === 'from',
      )
    }
  })

  it('agrees with parseE164 on the + form, and with a full libphonenumber parse on country and validity', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max')
    let seed = 7
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let i = 0; i < 3000; i++) {
      const s = i % 3 === 0 ? `+${1 + rnd(99)}${String(rnd(1e9)).padStart(9, '0')}` : `+1${String(2e9 + rnd(8e9))}`
      const full = parsePhoneNumberFromString(s)
      const valid = full !== undefined && full.isValid()
      const r = parseTn(s)
      assert.equal(r.ok, valid, s)
      assert.equal(r.ok && r.e164, valid && full.number, s)
      assert.equal(r.ok && r.country, valid && full.country, s)
      const e = parseE164(s)
      assert.equal(e.ok && e.e164, r.ok && r.e164, s)
      // The national form of a NANP number decides as its + form does, whenever that is valid.
      if (s.startsWith('+1') && r.ok) assert.deepEqual(parseTn(s.slice(2)), r, s)
    }
  })
})

describe('isUsNumber', () => {
  it('uses the numbering plan, not +1 alone: the US and its territories, not Canada or the Caribbean', () => {
    assert.equal(isUsNumber('12125551212'), true)
    assert.equal(isUsNumber('+18005551212'), true)
    assert.equal(isUsNumber('17872345678'), true, 'Puerto Rico')
    assert.equal(isUsNumber('16712345678'), true, 'Guam')
    assert.equal(isUsNumber('14165551234'), false, 'Canada')
    assert.equal(isUsNumber('18765551234'), false, 'Jamaica')
    assert.equal(isUsNumber('garbage'), false)
  })
})
