/**
 * `npm run bench`: runs every bench module in BENCHES, one after the other, each printing its
 * own lines (figures and ratios measured on this machine in this run). Pass names to run only
 * some: `npm run bench -- store-scale`. Add a module by appending it to BENCHES.
 */
export interface BenchModule {
  /** Runs the bench, printing result lines through `print`. */
  run(print: (line: string) => void): Promise<void>
}

interface Bench {
  readonly name: string
  readonly load: () => Promise<BenchModule>
}

export const BENCHES: Bench[] = [
  { name: 'store-scale', load: () => import('./store-scale.bench.js') },
  { name: 'signing', load: () => import('./signing.bench.js') },
  { name: 'rcd-signing', load: () => import('./rcd-signing.bench.js') },
  { name: 'verify', load: () => import('./verify.bench.js') },
  { name: 'bulk-assign', load: () => import('./bulk-assign.bench.js') },
  { name: 'cli-start', load: () => import('./cli-start.bench.js') },
  { name: 'pg-share', load: () => import('./pg-share.bench.js') },
  { name: 'calls-on-off', load: () => import('./calls-on-off.bench.js') },
  { name: 'calls-search', load: () => import('./calls-search.bench.js') },
]

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'))
for (const b of BENCHES) {
  if (only.length && !only.includes(b.name)) continue
  const t0 = performance.now()
  console.log(`# ${b.name}`)
  await (await b.load()).run((line) => console.log(`${b.name}: ${line}`))
  console.log(`# ${b.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
