/**
 * The whole server with the HTTP fast lane (src/api/stir/fast-lane) against the same server
 * without it, fed the same bytes on raw TCP sockets. The lane's safety argument is that it
 * accepts a strict subset of what Node accepts and reads it the same way: where a request
 * ends, whether the connection persists, what the end of the stream means. So whatever a
 * client sends, the two must answer alike, connection by connection: the same responses in
 * the same order (status line, every field but Date, body, with the PASSporT signature masked)
 * and the same end (closed by the server, or kept open: a probe request tells, no timeout).
 *
 * Connections are generated with fast-check from a fixed seed: calls the lane answers
 * (signing, verification) and calls it leaves to Fastify, pipelined in one write, spread over
 * several, cut at random points or sent one answer at a time; fields Node's parser acts on
 * (Connection, Proxy-Connection, Keep-Alive, Transfer-Encoding, Expect, Upgrade, and
 * Content-Length spelt every way) in any letter case; some ended by the client's FIN after the
 * last request. Besides those: requests split at every byte of the head, a slow reader that
 * lets hundreds of pipelined answers back up (the lane hands its connection to Node's flow
 * control), and the server's maxRequestsPerSocket set.
 *
 * One server pair, on SQLite: there every answer is ready within a turn of the event loop (a
 * call's store-version read waits for the end of the turn, then reads synchronously), so Node's
 * server alone answers pipelined calls before it reads a FIN sent with them, and the two can be
 * compared call for call. On PostgreSQL that read is a round trip, and Node's server, which
 * ends the socket at the FIN, drops whichever answers are still waiting: a race of its own (the
 * lane answers what it holds whole, then ends). What the lane decides (the bytes it takes, when
 * it hands off, when it ends a connection) does not depend on the store;
 * test/stir-fast-lane.test.ts compares answers on both stores. Both servers share a fixed
 * clock, so answers that carry it compare equal. The body limit is 1 KiB, so a pipeline of
 * 9 KiB already makes the lane stop reading while it answers.
 *
 * `npm test` runs 150 generated connections and one head split at every byte (about a second
 * and a half, besides starting the servers). STIRHUB_LANE_DIFF_RUNS=3000 runs that many
 * connections and a split head per 150 of them (about 30 s); STIRHUB_LANE_DIFF_SEED=<n> draws
 * others (a failure prints its seed and path, for fast-check's replay).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { ADMIN_TOKEN, startServer, type TestServer } from './helpers/server.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { addBrandedProduct } from './helpers/brand-facts.js'
import { converse, type Conversation, type Delivery } from './helpers/raw-http.js'
import { samples } from './helpers/metrics.js'
import type { Creds } from './helpers/http.js'

const RUNS = Number(process.env.STIRHUB_LANE_DIFF_RUNS ?? 150)
const SEED = Number(process.env.STIRHUB_LANE_DIFF_SEED ?? 20_250_611)
const SPLIT_CASES = Math.max(1, Math.floor(RUNS / 150))

const NOW = Date.now()
const IAT = Math.floor(NOW / 1000)
const ENV = { STIRHUB_BODY_LIMIT: '1024', STIRHUB_AUTH_FAILURE_LIMIT: '0' }
const PROBE = 'GET /healthz HTTP/1.1\r\nHost: probe\r\n\r\n'

const basic = (c: Creds, token = c.token) => 'Basic ' + Buffer.from(`${c.sid}:${token}`).toString('base64')

/** What one request is made of; `bytesOf` writes it. */
interface Spec {
  readonly route: 'signing' | 'verification' | 'query' | 'healthz' | 'missing' | 'http10' | 'lower-method'
  readonly body: 'a' | 'b' | 'foreign' | 'stale' | 'no-iat' | 'bad-json' | 'no-member' | 'crn' | 'bad-crn'
  readonly auth: 'basic' | 'operator' | 'operator-alone' | 'none' | 'wrong'
  readonly extras: ReadonlyArray<readonly [string, string]>
  readonly length:
    | 'exact'
    | 'zeros'
    | 'plus'
    | 'space-after'
    | 'space-before'
    | 'tab-before'
    | 'list'
    | 'twice'
    | 'twice-other'
    | 'none'
    | 'short'
    | 'long'
  readonly te: string | undefined
  readonly names: 'as-is' | 'lower' | 'upper'
  readonly reversed: boolean
}

/** A signing call for an A, from the caller with Basic credentials. */
const PLAIN_SIGNING: Spec = {
  route: 'signing',
  body: 'a',
  auth: 'basic',
  extras: [],
  length: 'exact',
  te: undefined,
  names: 'as-is',
  reversed: false,
}

/** Fields Node's parser or server act on, and a few it does not. */
const SPECIAL: ReadonlyArray<readonly [string, string]> = [
  ['Connection', 'keep-alive'],
  ['Connection', 'Keep-Alive'],
  ['Connection', 'close'],
  ['Connection', 'Close'],
  ['Connection', 'upgrade'],
  ['Connection', 'keep-alive, close'],
  ['Connection', 'close, keep-alive'],
  ['Connection', 'te'],
  ['Connection', ''],
  ['Proxy-Connection', 'close'],
  ['Proxy-Connection', 'keep-alive'],
  ['Proxy-Connection', 'Close'],
  ['Keep-Alive', 'timeout=5'],
  ['Keep-Alive', 'timeout=1, max=1'],
  ['Upgrade', 'h2c'],
  ['Upgrade', 'websocket'],
  ['Expect', '100-continue'],
  ['Expect', 'nothing'],
  ['TE', 'trailers'],
  ['X-RequestID', 'r-7'],
  ['Accept', 'application/json'],
]

const weighted = <T>(...pairs: Array<[T, number]>) =>
  fc.oneof(...pairs.map(([v, weight]) => ({ arbitrary: fc.constant(v), weight })))

const anySpecArb: fc.Arbitrary<Spec> = fc.record({
  route: weighted<Spec['route']>(
    ['signing', 10],
    ['verification', 4],
    ['query', 1],
    ['healthz', 2],
    ['missing', 1],
    ['http10', 1],
    ['lower-method', 1],
  ),
  body: weighted<Spec['body']>(
    ['a', 8],
    ['b', 2],
    ['foreign', 1],
    ['stale', 1],
    ['no-iat', 1],
    ['bad-json', 1],
    ['no-member', 1],
    ['crn', 2],
    ['bad-crn', 1],
  ),
  auth: weighted<Spec['auth']>(['basic', 8], ['operator', 2], ['operator-alone', 1], ['none', 1], ['wrong', 1]),
  extras: fc.oneof(
    { arbitrary: fc.constant([]), weight: 3 },
    { arbitrary: fc.subarray([...SPECIAL], { minLength: 1, maxLength: 3 }), weight: 2 },
  ),
  length: weighted<Spec['length']>(
    ['exact', 16],
    ['zeros', 1],
    ['plus', 1],
    ['space-after', 1],
    ['space-before', 1],
    ['tab-before', 1],
    ['list', 1],
    ['twice', 1],
    ['twice-other', 1],
    ['none', 1],
    ['short', 1],
    ['long', 1],
  ),
  te: weighted<string | undefined>(
    [undefined, 16],
    ['chunked', 1],
    ['Chunked', 1],
    ['gzip, chunked', 1],
    ['chunked, gzip', 1],
    ['identity', 1],
  ),
  names: weighted<Spec['names']>(['as-is', 4], ['lower', 1], ['upper', 1]),
  reversed: fc.boolean(),
})

/** A call within the lane's reach (well-formed, known credentials), now and then with one field Node acts on. */
const laneSpecArb: fc.Arbitrary<Spec> = fc.record({
  route: fc.constantFrom<Spec['route']>('signing', 'signing', 'verification'),
  body: fc.constantFrom<Spec['body']>('a', 'a', 'a', 'b', 'foreign', 'stale', 'no-iat'),
  auth: fc.constantFrom<Spec['auth']>('basic', 'basic', 'operator'),
  extras: fc.oneof(
    {
      arbitrary: fc.subarray(
        [
          ['Connection', 'keep-alive'],
          ['Keep-Alive', 'timeout=5'],
          ['X-RequestID', 'r-7'],
          ['Accept', 'application/json'],
        ] as Array<readonly [string, string]>,
        { maxLength: 2 },
      ),
      weight: 3,
    },
    { arbitrary: fc.subarray([...SPECIAL], { minLength: 1, maxLength: 1 }), weight: 1 },
  ),
  length: fc.constantFrom<Spec['length']>('exact', 'exact', 'exact', 'zeros', 'space-before'),
  te: fc.constant(undefined),
  names: fc.constantFrom<Spec['names']>('as-is', 'as-is', 'lower', 'upper'),
  reversed: fc.boolean(),
})

const specArb = fc.oneof({ arbitrary: laneSpecArb, weight: 3 }, { arbitrary: anySpecArb, weight: 2 })

interface Connection {
  readonly specs: readonly Spec[]
  readonly delivery: 'one' | 'each' | 'cuts' | 'lockstep'
  readonly cuts: readonly number[]
  readonly fin: boolean
}

const connectionArb: fc.Arbitrary<Connection> = fc.record({
  specs: fc.array(specArb, { minLength: 1, maxLength: 6 }),
  delivery: weighted<Connection['delivery']>(['one', 3], ['each', 1], ['cuts', 1], ['lockstep', 1]),
  cuts: fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 })
    .map((xs) => xs.map((x) => Math.min(x, 0.999))),
  fin: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }),
})

/** What the requests draw on: the caller's number and credentials, a PASSporT to verify. */
interface Facts {
  readonly w: World
  readonly identity: string
}

function bodyOf(s: Spec, f: Facts): string {
  if (s.body === 'bad-json') return '{"signingRequest":'
  if (s.route === 'verification') {
    const identity =
      s.body === 'b'
        ? f.identity.replace(
            /\.([\w-])([\w-]*);info/,
            (_m, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest};info`,
          )
        : f.identity
    const r: Record<string, unknown> = {
      from: { tn: s.body === 'foreign' ? '12125550100' : f.w.number.phone },
      to: { tn: ['12125551212'] },
      time: s.body === 'stale' ? IAT + 3600 : IAT,
      identity,
    }
    if (s.body === 'no-member') delete r.identity
    return JSON.stringify({ verificationRequest: r })
  }
  const r: Record<string, unknown> = {
    attest: 'A',
    dest: { tn: [s.body === 'foreign' ? '+14165551234' : '12125551212'] },
    iat: s.body === 'stale' ? IAT - 3600 : IAT,
    orig: { tn: s.body === 'b' ? '12125550100' : f.w.number.phone },
    origid: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  }
  if (s.body === 'no-iat') delete r.iat
  if (s.body === 'no-member') delete r.orig
  // RFC 9795 call reasons: one the number's Branded Calls product was approved with, and one that is no text.
  if (s.body === 'crn') r.crn = 'Prescription ready'
  if (s.body === 'bad-crn') r.crn = 42
  return JSON.stringify({ signingRequest: r })
}

/** The request's bytes (latin1). A Content-Length too long only ever comes before a FIN: else the server rightly waits for the rest. */
function bytesOf(s: Spec, f: Facts, fin: boolean): string {
  const withBody = s.route !== 'healthz' && s.route !== 'missing'
  const line = {
    signing: 'POST /stir/v1/signing HTTP/1.1',
    verification: 'POST /stir/v1/verification HTTP/1.1',
    query: 'POST /stir/v1/signing?x=1 HTTP/1.1',
    healthz: 'GET /healthz HTTP/1.1',
    missing: 'GET /nope HTTP/1.1',
    http10: 'POST /stir/v1/signing HTTP/1.0',
    'lower-method': 'post /stir/v1/signing HTTP/1.1',
  }[s.route]
  const body = withBody ? bodyOf(s, f) : ''
  const chunked = s.te !== undefined && /chunked\s*$/i.test(s.te)
  const payload = chunked ? `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n` : body
  const fields: Array<[string, string]> = [['Host', '127.0.0.1']]
  if (withBody) fields.push(['Content-Type', 'application/json'])
  const auth = {
    basic: [['Authorization', basic(f.w.caller)]],
    operator: [
      ['Authorization', `Bearer ${ADMIN_TOKEN}`],
      ['X-Account-Sid', f.w.caller.sid],
    ],
    'operator-alone': [['Authorization', `Bearer ${ADMIN_TOKEN}`]],
    none: [],
    wrong: [['Authorization', basic(f.w.caller, 'wrong')]],
  }[s.auth] as Array<[string, string]>
  fields.push(...auth)
  const n = body.length
  const length = s.length === 'long' && !fin ? 'exact' : s.length
  const lengths: Record<Spec['length'], string[]> = {
    exact: withBody && s.te === undefined ? [`${n}`] : [],
    zeros: [`00${n}`],
    plus: [`+${n}`],
    'space-after': [`${n} `],
    'space-before': [` ${n}`],
    'tab-before': [`\t${n}`],
    list: [`${n}, ${n}`],
    twice: [`${n}`, `${n}`],
    'twice-other': [`${n}`, `${n + 1}`],
    none: [],
    short: [`${Math.max(0, n - 3)}`],
    long: [`${n + 7}`],
  }
  for (const v of lengths[length]) fields.push(['Content-Length', v])
  if (s.te !== undefined) fields.push(['Transfer-Encoding', s.te])
  fields.push(...s.extras.map(([k, v]) => [k, v] as [string, string]))
  if (s.reversed) fields.reverse()
  const name = (k: string) => (s.names === 'lower' ? k.toLowerCase() : s.names === 'upper' ? k.toUpperCase() : k)
  return `${line}\r\n${fields.map(([k, v]) => `${name(k)}: ${v}\r\n`).join('')}\r\n${payload}`
}

/** The writes of a connection as its delivery says. */
function writesOf(c: Connection, requests: readonly string[]): string[] {
  if (c.delivery === 'each' || c.delivery === 'lockstep') return [...requests]
  const all = requests.join('')
  if (c.delivery === 'one') return [all]
  const at = [...new Set(c.cuts.map((x) => Math.max(1, Math.floor(x * all.length))))].sort((a, b) => a - b)
  return [0, ...at].map((from, i) => all.slice(from, at[i] ?? all.length)).filter((w) => w.length > 0)
}

/** A conversation with what differs between two servers by design masked: the Date field and the signature. */
const view = (c: Conversation) => ({
  responses: c.responses.map(
    (r) =>
      `${r.head.replace(/\r\nDate: [^\r]+/i, '\r\nDate: -')}\r\n\r\n${r.body.replace(/(\.[\w-]+\.)[\w-]{86};info/g, '$1SIG;info')}`,
  ),
  ended: c.ended,
})
type View = ReturnType<typeof view>

/**
 * The server's answer to bytes Node's parser refuses, written just before it destroys the socket (the
 * clientError handler in src/api/edge-errors.ts: a Twilio error body).
 */
const CLIENT_ERROR =
  /^HTTP\/1\.1 4\d\d [^\r]*\r\nContent-Type: application\/json\r\nContent-Length: \d+\r\nConnection: close\r\n\r\n\{"code":\d+,"message":"[^"]*","more_info":"[^"]*","status":4\d\d[^\r\n]*\}$/

/**
 * True when the two conversations agree. One exception, Node's and not the lane's: bytes Node's
 * parser refuses tear the connection down, and answers still pending then are lost. Which ones
 * depends on how the bytes reached the parser: read off the socket by the parser itself, Node
 * runs queued jobs between the messages it parses, and some answers go out before the error;
 * handed over by the lane, they are parsed in one go, and the lane has written its own answers
 * before. So where either conversation is torn down that way, the answers before it need only
 * agree as far as both go.
 */
function agree(a: View, b: View): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true
  const torn = (v: View) => v.ended && CLIENT_ERROR.test(v.responses.at(-1) ?? '')
  if (!a.ended || !b.ended || (!torn(a) && !torn(b))) return false
  const [x, y] = [a, b].map((v) => (torn(v) ? v.responses.slice(0, -1) : v.responses))
  const [short, long] = x!.length <= y!.length ? [x!, y!] : [y!, x!]
  return short.every((r, i) => r === long[i])
}

describe('HTTP fast lane in front of the whole server, against the server alone (SQLite)', () => {
  let lane: TestServer
  let plain: TestServer
  let facts: Facts
  const clock = () => new Date(NOW)
  const laneCount = async (outcome: 'answered' | 'handed_off') =>
    samples(await lane.running.ctx.metrics.scrape()).get(`stirhub_http_fast_lane_total{outcome="${outcome}"}`) ?? 0

  before(async () => {
    lane = await startServer('sqlite', { clock, env: ENV })
    // The same PUBLIC_URL, so both put the same x5u in their PASSporTs.
    plain = await startServer('sqlite', {
      clock,
      shareWith: lane,
      env: { ...ENV, STIRHUB_HTTP_FAST_LANE: 'off', PUBLIC_URL: lane.url },
    })
    const w = await buildWorld(lane.url, lane.running.ctx.store.db, 'direct')
    // A branded number (no logo: verification fetches nothing): its calls carry rcd, and crn when asked.
    await addBrandedProduct(lane.running.ctx.store.db, w.caller.sid, w.number.sid, {
      name: 'Acme Pharmacy',
      reasons: ['Prescription ready'],
    })
    const signed = await converse(lane.port, {
      writes: [bytesOf(PLAIN_SIGNING, { w, identity: '' }, false)],
      requests: 1,
    })
    const identity = JSON.parse(signed.responses[0]!.body).signingResponse.identity as string
    facts = { w, identity }
    // Both servers verify each credential and fetch the x5u once: the lane answers only credentials it has verified before.
    for (const s of [lane, plain]) {
      for (const auth of ['basic', 'operator'] as const) {
        for (const route of ['signing', 'verification'] as const) {
          const c = await converse(s.port, {
            writes: [bytesOf({ ...PLAIN_SIGNING, route, auth }, facts, false)],
            requests: 1,
          })
          assert.equal(c.responses[0]?.status, 200, c.raw)
        }
      }
    }
  })
  after(async () => {
    await plain?.stop()
    await lane?.stop()
  })

  /** Both servers' conversations for the same delivery, compared. */
  async function same(d: Delivery, why: string): Promise<void> {
    const [a, b] = await Promise.all([converse(lane.port, d), converse(plain.port, d)])
    if (!agree(view(a), view(b))) assert.deepEqual(view(a), view(b), `${why}: ${JSON.stringify(d.writes)}`)
  }

  /** Both servers' conversations for a generated connection, compared. */
  async function sameConnection(c: Connection): Promise<void> {
    const requests = c.specs.map((s, i) => bytesOf(s, facts, c.fin && i === c.specs.length - 1))
    await same(
      {
        writes: writesOf(c, requests),
        lockstep: c.delivery === 'lockstep',
        fin: c.fin,
        requests: requests.length,
        probe: PROBE,
      },
      c.delivery,
    )
  }

  it('answers generated connections as the server alone does', async () => {
    const answered = await laneCount('answered')
    await fc.assert(fc.asyncProperty(connectionArb, sameConnection), {
      seed: SEED,
      numRuns: RUNS,
      includeErrorInReport: true,
    })
    // The lane took its part: most generated requests are its calls.
    assert.ok((await laneCount('answered')) - answered >= RUNS / 2, 'the lane answered too few of the generated calls')
  })

  it('answers a request split at every byte of its head as the server alone does', async () => {
    const cases = [
      [PLAIN_SIGNING],
      ...fc.sample(fc.array(specArb, { minLength: 1, maxLength: 2 }), { seed: SEED, numRuns: SPLIT_CASES - 1 }),
    ]
    for (const specs of cases) {
      const bytes = specs.map((s) => bytesOf(s, facts, false)).join('') + PROBE.replace('probe', 'next')
      const head = bytes.indexOf('\r\n\r\n') + 4
      const splits = Array.from({ length: head - 1 }, (_, i) => i + 1)
      // A few connections at a time: each waits two milliseconds between its two writes.
      for (let i = 0; i < splits.length; i += 8) {
        await Promise.all(
          splits
            .slice(i, i + 8)
            .map((k) =>
              same(
                { writes: [bytes.slice(0, k), bytes.slice(k)], gapMs: 2, requests: specs.length + 1, probe: PROBE },
                `split at ${k}`,
              ),
            ),
        )
      }
    }
  })

  it('answers a lane call carrying each field Node acts on as the server alone does', async () => {
    for (const field of SPECIAL) {
      for (const names of ['as-is', 'lower', 'upper'] as const) {
        const bytes =
          bytesOf({ ...PLAIN_SIGNING, extras: [field], names }, facts, false) + bytesOf(PLAIN_SIGNING, facts, false)
        await same({ writes: [bytes], requests: 2, probe: PROBE }, `${field.join(': ')} (${names})`)
      }
    }
  })

  it('answers a FIN after pipelined calls, lane and other mixed, as the server alone does', async () => {
    // Lane calls first, answered one after another, so the FIN comes while the lane is still answering;
    // then calls it leaves to Fastify, which answer within a turn of the event loop.
    const other: Spec[] = [
      { ...PLAIN_SIGNING, route: 'healthz' },
      { ...PLAIN_SIGNING, auth: 'operator-alone' },
      { ...PLAIN_SIGNING, route: 'missing' },
    ]
    const tail: Spec[] = [
      PLAIN_SIGNING,
      { ...PLAIN_SIGNING, route: 'verification' },
      { ...PLAIN_SIGNING, auth: 'operator' },
    ]
    for (let lanes = 0; lanes <= 5; lanes++) {
      for (const [i, first] of other.entries()) {
        const specs = [...Array.from({ length: lanes }, () => PLAIN_SIGNING), first, ...tail.slice(0, i + 1)]
        for (const delivery of ['one', 'each'] as const) {
          const requests = specs.map((s) => bytesOf(s, facts, false))
          await same(
            { writes: delivery === 'one' ? [requests.join('')] : requests, fin: true, requests: requests.length },
            `FIN after ${lanes} lane calls (${delivery})`,
          )
        }
      }
    }
    await same({ writes: [''], fin: true, requests: 0 }, 'FIN at once')
  })

  for (const fin of [false, true]) {
    it(`answers a slow reader${fin ? ' that sent its FIN' : ''} as the server alone does, the lane handing the backed-up connection to Node`, async () => {
      const calls = Array.from({ length: 600 }, (_, i) =>
        bytesOf({ ...PLAIN_SIGNING, extras: [['X-RequestID', `slow-${i}`]] }, facts, false),
      )
      const handedOff = await laneCount('handed_off')
      // The lane's reader waits until the lane has let go of the connection: its answers filled the socket.
      const backedUp = (async () => {
        for (let i = 0; i < 400 && (await laneCount('handed_off')) === handedOff; i++)
          await new Promise((r) => setTimeout(r, 25))
      })()
      const d: Delivery = { writes: [calls.join('')], requests: calls.length, fin, probe: PROBE }
      const [a, b] = await Promise.all([
        converse(lane.port, { ...d, readAfter: backedUp }),
        converse(plain.port, { ...d, readAfter: new Promise((r) => setTimeout(r, 300)) }),
      ])
      assert.equal((await laneCount('handed_off')) - handedOff, 1, "the slow reader's answers never filled the socket")
      assert.equal(a.responses.length, calls.length + (fin ? 0 : 1))
      assert.deepEqual(view(a), view(b))
      assert.equal(a.ended, fin)
    })
  }

  it('leaves connections to Node while maxRequestsPerSocket is set, answering as the server alone does', async (t) => {
    for (const s of [lane, plain]) s.running.app!.server.maxRequestsPerSocket = 2
    t.after(() => {
      for (const s of [lane, plain]) s.running.app!.server.maxRequestsPerSocket = 0
    })
    const answered = await laneCount('answered')
    await fc.assert(fc.asyncProperty(connectionArb, sameConnection), {
      seed: SEED + 1,
      numRuns: Math.max(8, RUNS / 5),
      includeErrorInReport: true,
    })
    assert.equal(await laneCount('answered'), answered)
  })
})
