#!/usr/bin/env node
// `npm run lint`, and the first step of a whole `npm test`: formatting and lint rules (Biome:
// 120 columns, no import cycles, no unused imports or variables, no process.env outside
// src/config and src/cli, no wall-clock reads outside src/domain/time.ts), dead exports (knip),
// and SQL only under src/store.
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

/** Query-builder calls outside src/store: each is a place where SQL escaped its layer. */
function sqlOutsideStore() {
  const found = []
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name)
      if (statSync(p).isDirectory()) {
        if (p !== path.join(root, 'src', 'store')) walk(p)
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/\.(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(line))
              found.push(`${path.relative(root, p)}:${i + 1}: ${line.trim()}`)
          })
      }
    }
  }
  walk(path.join(root, 'src'))
  return found
}

const steps = [
  ['biome', () => spawnSync(bin('biome'), ['ci', '--colors=off'], { cwd: root, stdio: 'inherit' }).status === 0],
  ['knip', () => spawnSync(bin('knip'), ['--no-progress'], { cwd: root, stdio: 'inherit' }).status === 0],
  [
    'SQL only in src/store',
    () => {
      const found = sqlOutsideStore()
      for (const f of found) console.error(f)
      return found.length === 0
    },
  ],
]
const failed = steps.filter(([, ok]) => !ok()).map(([name]) => name)
if (failed.length) {
  console.error(`lint failed: ${failed.join(', ')} (npx biome check --write fixes formatting)`)
  process.exit(1)
}
console.log('lint: formatting, rules, dead exports and SQL layering are clean')
