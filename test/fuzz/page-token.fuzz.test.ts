/**
 * Fuzz: page tokens (`PageToken`, src/api/paging.ts over src/store/paging.ts), which every list
 * route takes from the query string. decodeCursor never throws and reads back every cursor
 * encodeCursor wrote; pageRequest throws only the invalid-parameter error.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeCursor, encodeCursor } from '../../src/store/paging.js'
import { pageRequest } from '../../src/api/paging.js'
import { AppError } from '../../src/domain/errors.js'
import { fuzzParams, mutatedFrom, nastyText } from '../helpers/fuzz.js'

const TOKENS: readonly string[] = [
  encodeCursor({ d: '2026-11-28T10:00:00.000Z', s: 'IT' + 'a'.repeat(32) }),
  encodeCursor({ d: '', s: '' }),
  'PT' + Buffer.from('[1,2]').toString('base64url'),
  'PT' + Buffer.from('{"d":"x","s":"y"}').toString('base64url'),
  'PT' + Buffer.from('[' + '['.repeat(3000) + ']'.repeat(3000) + ']').toString('base64url'),
  'PT', 'pt', 'PTPTPT', 'PT====',
]

describe('fuzz: page tokens', () => {
  it('decodeCursor reads back every cursor, whatever its strings hold', () => {
    const text = fc.oneof(nastyText, fc.string({ unit: 'binary', maxLength: 40 }))
    fc.assert(fc.property(text, text, (d, s) => {
      assert.deepEqual(decodeCursor(encodeCursor({ d, s })), { d, s })
    }), fuzzParams(10_000))
  })

  it('decodeCursor never throws; what it accepts is a pair of strings', () => {
    fc.assert(fc.property(fc.oneof(mutatedFrom(TOKENS, 4), fc.string({ unit: 'binary', maxLength: 80 }).map((s) => 'PT' + s)), (token) => {
      const c = decodeCursor(token)
      if (c) assert.ok(typeof c.d === 'string' && typeof c.s === 'string')
    }), fuzzParams(10_000))
  })

  it('pageRequest answers or throws only the invalid-parameter error naming PageToken', () => {
    fc.assert(fc.property(mutatedFrom(TOKENS, 4), fc.integer({ min: 1, max: 1000 }), fc.nat(), (token, PageSize, Page) => {
      try {
        const r = pageRequest({ PageToken: token, PageSize, Page })
        assert.equal(r.pageSize, PageSize)
      } catch (e) {
        assert.ok(e instanceof AppError && e.key === 'INVALID_PARAM' && e.details?.param === 'PageToken', String(e))
      }
    }), fuzzParams(10_000))
  })
})
