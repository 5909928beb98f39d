import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Filing } from './filing.js'

describe('Filing (a multimap that keeps a lone value inline)', () => {
  it('adds, lists and deletes values per key, through the lone-value and Set forms', () => {
    const f = new Filing<{ n: number }>()
    const [a, b, c] = [{ n: 1 }, { n: 2 }, { n: 3 }]
    f.add('k', a)
    f.add('k', a)
    assert.deepEqual(f.get('k'), [a], 'a value filed twice under a key is there once')
    f.add('k', b)
    f.add('k', c)
    f.add('other', a)
    assert.deepEqual(f.get('k'), [a, b, c])
    assert.equal(f.size, 4)
    f.delete('k', b)
    f.delete('k', c)
    assert.deepEqual(f.get('k'), [a], 'back to the lone form')
    f.delete('k', b)
    assert.deepEqual(f.get('k'), [a], 'deleting what is not there changes nothing')
    f.delete('k', a)
    f.delete('other', a)
    assert.deepEqual([f.get('k'), f.size], [[], 0])
  })

  it('gives a copy, so callers may delete while they go through it', () => {
    const f = new Filing<{ n: number }>()
    const vs = [{ n: 1 }, { n: 2 }, { n: 3 }]
    for (const v of vs) f.add('k', v)
    for (const v of f.get('k')) f.delete('k', v)
    assert.equal(f.size, 0)
  })
})
