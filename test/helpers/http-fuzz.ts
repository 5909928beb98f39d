/**
 * HTTP fuzzing against a real server (test/helpers/server.ts) through `app.inject()`: a world
 * of real resources to aim at, and the two checks every answer must pass. Outside /stir an
 * error is Twilio's body `{code, message, more_info, status}` with a code of the catalogue
 * (src/domain/errors.ts); under /stir it is ATIS-1000082's `requestError` with a message of
 * its catalogue (src/api/stir/atis-errors.ts). Never a 5xx.
 */
import type { InjectOptions } from 'fastify'
import { ERRORS } from '../../src/domain/errors.js'
import { ATIS_MESSAGES } from '../../src/api/stir/atis-errors.js'
import { startServer, ADMIN_TOKEN, type TestServer } from './server.js'
import { http, newAccount, newSubAccount, type Creds } from './http.js'
import type { Dialect } from './dialects.js'
import { POLICY } from '../../src/domain/policy-sids.js'

/** The fuzzed server's settings: no rate or failure limits (a 429 would hide what is behind it). */
const FUZZ_ENV: Readonly<Record<string, string>> = Object.freeze({
  STIRHUB_API_RATE_LIMIT: '0',
  STIRHUB_STIR_RATE_LIMIT: '0',
  STIRHUB_AUTH_FAILURE_LIMIT: '0',
})

/** Real resources of one account (and its sub-account) for requests to aim at. */
export interface FuzzWorld {
  readonly server: TestServer
  readonly P: Creds
  readonly S: Creds
  readonly endUser: string
  readonly document: string
  readonly profile: string
  readonly trustProduct: string
  readonly number: string
  readonly phone: string
  readonly address: string
  readonly key: string
}

export const POLICY_PRIMARY = POLICY.PRIMARY_PROFILE
export const POLICY_SHAKEN = POLICY.SHAKEN_STIR

async function created(url: string, auth: Creds, path: string, form: Record<string, string>): Promise<any> {
  const r = await http(url, 'POST', path, { auth, form })
  if (r.status !== 201) throw new Error(`fuzz world: POST ${path} → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/** Starts a server on `dialect` and builds the world. */
export async function fuzzWorld(dialect: Dialect, env: Record<string, string> = {}): Promise<FuzzWorld> {
  const server = await startServer(dialect, { env: { ...FUZZ_ENV, ...env } })
  const url = server.url
  const P = await newAccount(url, 'Fuzz Parent')
  const S = await newSubAccount(url, P, 'Fuzz Sub')
  const acct = `/2010-04-01/Accounts/${P.sid}`
  const endUser = (
    await created(url, P, '/v1/EndUsers', {
      FriendlyName: 'fuzz',
      Type: 'customer_profile_business_information',
      Attributes: JSON.stringify({ business_name: 'Fuzz Co', business_type: 'Corporation' }),
    })
  ).sid
  const document = (
    await created(url, P, '/v1/SupportingDocuments', {
      FriendlyName: 'fuzz',
      Type: 'customer_profile_address',
      Attributes: '{}',
    })
  ).sid
  const profile = (
    await created(url, P, '/v1/CustomerProfiles', {
      FriendlyName: 'fuzz',
      Email: 'fuzz@example.com',
      PolicySid: POLICY_PRIMARY,
    })
  ).sid
  await created(url, P, `/v1/CustomerProfiles/${profile}/EntityAssignments`, { ObjectSid: endUser })
  const trustProduct = (
    await created(url, P, '/v1/TrustProducts', {
      FriendlyName: 'fuzz',
      Email: 'fuzz@example.com',
      PolicySid: POLICY_SHAKEN,
    })
  ).sid
  const phone = '+14155550142'
  // Customers buy numbers from the operator's inventory: the world's, and those the fuzzed bodies buy.
  const stock = await http(url, 'POST', '/admin/v1/PhoneNumberInventory', {
    auth: { bearer: ADMIN_TOKEN },
    json: { PhoneNumbers: [phone, '+14155550143', '+14155550172'] },
  })
  if (stock.status !== 200) throw new Error(`fuzz world: inventory → ${stock.status} ${JSON.stringify(stock.body)}`)
  const number = (await created(url, P, `${acct}/IncomingPhoneNumbers.json`, { PhoneNumber: phone })).sid
  const address = (
    await created(url, P, `${acct}/Addresses.json`, {
      CustomerName: 'Fuzz Co',
      Street: '1 Main St',
      City: 'Springfield',
      Region: 'IL',
      PostalCode: '62701',
      IsoCountry: 'US',
    })
  ).sid
  const key = (await created(url, P, `${acct}/Keys.json`, { FriendlyName: 'fuzz' })).sid
  return { server, P, S, endUser, document, profile, trustProduct, number, phone, address, key }
}

export const basic = (c: Creds) => 'Basic ' + Buffer.from(`${c.sid}:${c.token}`).toString('base64')
export const bearer = () => `Bearer ${ADMIN_TOKEN}`

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly text: string
}

/** One request through `app.inject()` (no socket: Fastify's routing, hooks, parsers and handlers). */
export async function inject(w: FuzzWorld, req: InjectOptions): Promise<Answer> {
  const res = await w.server.running.app!.inject(req)
  let body: unknown = res.body
  try {
    body = res.body ? JSON.parse(res.body) : null
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode, body, text: res.body }
}

const TWILIO_CODES: ReadonlySet<number> = new Set(Object.values(ERRORS).map((e) => e.code))

/** Why an answer outside /stir is not a documented one, or undefined. */
export function twilioProblem(a: Answer): string | undefined {
  if (a.status >= 500) return `${a.status} (a 5xx)`
  if (a.status < 400) return undefined
  const b = a.body as Record<string, unknown> | null
  if (!b || typeof b !== 'object') return `${a.status} without a JSON error body: ${a.text.slice(0, 200)}`
  if (typeof b.code !== 'number' || !TWILIO_CODES.has(b.code))
    return `${a.status} with code ${JSON.stringify(b.code)}, not one of the catalogue: ${a.text.slice(0, 200)}`
  if (typeof b.message !== 'string' || typeof b.more_info !== 'string' || b.status !== a.status)
    return `${a.status} with a body that is not {code,message,more_info,status}: ${a.text.slice(0, 200)}`
  return undefined
}

/** Why an answer under /stir is not a documented ATIS one, or undefined. */
export function atisProblem(a: Answer): string | undefined {
  if (a.status >= 500) return `${a.status} (a 5xx)`
  if (a.status < 400) return undefined
  const e = (
    a.body as { requestError?: Record<string, { messageId?: string; text?: unknown; variables?: unknown }> } | null
  )?.requestError
  const inner = e?.serviceException ?? e?.policyException
  const m = inner?.messageId !== undefined ? ATIS_MESSAGES[inner.messageId as keyof typeof ATIS_MESSAGES] : undefined
  if (!inner || !m) return `${a.status} without an ATIS requestError of the catalogue: ${a.text.slice(0, 200)}`
  if (m.status !== a.status || typeof inner.text !== 'string' || !Array.isArray(inner.variables))
    return `${a.status} with ${inner.messageId}, whose status is ${m.status}: ${a.text.slice(0, 200)}`
  return undefined
}

/** The check for a path: ATIS under /stir, Twilio elsewhere. */
export const problemOf = (path: string, a: Answer) => (path.startsWith('/stir/') ? atisProblem(a) : twilioProblem(a))

/** What a failed case names in its message: the request, shortened. */
export function described(req: InjectOptions): string {
  const body = typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload)
  return `${req.method} ${req.url} ${JSON.stringify(req.headers?.['content-type'] ?? '')} ${JSON.stringify((body ?? '').slice(0, 600))}`
}
