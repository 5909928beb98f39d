/**
 * Prometheus metrics (`GET /metrics`, DESIGN §7), in two parts:
 * - **per process**: Node's own figures (CPU, memory, event loop, GC) and what this process
 *   counted in memory (responses by status and their durations, signings by level,
 *   verifications by reason, x5u cache lookups, index sizes). In a cluster the answering
 *   worker asks the primary, which gathers every process's part over IPC and sums them, so a
 *   scrape that lands on any worker sees the whole machine.
 * - **from the store**, read once by the answering process: the review queue, the callback
 *   outbox and the signing certificate's expiry, the figures an on-call operator alerts on.
 * The hot paths only bump plain numbers; everything else is read when Prometheus scrapes.
 * One {@link ProcessMetrics} per process, built at boot (boot.ts) and held by the context.
 */
import cluster from 'node:cluster'
import fs from 'node:fs'
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Registry,
  type Metric,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client'
import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { Clock } from '../domain/time.js'
import type { Store } from '../store/db.js'
import type { Signer } from '../stir/cert/signer.js'
import type { StiAs } from '../stir/as/sti-as.js'
import type { StiVs } from '../stir/vs/sti-vs.js'
import type { CallRecorder } from '../stir/calls/call-recorder.js'
import { es256Backend } from '../stir/passport/es256.js'
import { loadTrustList } from '../stir/trust/trust-list.js'
import { vettingMetrics } from '../vetting/metrics.js'
import { callbackBacklog } from '../store/outbox.repo.js'
import { versionListenerOf } from '../store/version-listener.js'

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE

/** How long a scrape waits for the other processes of a cluster before answering without them. */
const GATHER_TIMEOUT_MS = 2000

type Totals = () => Iterable<readonly [string, number]>

const noop = () => undefined

/**
 * A counter or gauge whose values are read at scrape time from what the process keeps itself
 * (set afresh each scrape: a gauge's `inc` after `reset` is a `set`).
 */
function readAtScrape(
  registry: Registry,
  Kind: typeof Counter | typeof Gauge,
  name: string,
  help: string,
  label: string,
  values: Totals,
): void {
  const collect = function (this: Counter | Gauge) {
    this.reset()
    for (const [value, n] of values()) this.inc({ [label]: value }, n)
  }
  if (Kind === Counter) new Counter({ name, help, labelNames: [label], registers: [registry], collect })
  else new Gauge({ name, help, labelNames: [label], registers: [registry], collect })
}

/** Where responses are counted: the HTTP app (its onResponse hook) and the two SIP fronts. */
export type Responder = 'http' | 'sip-sign' | 'sip-verify'

/** A function that adds one to a key's count in `counts`. */
const tally =
  <K>(counts: Map<K, number>) =>
  (key: K): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }

/** What the HTTP fast lane did: requests it answered, connections it handed to Fastify. */
export type LaneOutcome = 'answered' | 'handed_off'

/** Upper bounds (seconds) of the duration buckets: a signing or verification call's budget is milliseconds. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
/** What is timed: HTTP requests by route pattern, SIP requests by front. */
type Timed = 'http' | 'sip'
const DURATIONS: Readonly<Record<Timed, { readonly name: string; readonly label: string; readonly help: string }>> = {
  http: {
    name: 'stirhub_http_request_duration_seconds',
    label: 'route',
    help: "Time from an HTTP request's arrival to its response, by route pattern (unmatched: no route)",
  },
  sip: {
    name: 'stirhub_sip_request_duration_seconds',
    label: 'front',
    help: 'Time from a SIP request parsed to its response sent, by front (sign, verify)',
  },
}
/** Bucket counts, sum and count of one timed key. */
interface Times {
  readonly buckets: number[]
  sum: number
  count: number
}

/** A duration histogram as prom-client's registries read a metric (cumulative buckets, `+Inf`, sum, count). */
function durationMetric(times: ReadonlyMap<string, Times>, kind: Timed): Metric {
  const { name, label, help } = DURATIONS[kind]
  const get = async () => {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = []
    for (const [key, t] of times) {
      let below = 0
      DURATION_BUCKETS.forEach((le, i) => {
        below += t.buckets[i]!
        values.push({ labels: { le, [label]: key }, value: below, metricName: `${name}_bucket` })
      })
      values.push({ labels: { le: '+Inf', [label]: key }, value: t.count, metricName: `${name}_bucket` })
      values.push({ labels: { [label]: key }, value: t.sum, metricName: `${name}_sum` })
      values.push({ labels: { [label]: key }, value: t.count, metricName: `${name}_count` })
    }
    return { name, help, type: 'histogram', aggregator: 'sum', values }
  }
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get,
    reset: noop,
    labelNames: [label, 'le'],
  } as unknown as Metric
}

/** What a process's figures are read from. */
export interface MetricsSources {
  readonly config: Config
  readonly store: Store
  readonly clock: Clock
  readonly log: Logger
  readonly signer: Signer
  readonly stiAs: StiAs
  readonly stiVs: StiVs
  readonly calls: CallRecorder
}

/**
 * This process's figures (see the module comment): the plain counts the hot paths bump, and
 * the Prometheus registry that reads them, with the services' own counts, at scrape time.
 */
export class ProcessMetrics {
  readonly registry: Registry
  readonly #sources: MetricsSources
  readonly #responses: Record<Responder, Map<number, number>> = {
    http: new Map(),
    'sip-sign': new Map(),
    'sip-verify': new Map(),
  }
  readonly #lane = new Map<LaneOutcome, number>()
  readonly #durations: Record<Timed, Map<string, Times>> = { http: new Map(), sip: new Map() }

  constructor(sources: MetricsSources) {
    this.#sources = sources
    this.registry = this.#buildRegistry()
  }

  /** Responses by status code of one responder of this process (one map update each). */
  responseCounts(by: Responder): Map<number, number> {
    return this.#responses[by]
  }

  /** A counting function over {@link responseCounts}, for code that sees only statuses. */
  responseCounter(by: Responder): (status: number) => void {
    return tally(this.#responses[by])
  }

  /** A counting function for the fast lane's outcomes (src/api/stir/fast-lane). */
  laneCounter(): (outcome: LaneOutcome) => void {
    return tally(this.#lane)
  }

  /**
   * A timing function for the responders: each response adds to plain bucket counts under its
   * key (route pattern or front); the Prometheus histogram is built from them at scrape time.
   */
  durationRecorder(kind: Timed): (key: string | undefined, ms: number) => void {
    const times = this.#durations[kind]
    return (key = 'unmatched', ms) => {
      let t = times.get(key)
      if (!t) times.set(key, (t = { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 }))
      const seconds = ms / 1000
      let i = 0
      while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++
      if (i < DURATION_BUCKETS.length) t.buckets[i]!++
      t.sum += seconds
      t.count++
    }
  }

  /** What a SIP front reports per response: counted by status and timed. */
  sipResponder(front: 'sign' | 'verify'): (status: number, ms: number) => void {
    const counted = this.responseCounter(front === 'sign' ? 'sip-sign' : 'sip-verify')
    const timed = this.durationRecorder('sip')
    return (status, ms) => {
      counted(status)
      timed(front, ms)
    }
  }

  /** The text of a scrape: every process's figures (see the module comment), then the store's. */
  async scrape(): Promise<string> {
    const processes = cluster.isWorker ? await askPrimary(this.registry) : await this.registry.metrics()
    return processes + '\n' + (await storeMetrics(this.#sources))
  }

  /**
   * Primary: answers a worker's ask with every live process's figures summed (its own
   * included). A worker that does not answer in time is left out of that scrape.
   */
  gatherForWorkers(): void {
    gatherForWorkers(this.registry, this.#sources.log)
  }

  #buildRegistry(): Registry {
    const { stiAs, stiVs, store, calls } = this.#sources
    const r = new Registry()
    collectDefaultMetrics({ register: r })
    // Summed over a cluster, this counts the processes that answered the scrape.
    new Gauge({
      name: 'stirhub_processes',
      help: 'stirhub processes whose figures this scrape includes',
      registers: [r],
      collect() {
        this.set(1)
      },
    })
    const byStatus = (by: Responder) => () =>
      [...this.#responses[by]].map(([status, n]) => [String(status), n] as const)
    readAtScrape(
      r,
      Counter,
      'stirhub_http_responses_total',
      'HTTP responses by status code (503: the store did not answer, so nothing was signed or verified)',
      'status',
      byStatus('http'),
    )
    readAtScrape(
      r,
      Counter,
      'stirhub_sip_sign_responses_total',
      'Responses of the SIP signing front by status code (302: redirected, with or without Identity; 403: an untrusted source, no SIP trunk for the source, or a suspended account)',
      'status',
      byStatus('sip-sign'),
    )
    readAtScrape(
      r,
      Counter,
      'stirhub_sip_verify_responses_total',
      'Responses of the SIP verification front by status code (302: verstat added; 4xx: rejected by policy)',
      'status',
      byStatus('sip-verify'),
    )
    readAtScrape(
      r,
      Counter,
      'stirhub_signings_total',
      'Calls decided by the STI-AS, by the level signed (none: a non-US destination, not signed; div: a forwarding hop signed)',
      'attest',
      () => Object.entries(stiAs.counter.totals),
    )
    readAtScrape(
      r,
      Counter,
      'stirhub_verifications_total',
      'Identity verifications by outcome (passed, or the reason they failed)',
      'reason',
      () => stiVs.counter.totals,
    )
    for (const [name, help, key] of [
      ['stirhub_call_records_written_total', 'Call records written to the store', 'written'],
      [
        'stirhub_call_records_dropped_total',
        'Call records dropped: the buffer was full or the store refused their batch (calls were answered regardless)',
        'dropped',
      ],
    ] as const) {
      new Counter({
        name,
        help,
        registers: [r],
        collect(this: Counter) {
          this.reset()
          this.inc(calls.totals[key])
        },
      })
    }
    readAtScrape(
      r,
      Counter,
      'stirhub_x5u_cache_lookups_total',
      'Certificate (x5u) cache lookups by result; a miss fetches or waits for a fetch',
      'result',
      () => {
        const c = stiVs.certs.counts
        return [
          ['hit', c.hits],
          ['miss', c.misses],
        ]
      },
    )
    readAtScrape(
      r,
      Counter,
      'stirhub_http_fast_lane_total',
      'Signing and verification calls the HTTP fast lane answered itself, and connections it handed to the framework (another route, credentials not yet verified in this process, anything unusual)',
      'outcome',
      () => this.#lane,
    )
    r.registerMetric(durationMetric(this.#durations.http, 'http'))
    r.registerMetric(durationMetric(this.#durations.sip, 'sip'))
    if (store.engine === 'postgres') {
      new Gauge({
        name: 'stirhub_version_notifications_listening',
        registers: [r],
        help: 'PostgreSQL: 1 while this process listens for store version changes (LISTEN stirhub_versions); summed, compare with stirhub_processes',
        collect() {
          this.set(versionListenerOf(store)?.listening ? 1 : 0)
        },
      })
    }
    readAtScrape(
      r,
      Gauge,
      'stirhub_attestation_index_entries',
      'Entries held in the attestation index, by kind (bounded by STIRHUB_INDEX_MAX_NUMBERS)',
      'kind',
      () => Object.entries(stiAs.index.sizes),
    )
    if (cluster.isWorker) answerPrimary(r)
    return r
  }
}

/** The figures read from the store, rendered; `stirhub_store_up 0` when it did not answer. */
async function storeMetrics(ctx: MetricsSources): Promise<string> {
  const r = new Registry()
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [r] })
  const up = gauge('stirhub_store_up', '1 when the store answered the queries of this scrape')
  try {
    const now = ctx.clock()
    const [vetting, backlog] = await Promise.all([vettingMetrics(ctx.store.db, now), callbackBacklog(ctx.store.db)])
    gauge('stirhub_review_queue_depth', 'Submissions waiting for a review decision').set(vetting.queue_depth)
    gauge('stirhub_review_oldest_age_seconds', 'Age of the oldest submission still waiting (0 when none)').set(
      vetting.oldest_age_seconds,
    )
    gauge('stirhub_review_overdue', 'Submissions waiting past their SLA').set(vetting.overdue)
    const decided = gauge('stirhub_review_decisions', 'Review decisions on record, by decision', ['decision'])
    for (const d of ['approved', 'rejected'] as const)
      decided.set(
        { decision: d },
        Object.values(vetting.decisions).reduce((n, x) => n + x[d], 0),
      )
    const callbacks = gauge(
      'stirhub_callbacks',
      'Status callbacks not delivered, by state (pending: will be retried; failed: gave up)',
      ['state'],
    )
    for (const [state, n] of Object.entries(backlog)) callbacks.set({ state }, n)
    up.set(1)
  } catch (e) {
    ctx.log.warn({ err: e }, 'metrics: the store did not answer')
    up.set(0)
  }
  if (ctx.signer.loaded) {
    gauge(
      'stirhub_signing_certificate_not_after_seconds',
      'When the active STI certificate expires (Unix time): alert well before it',
    ).set(Math.floor(Date.parse(ctx.signer.current.notAfter) / 1000))
  }
  gauge(
    'stirhub_es256_native',
    '1 when the native ES256 signer signs, 0 when node:crypto does (a quarter less capacity; /admin/v1/Platform says why)',
  ).set(es256Backend().native ? 1 : 0)
  if (ctx.config.trustList && ctx.config.stiPaRoots)
    trustListMetrics(ctx.config.trustList, ctx.config.stiPaRoots, ctx.clock(), gauge)
  return r.metrics()
}

/**
 * The STI-PA trust list as the verifiers find it (the file is checked again, as they check it):
 * alert when it is not valid, expires soon, or has not changed in days (pulls failing).
 */
function trustListMetrics(file: string, roots: string, now: Date, gauge: (name: string, help: string) => Gauge): void {
  const valid = gauge(
    'stirhub_trust_list_valid',
    '1 when the STI-PA trust list file checks out (signature, signer, dates)',
  )
  const updated = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs
  if (updated !== undefined)
    gauge('stirhub_trust_list_updated_seconds', 'When the trust list file last changed (Unix time)').set(
      Math.floor(updated / 1000),
    )
  try {
    const l = loadTrustList(file, roots, now)
    valid.set(1)
    gauge('stirhub_trust_list_roots', 'STI-CA roots the trust list approves').set(l.roots.length)
    if (l.sequence !== undefined)
      gauge('stirhub_trust_list_sequence', 'Sequence number of the trust list').set(l.sequence)
    if (l.exp !== undefined)
      gauge('stirhub_trust_list_expires_seconds', 'When the trust list expires (Unix time)').set(l.exp)
  } catch {
    valid.set(0)
  }
}

// ---- cluster gathering (IPC) ----------------------------------------------------------

const ASK = 'stirhub:metrics:ask'
const ANSWER = 'stirhub:metrics:answer'
const COLLECT = 'stirhub:metrics:collect'
const COLLECTED = 'stirhub:metrics:collected'

interface Message {
  readonly type: string
  readonly id: number
  readonly text?: string
  readonly metrics?: MetricObjectWithValues<MetricValue<string>>[]
}

let nextId = 0
const waiting = new Map<number, (text: string | undefined) => void>()
let listening = false

/** Worker: answers the primary's collect requests and receives the answers to its own asks. */
function answerPrimary(r: Registry): void {
  if (listening) return
  listening = true
  process.on('message', (m: Message) => {
    // A channel closing under the reply (the primary stopping) must not end this process.
    if (m?.type === COLLECT)
      r.getMetricsAsJSON()
        .then((metrics) => process.send?.({ type: COLLECTED, id: m.id, metrics }, undefined, undefined, noop))
        .catch(noop)
    else if (m?.type === ANSWER) {
      waiting.get(m.id)?.(m.text)
      waiting.delete(m.id)
    }
  })
}

/** Worker: the machine's figures from the primary, or this process's alone when it does not answer in time. */
async function askPrimary(own: Registry): Promise<string> {
  const id = nextId++
  const text = await new Promise<string | undefined>((resolve) => {
    const t = setTimeout(() => {
      waiting.delete(id)
      resolve(undefined)
    }, GATHER_TIMEOUT_MS)
    waiting.set(id, (v) => {
      clearTimeout(t)
      resolve(v)
    })
    process.send?.({ type: ASK, id }, undefined, undefined, noop)
  })
  return text ?? own.metrics()
}

/** Primary: see {@link ProcessMetrics.gatherForWorkers}. */
function gatherForWorkers(own: Registry, log: Logger): void {
  const pending = new Map<
    number,
    { parts: MetricObjectWithValues<MetricValue<string>>[][]; left: number; done: () => void }
  >()
  cluster.on('message', (worker, m: Message) => {
    if (m?.type === COLLECTED) {
      const p = pending.get(m.id)
      if (p && m.metrics) {
        p.parts.push(m.metrics)
        if (--p.left === 0) p.done()
      }
      return
    }
    if (m?.type !== ASK) return
    const id = nextId++
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w && w.isConnected())
    void (async () => {
      const parts: MetricObjectWithValues<MetricValue<string>>[][] = [await own.getMetricsAsJSON()]
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, GATHER_TIMEOUT_MS - 500)
        pending.set(id, {
          parts,
          left: workers.length,
          done: () => {
            clearTimeout(t)
            resolve()
          },
        })
        if (workers.length === 0) resolve()
        for (const w of workers) w!.send({ type: COLLECT, id }, undefined, noop)
      })
      pending.delete(id)
      const text = await AggregatorRegistry.aggregate(parts).metrics()
      if (worker.isConnected()) worker.send({ type: ANSWER, id: m.id, text }, undefined, noop)
    })().catch((err: unknown) => {
      // Never fatal to the primary: the asking worker answers with its own figures after its timeout.
      pending.delete(id)
      log.warn({ err }, "metrics: gathering the cluster's figures failed")
    })
  })
}
