import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { csvField, csvLine } from './csv.js'

describe('CSV fields (RFC 4180, formula-safe)', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    assert.equal(csvField('ACME'), 'ACME')
    assert.equal(csvField('Acme, Inc'), '"Acme, Inc"')
    assert.equal(csvField('Say "hi"'), '"Say ""hi"""')
    assert.equal(csvField('a\r\nb'), '"a\r\nb"')
  })
  it('prefixes what a spreadsheet would run as a formula, but keeps E.164 numbers', () => {
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
    assert.equal(csvField('+SUM(A1)'), "'+SUM(A1)")
    assert.equal(csvField('-1+2'), "'-1+2")
    assert.equal(csvField('@cmd'), "'@cmd")
    assert.equal(csvField('\tTAB'), "'\tTAB")
    assert.equal(csvField('  =1+1'), "'  =1+1")
    assert.equal(csvField('+12125550100'), '+12125550100')
  })
  it('ends records with CRLF', () => {
    assert.equal(csvLine(['+12125550100', 'A,B']), '+12125550100,"A,B"\r\n')
  })
})
