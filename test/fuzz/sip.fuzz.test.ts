/**
 * Fuzz: SIP messages at the redirect fronts (src/sip/transport.ts with the `sip` package's
 * parser). In process: mutated INVITEs, OPTIONS, CANCELs, ACKs and responses go through the
 * parse path and the signing and verification handlers of a real server's context; every
 * answer is a well-formed SIP response (it parses back, its lines end in CRLF, no control
 * characters) with 200, 302 or a 4xx, never a 5xx, and no handler throws. Over the wire: a
 * sample of mutated datagrams and TCP streams to the started fronts on 127.0.0.1; every
 * response is a non-5xx SIP response and the fronts still answer a valid INVITE afterwards.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import fc from 'fast-check'
import * as sip from 'sip'
import { DIALECTS, type Dialect } from '../helpers/dialects.js'
import { freePort, startServer, type TestServer } from '../helpers/server.js'
import { buildWorld, type World } from '../helpers/attestation-world.js'
import { fuzzParams, fuzzRuns, FUZZ_SEED, nastyText, mutateText } from '../helpers/fuzz.js'
import { identityCases } from '../helpers/fuzz-identity.js'
import { parseSip, stringifySip, type SipMessage, type SipRemote } from '../../src/sip/transport.js'
import { signHandler } from '../../src/sip/sign-front.js'
import { trunkDirectoryOf } from '../../src/sip/trunk-directory.js'
import { useTrunk } from '../helpers/sip-trunks.js'
import { verifyHandler } from '../../src/sip/verify-front.js'
import { verifyPolicyOf } from '../../src/stir/vs/verify-policy.js'

const REMOTE: SipRemote = { protocol: 'UDP', address: '127.0.0.1', port: 5099 }

interface InviteParts {
  readonly method?: string
  readonly from: string
  readonly to: string
  readonly acct?: string
  readonly identity?: readonly string[]
  readonly callId: string
}

/** A SIP request as an SBC sends it (RFC 3261 §8.1.1), CRLF line ends, Content-Length 0. */
function request(p: InviteParts): string {
  const method = p.method ?? 'INVITE'
  return [
    `${method} sip:${p.to}@127.0.0.1:5060;user=phone SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-fuzz;rport',
    'Max-Forwards: 70',
    `From: "Caller" <sip:${p.from}@127.0.0.1>;tag=f1`,
    `To: <sip:${p.to}@127.0.0.1>`,
    `Call-ID: ${p.callId}`,
    `CSeq: 1 ${method}`,
    'Contact: <sip:sbc@127.0.0.1:5099>',
    `P-Asserted-Identity: <sip:${p.from}@127.0.0.1;user=phone>`,
    ...(p.acct ? [`X-Account-Sid: ${p.acct}`] : []),
    ...(p.identity ?? []).map((i) => `Identity: ${i}`),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n')
}

/** Line-level mutations of a SIP message: headers dropped, repeated, compacted, folded, Content-Length wrong. */
function mutateLines(msg: string): fc.Arbitrary<string> {
  const lines = msg.split('\r\n')
  const op = fc.oneof(
    fc.record({ k: fc.constant('drop'), i: fc.nat() }),
    fc.record({ k: fc.constant('dup'), i: fc.nat(), times: fc.integer({ min: 2, max: 30 }) }),
    fc.record({ k: fc.constant('compact'), i: fc.nat() }),
    fc.record({ k: fc.constant('fold'), i: fc.nat(), s: nastyText }),
    fc.record({
      k: fc.constant('length'),
      v: fc.constantFrom('-1', '1e400', 'abc', '99999999', '5', '', '0x10', '1 2'),
    }),
    fc.record({
      k: fc.constant('add'),
      name: fc.constantFrom(
        'Via',
        'v',
        'CSeq',
        'Call-ID',
        'i',
        'To',
        't',
        'From',
        'f',
        'Identity',
        'y',
        'X-Account-Sid',
        'Contact',
        'Route',
        'Content-Length',
        'l',
        '',
        ' ',
        'X:Y',
      ),
      v: nastyText,
    }),
    fc.record({ k: fc.constant('lf') }),
  )
  return fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    let ls = [...lines]
    const head = () => Math.max(1, ls.indexOf(''))
    for (const o of ops as any[]) {
      const i = 1 + ((o.i ?? 0) % Math.max(1, head() - 1))
      if (o.k === 'drop') ls.splice(i, 1)
      else if (o.k === 'dup') ls.splice(i, 0, ...Array(o.times - 1).fill(ls[i]))
      else if (o.k === 'compact')
        ls[i] = ls[i]!.replace(
          /^(Via|From|To|Call-ID|Content-Length|Contact|Identity):/,
          (_m, n: string) =>
            (
              ({
                Via: 'v',
                From: 'f',
                To: 't',
                'Call-ID': 'i',
                'Content-Length': 'l',
                Contact: 'm',
                Identity: 'y',
              }) as Record<string, string>
            )[n] + ':',
        )
      else if (o.k === 'fold') ls[i] = `${ls[i]}\r\n ${o.s}`
      else if (o.k === 'length') ls = ls.map((l) => (l.startsWith('Content-Length:') ? `Content-Length: ${o.v}` : l))
      else if (o.k === 'add') ls.splice(head(), 0, `${o.name}: ${o.v}`)
      else if (o.k === 'lf') return ls.join('\n')
    }
    return ls.join('\r\n')
  })
}

/** A SIP message from realistic bases, mutated by line and by text. */
function sipMessages(bases: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return bases.chain((b) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant(b) },
      { weight: 3, arbitrary: mutateLines(b) },
      { weight: 3, arbitrary: mutateText(b, 2) },
      { weight: 2, arbitrary: mutateLines(b).chain((m) => mutateText(m, 2)) },
    ),
  )
}

/** Why a response is not a well-formed, non-5xx SIP answer, or undefined. */
function responseProblem(text: string): string | undefined {
  const back = sip.parse(text)
  if (!back || typeof back.status !== 'number') return 'does not parse as a SIP response'
  if (back.status >= 500) return `status ${back.status}`
  if (!(back.status === 200 || back.status === 302 || (back.status >= 400 && back.status < 500)))
    return `status ${back.status} is not 200, 302 or 4xx`
  const head = text.slice(0, text.indexOf('\r\n\r\n'))
  if (/\r(?!\n)|(?<!\r)\n/.test(head)) return 'a bare CR or LF in the head (a header line injected)'
  if (/[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(head)) return 'a control character in the head'
  return undefined
}

for (const dialect of DIALECTS) {
  describe(`fuzz: SIP fronts [${dialect}]`, () => {
    let s: TestServer
    let w: World
    let signPort: number
    let verifyPort: number
    let sign: (rq: SipMessage, remote: SipRemote) => Promise<SipMessage | undefined>
    let verify: (rq: SipMessage, remote: SipRemote) => Promise<SipMessage | undefined>
    let messages: fc.Arbitrary<string>
    // PostgreSQL doubles the cost of each store read: a quarter of the SQLite count there.
    const share = dialect === 'sqlite' ? 1 : 0.25

    before(async () => {
      signPort = await freePort()
      verifyPort = await freePort()
      s = await startServer(dialect as Dialect, {
        env: {
          STIRHUB_ROLES: 'api,sip',
          SIP_SIGN_PORT: String(signPort),
          SIP_VERIFY_PORT: String(verifyPort),
          STIRHUB_SIP_TRUSTED: '127.0.0.1/32',
          STIRHUB_STIR_RATE_LIMIT: '0',
          STIRHUB_API_RATE_LIMIT: '0',
          STIRHUB_AUTH_FAILURE_LIMIT: '0',
        },
      })
      w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
      await useTrunk(s.url, w.caller.sid)
      const ctx = s.running.ctx
      // In process the SBC is multi-tenant too, so X-Account-Sid (fuzzed) is read; without it, the trunk's account.
      sign = signHandler({
        trusted: ['127.0.0.1/32'],
        multiTenant: ['127.0.0.1/32'],
        ...ctx.stiAs,
        trunks: trunkDirectoryOf(ctx.store, ctx.version),
      })
      const vs = ctx.stiVs
      verify = verifyHandler({
        trusted: ['127.0.0.1/32'],
        verifier: vs.verifier,
        policyOf: (sid) => verifyPolicyOf(ctx.store.db, ctx.config, sid),
      })
      const orig = w.number.phone.slice(1)
      const signer = ctx.stiAs.signer()
      const ids = identityCases(signer.key, signer.x5u, () => Math.floor(Date.now() / 1000), orig, '12125551212')
      const parts = fc.record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant('INVITE') },
          fc.constantFrom('OPTIONS', 'CANCEL', 'ACK', 'BYE', 'REGISTER', 'invite'),
        ),
        from: fc.oneof(
          { weight: 4, arbitrary: fc.constant(w.number.phone) },
          fc.constantFrom(orig, '+12125550100', '2125550100', 'alice'),
        ),
        to: fc.oneof(
          { weight: 4, arbitrary: fc.constant('+12125551212') },
          fc.constantFrom('12125551212', '+442071838750', 'bob'),
        ),
        acct: fc.oneof(
          { weight: 4, arbitrary: fc.constant(w.caller.sid) },
          fc.constantFrom(undefined, 'AC' + '0'.repeat(32), 'ACxyz'),
        ),
        identity: fc.oneof(fc.constant(undefined), ids.identities),
        callId: fc.nat().map((n) => `fuzz-${n}@127.0.0.1`),
      })
      const response = fc.constantFrom(
        'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-r\r\nCall-ID: r1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
      )
      messages = sipMessages(fc.oneof({ weight: 9, arbitrary: parts.map(request) }, { weight: 1, arbitrary: response }))
    })
    after(async () => {
      await s?.stop()
    })

    it('the parse path and both handlers answer every mutated message with a well-formed 200, 302 or 4xx', async () => {
      let answered = 0
      await fc.assert(
        fc.asyncProperty(messages, fc.boolean(), async (raw, toVerify) => {
          const m = parseSip(Buffer.from(raw, 'binary'))
          if (!m) return
          const r = await (toVerify ? verify : sign)(m, REMOTE)
          if (r === undefined) {
            assert.equal(m.method, 'ACK')
            return
          }
          const problem = responseProblem(stringifySip(r))
          assert.equal(problem, undefined, `${problem}: ${JSON.stringify(stringifySip(r))}`)
          answered++
        }),
        fuzzParams(Math.round(10_000 * share)),
      )
      assert.ok(answered > 0)
    })

    it('real fronts over UDP: mutated datagrams get non-5xx SIP answers, and the fronts keep answering', async () => {
      const sample = fc.sample(messages, { numRuns: fuzzRuns(Math.round(600 * share)), seed: FUZZ_SEED })
      const client = dgram.createSocket('udp4')
      const answers: string[] = []
      client.on('message', (d) => answers.push(d.toString('binary')))
      await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()))
      const sent = new Map<string, string>()
      try {
        for (const [i, raw] of sample.entries()) {
          sent.set(/Call-ID: (\S+)/.exec(raw)?.[1] ?? String(i), raw)
          client.send(Buffer.from(raw, 'binary'), i % 2 ? verifyPort : signPort, '127.0.0.1')
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5))
        }
        const probe = request({ from: w.number.phone, to: '+12125551212', acct: w.caller.sid, callId: 'udp-probe' })
        const got = await until(
          () => answers.find((a) => a.includes('udp-probe')),
          () => client.send(probe, signPort, '127.0.0.1'),
        )
        assert.match(got, /^SIP\/2\.0 302 /, 'the signing front still answers a valid INVITE')
        await quiet(() => answers.length)
        for (const a of answers) {
          const problem = responseProblem(a)
          assert.equal(
            problem,
            undefined,
            `${problem}: ${JSON.stringify(a)} answering ${JSON.stringify(sent.get(/Call-ID: (\S+)/.exec(a)?.[1] ?? ''))}`,
          )
        }
      } finally {
        client.close()
      }
    })

    it('real fronts over TCP: mutated streams get non-5xx SIP answers or a closed connection, and the fronts keep answering', async () => {
      const sample = fc.sample(messages, { numRuns: fuzzRuns(Math.round(200 * share)), seed: FUZZ_SEED + 1 })
      for (let i = 0; i < sample.length; i += 40) {
        const batch = sample.slice(i, i + 40)
        const outs = await Promise.all(batch.map((raw, j) => tcpExchange((i + j) % 2 ? verifyPort : signPort, raw)))
        for (const [j, out] of outs.entries()) {
          for (const a of out.split(/(?=SIP\/2\.0 \d{3} )/).filter((x) => x.trim())) {
            const problem = responseProblem(a)
            assert.equal(problem, undefined, `${problem}: ${JSON.stringify(a)} answering ${JSON.stringify(batch[j])}`)
          }
        }
      }
      const probe = request({ from: w.number.phone, to: '+12125551212', acct: w.caller.sid, callId: 'tcp-probe' })
      assert.match(
        await tcpExchange(signPort, probe, 2000),
        /^SIP\/2\.0 302 /,
        'the signing front still answers over TCP',
      )
    })
  })
}

/** Sends `raw` on a new TCP connection; resolves with what came back before the server closed or `ms` of silence. */
function tcpExchange(port: number, raw: string, ms = 100): Promise<string> {
  return new Promise((resolve) => {
    let out = ''
    const c = net.connect(port, '127.0.0.1')
    let t = setTimeout(done, ms * 4)
    function done() {
      clearTimeout(t)
      c.destroy()
      resolve(out)
    }
    c.setEncoding('binary')
    c.on('data', (d: string) => {
      out += d
      clearTimeout(t)
      t = setTimeout(done, ms)
    })
    c.on('error', done)
    c.on('close', done)
    c.write(Buffer.from(raw, 'binary'))
  })
}

/** Polls `found` (calling `poke` between polls) until it gives a value, for at most five seconds. */
async function until<T>(found: () => T | undefined, poke: () => void): Promise<T> {
  for (let i = 0; i < 100; i++) {
    poke()
    await new Promise((r) => setTimeout(r, 50))
    const v = found()
    if (v !== undefined) return v
  }
  throw new Error('no answer within five seconds')
}

/** Waits until `count` stops growing for 300 ms. */
async function quiet(count: () => number): Promise<void> {
  for (let last = -1; last !== count(); ) {
    last = count()
    await new Promise((r) => setTimeout(r, 300))
  }
}
