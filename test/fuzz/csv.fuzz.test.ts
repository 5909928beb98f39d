/**
 * Fuzz: the numbers CSV that `stirhub numbers import` reads (src/cli/number-batches.ts) before
 * it sends the operator's bulk route. csvFields never throws and reads back what RFC 4180
 * quoting wrote; numbersFromText returns strings or throws only its documented Error (a
 * several-column file without a phone_number column).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { csvFields, numbersFromText } from '../../src/cli/number-batches.js'
import { csvLine } from '../../src/domain/csv.js'
import { fuzzParams, mutatedFrom, nastyText } from '../helpers/fuzz.js'

/** RFC 4180 §2: a field with a comma, quote or line break is quoted, its quotes doubled. */
const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)

const BASES: readonly string[] = [
  'phone_number,friendly_name\n+12025550123,HQ\n+12025550124,"Sales, East"\n',
  '\uFEFFPhone_Number;x\r\n+12025550123\r\n',
  'name,phone_number\n"A ""quoted"" name",+14155550100\n# comment\n\nB,+442071838750\n',
  '+12025550123\n+12025550124\n  \n#+12025550125\n',
  'phone_number\n"+1 (202) 555-0123"\n"unterminated\n',
  'a,b,c\n1,2,3\n',
]

describe('fuzz: numbers CSV', () => {
  it('csvFields reads back any fields that RFC 4180 quoting wrote (trimmed, as the importer trims)', () => {
    const field = fc.oneof(nastyText, fc.string({ maxLength: 20 })).filter((f) => !/[\r\n]/.test(f))
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (fields) => {
        assert.deepEqual(
          csvFields(fields.map(quote).join(',')),
          fields.map((f) => f.trim()),
        )
      }),
      fuzzParams(10_000),
    )
  })

  it("csvLine (the CNAM feed's rows) reads back as its fields, none starting as a spreadsheet formula", () => {
    const field = fc.oneof(
      nastyText,
      fc.string({ maxLength: 20 }),
      fc.constantFrom('=1+1', '+SUM(A1)', '-2', '@x', '+12125550100'),
    )
    fc.assert(
      fc.property(
        fc.array(
          field.filter((f) => !/[\r\n]/.test(f)),
          { minLength: 1, maxLength: 6 },
        ),
        (fields) => {
          const line = csvLine(fields)
          assert.ok(line.endsWith('\r\n'))
          const back = csvFields(line.slice(0, -2))
          assert.equal(back.length, fields.length)
          back.forEach((b, i) => {
            const f = fields[i]!
            const guarded = /^ *[=+\-@\t]/.test(f) && !/^\+[0-9]{1,15}$/.test(f)
            assert.equal(b, (guarded ? `'${f}` : f).trim())
            assert.ok(!/^[=+\-@]/.test(b) || /^\+[0-9]{1,15}$/.test(b), b)
          })
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('csvFields never throws on any line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedFrom(
            BASES.map((b) => b.split('\n')[1] ?? b),
            5,
          ),
          fc.string({ unit: 'binary', maxLength: 200 }),
        ),
        (line) => {
          const out = csvFields(line)
          assert.ok(out.length >= 1 && out.every((f) => typeof f === 'string'))
        },
      ),
      fuzzParams(10_000),
    )
  })

  it('numbersFromText returns strings, or throws only the missing-column Error', () => {
    fc.assert(
      fc.property(mutatedFrom(BASES, 5), (text) => {
        let numbers: string[]
        try {
          numbers = numbersFromText(text)
        } catch (e) {
          assert.ok(e instanceof Error && /needs a phone_number column/.test(e.message), String(e))
          return
        }
        assert.ok(numbers.every((n) => typeof n === 'string'))
      }),
      fuzzParams(10_000),
    )
  })
})
