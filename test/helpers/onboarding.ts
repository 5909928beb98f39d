/**
 * Shared fixtures for Trust Hub onboarding over plain HTTP: numbers, addresses, a compliant
 * business profile, trust products, submission and operator decisions. Other tests reuse
 * these (e.g. `makeApprovedPrimaryProfile`) to reach an approved state in a few lines.
 */
import { randomInt } from 'node:crypto'
import { http, type Creds } from './http.js'
import { ADMIN_TOKEN } from './server.js'

export const PRIMARY_POLICY = 'RN6433641899984f951173ef1738c3bdd0'
export const SECONDARY_POLICY = 'RNdfbf3fae0e1107f8aded0e7cead80bf5'
export const SHAKEN_POLICY = 'RN7a97559effdf62d00f4298208492a5ea'

export type Identity = 'direct_customer' | 'isv_reseller_or_partner'

function must(r: { status: number; body: any }, want: number, what: string) {
  if (r.status !== want) throw new Error(`${what}: expected ${want}, got ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/** Real, assigned US area codes (a random NPA is often unassigned, which the numbers API refuses). */
const AREA_CODES = [
  '212',
  '213',
  '202',
  '305',
  '312',
  '404',
  '415',
  '512',
  '617',
  '646',
  '702',
  '718',
  '206',
  '303',
  '503',
] as const

/** A random valid US number: a real area code and an NXX whose middle digit is 2-4 (never N11 nor 555). */
export function randomUsNumber(): string {
  return `+1${AREA_CODES[randomInt(AREA_CODES.length)]}${randomInt(2, 10)}${randomInt(2, 5)}${randomInt(0, 10)}${String(randomInt(0, 10000)).padStart(4, '0')}`
}

/** Adds numbers to the operator's inventory (as the operator), so customers can buy them. */
export async function stockInventory(
  url: string,
  numbers: readonly string[],
): Promise<{ added: number; already_present: number; refused: unknown[] }> {
  return must(
    await http(url, 'POST', '/admin/v1/PhoneNumberInventory', {
      auth: { bearer: ADMIN_TOKEN },
      json: { PhoneNumbers: numbers },
    }),
    200,
    'stock inventory',
  )
}

/** Buys `phone` from the inventory for `accountSid` (default: the caller's own); returns the answer. */
export async function buyNumber(url: string, creds: Creds, phone: string, accountSid = creds.sid) {
  return http(url, 'POST', `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`, {
    auth: creds,
    form: { PhoneNumber: phone },
  })
}

/** Stocks a fresh number and buys it for `accountSid` (default: the caller's own); returns its PN SID. */
export async function addNumber(url: string, creds: Creds, accountSid = creds.sid): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const phone = randomUsNumber()
    await stockInventory(url, [phone])
    const r = await buyNumber(url, creds, phone, accountSid)
    if (r.status === 201) return r.body.sid
    if (attempt > 5) must(r, 201, 'add number')
  }
}

/** Creates a US address on `accountSid` (default: the caller's own) and returns its AD SID. */
export async function addAddress(url: string, creds: Creds, accountSid = creds.sid): Promise<string> {
  const r = await http(url, 'POST', `/2010-04-01/Accounts/${accountSid}/Addresses.json`, {
    auth: creds,
    form: {
      CustomerName: 'Acme Inc',
      Street: '1 Main St',
      City: 'San Francisco',
      Region: 'CA',
      PostalCode: '94105',
      IsoCountry: 'US',
    },
  })
  return must(r, 201, 'add address').sid
}

export function businessAttributes(identity: Identity = 'direct_customer', over: Record<string, unknown> = {}) {
  return {
    business_name: 'Acme Inc',
    business_identity: identity,
    business_type: 'Corporation',
    business_industry: 'TECHNOLOGY',
    business_registration_identifier: 'EIN',
    business_registration_number: '12-3456789',
    business_regions_of_operation: 'USA_AND_CANADA',
    website_url: 'https://acme.example.com',
    ...over,
  }
}

export const repAttributes = (over: Record<string, unknown> = {}) => ({
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'jane@acme.example.com',
  phone_number: '+14155550100',
  business_title: 'CEO',
  job_position: 'CEO',
  ...over,
})

const pathOf = (kind: 'CustomerProfiles' | 'TrustProducts', sid?: string) => `/v1/${kind}${sid ? '/' + sid : ''}`

export async function createBundle(
  url: string,
  creds: Creds,
  kind: 'CustomerProfiles' | 'TrustProducts',
  policySid: string,
  name = 'Acme',
): Promise<string> {
  return must(
    await http(url, 'POST', pathOf(kind), {
      auth: creds,
      form: { FriendlyName: name, Email: 'ops@acme.example.com', PolicySid: policySid },
    }),
    201,
    `create ${kind}`,
  ).sid
}

export async function assign(
  url: string,
  creds: Creds,
  kind: 'CustomerProfiles' | 'TrustProducts',
  bundleSid: string,
  objectSid: string,
): Promise<string> {
  return must(
    await http(url, 'POST', `${pathOf(kind, bundleSid)}/EntityAssignments`, {
      auth: creds,
      form: { ObjectSid: objectSid },
    }),
    201,
    `assign ${objectSid}`,
  ).sid
}

export async function assignNumber(
  url: string,
  creds: Creds,
  kind: 'CustomerProfiles' | 'TrustProducts',
  bundleSid: string,
  pn: string,
): Promise<string> {
  return must(
    await http(url, 'POST', `${pathOf(kind, bundleSid)}/ChannelEndpointAssignments`, {
      auth: creds,
      form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pn },
    }),
    201,
    `assign ${pn}`,
  ).sid
}

async function endUser(url: string, creds: Creds, type: string, attributes: object): Promise<string> {
  return must(
    await http(url, 'POST', '/v1/EndUsers', {
      auth: creds,
      form: { FriendlyName: type, Type: type, Attributes: JSON.stringify(attributes) },
    }),
    201,
    `end user ${type}`,
  ).sid
}

export interface ProfileOptions {
  readonly policySid?: string
  readonly identity?: Identity
  /** For a secondary profile: the ISV's primary profile to link. */
  readonly primarySid?: string
  /** Phone numbers (PN…) to assign to the profile. */
  readonly numbers?: readonly string[]
  readonly business?: Record<string, unknown>
  /** Attributes of authorized_representative_1 over repAttributes()'s. */
  readonly representative?: Record<string, unknown>
}

/** Builds a draft profile with everything its policy asks for (compliant, not yet submitted). */
export async function makeCompliantProfile(url: string, creds: Creds, o: ProfileOptions = {}): Promise<string> {
  const sid = await createBundle(url, creds, 'CustomerProfiles', o.policySid ?? PRIMARY_POLICY)
  if (o.primarySid) await assign(url, creds, 'CustomerProfiles', sid, o.primarySid)
  await assign(
    url,
    creds,
    'CustomerProfiles',
    sid,
    await endUser(url, creds, 'customer_profile_business_information', businessAttributes(o.identity, o.business)),
  )
  await assign(
    url,
    creds,
    'CustomerProfiles',
    sid,
    await endUser(url, creds, 'authorized_representative_1', repAttributes(o.representative)),
  )
  const address = await addAddress(url, creds)
  const doc = must(
    await http(url, 'POST', '/v1/SupportingDocuments', {
      auth: creds,
      form: {
        FriendlyName: 'HQ',
        Type: 'customer_profile_address',
        Attributes: JSON.stringify({ address_sids: address }),
      },
    }),
    201,
    'address document',
  ).sid
  await assign(url, creds, 'CustomerProfiles', sid, doc)
  for (const pn of o.numbers ?? []) await assignNumber(url, creds, 'CustomerProfiles', sid, pn)
  return sid
}

/** Customer submission (`Status=pending-review`); returns the response for the caller to check. */
export async function submit(url: string, creds: Creds, kind: 'CustomerProfiles' | 'TrustProducts', sid: string) {
  return http(url, 'POST', pathOf(kind, sid), { auth: creds, form: { Status: 'pending-review' } })
}

/** Operator decision through POST /admin/v1/Bundles/{sid}/Status. */
export async function setStatus(url: string, sid: string, status: string, extra: Record<string, unknown> = {}) {
  return http(url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
    auth: { bearer: ADMIN_TOKEN },
    json: { Status: status, ...extra },
  })
}

/** Submits and approves a bundle (operator), failing loudly if either step is refused. */
export async function submitAndApprove(
  url: string,
  creds: Creds,
  kind: 'CustomerProfiles' | 'TrustProducts',
  sid: string,
): Promise<void> {
  must(await submit(url, creds, kind, sid), 200, `submit ${sid}`)
  must(await setStatus(url, sid, 'twilio-approved'), 200, `approve ${sid}`)
}

/** A twilio-approved primary profile (direct customer by default, or an ISV's with `identity`). */
export async function makeApprovedPrimaryProfile(
  url: string,
  creds: Creds,
  o: Omit<ProfileOptions, 'policySid' | 'primarySid'> = {},
): Promise<string> {
  const sid = await makeCompliantProfile(url, creds, { ...o, policySid: PRIMARY_POLICY })
  await submitAndApprove(url, creds, 'CustomerProfiles', sid)
  return sid
}

/** A draft SHAKEN/STIR trust product linked to `profileSid`, carrying `numbers` (already on the profile). */
export async function makeTrustProduct(
  url: string,
  creds: Creds,
  profileSid: string,
  numbers: readonly string[] = [],
): Promise<string> {
  const sid = await createBundle(url, creds, 'TrustProducts', SHAKEN_POLICY, 'Acme SHAKEN')
  await assign(url, creds, 'TrustProducts', sid, profileSid)
  for (const pn of numbers) await assignNumber(url, creds, 'TrustProducts', sid, pn)
  return sid
}
