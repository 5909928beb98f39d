/**
 * Where the interop fixtures live: certificates and PASSporTs made by other implementations,
 * kept unedited in `test/fixtures/interop/` (origin, licence and purpose in its README).
 * `STIRHUB_FIXTURES` points at another copy; a folder without them fails with this message,
 * not with a bare ENOENT in the middle of a test.
 */
import fs from 'node:fs'
import path from 'node:path'

export const FIXTURES = process.env.STIRHUB_FIXTURES ?? path.resolve(import.meta.dirname, '../fixtures/interop')

if (!fs.existsSync(path.join(FIXTURES, 'zlint-shaken'))) {
  throw new Error(`the interop fixtures are not at ${FIXTURES}: STIRHUB_FIXTURES names a folder without them`)
}
