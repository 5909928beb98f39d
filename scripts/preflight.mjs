// What `npm test` needs besides node_modules: the programs the suite drives and PostgreSQL for
// the second store. A missing Debian tool is installed with one `apt-get install` when we are
// root and apt-get exists; otherwise the run stops here, naming the package and the command,
// instead of 38 tests failing later with a bare ENOENT.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'

/** Debian's multiarch folder on this machine (Kamailio's modules are under it). */
const MULTIARCH = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch] ?? `${process.arch}-linux-gnu`

/** Each program the suite starts, and the Debian package that ships it. */
const TOOLS = [
  { path: '/usr/bin/sipp', pkg: 'sip-tester', why: 'the SIP front tests' },
  { path: '/usr/bin/secsipidx', pkg: 'secsipidx', why: 'interop with another verifier' },
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'the console tests' },
  { path: '/usr/sbin/kamailio', pkg: 'kamailio', why: 'the tests behind Kamailio' },
  {
    path: `/usr/lib/${MULTIARCH}/kamailio/modules/secsipid.so`,
    pkg: 'kamailio-secsipid-modules',
    why: "Kamailio's own Identity check",
  },
]

function fail(lines) {
  console.error(['', 'npm test cannot run yet:', ...lines.map((l) => '  ' + l), ''].join('\n'))
  process.exit(1)
}

function run(cmd, args) {
  console.error(`npm test: ${cmd} ${args.join(' ')}`)
  return (
    spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0
  )
}

function installMissingTools() {
  const missing = TOOLS.filter((t) => !existsSync(t.path))
  if (missing.length === 0) return
  const pkgs = missing.map((t) => t.pkg)
  const what = missing.map((t) => `${t.path} (Debian package ${t.pkg}, for ${t.why})`)
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (!canInstall) fail(['missing: ' + what.join(', '), `install with: sudo apt-get install -y ${pkgs.join(' ')}`])
  console.error(`npm test: installing what the suite drives and this machine lacks: ${pkgs.join(' ')}`)
  const ok =
    run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs])
  // Debian enables and starts its own Kamailio service, on port 5060 of every interface (the
  // SIP signing front's default); the suite runs its own, so the one it just installed is stopped.
  if (ok && pkgs.includes('kamailio') && existsSync('/run/systemd/system'))
    run('systemctl', ['disable', '--now', 'kamailio'])
  const still = missing.filter((t) => !existsSync(t.path))
  if (!ok || still.length)
    fail([
      `apt-get could not install ${still.map((t) => t.pkg).join(' ') || pkgs.join(' ')}`,
      'install them by hand, then run npm test again',
    ])
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
    s.once('timeout', () => {
      s.destroy()
      resolve(false)
    })
  })
}

/** PostgreSQL is the second store of every store test; start the machine's cluster if it is down. */
async function ensurePostgres() {
  const dialects = (process.env.STIRHUB_TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim())
  if (!dialects.includes('postgres') || process.env.STIRHUB_TEST_PG) return
  if (await reachable('127.0.0.1', 5432)) return
  const cluster =
    existsSync('/usr/bin/pg_ctlcluster') && existsSync('/etc/postgresql')
      ? spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n')[0]
      : ''
  if (cluster && process.getuid?.() === 0) {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'start'])
    for (let i = 0; i < 30; i++) {
      if (await reachable('127.0.0.1', 5432)) return
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  fail([
    'PostgreSQL does not answer at 127.0.0.1:5432 (database test, trust auth).',
    'Start it, point STIRHUB_TEST_PG at another server, or run SQLite only: STIRHUB_TEST_DIALECTS=sqlite npm test',
  ])
}

installMissingTools()
await ensurePostgres()
