#!/usr/bin/env node
// The installed package runs the compiled JavaScript (dist/, built by `npm run build` before
// `npm pack`); a source checkout runs its TypeScript through tsx, so an edit needs no build step.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/index.ts', import.meta.url)
let buildCli
if (existsSync(source)) {
  const tsx = await import('tsx/esm/api').catch(() => {
    process.stderr.write('stirhub: a source checkout runs through tsx: install the dev dependencies (`npm ci`)\n')
    process.exit(1)
  })
  tsx.register()
  ;({ buildCli } = await import(source.href))
} else {
  ;({ buildCli } = await import('../dist/src/cli/index.js'))
}
try {
  await buildCli().parseAsync(process.argv)
} catch (e) {
  process.stderr.write(`stirhub: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
}
