#!/usr/bin/env node
// Runs the TypeScript sources through tsx: no build step between `npm ci` and a working CLI.
import { register } from 'tsx/esm/api'
register()
const { buildCli } = await import('../src/cli/index.ts')
try {
  await buildCli().parseAsync(process.argv)
} catch (e) {
  process.stderr.write(`stirhub: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
}
