/**
 * The table the auth walk (test/auth-walk.test.ts) reads: for every route of the app, what
 * kind of access it grants and how to build a real request against a resource of a given
 * owner. A route missing here fails the walk with a message asking for an entry.
 *
 * Keys are `METHOD path` with every path parameter written as a bare `:` (so a renamed
 * parameter does not matter); `make` returns the parameter values in path order.
 */
import { http, type Creds } from './http.js'
import { ADMIN_TOKEN } from './server.js'

export interface WalkRequest {
  /** Path parameter values, in the order they appear in the route's path. */
  readonly params?: readonly string[]
  readonly form?: Record<string, string>
  readonly json?: unknown
  readonly headers?: Record<string, string>
  /** Query string without the `?`. */
  readonly query?: string
  /** 'own' lists: a SID of the owner's that another tenant's answer must not contain. */
  readonly leak?: string
}

/** The accounts of one walk: a parent P, its sub-account S, and an unrelated tenant O. */
export interface World {
  readonly url: string
  readonly P: Creds
  readonly S: Creds
  readonly O: Creds
}

type Make = (w: World, owner: Creds) => Promise<WalkRequest>

export type WalkEntry =
  /** No credentials needed, by design; `why` is shown in review. */
  | { readonly kind: 'public'; readonly why: string }
  /** Needs credentials (401 without) but addresses no account's resources; only the 401 is walked. */
  | { readonly kind: 'auth-only'; readonly why: string }
  /** Any authenticated account gets 2xx (global catalogue data). */
  | { readonly kind: 'shared'; readonly make?: Make }
  /** Acts on the caller's own account (create, list): 2xx for anyone, and never shows the owner's `leak`. */
  | { readonly kind: 'own'; readonly make?: Make }
  /** Addresses a resource of `owner`: other tenant → 404, sub-account on parent's → 404, parent on sub's → 2xx. */
  | { readonly kind: 'owned'; readonly make: Make }

let counter = 0
/** A fresh valid NANP number for this process (415 = San Francisco). */
function freshNumber(): string {
  counter++
  return `+1415${200 + Math.floor(counter / 10_000)}${String(counter % 10_000).padStart(4, '0')}`
}

/** A fresh valid toll-free number for this process (888). */
function freshTollFree(): string {
  counter++
  return `+1888${200 + Math.floor(counter / 10_000)}${String(counter % 10_000).padStart(4, '0')}`
}

/** Puts `n` in the operator's inventory (customers buy numbers from it) and returns it. */
async function stocked(w: World, n: string): Promise<string> {
  const r = await http(w.url, 'POST', '/admin/v1/PhoneNumberInventory', {
    auth: { bearer: ADMIN_TOKEN },
    json: { PhoneNumbers: [n] },
  })
  if (r.status !== 200 || r.body.added !== 1)
    throw new Error(`walk setup: stocking ${n} → ${r.status} ${JSON.stringify(r.body)}`)
  return n
}

const POLICY_PRIMARY = 'RN6433641899984f951173ef1738c3bdd0'
const POLICY_SHAKEN = 'RN7a97559effdf62d00f4298208492a5ea'

async function create(w: World, owner: Creds, path: string, form: Record<string, string>): Promise<string> {
  const r = await http(w.url, 'POST', path, { auth: owner, form })
  if (r.status !== 201) throw new Error(`walk setup POST ${path} → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.sid
}

const acct = (o: Creds) => `/2010-04-01/Accounts/${o.sid}`
const number = async (w: World, o: Creds) =>
  create(w, o, `${acct(o)}/IncomingPhoneNumbers.json`, { PhoneNumber: await stocked(w, freshNumber()) })
const ADDRESS = {
  CustomerName: 'Walk Co',
  Street: '1 Main St',
  City: 'Springfield',
  Region: 'IL',
  PostalCode: '62701',
  IsoCountry: 'US',
}
const address = (w: World, o: Creds) => create(w, o, `${acct(o)}/Addresses.json`, ADDRESS)
const key = (w: World, o: Creds) => create(w, o, `${acct(o)}/Keys.json`, { FriendlyName: 'walk' })
const END_USER = { FriendlyName: 'walk', Type: 'customer_profile_business_information' }
const DOC = { FriendlyName: 'walk', Type: 'customer_profile_address' }
const entity = (path: 'EndUsers' | 'SupportingDocuments') => (w: World, o: Creds) =>
  create(w, o, `/v1/${path}`, path === 'EndUsers' ? END_USER : DOC)

type Family = 'CustomerProfiles' | 'TrustProducts'
const bundleForm = (f: Family) => ({
  FriendlyName: 'walk',
  Email: 'walk@example.com',
  PolicySid: f === 'CustomerProfiles' ? POLICY_PRIMARY : POLICY_SHAKEN,
})
const bundle = (w: World, o: Creds, f: Family) => create(w, o, `/v1/${f}`, bundleForm(f))

/** What a family's EntityAssignment attaches: an end user to a profile, a profile to a trust product. */
async function assignable(w: World, o: Creds, f: Family): Promise<string> {
  return f === 'CustomerProfiles' ? entity('EndUsers')(w, o) : bundle(w, o, 'CustomerProfiles')
}

/** A bundle of the family and a number ready to be assigned to it (a trust product's profile holds it first). */
async function bundleAndNumber(w: World, o: Creds, f: Family): Promise<{ bu: string; pn: string }> {
  const pn = await number(w, o)
  const cp = await bundle(w, o, 'CustomerProfiles')
  if (f === 'CustomerProfiles') return { bu: cp, pn }
  await create(w, o, `/v1/CustomerProfiles/${cp}/ChannelEndpointAssignments`, {
    ChannelEndpointType: 'phone-number',
    ChannelEndpointSid: pn,
  })
  const tp = await bundle(w, o, 'TrustProducts')
  await create(w, o, `/v1/TrustProducts/${tp}/EntityAssignments`, { ObjectSid: cp })
  return { bu: tp, pn }
}

/** A bulk assignment job of the owner's, on a bundle of the family. */
async function bulkJob(w: World, o: Creds, f: Family): Promise<WalkRequest> {
  const { bu, pn } = await bundleAndNumber(w, o, f)
  const r = await http(w.url, 'POST', `/v1/${f}/${bu}/ChannelEndpointAssignments/Bulk`, {
    auth: o,
    json: { PhoneNumbers: [pn] },
  })
  if (r.status !== 202) throw new Error(`walk setup bulk → ${r.status} ${JSON.stringify(r.body)}`)
  return { params: [bu, r.body.sid] }
}

function bundleEntries(f: Family): Record<string, WalkEntry> {
  const b = `/v1/${f}`
  const policy = bundleForm(f).PolicySid
  return {
    [`POST ${b}`]: { kind: 'own', make: async () => ({ form: bundleForm(f) }) },
    [`GET ${b}`]: { kind: 'own', make: async (w, o) => ({ leak: await bundle(w, o, f) }) },
    [`GET ${b}/:`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`POST ${b}/:`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await bundle(w, o, f)], form: { FriendlyName: 'renamed' } }),
    },
    [`DELETE ${b}/:`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`POST ${b}/:/EntityAssignments`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await bundle(w, o, f)], form: { ObjectSid: await assignable(w, o, f) } }),
    },
    [`GET ${b}/:/EntityAssignments`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`GET ${b}/:/EntityAssignments/:`]: { kind: 'owned', make: (w, o) => entityAssignment(w, o, f) },
    [`DELETE ${b}/:/EntityAssignments/:`]: { kind: 'owned', make: (w, o) => entityAssignment(w, o, f) },
    [`POST ${b}/:/ChannelEndpointAssignments`]: {
      kind: 'owned',
      make: async (w, o) => {
        const { bu, pn } = await bundleAndNumber(w, o, f)
        return { params: [bu], form: { ChannelEndpointType: 'phone-number', ChannelEndpointSid: pn } }
      },
    },
    [`GET ${b}/:/ChannelEndpointAssignments`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await bundle(w, o, f)] }),
    },
    [`GET ${b}/:/ChannelEndpointAssignments/:`]: { kind: 'owned', make: (w, o) => channelAssignment(w, o, f) },
    [`DELETE ${b}/:/ChannelEndpointAssignments/:`]: { kind: 'owned', make: (w, o) => channelAssignment(w, o, f) },
    [`POST ${b}/:/ChannelEndpointAssignments/Bulk`]: {
      kind: 'owned',
      make: async (w, o) => {
        const { bu, pn } = await bundleAndNumber(w, o, f)
        return { params: [bu], json: { PhoneNumbers: [pn] } }
      },
    },
    [`GET ${b}/:/ChannelEndpointAssignments/Bulk/:`]: { kind: 'owned', make: (w, o) => bulkJob(w, o, f) },
    [`POST ${b}/:/Copies`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await approvedBundle(w, o, f)], form: { FriendlyName: 'walk copy' } }),
    },
    [`GET ${b}/:/Copies`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`POST ${b}/:/ReplaceItems`]: {
      kind: 'owned',
      make: async (w, o) => {
        const bu = await approvedBundle(w, o, f)
        const copy = await create(w, o, `${b}/${bu}/Copies`, {})
        await approve(w, copy)
        return { params: [bu], form: { FromBundleSid: copy } }
      },
    },
    [`POST ${b}/:/Evaluations`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await bundle(w, o, f)], form: { PolicySid: policy } }),
    },
    [`GET ${b}/:/Evaluations`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`GET ${b}/:/Checks`]: { kind: 'owned', make: async (w, o) => ({ params: [await bundle(w, o, f)] }) },
    [`GET ${b}/:/Evaluations/:`]: {
      kind: 'owned',
      make: async (w, o) => {
        const bu = await bundle(w, o, f)
        return { params: [bu, await create(w, o, `${b}/${bu}/Evaluations`, { PolicySid: policy })] }
      },
    },
  }
}

/** Sets a bundle's status with the operator token (the walk needs approved bundles to copy). */
async function approve(w: World, sid: string): Promise<void> {
  for (const Status of ['pending-review', 'twilio-approved']) {
    const r = await http(w.url, 'POST', `/admin/v1/Bundles/${sid}/Status`, {
      auth: { bearer: ADMIN_TOKEN },
      json: { Status },
    })
    if (r.status !== 200) throw new Error(`walk setup ${Status} ${sid} → ${r.status} ${JSON.stringify(r.body)}`)
  }
}

/** An approved bundle of the family (what Copies and ReplaceItems take). */
async function approvedBundle(w: World, o: Creds, f: Family): Promise<string> {
  const bu = await bundle(w, o, f)
  await approve(w, bu)
  return bu
}

async function entityAssignment(w: World, o: Creds, f: Family): Promise<WalkRequest> {
  const bu = await bundle(w, o, f)
  return {
    params: [bu, await create(w, o, `/v1/${f}/${bu}/EntityAssignments`, { ObjectSid: await assignable(w, o, f) })],
  }
}

async function channelAssignment(w: World, o: Creds, f: Family): Promise<WalkRequest> {
  const { bu, pn } = await bundleAndNumber(w, o, f)
  return {
    params: [
      bu,
      await create(w, o, `/v1/${f}/${bu}/ChannelEndpointAssignments`, {
        ChannelEndpointType: 'phone-number',
        ChannelEndpointSid: pn,
      }),
    ],
  }
}

function entityEntries(path: 'EndUsers' | 'SupportingDocuments'): Record<string, WalkEntry> {
  const make = entity(path)
  return {
    [`POST /v1/${path}`]: { kind: 'own', make: async () => ({ form: path === 'EndUsers' ? END_USER : DOC }) },
    [`GET /v1/${path}`]: { kind: 'own', make: async (w, o) => ({ leak: await make(w, o) }) },
    [`GET /v1/${path}/:`]: { kind: 'owned', make: async (w, o) => ({ params: [await make(w, o)] }) },
    [`POST /v1/${path}/:`]: {
      kind: 'owned',
      make: async (w, o) => ({ params: [await make(w, o)], form: { FriendlyName: 'renamed' } }),
    },
    [`DELETE /v1/${path}/:`]: { kind: 'owned', make: async (w, o) => ({ params: [await make(w, o)] }) },
  }
}

/** A 2010 sub-resource family under /Accounts/:AccountSid (list, create, fetch, update, delete). */
function legacyEntries(
  name: string,
  make: (w: World, o: Creds) => Promise<string>,
  createForm: (w: World) => Record<string, string> | Promise<Record<string, string>>,
  updateForm?: Record<string, string>,
): Record<string, WalkEntry> {
  const base = `/2010-04-01/Accounts/:/${name}`
  return {
    [`POST ${base}.json`]: { kind: 'owned', make: async (w, o) => ({ params: [o.sid], form: await createForm(w) }) },
    [`GET ${base}.json`]: { kind: 'owned', make: async (_w, o) => ({ params: [o.sid] }) },
    [`GET ${base}/:.json`]: { kind: 'owned', make: async (w, o) => ({ params: [o.sid, await make(w, o)] }) },
    ...(updateForm
      ? {
          [`POST ${base}/:.json`]: {
            kind: 'owned',
            make: async (w, o) => ({ params: [o.sid, await make(w, o)], form: updateForm }),
          } as WalkEntry,
        }
      : {}),
    [`DELETE ${base}/:.json`]: { kind: 'owned', make: async (w, o) => ({ params: [o.sid, await make(w, o)] }) },
  }
}

/** A hosted-number order's form for `o` (a fresh number, an address of `o`'s). */
const orderForm = async (w: World, o: Creds) => ({
  PhoneNumber: freshNumber(),
  ContactPhoneNumber: '+14155550100',
  AddressSid: await address(w, o),
  Email: 'walk@example.com',
})
const order = async (w: World, o: Creds) => create(w, o, '/v2/HostedNumber/Orders', await orderForm(w, o))
/** An authorization document of `o` over one fresh order. */
const loaDocument = async (w: World, o: Creds) =>
  create(w, o, '/v2/HostedNumber/AuthorizationDocuments', {
    AddressSid: await address(w, o),
    Email: 'walk@example.com',
    ContactPhoneNumber: '+14155550100',
    HostedNumberOrderSids: await order(w, o),
  })

/** A console user of `o` (invited by the operator, the link accepted); its US SID. */
const consoleUser = async (w: World, o: Creds) => {
  counter++
  const inv = await http(w.url, 'POST', `/admin/v1/Accounts/${o.sid}/Invitations`, {
    auth: { bearer: ADMIN_TOKEN },
    json: { Email: `walk${counter}@walk.example`, Role: 'developer' },
  })
  const token = /#token=(.+)$/.exec(inv.body.link)![1]
  const r = await http(w.url, 'POST', '/console/api/accept-invitation', {
    json: { Token: token, Password: 'walk password 1234' },
  })
  if (r.status !== 201) throw new Error(`walk setup: user → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.user.sid as string
}

/** ATIS requests name the account they act for with X-Account-Sid (ATIS-1000082 area). */
const stirAs = (o: Creds) => ({ 'x-account-sid': o.sid })

export const WALK: Readonly<Record<string, WalkEntry>> = {
  'GET /': { kind: 'public', why: 'a redirect to /console: no data' },
  'GET /console': { kind: 'public', why: "the console's static single-page app: no data" },
  'GET /console/*': { kind: 'public', why: 'static console assets: no data' },
  'POST /console/api/session': { kind: 'public', why: 'sign-in: checks the credentials it is given' },
  'DELETE /console/api/session': { kind: 'public', why: "sign-out: clears the caller's own cookie, reveals nothing" },
  'GET /console/api/allowed': { kind: 'public', why: 'public catalogue facts (allowed field values, policy SIDs)' },
  'GET /console/api/session': { kind: 'auth-only', why: "reads only the caller's own session cookie" },
  'POST /console/api/accept-invitation': {
    kind: 'public',
    why: 'accepting an invitation: the single-use token it is given is the credential',
  },
  'POST /console/api/password-reset': {
    kind: 'public',
    why: 'asks for a reset link by mail; answers alike for every email, reveals nothing',
  },
  'POST /console/api/password-reset/complete': {
    kind: 'public',
    why: 'a reset: the single-use token it is given is the credential',
  },
  'POST /console/api/sso/start': {
    kind: 'public',
    why: "starts a sign-in at the account's OpenID provider for an email's domain; returns only the provider's URL",
  },
  'GET /console/api/sso/callback': {
    kind: 'public',
    why: "the provider's redirect back: the sealed flow cookie and the provider's code are the credentials (console-sso.test.ts)",
  },
  'GET /console/api/users': { kind: 'own', make: async (w, o) => ({ leak: await consoleUser(w, o) }) },
  'POST /console/api/invitations': {
    kind: 'own',
    make: async () => {
      counter++
      return { json: { Email: `invited${counter}@walk.example`, Role: 'read-only' } }
    },
  },
  'POST /console/api/users/:': {
    kind: 'owned',
    make: async (w, o) => ({ params: [await consoleUser(w, o)], json: { Role: 'read-only' } }),
  },
  'DELETE /console/api/users/:': { kind: 'owned', make: async (w, o) => ({ params: [await consoleUser(w, o)] }) },
  'POST /console/api/two-factor': {
    kind: 'auth-only',
    why: "starts the cookie's own user's two-factor enrolment (console-users-api.test.ts)",
  },
  'POST /console/api/two-factor/confirm': {
    kind: 'auth-only',
    why: "confirms the cookie's own user's enrolment (console-users-api.test.ts)",
  },
  'DELETE /console/api/two-factor': {
    kind: 'auth-only',
    why: "turns off the cookie's own user's two-factor (console-users-api.test.ts)",
  },
  'GET /console/api/account-security': { kind: 'own' },
  'POST /console/api/account-security': { kind: 'own', make: async () => ({ json: { RequireTwoFactor: false } }) },
  'GET /console/api/sessions': {
    kind: 'auth-only',
    why: "a console user's own sessions, found from the session cookie alone (console-users-api.test.ts)",
  },
  'DELETE /console/api/sessions/:': {
    kind: 'auth-only',
    why: "ends one of the cookie's own user's sessions; another user's SID answers 404 (console-users-api.test.ts)",
  },
  'GET /console/api/stats': { kind: 'own', make: async (_w, o) => ({ leak: o.sid }) },
  'GET /console/api/sub-accounts': {
    kind: 'own',
    make: async (w, o) => ({ leak: await create(w, o, '/2010-04-01/Accounts.json', { FriendlyName: 'walk leak' }) }),
  },
  'GET /metrics': {
    kind: 'auth-only',
    why: 'operator token only (metrics.test.ts also refuses an account); the figures name no account',
  },
  'GET /certs/:': {
    kind: 'public',
    why: 'x5u certificate chains: every verifier must fetch them (RFC 8224 §4.1, ATIS-1000074); chain PEM only, never a key',
  },
  'GET /v1/cnam/:': {
    kind: 'auth-only',
    why: "a 2xx needs an approved CNAM trust product: test/cnam.test.ts walks who may look up whose number (another account's answers 404)",
  },
  'GET /certs/crl': {
    kind: 'public',
    why: "the dev STI-CA CRL named by dev certificates' CRL distribution point: verifiers fetch it unauthenticated; no key",
  },

  'POST /2010-04-01/Accounts.json': { kind: 'own', make: async () => ({ form: { FriendlyName: 'walk sub' } }) },
  'GET /2010-04-01/Accounts.json': { kind: 'own', make: async (_w, o) => ({ leak: o.sid }) },
  'GET /2010-04-01/Accounts/:.json': { kind: 'owned', make: async (_w, o) => ({ params: [o.sid] }) },
  'POST /2010-04-01/Accounts/:.json': {
    kind: 'owned',
    make: async (_w, o) => ({ params: [o.sid], form: { FriendlyName: 'renamed' } }),
  },
  ...legacyEntries('Keys', key, () => ({ FriendlyName: 'walk' })),
  ...legacyEntries('IncomingPhoneNumbers', number, async (w) => ({ PhoneNumber: await stocked(w, freshNumber()) }), {
    FriendlyName: 'renamed',
  }),
  'POST /2010-04-01/Accounts/:/IncomingPhoneNumbers/Local.json': {
    kind: 'owned',
    make: async (w, o) => ({ params: [o.sid], form: { PhoneNumber: await stocked(w, freshNumber()) } }),
  },
  'POST /2010-04-01/Accounts/:/IncomingPhoneNumbers/TollFree.json': {
    kind: 'owned',
    make: async (w, o) => ({ params: [o.sid], form: { PhoneNumber: await stocked(w, freshTollFree()) } }),
  },
  'GET /2010-04-01/Accounts/:/AvailablePhoneNumbers.json': {
    kind: 'owned',
    make: async (_w, o) => ({ params: [o.sid] }),
  },
  'GET /2010-04-01/Accounts/:/AvailablePhoneNumbers/US.json': {
    kind: 'owned',
    make: async (_w, o) => ({ params: [o.sid] }),
  },
  'GET /2010-04-01/Accounts/:/AvailablePhoneNumbers/US/Local.json': {
    kind: 'owned',
    make: async (_w, o) => ({ params: [o.sid] }),
  },
  'GET /2010-04-01/Accounts/:/AvailablePhoneNumbers/US/TollFree.json': {
    kind: 'owned',
    make: async (_w, o) => ({ params: [o.sid] }),
  },
  ...legacyEntries('Addresses', address, () => ADDRESS, { City: 'Chicago' }),

  'GET /v1/Policies': { kind: 'shared' },
  'GET /v1/Policies/:': { kind: 'shared', make: async () => ({ params: [POLICY_PRIMARY] }) },
  'GET /v1/EndUserTypes': { kind: 'shared' },
  'GET /v1/EndUserTypes/:': {
    kind: 'shared',
    make: async () => ({ params: ['customer_profile_business_information'] }),
  },
  'GET /v1/SupportingDocumentTypes': { kind: 'shared' },
  'GET /v1/SupportingDocumentTypes/:': { kind: 'shared', make: async () => ({ params: ['customer_profile_address'] }) },
  ...entityEntries('EndUsers'),
  ...entityEntries('SupportingDocuments'),
  // Events exist only after a status change (vetting), which the walk cannot cause over HTTP
  // alone; the events' own tests cover whose events are listed.
  'GET /v1/Events': { kind: 'own' },
  // The caller's own tokens: no account is named, so there is nothing of another tenant to reach.
  'POST /v1/AuthTokens/Secondary': { kind: 'own' },
  'DELETE /v1/AuthTokens/Secondary': {
    kind: 'auth-only',
    why: "deletes the caller's own secondary token (404 when it has none); names no account",
  },
  'POST /v1/AuthTokens/Promote': {
    kind: 'auth-only',
    why: "promotes the caller's own secondary token (404 when it has none); names no account",
  },
  // 'own' creations are sent by the other tenant (auth-walk.test.ts): what they name must be its own.
  'POST /v2/HostedNumber/Orders': { kind: 'own', make: async (w) => ({ form: await orderForm(w, w.O) }) },
  'GET /v2/HostedNumber/Orders': { kind: 'own', make: async (w, o) => ({ leak: await order(w, o) }) },
  'GET /v2/HostedNumber/Orders/:': { kind: 'owned', make: async (w, o) => ({ params: [await order(w, o)] }) },
  'DELETE /v2/HostedNumber/Orders/:': { kind: 'owned', make: async (w, o) => ({ params: [await order(w, o)] }) },
  'POST /v2/HostedNumber/AuthorizationDocuments': {
    kind: 'own',
    make: async (w) => ({
      form: {
        AddressSid: await address(w, w.O),
        Email: 'walk@example.com',
        ContactPhoneNumber: '+14155550100',
        HostedNumberOrderSids: await order(w, w.O),
      },
    }),
  },
  'GET /v2/HostedNumber/AuthorizationDocuments': {
    kind: 'own',
    make: async (w, o) => ({ leak: await loaDocument(w, o) }),
  },
  'GET /v2/HostedNumber/AuthorizationDocuments/:': {
    kind: 'owned',
    make: async (w, o) => ({ params: [await loaDocument(w, o)] }),
  },
  'GET /v2/HostedNumber/AuthorizationDocuments/:/DependentHostedNumberOrders': {
    kind: 'owned',
    make: async (w, o) => ({ params: [await loaDocument(w, o)] }),
  },
  ...bundleEntries('CustomerProfiles'),
  ...bundleEntries('TrustProducts'),

  'GET /stir/v1/attestation': {
    kind: 'owned',
    make: async (w, o) => ({
      headers: stirAs(o),
      query: `from=${encodeURIComponent(await numberE164(w, o))}&to=%2B12125550100`,
    }),
  },
  'POST /stir/v1/attestation/batch': {
    kind: 'owned',
    make: async (w, o) => ({ headers: stirAs(o), json: { numbers: [await numberE164(w, o)] } }),
  },
  'POST /stir/v1/signing': {
    kind: 'owned',
    make: async (w, o) => ({
      headers: stirAs(o),
      json: {
        signingRequest: {
          attest: 'C',
          orig: { tn: (await numberE164(w, o)).slice(1) },
          dest: { tn: ['12125550100'] },
          iat: Math.floor(Date.now() / 1000),
          origid: '123e4567-e89b-42d3-a456-426614174000',
        },
      },
    }),
  },
  'POST /stir/v1/verification': {
    kind: 'owned',
    make: async (_w, o) => ({
      headers: stirAs(o),
      json: {
        verificationRequest: {
          from: { tn: '12125550100' },
          to: { tn: ['12125550101'] },
          time: Math.floor(Date.now() / 1000),
          identity: 'not-a-passport;info=<https://example.com/x.pem>',
        },
      },
    }),
  },
  'GET /stir/v1/verification/policy': { kind: 'owned', make: async (_w, o) => ({ headers: stirAs(o) }) },
  'POST /stir/v1/verification/policy': {
    kind: 'owned',
    make: async (_w, o) => ({ headers: stirAs(o), json: { failureAction: 'continue', requireIdentity: false } }),
  },
  'GET /stir/v1/verification/stats': { kind: 'owned', make: async (_w, o) => ({ headers: stirAs(o) }) },
  'GET /stir/v1/calls/analytics': { kind: 'owned', make: async (_w, o) => ({ headers: stirAs(o) }) },
  'GET /stir/v1/calls': { kind: 'owned', make: async (_w, o) => ({ headers: stirAs(o) }) },
  // No X-Account-Sid: the record itself must be out of reach of another tenant and of a sub-account.
  'GET /stir/v1/calls/:': { kind: 'owned', make: async (w, o) => ({ params: [await callRecord(w, o)] }) },
}

/** A call record of `o`'s: a call it signs, found once the recorder has written it (every 500 ms). */
async function callRecord(w: World, o: Creds): Promise<string> {
  const rid = `walk-${++counter}`
  const r = await http(w.url, 'POST', '/stir/v1/signing', {
    auth: o,
    headers: { 'x-requestid': rid },
    json: {
      signingRequest: {
        attest: 'C',
        orig: { tn: '12125550100' },
        dest: { tn: ['12125550101'] },
        iat: Math.floor(Date.now() / 1000),
        origid: '123e4567-e89b-42d3-a456-426614174000',
      },
    },
  })
  if (r.status !== 200) throw new Error(`walk setup: signing → ${r.status} ${JSON.stringify(r.body)}`)
  for (let i = 0; i < 100; i++) {
    const list = await http(w.url, 'GET', '/stir/v1/calls?PageSize=20', { auth: o })
    const hit = (list.body.calls as Array<{ sid: string; request_id: string | null }>).find((c) => c.request_id === rid)
    if (hit) return hit.sid
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('walk setup: the call record was not written within 5 s')
}

/** A number placed on `o`, in E.164. */
async function numberE164(w: World, o: Creds): Promise<string> {
  const n = await stocked(w, freshNumber())
  await create(w, o, `${acct(o)}/IncomingPhoneNumbers.json`, { PhoneNumber: n })
  return n
}
