/**
 * `stirhub demo`: walks both onboarding paths against a running server, the way a customer
 * and a reviewer would through the API — the operator loads a small inventory of numbers, a
 * direct customer buys two (found through AvailablePhoneNumbers) and onboards (primary
 * profile, trust product) and an ISV with one customer in a sub-account (primary + secondary profiles) —
 * approves each bundle through the review queue; the direct customer also files a
 * hosted-number order for an outside number (its letter of authorization), which a reviewer
 * approves through the same queue. Then it signs four calls that come out A, B, C (an unvetted
 * account's number gives C) and A (the hosted number), verifies two of them as the ISV (so the
 * call records hold signed and verified calls). Last, the direct customer brands its first
 * number (a Branded Calls trust product a reviewer approves; no logo), signs a call from it with
 * an approved call reason and verifies it. It prints the console URL with the credentials to
 * sign in with.
 */
import { randomInt, randomUUID } from 'node:crypto'
import { Command } from 'commander'
import { call, serverOptions, type ClientOptions } from './client.js'
import { POLICY } from '../domain/policies.js'
import { systemClock } from '../domain/time.js'

interface Creds {
  readonly sid: string
  readonly token: string
}
interface Ctx {
  readonly url: string
  readonly op: ClientOptions
  readonly out: (line: string) => void
}

const basic = (url: string, c: Creds, actAs = c.sid): ClientOptions => ({ url, basic: `${actAs}:${c.token}` })

/** A step list on stdout: `[3/17] doing … ✓` (plain lines, so it reads the same in CI logs). */
function progress(out: (s: string) => void, total: number) {
  let n = 0
  return async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    n++
    const t0 = performance.now()
    try {
      const r = await f()
      out(`  [${String(n).padStart(2)}/${total}] ✓ ${label} (${Math.round(performance.now() - t0)} ms)`)
      return r
    } catch (e) {
      out(`  [${String(n).padStart(2)}/${total}] ✗ ${label}: ${(e as Error).message}`)
      throw e
    }
  }
}

/** The area code the demo's inventory is in (San Francisco). */
const AREA = '415'
/** A random number in {@link AREA}; the server refuses fictional/reserved ones, so callers retry. */
const randomTn = () => `+1${AREA}${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`

/** The operator adds `n` numbers of its own to the inventory customers buy from. */
async function loadInventory(x: Ctx, n: number): Promise<void> {
  let added = 0
  for (let tries = 0; added < n && tries < 20; tries++) {
    added += (
      await call(x.op, 'POST', '/admin/v1/PhoneNumberInventory', {
        PhoneNumbers: Array.from({ length: n - added }, randomTn),
      })
    ).added
  }
  if (added < n) throw new Error('could not load the inventory')
}

/** Buys `n` numbers for `account` as a customer does: search AvailablePhoneNumbers, buy what was found. */
async function buyNumbers(o: ClientOptions, account: string, n: number): Promise<Array<{ tn: string; pn: string }>> {
  const found = await call(
    o,
    'GET',
    `/2010-04-01/Accounts/${account}/AvailablePhoneNumbers/US/Local.json?AreaCode=${AREA}&PageSize=${n}`,
  )
  const bought: Array<{ tn: string; pn: string }> = []
  for (const f of found.available_phone_numbers as Array<{ phone_number: string }>) {
    const r = await call(
      o,
      'POST',
      `/2010-04-01/Accounts/${account}/IncomingPhoneNumbers.json`,
      { PhoneNumber: f.phone_number },
      true,
    )
    bought.push({ tn: r.phone_number, pn: r.sid })
  }
  if (bought.length < n) throw new Error(`only ${bought.length} of ${n} numbers for sale`)
  return bought
}

interface Business {
  readonly name: string
  readonly domain: string
  readonly identity: string
  readonly ein: string
}

/** End users, address, document, profile and its assignments; submitted for review. */
async function profile(o: ClientOptions, account: string, b: Business, policy: string, link?: string): Promise<string> {
  const form = (path: string, body: Record<string, unknown>) => call(o, 'POST', path, body, true)
  const info = await form('/v1/EndUsers', {
    FriendlyName: b.name,
    Type: 'customer_profile_business_information',
    Attributes: JSON.stringify({
      business_name: b.name,
      business_identity: b.identity,
      business_type: 'Corporation',
      business_industry: 'TECHNOLOGY',
      business_registration_identifier: 'EIN',
      business_registration_number: b.ein,
      business_regions_of_operation: ['USA_AND_CANADA'],
      website_url: `https://www.${b.domain}`,
    }),
  })
  const rep = await form('/v1/EndUsers', {
    FriendlyName: 'Ann Lee',
    Type: 'authorized_representative_1',
    Attributes: JSON.stringify({
      first_name: 'Ann',
      last_name: 'Lee',
      email: `ann@${b.domain}`,
      phone_number: '+14155238886',
      business_title: 'CEO',
      job_position: 'CEO',
    }),
  })
  const ad = await form(`/2010-04-01/Accounts/${account}/Addresses.json`, {
    CustomerName: b.name,
    Street: '1 Market St',
    City: 'San Francisco',
    Region: 'CA',
    PostalCode: '94105',
    IsoCountry: 'US',
  })
  const doc = await form('/v1/SupportingDocuments', {
    FriendlyName: 'HQ',
    Type: 'customer_profile_address',
    Attributes: JSON.stringify({ address_sids: [ad.sid] }),
  })
  const bu = (await form('/v1/CustomerProfiles', { FriendlyName: b.name, Email: `ann@${b.domain}`, PolicySid: policy }))
    .sid as string
  for (const obj of [info.sid, rep.sid, doc.sid, link].filter(Boolean))
    await form(`/v1/CustomerProfiles/${bu}/EntityAssignments`, { ObjectSid: obj })
  await form(`/v1/CustomerProfiles/${bu}`, { Status: 'pending-review' })
  return bu
}

async function trustProduct(
  o: ClientOptions,
  name: string,
  profileSid: string,
  pns: readonly string[],
): Promise<string> {
  const form = (path: string, body: Record<string, unknown>) => call(o, 'POST', path, body, true)
  const tp = (
    await form('/v1/TrustProducts', {
      FriendlyName: `${name} SHAKEN/STIR`,
      Email: 'ops@example.com',
      PolicySid: POLICY.SHAKEN_STIR,
    })
  ).sid as string
  await form(`/v1/TrustProducts/${tp}/EntityAssignments`, { ObjectSid: profileSid })
  for (const pn of pns)
    await form(`/v1/TrustProducts/${tp}/ChannelEndpointAssignments`, {
      ChannelEndpointType: 'phone-number',
      ChannelEndpointSid: pn,
    })
  await form(`/v1/TrustProducts/${tp}`, { Status: 'pending-review' })
  return tp
}

async function assignToProfile(o: ClientOptions, bu: string, pns: readonly string[]) {
  for (const pn of pns)
    await call(
      o,
      'POST',
      `/v1/CustomerProfiles/${bu}/ChannelEndpointAssignments`,
      { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pn },
      true,
    )
}

/** Claims and approves through the review queue, as a reviewer would. */
async function approve(x: Ctx, bu: string) {
  await call(x.op, 'POST', `/admin/v1/Reviews/${bu}/Claim`, {})
  await call(x.op, 'POST', `/admin/v1/Reviews/${bu}/Approve`, {})
}

/** Files a hosted-number order for an outside number (retrying one the server refuses), signed by the profile's representative. */
async function fileHostedOrder(o: ClientOptions, account: string, domain: string): Promise<{ tn: string; hr: string }> {
  const ad = await call(
    o,
    'POST',
    `/2010-04-01/Accounts/${account}/Addresses.json`,
    {
      CustomerName: 'Demo Dental LLC',
      Street: '1 Market Street',
      City: 'San Francisco',
      Region: 'CA',
      PostalCode: '94105',
      IsoCountry: 'US',
    },
    true,
  )
  for (let tries = 0; ; tries++) {
    const tn = `+1628${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`
    try {
      const r = await call(
        o,
        'POST',
        '/v2/HostedNumber/Orders',
        {
          PhoneNumber: tn,
          ContactPhoneNumber: '+14155550134',
          AddressSid: ad.sid,
          Email: `ann@${domain}`,
          ContactName: 'Ann Lee',
          ContactTitle: 'CEO',
          CurrentCarrier: 'Legacy Telco',
          CarrierAccountNumber: '8841-2207',
          FriendlyName: 'Front desk',
        },
        true,
      )
      return { tn, hr: r.sid }
    } catch (e) {
      if (tries > 10) throw e
    }
  }
}

/** Claims a hosted-number order as a reviewer; fails when an automated check does. */
async function claimOrder(x: Ctx, hr: string): Promise<void> {
  const r = await call(x.op, 'POST', `/admin/v1/Reviews/${hr}/Claim`, {})
  const failed = (r.checks as Array<{ name: string; passed: boolean; evidence: string }>).filter((c) => !c.passed)
  if (failed.length) throw new Error(`checks failed: ${failed.map((c) => `${c.name}: ${c.evidence}`).join('; ')}`)
}

/** Approves a claimed order; returns the IncomingPhoneNumber (PN…) the account now holds. */
async function approveOrder(x: Ctx, o: ClientOptions, hr: string): Promise<string> {
  await call(x.op, 'POST', `/admin/v1/Reviews/${hr}/Approve`, {})
  const order = await call(o, 'GET', `/v2/HostedNumber/Orders/${hr}`)
  if (order.status !== 'completed') throw new Error(`the order is ${order.status}`)
  return order.incoming_phone_number_sid
}

/** A call signed: the level read back from the PASSporT, and the Identity header to verify. */
interface Signed {
  readonly attest: string
  readonly identity: string
  readonly orig: string
  readonly dest: string
}

/** Signs one call; `crn` asks for a call reason (RFC 9795), signed only when the number's brand was approved with it. */
async function sign(x: Ctx, c: Creds, orig: string, dest: string, crn?: string): Promise<Signed> {
  const r = await call(basic(x.url, c), 'POST', '/stir/v1/signing', {
    signingRequest: {
      attest: 'A',
      orig: { tn: orig },
      dest: { tn: [dest] },
      iat: Math.floor(systemClock().getTime() / 1000),
      origid: randomUUID(),
      ...(crn !== undefined && { crn }),
    },
  })
  const identity = r.signingResponse?.identity as string | undefined
  if (!identity) throw new Error(`not signed: ${r.signingResponse?.reasontext ?? JSON.stringify(r)}`)
  const payload = JSON.parse(Buffer.from(identity.split(';')[0]!.split('.')[1]!, 'base64url').toString('utf8'))
  return { attest: payload.attest, identity, orig, dest }
}

/** What a verification found: the verstat (with the reason when it failed) and the Rich Call Data it verified. */
interface Verified {
  readonly verstat: string
  readonly rcd?: { readonly nam: string; readonly crn?: string }
  /** Why the RCD was dropped, when it was. */
  readonly rcdreason?: string
}

/** Verifies a signed call as its terminating provider would (the STI-VS over REST); returns the verstat. */
async function verify(x: Ctx, c: Creds, s: Signed): Promise<string> {
  return (await verifyCall(x, c, s)).verstat
}

async function verifyCall(x: Ctx, c: Creds, s: Signed): Promise<Verified> {
  const r = await call(basic(x.url, c), 'POST', '/stir/v1/verification', {
    verificationRequest: {
      from: { tn: s.orig },
      to: { tn: [s.dest] },
      time: Math.floor(systemClock().getTime() / 1000),
      identity: s.identity,
    },
  })
  const verstat = r.verificationResponse?.verstat as string | undefined
  if (!verstat) throw new Error(`no verdict: ${JSON.stringify(r)}`)
  // A failed verdict is a verification on record too (a server whose PUBLIC_URL it cannot reach
  // itself fails to fetch its own certificate): shown, not fatal.
  const v = r.verificationResponse
  return {
    verstat: verstat === 'TN-Validation-Passed' ? verstat : `${verstat} (${v.reasondesc})`,
    rcd: v.rcd,
    rcdreason: v.rcdreasondesc ?? v.rcdreason,
  }
}

/** The brand the demo gives Demo Dental: its legal name, and one call reason. */
const BRAND = { name: 'Demo Dental LLC', reason: 'Appointment reminder' } as const

/**
 * A Branded Calls trust product on `pn`, as a customer files one: its end user (display name
 * and call reason; no logo, which would need a public https host the demo does not have),
 * the approved profile and SHAKEN/STIR product it rests on, the number; submitted for review.
 */
async function brandedProduct(o: ClientOptions, profileSid: string, shakenSid: string, pn: string): Promise<string> {
  const form = (path: string, body: Record<string, unknown>) => call(o, 'POST', path, body, true)
  const eu = await form('/v1/EndUsers', {
    FriendlyName: `${BRAND.name} branding`,
    Type: 'branded_calls_information',
    Attributes: JSON.stringify({
      branded_calls_display_name: BRAND.name,
      branded_calls_call_reason: [BRAND.reason],
    }),
  })
  const tp = (
    await form('/v1/TrustProducts', {
      FriendlyName: `${BRAND.name} Branded Calls`,
      Email: 'ops@example.com',
      PolicySid: POLICY.BRANDED_CALLS,
    })
  ).sid as string
  for (const obj of [profileSid, shakenSid, eu.sid])
    await form(`/v1/TrustProducts/${tp}/EntityAssignments`, { ObjectSid: obj })
  await form(`/v1/TrustProducts/${tp}/ChannelEndpointAssignments`, {
    ChannelEndpointType: 'phone-number',
    ChannelEndpointSid: pn,
  })
  await form(`/v1/TrustProducts/${tp}`, { Status: 'pending-review' })
  return tp
}

/**
 * Claims and approves a Branded Calls product. Every check must pass, except that an earlier
 * demo run on the same server branded the same name (another account's approved brand): then
 * the reviewer approves with a reason, as the review queue asks.
 */
async function approveBrand(x: Ctx, sid: string): Promise<void> {
  const r = await call(x.op, 'POST', `/admin/v1/Reviews/${sid}/Claim`, {})
  const failed = (r.checks as Array<{ name: string; passed: boolean; evidence: string }>).filter((c) => !c.passed)
  const other = failed.filter((c) => c.name !== 'brand_name_not_confusable')
  if (other.length) throw new Error(`checks failed: ${other.map((c) => `${c.name}: ${c.evidence}`).join('; ')}`)
  await call(
    x.op,
    'POST',
    `/admin/v1/Reviews/${sid}/Approve`,
    failed.length ? { OverrideReason: 'the same demo business, branded by an earlier stirhub demo run' } : {},
  )
  if (failed.length)
    x.out('        (the look-alike check overridden: an earlier demo run on this server branded the same name)')
}

const newAccount = async (x: Ctx, name: string): Promise<Creds> => {
  const r = await call(x.op, 'POST', '/admin/v1/Accounts', { FriendlyName: name })
  return { sid: r.sid, token: r.auth_token }
}

/** The whole walk; returns what the user needs to look at it in the console. */
export async function runDemo(x: Ctx): Promise<{
  direct: Creds
  isv: Creds
  levels: string[]
  verified: string[]
  branded: { attest: string } & Verified
}> {
  const step = progress(x.out, 33)
  const ein = () => `${randomInt(10, 100)}-${String(randomInt(0, 10_000_000)).padStart(7, '0')}`
  await step(`operator loads an inventory of 4 numbers in area code ${AREA}`, () => loadInventory(x, 4))
  x.out('Direct customer: Demo Dental')
  const direct = await step('operator creates the account', () => newAccount(x, 'Demo Dental'))
  const dc = basic(x.url, direct)
  const [{ tn: tnA, pn: pnA }, { tn: tnB }] = (await step('the customer buys two numbers from the inventory', () =>
    buyNumbers(dc, direct.sid, 2),
  )) as [{ tn: string; pn: string }, { tn: string; pn: string }]
  const bu = await step('business profile submitted', () =>
    profile(
      dc,
      direct.sid,
      { name: 'Demo Dental LLC', domain: 'demo-dental.com', identity: 'direct_customer', ein: ein() },
      POLICY.PRIMARY_PROFILE,
    ),
  )
  await step('reviewer approves the profile', () => approve(x, bu))
  await step(`number ${tnA} assigned to the profile`, () => assignToProfile(dc, bu, [pnA]))
  const tp = await step('SHAKEN/STIR trust product submitted', () => trustProduct(dc, 'Demo Dental', bu, [pnA]))
  await step('reviewer approves the trust product', () => approve(x, tp))
  const hosted = await step('the customer files a hosted-number order for an outside number, with its LOA', () =>
    fileHostedOrder(dc, direct.sid, 'demo-dental.com'),
  )
  await step(`reviewer claims the order for ${hosted.tn}: every automated check passes`, () => claimOrder(x, hosted.hr))
  const pnHosted = await step(`reviewer approves it: ${hosted.tn} is held with origin hosted`, () =>
    approveOrder(x, dc, hosted.hr),
  )
  await step(`number ${hosted.tn} assigned to the profile and trust product`, async () => {
    await assignToProfile(dc, bu, [pnHosted])
    await call(
      dc,
      'POST',
      `/v1/TrustProducts/${tp}/ChannelEndpointAssignments`,
      { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pnHosted },
      true,
    )
  })

  x.out('ISV: CallCloud, with customer Pizza Planet in a sub-account')
  const isv = await step('operator creates the ISV account', () => newAccount(x, 'CallCloud'))
  const ic = basic(x.url, isv)
  const primary = await step('ISV primary profile (isv_reseller_or_partner) submitted', () =>
    profile(
      ic,
      isv.sid,
      { name: 'CallCloud Inc', domain: 'callcloud.io', identity: 'isv_reseller_or_partner', ein: ein() },
      POLICY.PRIMARY_PROFILE,
    ),
  )
  await step('reviewer approves the ISV profile', () => approve(x, primary))
  const sub = await step(
    'ISV creates sub-account Pizza Planet',
    async () =>
      (await call(ic, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'Pizza Planet' }, true)).sid as string,
  )
  const sc = basic(x.url, isv, sub)
  const [{ tn: tnSub, pn: pnSub }] = (await step('the ISV buys a number for the sub-account', () =>
    buyNumbers(sc, sub, 1),
  )) as [{ tn: string; pn: string }]
  const secondary = await step('secondary profile for Pizza Planet submitted', () =>
    profile(
      sc,
      sub,
      { name: 'Pizza Planet LLC', domain: 'pizzaplanet.com', identity: 'direct_customer', ein: ein() },
      POLICY.SECONDARY_PROFILE,
      primary,
    ),
  )
  await step('reviewer approves the secondary profile', () => approve(x, secondary))
  await step(`number ${tnSub} assigned to the secondary profile`, () => assignToProfile(sc, secondary, [pnSub]))
  const subTp = await step('Pizza Planet trust product submitted', () =>
    trustProduct(sc, 'Pizza Planet', secondary, [pnSub]),
  )
  await step('reviewer approves the trust product', () => approve(x, subTp))

  const walkIn = await step('an unvetted account buys one number', async () => {
    const c = await newAccount(x, 'Walk-in Calls')
    return { c, tn: (await buyNumbers(basic(x.url, c), c.sid, 1))[0]!.tn }
  })

  x.out('Signing four calls to +12025550143')
  const calls = [
    await step(`${tnA} (on the approved trust product) → A expected`, () => sign(x, direct, tnA, '+12025550143')),
    await step(`${tnB} (Demo Dental's, not on a trust product) → B expected`, () =>
      sign(x, direct, tnB, '+12025550143'),
    ),
    await step(`${walkIn.tn} (an account with no approved profile) → C expected`, () =>
      sign(x, walkIn.c, walkIn.tn, '+12025550143'),
    ),
    await step(`${hosted.tn} (hosted, on the approved trust product) → A expected`, () =>
      sign(x, direct, hosted.tn, '+12025550143'),
    ),
  ]
  // The ISV as the terminating side: its verifications go on record beside the signed calls.
  x.out('Verifying two of them as the terminating provider would (CallCloud)')
  const verified = [
    await step(`the A call from ${tnA} verified`, () => verify(x, isv, calls[0]!)),
    await step(`the C call from ${walkIn.tn} verified`, () => verify(x, isv, calls[2]!)),
  ]

  x.out(`Branded Calls: Demo Dental brands ${tnA} (no logo: a demo has no public https host to serve one)`)
  const brand = await step(
    `Branded Calls product submitted: display name "${BRAND.name}", call reason "${BRAND.reason}"`,
    () => brandedProduct(dc, bu, tp, pnA),
  )
  await step('reviewer approves it: the name matches the legal name', () => approveBrand(x, brand))
  const brandedCall = await step(`a call from ${tnA} signed with call reason "${BRAND.reason}"`, () =>
    sign(x, direct, tnA, '+12025550143', BRAND.reason),
  )
  const brandedVerdict = await step('the branded call verified (CallCloud)', () => verifyCall(x, isv, brandedCall))
  return {
    direct,
    isv,
    levels: calls.map((c) => c.attest),
    verified,
    branded: { attest: brandedCall.attest, ...brandedVerdict },
  }
}

/** The demo's line for the branded call: the name and reason as the verifier found them. */
export function brandedLine(b: { attest: string } & Verified): string {
  if (!b.rcd) return `Branded: not verified as branded (${b.rcdreason ?? b.verstat}); signed ${b.attest}`
  const reason = b.rcd.crn !== undefined ? ` (reason "${b.rcd.crn}")` : ''
  return `Branded: "${b.rcd.nam}"${reason} signed ${b.attest} and verified`
}

export function demoCommand(): Command {
  const env = serverOptions()
  return new Command('demo')
    .description(
      'walk both onboarding paths and a hosted-number order against a running server, sign calls that come out A, B, C and A and verify two of them, then brand a number and sign and verify a branded call',
    )
    .option('--url <url>', 'server base URL [STIRHUB_URL]', env.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', env.token)
    .action(async (opts: { url: string; token?: string }) => {
      if (!opts.token) {
        process.stderr.write('stirhub demo: the operator token is needed (--token or STIRHUB_ADMIN_TOKEN)\n')
        process.exit(2)
      }
      const out = (s: string) => process.stdout.write(s + '\n')
      try {
        const r = await runDemo({ url: opts.url, op: { url: opts.url, bearer: opts.token }, out })
        out(`\nSigned: ${r.levels.join(', ')}; verified: ${r.verified.join(', ')} (on record in the call log)`)
        out(brandedLine(r.branded))
        out(`\nOpen the console: ${opts.url.replace(/\/+$/, '')}/console`)
        out(`  Direct customer  Account SID ${r.direct.sid}  auth token ${r.direct.token}`)
        out(`  ISV              Account SID ${r.isv.sid}  auth token ${r.isv.token}`)
        out('  Reviewer         the operator token (tab "Reviewer / operator")')
      } catch (e) {
        process.stderr.write(`stirhub demo failed: ${(e as Error).message}\n`)
        process.exit(1)
      }
    })
}
