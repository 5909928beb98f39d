/**
 * Where the interop fixtures live: certificates and PASSporTs made by other implementations,
 * kept outside the repository in `../shared/fixtures` (beside the checkout) and never edited.
 * `STIRHUB_FIXTURES` points elsewhere; a checkout without them fails with this message, not
 * with a bare ENOENT in the middle of a test.
 */
import fs from 'node:fs'
import path from 'node:path'

export const FIXTURES = process.env.STIRHUB_FIXTURES ?? path.resolve(import.meta.dirname, '../../../shared/fixtures')

if (!fs.existsSync(path.join(FIXTURES, 'zlint-shaken'))) {
  throw new Error(`the interop fixtures are not at ${FIXTURES}: check out ../shared beside the repository, or set STIRHUB_FIXTURES`)
}
