/**
 * stirhub behind Kamailio (deploy/kamailio/kamailio.cfg, README "Behind Kamailio"), driven by
 * sipp: one Kamailio whose outbound next hop is its own inbound port, so a call goes
 * sipp UAC → Kamailio → signing front → Kamailio → verification front → Kamailio → sipp UAS.
 * The UAS receives an Identity whose PASSporT carries the trunk account's attestation, the
 * caller and the callee, and verifies with stirhub's verifier and Kamailio's own secsipid
 * module; its P-Asserted-Identity carries the verstat. Calls signed elsewhere that fail get
 * TN-Validation-Failed, Reason: STIR or a 438 as the account Kamailio names asks (never the
 * account the caller names); calls without Identity No-TN-Validation, a forged verstat
 * replaced. A 503 from the signing front (an account over its call rate) and a stopped
 * stirhub (UDP: timeout; TCP: refused): the call goes through unsigned and unverified, and
 * Kamailio logs why.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { freePort, startServer, type TestServer } from './helpers/server.js'
import { buildWorld, type World } from './helpers/attestation-world.js'
import { newAccount, type Creds } from './helpers/http.js'
import { useTrunk } from './helpers/sip-trunks.js'
import { sipp, sippUas, type SippRun } from './helpers/sipp.js'
import { startKamailio, type Kamailio } from './helpers/kamailio.js'
import { signIdentity } from '../src/stir/passport/index.js'
import { saveVerificationPolicy } from '../src/store/verification.repo.js'

const DEST = '+12125551212'
/** A caller of another carrier. */
const ORIG = '+12155550121'

/** What the UAS logged of the INVITE it answered. */
function received(r: SippRun): {
  identity: string
  /** The last Identity header when there are several. */
  identity2: string
  pai: string
  from: string
  reason: string
  account: string
} {
  const m = /IDENTITY=(.*?)\| IDENTITY2=(.*?)\| PAI=(.*?)\| FROM=(.*?)\| REASON=(.*?)\| ACCOUNT=(.*?)\|/.exec(r.log)
  assert.ok(m, `the UAS saw no INVITE:\n${r.out}\n${r.log}`)
  const [identity, identity2, pai, from, reason, account] = m.slice(1).map((v) => v.trim()) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  return { identity, identity2, pai, from, reason, account }
}

/** A PASSporT signed with the server's key whose signature then has one character changed. */
function forgedIdentity(s: TestServer): string {
  const { identity } = signIdentity(s.running.ctx.stiAs.signer(), {
    attest: 'A',
    orig: ORIG,
    dest: [DEST.slice(1)],
    origid: randomUUID(),
  })
  const i = identity.slice(0, identity.indexOf(';')).lastIndexOf('.') + 20
  return identity.slice(0, i) + (identity[i] === 'A' ? 'B' : 'A') + identity.slice(i + 1)
}

const claimsOf = (identity: string) =>
  JSON.parse(Buffer.from(identity.split(';')[0]!.split('.')[1]!, 'base64url').toString())

describe('stirhub behind Kamailio, with sipp', () => {
  let s: TestServer
  let w: World
  let k: Kamailio
  let dir: string
  let outPort: number
  let inPort: number
  let uasPort: number
  let signPort: number
  let verifyPort: number
  /** Where Kamailio's secsipid module keeps the keys it fetched. */
  let cacheDir: string
  let stopped = false
  /** The account Kamailio names for inbound calls (STIRHUB_VERIFY_ACCOUNT), and one whose policy rejects. */
  let verifying: Creds
  let strict: Creds
  // Straight into the store: the /stir policy route counts against the account's STIR rate,
  // which this server keeps at one call per 20 s.
  const policy = (a: Creds, failureAction: 'continue' | 'reject' | 'reason') =>
    saveVerificationPolicy(s.running.ctx.store.db, {
      account_sid: a.sid,
      failure_action: failureAction,
      require_identity: 0,
      date_updated: new Date().toISOString(),
    })

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kamailio-test-'))
    cacheDir = fs.mkdtempSync(path.join(dir, 'secsipid-'))
    ;[signPort, verifyPort] = [await freePort(), await freePort()]
    ;[outPort, inPort, uasPort] = [await freePort(), await freePort(), await freePort()]
    s = await startServer('sqlite', {
      env: {
        STIRHUB_ROLES: 'api,sip',
        SIP_SIGN_PORT: String(signPort),
        SIP_VERIFY_PORT: String(verifyPort),
        STIRHUB_SIP_TRUSTED: '127.0.0.1/32',
        // One call per account per 20 s on the signing front: the second is answered 503.
        STIRHUB_STIR_RATE_LIMIT: '0.05',
      },
    })
    w = await buildWorld(s.url, s.running.ctx.store.db, 'direct')
    // Kamailio's INVITEs come from 127.0.0.1: its trunk names the account they are signed for.
    await useTrunk(s.url, w.caller.sid)
    verifying = await newAccount(s.url, 'verifying')
    strict = await newAccount(s.url, 'strict')
    await policy(verifying, 'continue')
    await policy(strict, 'reject')
    k = await kamailio(outPort, inPort, 'udp')
  })

  /** A Kamailio on these ports whose outbound next hop is its own inbound port, reaching stirhub over `transport`. */
  const kamailio = (out: number, inbound: number, transport: 'udp' | 'tcp') =>
    startKamailio(
      {
        KAMAILIO_ADDR: '127.0.0.1',
        KAMAILIO_OUTBOUND_PORT: String(out),
        KAMAILIO_INBOUND_PORT: String(inbound),
        STIRHUB_SIGN_URI: `sip:127.0.0.1:${signPort};transport=${transport}`,
        STIRHUB_VERIFY_URI: `sip:127.0.0.1:${verifyPort};transport=${transport}`,
        STIRHUB_TIMEOUT_MS: '1000',
        OUTBOUND_NEXT_HOP: `sip:127.0.0.1:${inbound}`,
        INBOUND_NEXT_HOP: `sip:127.0.0.1:${uasPort}`,
        STIRHUB_VERIFY_ACCOUNT: verifying.sid,
        KAMAILIO_CHILDREN: '2',
        SECSIPID_CHECK: '1',
        SECSIPID_CACHE_DIR: cacheDir,
      },
      dir,
    )
  after(async () => {
    await k?.stop()
    if (!stopped) await s?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** One call from the UAC to Kamailio's `port`; what the UAS received, and what Kamailio logged meanwhile. */
  async function call(
    port: number,
    keys: Record<string, string>,
    scenario = 'kamailio-uac',
    via = k,
  ): Promise<{ uas: ReturnType<typeof received>; log: string }> {
    const uas = await sippUas(dir, 'kamailio-uas', uasPort)
    const from = via.log().length
    const uac = await sipp(port, dir, scenario, 'u1', { user_params: '', ...keys })
    // A call that failed may never reach the UAS: it is not waited for.
    if (uac.code !== 0) uas.stop()
    const answered = await uas.done
    assert.equal(uac.code, 0, `UAC:\n${uac.out}\n${uac.log}\nKamailio:\n${via.log().slice(from)}`)
    assert.equal(answered.code, 0, answered.out)
    return { uas: received(answered), log: via.log().slice(from) }
  }

  it('a customer call is signed on the way out (A, its caller and callee) and verified on the way in', async () => {
    const { uas, log } = await call(outPort, { orig: w.number.phone, dest: DEST })
    assert.match(uas.identity, /^[\w-]+\.[\w-]+\.[\w-]+;info=<[^>]+>;alg=ES256;ppt=shaken$/)
    const claims = claimsOf(uas.identity)
    assert.equal(claims.attest, 'A')
    assert.equal(claims.orig.tn, w.number.phone.slice(1))
    assert.deepEqual(claims.dest.tn, [DEST.slice(1)])
    const v = await s.running.ctx.stiVs.verifier.verify({
      identity: [uas.identity],
      from: w.number.phone.slice(1),
      to: [DEST.slice(1)],
    })
    assert.equal(v.reason, 'passed', v.detail)
    assert.match(log, /signed by stirhub/)
    assert.match(log, /secsipid_check_identity: valid/)
    assert.notDeepEqual(fs.readdirSync(cacheDir), [], 'secsipid caches the key it fetched from the x5u')
    assert.equal(uas.identity2, '')
    assert.match(uas.pai, new RegExp(`^<sip:\\${w.number.phone};verstat=TN-Validation-Passed@`))
  })

  it('a call to our number forwarded elsewhere gets a ppt=div Identity beside its own, and the pair verifies', async () => {
    // Signed by the caller's carrier for a call to our number, now retargeted to DEST.
    const original = signIdentity(s.running.ctx.stiAs.signer(), {
      attest: 'A',
      orig: ORIG,
      dest: [w.number.phone.slice(1)],
      origid: randomUUID(),
    }).identity
    const { uas, log } = await call(
      outPort,
      { orig: ORIG, dest: DEST, identity: original, acct: '' },
      'kamailio-uac-identity',
    )
    assert.equal(uas.identity, original)
    assert.match(uas.identity2, /;ppt=div$/)
    assert.deepEqual(claimsOf(uas.identity2).div, { tn: w.number.phone.slice(1) })
    assert.match(log, /signed by stirhub/)
    assert.match(uas.pai, /;verstat=TN-Validation-Passed@/)
  })

  it('answers OPTIONS keepalives on both ports itself', async () => {
    for (const port of [outPort, inPort]) {
      const r = await sipp(port, dir, 'sign-options', 'u1')
      assert.equal(r.code, 0, r.out)
    }
  })

  it('a call signed elsewhere that fails verification reaches the callee with TN-Validation-Failed; the caller cannot pick the policy', async () => {
    const forged = forgedIdentity(s)
    // The caller names an account whose policy rejects: Kamailio drops that and names its own.
    const { uas, log } = await call(
      inPort,
      { orig: ORIG, dest: DEST, identity: forged, acct: strict.sid },
      'kamailio-uac-identity',
    )
    assert.match(uas.pai, /;verstat=TN-Validation-Failed@/)
    assert.equal(uas.identity, forged)
    assert.equal(uas.account, '')
    assert.match(log, /secsipid_check_identity: invalid/)
  })

  it("the account's policy rejects: the caller gets 438 and the call goes no further", async () => {
    await policy(verifying, 'reject')
    try {
      const from = k.log().length
      const uac = await sipp(inPort, dir, 'kamailio-uac-438', 'u1', {
        orig: ORIG,
        dest: DEST,
        identity: forgedIdentity(s),
        acct: verifying.sid,
        user_params: '',
      })
      assert.equal(uac.code, 0, `${uac.out}\n${uac.log}\n${k.log().slice(from)}`)
      assert.match(k.log().slice(from), /stirhub rejects the call: 438/)
    } finally {
      await policy(verifying, 'continue')
    }
  })

  it("the account's reason action: the callee gets TN-Validation-Failed and Reason: STIR with the code", async () => {
    await policy(verifying, 'reason')
    try {
      const { uas } = await call(
        inPort,
        { orig: ORIG, dest: DEST, identity: forgedIdentity(s), acct: verifying.sid },
        'kamailio-uac-identity',
      )
      assert.match(uas.pai, /;verstat=TN-Validation-Failed@/)
      assert.match(uas.reason, /^STIR ;cause=438 ;text="/)
    } finally {
      await policy(verifying, 'continue')
    }
  })

  it('a call without Identity gets No-TN-Validation; a verstat it came with is replaced', async () => {
    const { uas } = await call(inPort, {
      orig: ORIG,
      dest: DEST,
      user_params: ';verstat=TN-Validation-Passed',
    })
    assert.equal(uas.identity, '')
    assert.match(uas.pai, /^<sip:\+12155550121;verstat=No-TN-Validation@/)
  })

  it('a 503 from the signing front (account over its call rate): the call goes on unsigned, logged', async () => {
    const b = await newAccount(s.url)
    await useTrunk(s.url, b.sid)
    try {
      const first = await call(outPort, { orig: ORIG, dest: DEST })
      assert.notEqual(first.uas.identity, '', first.log)
      const second = await call(outPort, { orig: ORIG, dest: DEST })
      assert.equal(second.uas.identity, '')
      assert.match(second.log, /stirhub signing front answered 503 Service Unavailable: the call goes on unsigned/)
      assert.match(second.uas.pai, /;verstat=No-TN-Validation@/)
    } finally {
      await useTrunk(s.url, w.caller.sid)
    }
  })

  it('stirhub stopped: calls still go through, unsigned and unverified (a forged verstat removed), and Kamailio says why', async () => {
    await s.stop()
    stopped = true
    const keys = { orig: w.number.phone, dest: DEST, user_params: ';verstat=TN-Validation-Passed' }
    // Over UDP the fronts are silent: the timeout passes.
    const udp = await call(outPort, keys)
    assert.equal(udp.uas.identity, '')
    assert.equal(udp.uas.pai, `<sip:${w.number.phone}@127.0.0.1;user=phone>`)
    assert.match(udp.log, /stirhub signing front did not answer in time: the call goes on unsigned/)
    assert.match(udp.log, /stirhub verification front did not answer in time: the call goes on unverified/)
    // Over TCP the connection is refused at once.
    const [out, inbound] = [await freePort(), await freePort()]
    const byTcp = await kamailio(out, inbound, 'tcp')
    try {
      const tcp = await call(out, keys, 'kamailio-uac', byTcp)
      assert.equal(tcp.uas.identity, '')
      assert.equal(tcp.uas.pai, `<sip:${w.number.phone}@127.0.0.1;user=phone>`)
      assert.match(tcp.log, /stirhub signing front unreachable \(sip:[^)]+;transport=tcp\): the call goes on unsigned/)
      assert.match(
        tcp.log,
        /stirhub verification front unreachable \(sip:[^)]+;transport=tcp\): the call goes on unverified/,
      )
    } finally {
      await byTcp.stop()
    }
  })
})
