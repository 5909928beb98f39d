import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseE164 } from './e164.js'

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
    for (const bad of ['2125550100', '+1212', '+11234567890', '+1 212 555 01001', '+999123456789', 'abc', '+1212555010a', '']) {
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
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n }
    const inputs = Array.from({ length: 3000 }, (_, i) => i % 3 === 0
      ? `+${1 + rnd(99)}${String(rnd(1e9)).padStart(9, '0')}`
      : `+1${String(2e9 + rnd(8e9))}`)
    for (const s of inputs) {
      const full = parsePhoneNumberFromString(s)
      const expected = full && full.isValid() ? full.number : undefined
      const got = parseE164(s)
      assert.equal(got.ok ? got.e164 : undefined, expected, s)
    }
  })
})
