/**
 * The package as a user installs it: `npm pack` on a clean copy of the source tree (its
 * prepack compiles dist/ and builds the console), `npm install ./stirhub-*.tgz` into an empty
 * folder, then `stirhub --help`, `stirhub serve` and `stirhub demo` from there: no source tree,
 * no tsx, no dev dependencies. Slow (an install builds better-sqlite3 from source when no
 * prebuilt binary can be fetched), so it is one test that checks everything on the way.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { freePort } from './helpers/server.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** What a source checkout holds but a clean one does not (built or installed locally). */
const NOT_SOURCE = new Set(['.git', 'node_modules', 'dist', 'build', 'data', path.join('web', 'dist')])
const ADMIN_TOKEN = 'p'.repeat(40)

function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts })
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
  return String(r.stdout)
}

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (await ok().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('the npm package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-pkg-'))
  let server: ChildProcess | undefined
  after(() => {
    server?.kill('SIGKILL')
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('packs, installs into an empty folder, and serves the API, the console and the demo from there', {
    timeout: 15 * 60_000,
  }, async (t) => {
    const source = path.join(work, 'source')
    fs.cpSync(repo, source, {
      recursive: true,
      filter: (p) => !NOT_SOURCE.has(path.relative(repo, p)),
    })
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(source, 'node_modules'), 'dir')
    const env = {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    }
    run('npm', ['pack', '--pack-destination', work], { cwd: source, env })
    const tarball = fs.readdirSync(work).find((f) => /^stirhub-.*\.tgz$/.test(f))
    assert.ok(tarball, 'npm pack wrote a tarball')

    const app = path.join(work, 'app')
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }))
    run('npm', ['install', '--prefer-offline', path.join(work, tarball)], { cwd: app, env })

    const installed = path.join(app, 'node_modules', 'stirhub')
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'src', 'cli', 'index.js')), 'compiled CLI')
    assert.ok(fs.existsSync(path.join(installed, 'web', 'dist', 'index.html')), 'prebuilt console')
    assert.ok(!fs.existsSync(path.join(installed, 'src', 'cli')), 'no TypeScript sources')
    assert.equal(
      fs
        .readdirSync(path.join(installed, 'dist', 'src'), { recursive: true })
        .filter((f) => String(f).endsWith('.test.js')).length,
      0,
    )
    for (const dev of ['tsx', 'typescript', 'vite', 'react', '@biomejs/biome', 'playwright-core']) {
      assert.ok(!fs.existsSync(path.join(app, 'node_modules', dev)), `dev dependency ${dev} not installed`)
    }
    // The native signer builds where a compiler exists (the suite's machines have one).
    if (spawnSync('cc', ['--version']).status === 0) {
      assert.ok(fs.existsSync(path.join(installed, 'build', 'es256.node')), 'native signer built on install')
    }

    const bin = path.join(app, 'node_modules', '.bin', 'stirhub')
    const started = performance.now()
    assert.match(run(bin, ['--help'], { cwd: app }), /serve/)
    t.diagnostic(`stirhub --help from the package: ${Math.round(performance.now() - started)} ms`)

    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    server = spawn(bin, ['serve'], {
      cwd: app,
      env: { ...env, PORT: String(port), STIRHUB_DATA_DIR: path.join(app, 'data'), STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    server.stdout!.on('data', (d) => (log += d))
    server.stderr!.on('data', (d) => (log += d))
    await until(`the server (${log})`, async () => (await fetch(`${url}/readyz`)).status === 200)
    assert.match(log, /stirhub is ready/)

    const index = await fetch(`${url}/console/`)
    assert.equal(index.status, 200)
    const html = await index.text()
    const script = /\/console\/assets\/[^"]+\.js/.exec(html)?.[0]
    assert.ok(script, 'the console page links its bundle')
    const asset = await fetch(url + script, { headers: { 'accept-encoding': 'br' } })
    assert.equal(asset.status, 200)
    assert.equal(asset.headers.get('content-encoding'), 'br')

    const demo = run(bin, ['demo', '--url', url], { cwd: app, env: { ...env, STIRHUB_ADMIN_TOKEN: ADMIN_TOKEN } })
    assert.match(demo, /Signed: A, B, C, A/)
    // The branded call's line (its exact words, verified, are test/console-demo.test.ts's).
    assert.match(demo, /^Branded: /m)
  })
})
