import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  cnamProblem,
  confusable,
  displayTextProblem,
  editDistance,
  hasControl,
  normaliseName,
  skeleton,
} from './brand-names.js'

describe('brand names', () => {
  it('normalises case, punctuation, & and legal suffixes', () => {
    assert.equal(normaliseName('Acme, Inc.'), 'acme')
    assert.equal(normaliseName('ACME LLC'), 'acme')
    assert.equal(normaliseName('The Smith & Sons Co.'), 'smith and sons')
    assert.equal(normaliseName('Café Bleu Corp'), 'cafe bleu')
    assert.equal(normaliseName('Inc'), 'inc', 'a name that is only a suffix keeps it')
  })

  it('measures the edit distance', () => {
    assert.equal(editDistance('acme', 'acme'), 0)
    assert.equal(editDistance('acme', 'acne'), 1)
    assert.equal(editDistance('kitten', 'sitting'), 3)
    assert.equal(editDistance('', 'abc'), 3)
  })

  it('folds look-alikes: Cyrillic and Greek letters, 0/O, 1/l, rn/m', () => {
    assert.equal(skeleton('Acmе Bank'), skeleton('Acme Bank'), 'Cyrillic е')
    assert.equal(skeleton('АСМЕ'), skeleton('acme'), 'all Cyrillic capitals')
    assert.equal(skeleton('G00gle'), skeleton('Google'))
    assert.equal(skeleton('Paypa1'), skeleton('Paypal'))
    assert.equal(skeleton('Acrne'), skeleton('Acme'))
    assert.equal(skeleton('ＡＣＭＥ'), skeleton('acme'), 'full-width letters (NFKC)')
    assert.notEqual(skeleton('Acme'), skeleton('Apex'))
  })

  it('says which names are confusable', () => {
    assert.equal(confusable('Acme Bank', 'ACME-BANK, Inc.').similar, true)
    assert.equal(confusable('Acmе Bank', 'Acme Bank').distance, 0)
    assert.equal(confusable('Acme Banks', 'Acme Bank').similar, true, 'one letter on a long name')
    assert.equal(confusable('Abc', 'Abd').similar, false, 'one letter on a short name is another name')
    assert.equal(confusable('Globex', 'Initech').similar, false)
  })

  it('refuses control and invisible characters', () => {
    assert.equal(hasControl('Acme\u0007'), true)
    assert.equal(hasControl('Ac\u200bme'), true, 'zero-width space')
    assert.equal(hasControl('Acme\u202e'), true, 'bidi override')
    assert.equal(hasControl('Acme Bank'), false)
    assert.match(displayTextProblem('Acme\nBank', 35)!, /control/)
    assert.match(displayTextProblem('x'.repeat(36), 35)!, /36 characters/)
    assert.equal(displayTextProblem('Acme Bank', 35), null)
  })

  it('judges CNAM names: 15 characters, letters first, the CNAM alphabet', () => {
    assert.equal(cnamProblem('ACME BANK'), null)
    assert.equal(cnamProblem("O'Neil & Co."), null)
    assert.match(cnamProblem('ACME BANK OF AMERICA')!, /20 characters/)
    assert.match(cnamProblem('1ACME')!, /begin with a letter/)
    assert.match(cnamProblem('ACME*BANK')!, /"\*"/)
    assert.match(cnamProblem('ACMÉ')!, /"É"/)
    assert.match(cnamProblem('AC\tME')!, /control/)
    assert.match(cnamProblem('')!, /empty/)
  })
})
