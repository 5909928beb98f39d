#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test through tsx (Node 20's test runner
// has no glob support and cannot strip types). Extra args are passed through, e.g.
// `npm test -- --test-name-pattern=paging` or a file list. First it makes sure the programs
// the suite drives are here (scripts/preflight.mjs).
import './preflight.mjs'
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    if (name === 'node_modules') continue
    if (statSync(p).isDirectory()) find(p, out)
    else if (name.endsWith('.test.ts')) out.push(p)
  }
  return out
}

const args = process.argv.slice(2)
const files = args.filter((a) => a.endsWith('.test.ts'))
const flags = args.filter((a) => !a.endsWith('.test.ts'))
const list = files.length ? files : ['src', 'test'].flatMap((d) => find(d)).sort()
// The whole suite starts with the lint (scripts/lint.mjs): a tree that does not pass it is not green.
if (!files.length) {
  const lint = spawnSync(process.execPath, [path.join(import.meta.dirname, 'lint.mjs')], { stdio: 'inherit' })
  if (lint.status !== 0) process.exit(lint.status ?? 1)
}
// A test that hangs (a lost promise, a pathological query plan) fails after five minutes
// instead of holding CI until its own limit.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...flags, ...list],
  { stdio: 'inherit' },
)
process.exit(r.status ?? 1)
