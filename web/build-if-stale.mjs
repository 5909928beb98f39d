#!/usr/bin/env node
// Builds the console (web/dist) when it is missing or older than its sources, so `npm start`
// and `npm test` on a fresh clone serve the real UI. Run by the prestart/pretest scripts.
// Without the dev tools installed (e.g. `npm ci --omit=dev`) it warns and leaves the
// server to answer /console with a "not built" error.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const web = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(web)
const out = path.join(web, 'dist', 'index.html')

function newest(p) {
  const s = statSync(p)
  if (!s.isDirectory()) return s.mtimeMs
  return Math.max(s.mtimeMs, ...readdirSync(p).map((n) => newest(path.join(p, n))))
}

// The pure domain modules the console imports (shared with the API) count as its sources too.
const shared = [path.join(root, 'src', 'domain')]
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'precompress.ts']
  .map((n) => path.join(web, n))
  .concat(path.join(root, 'package-lock.json'), shared)
const built = existsSync(out) ? statSync(out).mtimeMs : 0
const stale = built === 0 || sources.some((s) => existsSync(s) && newest(s) > built)
if (!stale && !process.argv.includes('--force')) process.exit(0)

const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js')
if (!existsSync(vite)) {
  console.warn(
    'stirhub: the console is not built and vite is not installed (run `npm ci` with dev dependencies, then `npm run build:web`)',
  )
  process.exit(0)
}
console.log('stirhub: building the console (web/dist)…')
const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(web, 'vite.config.ts')], {
  stdio: 'inherit',
  cwd: root,
})
process.exit(r.status ?? 1)
