#!/usr/bin/env node
// Builds build/es256.node, stirhub's ES256 signer (src/stir/passport/native/es256.c), when it is
// missing, older than its source, or built for another Node or OpenSSL (build/es256.json).
// Run at install (postinstall) and before start and test.
// It needs a C compiler and Node's headers (include/node, with the OpenSSL headers Node
// carries); without them it says so and exits 0: stirhub then signs with node:crypto.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const src = path.join(root, 'src', 'stir', 'passport', 'native', 'es256.c')
const out = path.join(root, 'build', 'es256.node')
const stamp = path.join(root, 'build', 'es256.json')
const quiet = process.argv.includes('--quiet')
const runtime = JSON.stringify({ node: process.version, openssl: process.versions.openssl })

const current =
  existsSync(out) &&
  existsSync(stamp) &&
  statSync(out).mtimeMs >= statSync(src).mtimeMs &&
  readFileSync(stamp, 'utf8') === runtime
if (current && !process.argv.includes('--force')) process.exit(0)

// Official builds keep headers beside the binary (<prefix>/include/node); distribution
// packages put them under /usr/include/node or /usr/include/nodejs.
const include = [
  path.resolve(process.execPath, '..', '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/include/nodejs',
].find((d) => existsSync(path.join(d, 'node_api.h')))
const cc = process.env.CC ?? 'cc'
const why =
  include === undefined
    ? "Node's headers (include/node/node_api.h) were not found"
    : spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0
      ? `no C compiler (${cc}; Debian: apt-get install gcc libc6-dev)`
      : undefined
if (why) {
  if (!quiet) console.warn(`stirhub: not building the native ES256 signer: ${why}; signing uses node:crypto`)
  process.exit(0)
}

mkdirSync(path.dirname(out), { recursive: true })
const r = spawnSync(
  cc,
  ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-fvisibility=hidden', `-I${include}`, '-o', out, src],
  { stdio: 'inherit' },
)
if (r.status !== 0) console.warn('stirhub: the native ES256 signer did not build; signing uses node:crypto')
else {
  writeFileSync(stamp, runtime)
  if (!quiet) console.log(`stirhub: built ${path.relative(root, out)}`)
}
