import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fieldsProblem, inputProblem, MAX_JSON_DEPTH, numberProblem, textProblem } from './input-guards.js'
import { MAX_STORED_JSON_BYTES, storableJson } from './stored-json.js'

/** `levels` objects nested in one another, built without recursion. */
function nested(levels: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < levels; i++) v = { a: v }
  return v
}

describe('text the stores cannot keep', () => {
  it('refuses NUL and lone surrogates, and keeps other control characters and surrogate pairs', () => {
    for (const bad of ['a\0b', '\0', 'x\uD800', '\uD800y', '\uDC00', 'a\uDC00\uD800b'])
      assert.ok(textProblem(bad), JSON.stringify(bad))
    for (const good of ['', 'plain', 'tab\tline\nreturn\r', '\x01\x1b\x7f', 'emoji \uD83D\uDE00', '\uFFFD', 'é中'])
      assert.equal(textProblem(good), undefined, JSON.stringify(good))
  })

  it('refuses numbers that are not finite or beyond 2^53 - 1', () => {
    for (const bad of [Infinity, -Infinity, NaN, 1e308, 2 ** 53, -(2 ** 53)]) assert.ok(numberProblem(bad), String(bad))
    for (const good of [0, -0, 1.5, -7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
      assert.equal(numberProblem(good), undefined, String(good))
  })
})

describe('walking a value', () => {
  it('names the nested field that holds bad text, in values and member names', () => {
    const e = inputProblem({ business: { names: ['ok', 'b\0d'] } }, 'Attributes')
    assert.equal(e?.key, 'INVALID_TEXT')
    assert.equal(e?.code, 21250)
    assert.match(e!.message, /Attributes\.business\.names\[1\]/)
    assert.match(inputProblem({ ['k\0']: 1 }, 'Attributes')!.message, /Attributes: a member name holds U\+0000/)
    assert.match(inputProblem({ n: Infinity }, 'Attributes')!.message, /Attributes\.n: is out of range/)
  })

  it(`allows ${MAX_JSON_DEPTH} levels of nesting and refuses one more, looking no deeper (100,000 levels)`, () => {
    assert.equal(inputProblem(nested(MAX_JSON_DEPTH), 'Attributes'), undefined)
    assert.match(
      inputProblem(nested(MAX_JSON_DEPTH + 1), 'Attributes')!.message,
      /Attributes: nests deeper than 32 levels/,
    )
    assert.equal(inputProblem(nested(100_000), 'Attributes')?.status, 400)
  })

  it('measures each field of a body on its own and names it; a wildcard path is "path"', () => {
    assert.equal(fieldsProblem({ A: nested(MAX_JSON_DEPTH), B: nested(MAX_JSON_DEPTH) }, 'body'), undefined)
    assert.match(fieldsProblem({ FriendlyName: 'x', Type: 'y\0' }, 'body')!.message, /^Invalid parameter Type:/)
    assert.match(fieldsProblem({ '*': '\0' }, 'path')!.message, /^Invalid parameter path:/)
    assert.match(fieldsProblem({ ['F\0']: 'x' }, 'query')!.message, /^Invalid parameter query: a field name/)
    assert.match(fieldsProblem(['\uD800'], 'body')!.message, /^Invalid parameter body\[0\]:/)
  })
})

describe('stored JSON values', () => {
  it(`are at most ${MAX_STORED_JSON_BYTES} bytes as JSON, and refused past it naming the field`, () => {
    const at = { a: 'x'.repeat(MAX_STORED_JSON_BYTES - '{"a":""}'.length) }
    assert.equal(Buffer.byteLength(storableJson('Attributes', at)), MAX_STORED_JSON_BYTES)
    assert.throws(
      () => storableJson('Attributes', { a: 'é'.repeat(MAX_STORED_JSON_BYTES / 2) }),
      /Invalid parameter Attributes: is \d+ bytes as JSON, over the limit of 65536/,
    )
  })

  it('refuse what JSON.stringify would overflow on or quietly change', () => {
    assert.throws(() => storableJson('Attributes', nested(100_000)), /Attributes: nests deeper than 32 levels/)
    // JSON.stringify would write Infinity as null.
    assert.throws(() => storableJson('Attributes', { n: Infinity }), /Attributes\.n: is out of range/)
  })
})
