/**
 * The random mutation run over every HTTP route (test/helpers/mutation-run.ts), full size:
 * 5,000 requests by default against a real server on 127.0.0.1, with valid credentials for
 * each area and mutated paths, methods, query strings, headers and bodies. Prints the counts
 * by status and every 5xx with the request that caused it; exits 1 when there is one.
 *
 *   node --import tsx bench/mutation-run.ts [--count 5000] [--seed N] [--dialect sqlite|postgres]
 */
import { parseArgs } from 'node:util'
import { FUZZ_SEED } from '../test/helpers/fuzz.js'
import { fuzzWorld } from '../test/helpers/http-fuzz.js'
import { formatReport, mutationRun, ROUTES } from '../test/helpers/mutation-run.js'
import type { Dialect } from '../test/helpers/dialects.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '5000' },
    seed: { type: 'string', default: String(FUZZ_SEED) },
    dialect: { type: 'string', default: 'sqlite' },
  },
})
const count = Number(values.count)
const seed = Number(values.seed)
const dialect = values.dialect as Dialect

const w = await fuzzWorld(dialect)
try {
  const t0 = performance.now()
  const report = await mutationRun(w, count, seed)
  console.log(
    `mutation run: ${count} requests over ${ROUTES.size} routes on ${dialect}, seed ${seed}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
  console.log(formatReport(report))
  console.log(`${count - report.failures.length} passed, ${report.failures.length} failed`)
  process.exitCode = report.failures.length ? 1 : 0
} finally {
  await w.server.stop()
}
