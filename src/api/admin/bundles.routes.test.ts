import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseErrorCodes } from './bundles.routes.js'
import { AppError } from '../../domain/errors.js'

describe('admin bundle status: Errors', () => {
  it('reads codes as numbers, text, JSON text or {code}; anything else is the invalid-parameter error, never a throw of its own', () => {
    assert.deepEqual(parseErrorCodes([18601, '18603', { code: 18605 }]), [18601, 18603, 18605])
    assert.deepEqual(parseErrorCodes('[18602]'), [18602])
    assert.deepEqual(parseErrorCodes('18601,18609'), [18601, 18609])
    for (const odd of [{ toString: '1' }, [{ code: { toString: 1 } }], [[18601]], [true], { code: null }]) {
      assert.throws(
        () => parseErrorCodes(odd),
        (e) => e instanceof AppError && e.key === 'INVALID_PARAM',
        JSON.stringify(odd),
      )
    }
  })
})
