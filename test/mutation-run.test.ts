/**
 * The random mutation run over every HTTP route (test/helpers/mutation-run.ts), bounded:
 * 1,000 requests on each store (bench/mutation-run.ts runs 5,000). No request, however
 * mutated its path, method, query, headers or body, gets a 5xx.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DIALECTS } from './helpers/dialects.js'
import { FUZZ_SEED, fuzzRuns } from './helpers/fuzz.js'
import { fuzzWorld, type FuzzWorld } from './helpers/http-fuzz.js'
import { formatReport, mutationRun, ROUTES } from './helpers/mutation-run.js'

for (const dialect of DIALECTS) {
  describe(`random mutation run over every route [${dialect}]`, () => {
    let w: FuzzWorld
    before(async () => {
      w = await fuzzWorld(dialect)
    })
    after(async () => {
      await w?.server.stop()
    })

    it('1,000 mutated requests, no 5xx', async () => {
      assert.ok(ROUTES.size > 100, `only ${ROUTES.size} routes collected: is the onRoute hook still wired?`)
      const report = await mutationRun(w, fuzzRuns(1_000), FUZZ_SEED)
      assert.equal(report.failures.length, 0, formatReport(report))
      assert.ok(report.unanswered < fuzzRuns(1_000) / 10, `too many requests got no answer: ${formatReport(report)}`)
    })
  })
}
