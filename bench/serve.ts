/**
 * Servers under HTTP load in their own processes, as users run them: `stirhub serve` (one API
 * process per core) and peers such as `secsipidx -http-srv`. Ports are picked at random in a
 * high range; a start waits until the server answers.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export interface Served {
  readonly port: number
  /** The server's process (its workers are its children). */
  readonly pid?: number
  stop(): Promise<void>
}

// Below Linux's ephemeral range (32768 up): wrk's and sipp's own connections never take a
// port chosen here before the server listens on it.
export const randomPort = () => 10_000 + Math.floor(Math.random() * 22_000)

/** Waits until `probe` resolves true (or throws after ~30 s, naming `what`). */
async function waitFor(what: string, child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`)
    try {
      if (await probe()) return
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} did not start`)
}

const stopper = (child: ChildProcess) => async () => {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

/** The command that runs `argv` on the CPUs `cpus` (a taskset list such as "0" or "1-3"), or as is. */
export const onCpus = (cpus: string | undefined, argv: readonly string[]): [string, string[]] =>
  cpus === undefined ? [argv[0]!, argv.slice(1)] : ['taskset', ['-c', cpus, ...argv]]

/**
 * `stirhub serve` with `env` (one API process per core, the default), confined to the CPUs
 * `cpus` when given; resolves once /readyz answers.
 */
export async function serveStirhub(env: Record<string, string>, cpus?: string): Promise<Served> {
  const port = randomPort()
  const child = spawn(
    ...onCpus(cpus, [process.execPath, path.resolve(import.meta.dirname, '../bin/stirhub.mjs'), 'serve']),
    {
      stdio: 'ignore',
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        STIRHUB_ROLES: 'api',
        LOG_LEVEL: 'warn',
        ...env,
        PORT: String(port),
      },
    },
  )
  await waitFor('stirhub serve', child, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok)
  return { port, pid: child.pid, stop: stopper(child) }
}

/** `secsipidx <args> -http-srv 127.0.0.1:<port>`; resolves once `probePath` answers. */
export async function serveSecsipidx(args: readonly string[], probePath: string, probeBody: string): Promise<Served> {
  const port = randomPort()
  const child = spawn('secsipidx', [...args, '-http-srv', `127.0.0.1:${port}`], { stdio: 'ignore' })
  await waitFor(
    'secsipidx',
    child,
    async () => (await fetch(`http://127.0.0.1:${port}${probePath}`, { method: 'POST', body: probeBody })).status < 500,
  )
  return { port, stop: stopper(child) }
}

/**
 * bench/bare.server.ts (reference routes for HTTP signing and verification) on Fastify, or with
 * `layer: 'node'` on Node's http module alone (signing only); resolves once it answers.
 */
export async function serveBare(
  opts: { readonly verifyCertPem?: string; readonly layer?: 'fastify' | 'node' | 'noop' } = {},
): Promise<Served> {
  const port = randomPort()
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'bare.server.ts')], {
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port),
      BARE_HTTP: opts.layer ?? 'fastify',
      ...(opts.verifyCertPem ? { BARE_VERIFY_CERT: opts.verifyCertPem } : {}),
    },
  })
  await waitFor('bare sign server', child, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok)
  return { port, stop: stopper(child) }
}
