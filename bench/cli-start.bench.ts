/**
 * How long `stirhub --help` takes as the package runs it (compiled JavaScript, no tsx), and
 * as a source checkout runs it (through tsx), against a bare `node -e 0` start on this
 * machine. The compiled CLI is what `npm run build` writes to dist/.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = 15

/** Median wall time (ms) of `node args…` over RUNS starts. */
function median(args: readonly string[], cwd: string): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' })
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`)
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!
}

export async function run(print: (line: string) => void): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`tsc failed: ${built.stdout}`)
  const cli = path.join(ROOT, 'dist', 'src', 'cli', 'index.js')
  const compiled = `import(${JSON.stringify(cli)}).then((m) => m.buildCli().parseAsync(['node', 'stirhub', '--help']))`
  const bare = median(['-e', '0'], ROOT)
  const pkg = median(['--input-type=module', '-e', compiled], ROOT)
  const source = median([path.join(ROOT, 'bin', 'stirhub.mjs'), '--help'], ROOT)
  print(`node -e 0: ${bare.toFixed(0)} ms (median of ${RUNS})`)
  print(`stirhub --help, compiled (the package): ${pkg.toFixed(0)} ms, ${(pkg - bare).toFixed(0)} ms over a bare start`)
  print(`stirhub --help, source checkout (tsx): ${source.toFixed(0)} ms`)
}
