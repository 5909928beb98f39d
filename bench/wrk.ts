/**
 * The load generator every HTTP bench uses: `wrk` (Debian package `wrk`), a C program in its
 * own process, so stirhub and its peers (secsipidx) are driven by the same tool with the same
 * connections, and the client's cost is not charged to the server's event loop. Bodies rotate
 * through a list so requests differ (different accounts and numbers).
 */
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { median } from './stats.js'
import { onCpus } from './serve.js'

export interface WrkRun {
  readonly url: string
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Sent in turn; each may add headers to the common ones. */
  readonly requests: ReadonlyArray<{ readonly body: string; readonly headers?: Readonly<Record<string, string>> }>
  readonly connections: number
  readonly seconds: number
  /**
   * Paced load: each connection waits a random pause (mean `pauseMs`, uniform on [0, 2×]) before
   * each request instead of sending the next at once, so the rate is set by the pause, not by
   * the server. wrk's latencies exclude the pause. See {@link paced}.
   */
  readonly pauseMs?: number
  /** The CPUs wrk runs on (a taskset list), when it is kept off the server's. */
  readonly cpus?: string
}

/** The load every HTTP bench applies, to stirhub and to its peers alike (one round of it). */
export const LOAD = { connections: 64, seconds: 5 } as const
/** Rounds of {@link interleaved} comparisons. */
export const ROUNDS = 3
/** A first run, reported apart: each API process starts with cold caches and a cold JIT. */
export const WARMUP_SECONDS = 10

export interface WrkResult {
  readonly rate: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly requests: number
  /** Responses outside 2xx/3xx. */
  readonly non2xx: number
  /** Requests unanswered within wrk's 2 s timeout, and other socket errors. */
  readonly socketErrors: number
}

/** Throws with an install hint when wrk is missing. */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('the HTTP benches need wrk: apt-get install wrk')
  }
}

const luaString = (s: string) => JSON.stringify(s).replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => `\\u{${h}}`)

/** Runs wrk once and parses its summary. */
export async function wrk(run: WrkRun): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stirhub-wrk-'))
  const script = path.join(dir, 'run.lua')
  const table = (h: Readonly<Record<string, string>>) =>
    `{${Object.entries(h)
      .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
      .join(',')}}`
  // Requests are formatted once per thread in init(), so wrk spends nothing per request on Lua.
  fs.writeFileSync(
    script,
    [
      `local reqs = {${run.requests.map((r) => `{${luaString(r.body)},${table({ ...run.headers, ...r.headers })}}`).join(',\n')}}`,
      'local formatted = {}',
      'local i = 0',
      'function init(args)',
      `  for j, r in ipairs(reqs) do formatted[j] = wrk.format(${luaString(run.method ?? 'POST')}, nil, r[2], r[1]) end`,
      'end',
      ...(run.pauseMs !== undefined ? [`function delay() return math.random() * ${2 * run.pauseMs} end`] : []),
      'request = function()',
      '  i = i + 1',
      '  return formatted[(i % #formatted) + 1]',
      'end',
    ].join('\n'),
  )
  try {
    const { stdout } = await promisify(execFile)(
      ...onCpus(run.cpus, [
        'wrk',
        '-t1',
        `-c${run.connections}`,
        `-d${run.seconds}s`,
        '--latency',
        '-s',
        script,
        run.url,
      ]),
      { encoding: 'utf8' },
    )
    return parse(stdout)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function ms(v: string, unit: string): number {
  const n = Number(v)
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n
}

function parse(out: string): WrkResult {
  const lat = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([0-9.]+)(us|ms|s)\\s*$`, 'm').exec(out)
    return m ? ms(m[1]!, m[2]!) : Number.NaN
  }
  const rate = Number(/Requests\/sec:\s+([0-9.]+)/.exec(out)?.[1] ?? Number.NaN)
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0
  return { rate, p50Ms: lat('50'), p99Ms: lat('99'), requests, non2xx, socketErrors }
}

/**
 * Runs `run` at about `rate` requests/s: `connections` connections each pausing between
 * requests (see {@link WrkRun.pauseMs}). Short probe runs set the pause: each corrects it by
 * the cycle time it missed (pause plus latency against the cycle the rate needs). A single
 * probe overshot by a fifth when the latency it saw was not the one the paced run met.
 */
export async function paced(run: WrkRun, rate: number, probes = 3): Promise<WrkResult> {
  const cycleMs = (1000 * run.connections) / rate
  let pauseMs = cycleMs
  for (let i = 0; i < probes; i++) {
    const probe = await wrk({ ...run, pauseMs, seconds: 3 })
    pauseMs = Math.max(0, pauseMs + cycleMs - (1000 * run.connections) / probe.rate)
  }
  return wrk({ ...run, pauseMs })
}

/** One line for a result. */
export function describe(r: WrkResult): string {
  const failed = [
    r.non2xx && `${r.non2xx} non-2xx responses`,
    r.socketErrors && `${r.socketErrors} timeouts or socket errors`,
  ].filter(Boolean)
  return `${Math.round(r.rate)}/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${failed.length ? `, FAILED: ${failed.join(', ')}` : ''}`
}

/**
 * Measures every side in turn, `rounds` times, with all servers up throughout: the speed of a
 * shared VM drifts by tens of percent within minutes, and measuring one side after the other
 * would put that drift into their ratio. Returns each side's results in round order.
 */
export async function interleaved<S extends Record<string, () => Promise<unknown>>>(
  sides: S,
  rounds = ROUNDS,
): Promise<{ [K in keyof S]: Awaited<ReturnType<S[K]>>[] }> {
  const out: Record<string, unknown[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]))
  for (let r = 0; r < rounds; r++) for (const k of Object.keys(sides)) out[k]!.push(await sides[k]!())
  return out as { [K in keyof S]: Awaited<ReturnType<S[K]>>[] }
}

const rateOf = (x: WrkResult | number) => (typeof x === 'number' ? x : x.rate)

/** Each round's a/b, for the record ("1.09 0.85 0.97"). */
export function perRound(a: ReadonlyArray<WrkResult | number>, b: ReadonlyArray<WrkResult | number>): string {
  return a.map((x, i) => (rateOf(x) / rateOf(b[i]!)).toFixed(2)).join(' ')
}

/** The median over rounds of a/b (each round's two sides measured back to back). */
export function ratioOf(a: ReadonlyArray<WrkResult | number>, b: ReadonlyArray<WrkResult | number>): number {
  return median(a.map((x, i) => rateOf(x) / rateOf(b[i]!)))
}

/** The round with the median rate, as the side's typical result. */
export function typical<T extends WrkResult | number>(xs: readonly T[]): T {
  return [...xs].sort((x, y) => rateOf(x) - rateOf(y))[Math.floor(xs.length / 2)]!
}
