import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { toAppError } from './errors.js'
import { toAtis } from './stir/atis-errors.js'

const driverError = (code: string) => Object.assign(new Error('driver says no'), { code })

describe('store failures in API errors', () => {
  it('a busy or unreachable store is 503 (retry), any other driver error 500', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', '40001', '40P01', '57P01', '08006', 'ECONNREFUSED']) {
      const e = toAppError(driverError(code))
      assert.equal(e.status, 503, code)
      assert.match(e.message, new RegExp(code))
      assert.deepEqual(toAtis(driverError(code))[0], 'POL5030', code)
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', '23505', '42P01']) {
      assert.equal(toAppError(driverError(code)).status, 500, code)
      assert.equal(toAtis(driverError(code))[0], 'POL5000', code)
    }
  })
})
