import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { ERRORS } from './errors.js'

const DOC = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8')

describe('error catalogue', () => {
  const rows = new Map(
    [...DOC.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [
      m[1]!,
      { code: Number(m[2]), status: Number(m[3]) },
    ]),
  )

  it('documents every entry with its code and status', () => {
    for (const [key, def] of Object.entries(ERRORS)) {
      assert.deepEqual(rows.get(key), { code: def.code, status: def.status }, `docs/errors.md row for ${key}`)
    }
  })

  it('documents nothing that is not in the catalogue', () => {
    for (const key of rows.keys())
      assert.ok(key in ERRORS, `docs/errors.md lists ${key}, which src/domain/errors.ts no longer has`)
  })
})
