/**
 * What the served OpenAPI document adds to the route schemas: each operation's real status
 * codes with their bodies (resource schemas on success, Twilio's error body or ATIS's
 * `requestError` on failure) and the media types each request body is accepted in. Built
 * here, over the document @fastify/swagger generates (`transformObject`), and never as route
 * `response` schemas: Fastify would serialize through those and drop undeclared members.
 */
import { ref, SCHEMAS, type Schema } from './openapi-schemas.js'
import { BUNDLE_RESOURCES } from './trusthub/bundles.presenter.js'

/** How one operation succeeds: its status, and its body (a component name, or a media type and schema). */
export interface OperationDoc {
  readonly status: 200 | 201 | 202 | 204
  readonly body?: string | { readonly media: string; readonly schema: Schema }
  /** The request body (a component name), for routes that parse their own (the ATIS ones). */
  readonly request?: string
  /** The request body's media types and schemas, where they are not the area's defaults. */
  readonly requestContent?: Readonly<Record<string, Schema>>
  /** Error statuses, when the area's defaults do not say them (see errorStatuses). */
  readonly errors?: readonly number[]
  /** Error statuses added to the area's defaults. */
  readonly alsoErrors?: readonly number[]
  /** Other media types the success answers in when asked with Accept (a CSV export). */
  readonly alsoMedia?: Readonly<Record<string, Schema>>
}

const ok = (body: string, more: Partial<OperationDoc> = {}): OperationDoc => ({ status: 200, body, ...more })
const created = (body: string, more: Partial<OperationDoc> = {}): OperationDoc => ({ status: 201, body, ...more })
const deleted = (more: Partial<OperationDoc> = {}): OperationDoc => ({ status: 204, ...more })
const raw = (media: string, schema: Schema, errors: readonly number[]): OperationDoc => ({
  status: 200,
  body: { media, schema },
  errors,
})

/** The Trust Hub bundle families' operations, from the same table the routes are built from. */
function bundleOperations(): Record<string, OperationDoc> {
  const out: Record<string, OperationDoc> = {}
  for (const r of BUNDLE_RESOURCES) {
    const name = r.path.slice(0, -1)
    const base = `/v1/${r.path}`
    Object.assign(out, {
      [`POST ${base}`]: created(name),
      [`GET ${base}`]: ok(`${name}List`),
      [`GET ${base}/{Sid}`]: ok(name),
      [`POST ${base}/{Sid}`]: ok(name),
      [`DELETE ${base}/{Sid}`]: deleted(),
    })
    for (const [child, schema] of [
      ['Evaluations', 'Evaluation'],
      ['EntityAssignments', 'EntityAssignment'],
      ['ChannelEndpointAssignments', 'ChannelEndpointAssignment'],
    ] as const) {
      const list = `${base}/{BundleSid}/${child}`
      Object.assign(out, {
        [`POST ${list}`]: created(`${name}${schema}`),
        [`GET ${list}`]: ok(`${name}${schema}List`),
        [`GET ${list}/{Sid}`]: ok(`${name}${schema}`),
      })
      if (child !== 'Evaluations') out[`DELETE ${list}/{Sid}`] = deleted()
    }
    const bulk = `${base}/{BundleSid}/ChannelEndpointAssignments/Bulk`
    out[`POST ${bulk}`] = {
      status: 202,
      body: `${name}BulkAssignment`,
      requestContent: { 'application/json': ref('BulkAssignmentRequest'), 'text/csv': { type: 'string' } },
    }
    out[`GET ${bulk}/{Sid}`] = ok(`${name}BulkAssignment`)
    Object.assign(out, {
      [`POST ${base}/{BundleSid}/Copies`]: created(name),
      [`GET ${base}/{BundleSid}/Copies`]: ok(`${name}List`),
      [`POST ${base}/{BundleSid}/ReplaceItems`]: created(name),
      [`GET ${base}/{BundleSid}/Checks`]: ok('BundleChecks'),
    })
  }
  return out
}

/** Create, list, fetch, update and delete of a Twilio resource at `list` (item path `item`). */
function crud(list: string, item: string, name: string): Record<string, OperationDoc> {
  return {
    [`POST ${list}`]: created(name),
    [`GET ${list}`]: ok(`${name}List`),
    [`GET ${item}`]: ok(name),
    [`POST ${item}`]: ok(name),
    [`DELETE ${item}`]: deleted(),
  }
}

const acct = '/2010-04-01/Accounts/{AccountSid}'
const operatorOnly = [401, 429, 503]
/** A reviewer's decision: a bundle not in the right status (400), claimed or decided by another reviewer (409). */
const decision = [400, 401, 404, 409, 413, 415, 429, 503]

/** A call-record search: JSON, or its CSV export. */
const CSV = { alsoMedia: { 'text/csv': { type: 'string' } } } as const

/** Every documented operation, keyed `METHOD /path` as the document writes it. */
export const OPERATIONS: Readonly<Record<string, OperationDoc>> = Object.freeze({
  'GET /healthz': ok('Health', { errors: [] }),
  'GET /readyz': ok('Readiness', { errors: [] }),
  'GET /metrics': raw('text/plain', { type: 'string' }, [401, 429]),
  'GET /certs/crl': raw('application/pkix-crl', { type: 'string', format: 'binary' }, [404]),
  'GET /certs/{file}': raw('application/x-pem-file', { type: 'string' }, [404, 503]),

  'POST /console/api/session': created('ConsoleSession', { errors: [400, 401, 403, 413, 415, 429, 503] }),
  'GET /console/api/session': ok('ConsoleSession', { errors: [401, 503] }),
  'DELETE /console/api/session': deleted({ errors: [403, 503] }),
  'GET /console/api/sessions': ok('ConsoleUserSessionList', { errors: [401, 503] }),
  'POST /console/api/accept-invitation': created('ConsoleSession', { errors: [400, 403, 413, 415, 429, 503] }),
  'POST /console/api/password-reset': {
    status: 202,
    body: 'PasswordResetRequested',
    errors: [400, 403, 413, 415, 429, 503],
  },
  'POST /console/api/password-reset/complete': deleted({ errors: [400, 403, 413, 415, 429, 503] }),
  'GET /console/api/users': ok('ConsoleUserList'),
  'POST /console/api/sso/start': ok('SsoStart', { errors: [400, 401, 403, 413, 415, 429, 502, 503] }),
  'POST /admin/v1/Accounts/{AccountSid}/Sso': ok('AccountSso'),
  'POST /admin/v1/Invitations': created('Invitation'),
  'POST /console/api/two-factor': ok('TwoFactorEnrolment', { errors: [401, 403, 503] }),
  'POST /console/api/two-factor/confirm': ok('RecoveryCodes', { errors: [400, 401, 403, 413, 415, 503] }),
  'DELETE /console/api/two-factor': deleted({ errors: [401, 403, 409, 503] }),
  'GET /console/api/account-security': ok('AccountSecurity'),
  'POST /console/api/account-security': ok('AccountSecurity'),
  'POST /console/api/invitations': created('Invitation'),
  'POST /console/api/users/{Sid}': ok('ConsoleUser', { alsoErrors: [409] }),
  'DELETE /console/api/users/{Sid}': deleted({ alsoErrors: [409] }),
  'POST /admin/v1/Accounts/{AccountSid}/Invitations': created('Invitation'),
  'DELETE /console/api/sessions/{Sid}': deleted({ errors: [400, 401, 403, 404, 503] }),
  'GET /console/api/allowed': ok('AllowedValues', { errors: [] }),
  'GET /console/api/stats': ok('ConsoleStats', { alsoErrors: [404] }),
  'GET /console/api/sub-accounts': ok('SubAccountList'),

  'GET /admin/v1/Accounts': ok('AdminAccountList', { errors: [400, ...operatorOnly] }),
  'POST /admin/v1/Accounts': created('Account', { errors: [400, ...operatorOnly, 413, 415] }),
  'POST /admin/v1/Accounts/{AccountSid}': ok('Account', { errors: [400, ...operatorOnly, 404, 413, 415] }),
  'POST /admin/v1/Bundles/{Sid}/Status': ok('Bundle', { errors: [400, ...operatorOnly, 404, 413, 415] }),
  'POST /admin/v1/Accounts/{AccountSid}/IncomingPhoneNumbers': ok('NumbersPlaced', {
    errors: [400, ...operatorOnly, 404, 413, 415],
  }),
  'POST /admin/v1/PhoneNumbers/{PhoneNumber}/Confirm': ok('NumberConfirmed', {
    errors: [400, ...operatorOnly, 404, 413, 415],
  }),
  'POST /admin/v1/PhoneNumberInventory': ok('InventoryImported', { errors: [400, ...operatorOnly, 413, 415] }),
  'GET /admin/v1/PhoneNumberInventory': ok('InventoryList', { errors: [400, ...operatorOnly] }),
  'DELETE /admin/v1/PhoneNumberInventory/{PhoneNumber}': deleted({ errors: [400, ...operatorOnly, 404, 409] }),
  'POST /admin/v1/Reviewers': created('ReviewerCreated'),
  'GET /admin/v1/Reviewers': ok('ReviewerList'),
  'POST /admin/v1/Reviewers/{Sid}/Token': ok('ReviewerToken'),
  'POST /admin/v1/Reviewers/{Sid}': ok('Reviewer'),
  'DELETE /admin/v1/Reviewers/{Sid}': deleted(),
  'POST /admin/v1/SipTrunks': created('SipTrunk', { alsoErrors: [409] }),
  'GET /admin/v1/SipTrunks': ok('SipTrunkList'),
  'GET /admin/v1/SipTrunks/{Sid}': ok('SipTrunk'),
  'POST /admin/v1/SipTrunks/{Sid}': ok('SipTrunk', { alsoErrors: [409] }),
  'DELETE /admin/v1/SipTrunks/{Sid}': deleted(),
  'GET /admin/v1/Reviews': ok('ReviewList', { errors: [400, 401, 429, 503] }),
  'GET /admin/v1/Reviews/{Sid}': ok('ReviewDetail', { errors: [401, 404, 429, 503] }),
  'POST /admin/v1/Reviews/{Sid}/Claim': ok('ReviewDetail', { errors: decision }),
  'POST /admin/v1/Reviews/{Sid}/Approve': ok('ReviewDetail', { errors: decision }),
  'POST /admin/v1/Reviews/{Sid}/Reject': ok('ReviewDetail', { errors: decision }),
  'GET /admin/v1/Metrics': ok('VettingMetrics', { errors: [401, 429, 503] }),
  'GET /admin/v1/Events': ok('StaffEventList'),
  'GET /admin/v1/Platform': ok('Platform'),
  'GET /admin/v1/calls/analytics': ok('CallAnalytics', { errors: [400, ...operatorOnly] }),
  'POST /admin/v1/traceback': ok('Traceback', { errors: [400, ...operatorOnly, 413, 415] }),
  'GET /admin/v1/calls': ok('CallRecordList', CSV),
  'GET /admin/v1/calls/{CallSid}': ok('CallRecord'),
  'GET /admin/v1/cnam.csv': raw('text/csv', { type: 'string' }, operatorOnly),
  'GET /v1/cnam/{E164}': ok('CnamLookup', { errors: [400, 401, 403, 404, 429, 503] }),

  'POST /stir/v1/signing': ok('SigningResponse', { request: 'SigningRequest' }),
  'GET /stir/v1/attestation': ok('AttestationDecision'),
  'POST /stir/v1/attestation/batch': ok('AttestationBatch', { request: 'AttestationBatchRequest' }),
  'POST /stir/v1/verification': ok('VerificationResponse', { request: 'VerificationRequest' }),
  'GET /stir/v1/verification/policy': ok('VerificationPolicy'),
  'POST /stir/v1/verification/policy': ok('VerificationPolicy', { request: 'VerificationPolicyUpdate' }),
  'GET /stir/v1/verification/stats': ok('VerificationStats'),
  'GET /stir/v1/calls/analytics': ok('CallAnalytics'),
  'GET /stir/v1/calls': ok('CallRecordList', CSV),
  'GET /stir/v1/calls/{CallSid}': ok('CallRecord'),

  'POST /2010-04-01/Accounts.json': created('Account'),
  'GET /2010-04-01/Accounts.json': ok('AccountList'),
  [`GET ${acct}.json`]: ok('Account'),
  [`POST ${acct}.json`]: ok('Account'),
  [`POST ${acct}/Keys.json`]: created('ApiKey'),
  [`GET ${acct}/Keys.json`]: ok('ApiKeyList'),
  [`GET ${acct}/Keys/{Sid}.json`]: ok('ApiKey'),
  [`DELETE ${acct}/Keys/{Sid}.json`]: deleted(),
  ...crud(`${acct}/IncomingPhoneNumbers.json`, `${acct}/IncomingPhoneNumbers/{Sid}.json`, 'IncomingPhoneNumber'),
  [`POST ${acct}/IncomingPhoneNumbers/Local.json`]: created('IncomingPhoneNumber'),
  [`POST ${acct}/IncomingPhoneNumbers/TollFree.json`]: created('IncomingPhoneNumber'),
  [`GET ${acct}/AvailablePhoneNumbers.json`]: ok('AvailablePhoneNumberCountryList'),
  [`GET ${acct}/AvailablePhoneNumbers/US.json`]: ok('AvailablePhoneNumberCountry'),
  [`GET ${acct}/AvailablePhoneNumbers/US/Local.json`]: ok('AvailablePhoneNumberList'),
  [`GET ${acct}/AvailablePhoneNumbers/US/TollFree.json`]: ok('AvailablePhoneNumberList'),
  ...crud(`${acct}/Addresses.json`, `${acct}/Addresses/{Sid}.json`, 'Address'),

  'POST /v2/HostedNumber/Orders': created('HostedNumberOrder'),
  'GET /v2/HostedNumber/Orders': ok('HostedNumberOrderList'),
  'GET /v2/HostedNumber/Orders/{Sid}': ok('HostedNumberOrder'),
  'DELETE /v2/HostedNumber/Orders/{Sid}': deleted(),
  'POST /v2/HostedNumber/AuthorizationDocuments': created('AuthorizationDocument'),
  'GET /v2/HostedNumber/AuthorizationDocuments': ok('AuthorizationDocumentList'),
  'GET /v2/HostedNumber/AuthorizationDocuments/{Sid}': ok('AuthorizationDocument'),
  'GET /v2/HostedNumber/AuthorizationDocuments/{SigningDocumentSid}/DependentHostedNumberOrders':
    ok('HostedNumberOrderList'),

  'GET /v1/Policies': ok('PolicyList'),
  'GET /v1/Policies/{Sid}': ok('Policy'),
  'GET /v1/EndUserTypes': ok('EndUserTypeList'),
  'GET /v1/EndUserTypes/{Sid}': ok('EndUserType'),
  'GET /v1/SupportingDocumentTypes': ok('SupportingDocumentTypeList'),
  'GET /v1/SupportingDocumentTypes/{Sid}': ok('SupportingDocumentType'),
  ...crud('/v1/EndUsers', '/v1/EndUsers/{Sid}', 'EndUser'),
  ...crud('/v1/SupportingDocuments', '/v1/SupportingDocuments/{Sid}', 'SupportingDocument'),
  ...bundleOperations(),
  'GET /v1/Events': ok('BundleEventList'),
  'POST /v1/AuthTokens/Secondary': created('SecondaryAuthToken'),
  'DELETE /v1/AuthTokens/Secondary': deleted({ alsoErrors: [404] }),
  'POST /v1/AuthTokens/Promote': ok('AuthTokenPromotion', { alsoErrors: [404] }),
})

type Area = 'twilio' | 'staff' | 'stir' | 'other'

function areaOf(path: string): Area {
  if (
    path.startsWith('/v1/') ||
    path.startsWith('/v2/') ||
    path.startsWith('/2010-04-01/') ||
    path === '/console/api/stats' ||
    path === '/console/api/sub-accounts'
  )
    return 'twilio'
  if (path.startsWith('/admin/')) return 'staff'
  if (path.startsWith('/stir/')) return 'stir'
  return 'other'
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string }>
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> }
  responses?: Record<string, unknown>
}

/**
 * The error statuses an operation of `area` can answer, from its shape: credentials (401, 403
 * for a suspended account or an operator-only action, 429 past a rate or failure limit), the
 * store (503), a path parameter (404), parameters or a body (400), a body (413, 415), and on
 * the Twilio routes the idempotency token of a POST or DELETE (409). The ATIS routes also
 * answer 411 to a POST without Content-Length.
 */
function errorStatuses(area: Area, method: string, op: OpenApiOperation): number[] {
  const has = (where: string) => (op.parameters ?? []).some((p) => p.in === where)
  const body = op.requestBody !== undefined || method === 'POST'
  const out = new Set([401, 403, 429, 503])
  if (has('path') || area === 'stir') out.add(404)
  if (has('query') || body || method === 'DELETE' || area === 'stir') out.add(400)
  if (body) {
    out.add(413)
    out.add(415)
  }
  if (area === 'twilio' && (method === 'POST' || method === 'DELETE')) out.add(409)
  if (area === 'stir' && method === 'POST') out.add(411)
  return [...out]
}

const SUCCESS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: a job runs; poll its url',
  204: 'Deleted: no body',
}
const FAILURE: Record<number, string> = {
  400: 'A parameter is missing or not valid (the body names it)',
  401: 'No credentials, or wrong ones',
  403: 'Authenticated but not allowed: a suspended account, an operator-only action, a missing CSRF token',
  404: "Not found, or another tenant's (never 403, so SIDs cannot be probed)",
  409: 'A request with this idempotency token is still running, the review is claimed by someone else, or another SIP trunk has the same source and trunk group',
  411: 'Content-Length is missing',
  413: 'The body is larger than the server takes',
  415: 'The body is not in a media type this route takes',
  429: 'Over a rate limit, or too many failed authentications: retry after Retry-After seconds',
  503: 'The store did not answer: retry after Retry-After seconds',
}

const json = (schema: Schema) => ({ 'application/json': { schema } })
const mediaOf = (m: Readonly<Record<string, Schema>>) =>
  Object.fromEntries(Object.entries(m).map(([media, schema]) => [media, { schema }]))

/** The `responses` object of one operation. */
function responsesOf(
  key: string,
  area: Area,
  method: string,
  op: OpenApiOperation,
  doc: OperationDoc,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const body =
    typeof doc.body === 'string'
      ? doc.body
        ? json(ref(doc.body))
        : undefined
      : doc.body
        ? { [doc.body.media]: { schema: doc.body.schema } }
        : undefined
  const content = body && doc.alsoMedia ? { ...body, ...mediaOf(doc.alsoMedia) } : body
  out[doc.status] = { description: SUCCESS[doc.status], ...(content ? { content } : {}) }
  const error = ref(area === 'stir' ? 'AtisError' : 'TwilioError')
  const statuses = [...new Set([...(doc.errors ?? errorStatuses(area, method, op)), ...(doc.alsoErrors ?? [])])].sort(
    (a, b) => a - b,
  )
  for (const s of statuses) out[s] = { description: FAILURE[s] ?? 'Error', content: json(error) }
  if (key === 'GET /readyz')
    out[503] = {
      description: 'The store does not answer, or a migration is not applied',
      content: json(ref('Readiness')),
    }
  return out
}

/**
 * Twilio and its SDK send forms; JSON is accepted too. Staff tools send JSON; forms are accepted too. ATIS routes
 * take JSON only, and so does the console's sign-in (a form post from another site is login CSRF).
 */
function requestBodyOf(
  area: Area,
  key: string,
  op: OpenApiOperation,
  doc: OperationDoc,
): OpenApiOperation['requestBody'] {
  if (area === 'stir') return doc.request ? { required: true, content: json(ref(doc.request)) } : undefined
  if (doc.requestContent)
    return {
      required: true,
      content: Object.fromEntries(Object.entries(doc.requestContent).map(([m, schema]) => [m, { schema }])),
    }
  if (!op.requestBody) return undefined
  const schema = Object.values(op.requestBody.content)[0]?.schema ?? {}
  if (JSON_ONLY.has(key)) return { ...op.requestBody, content: json(schema) }
  const form = { 'application/x-www-form-urlencoded': { schema } }
  return { ...op.requestBody, content: area === 'twilio' ? { ...form, ...json(schema) } : { ...json(schema), ...form } }
}

/** Console routes a page of this origin calls with JSON only (a form post from another site would be CSRF). */
const JSON_ONLY = new Set([
  'POST /console/api/session',
  'POST /console/api/accept-invitation',
  'POST /console/api/password-reset',
  'POST /console/api/password-reset/complete',
  'POST /console/api/sso/start',
])

const X_ACCOUNT_SID = {
  name: 'X-Account-Sid',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^AC[0-9a-fA-F]{32}$' },
  description:
    'The account the call is for: required with the operator token (an SBC signing for every account); with account credentials, optionally one of its sub-accounts',
}

/** @fastify/swagger `transformObject`: completes every operation of the generated document. */
export function completeOpenApi({
  openapiObject,
}: {
  openapiObject: Partial<Record<string, any>>
}): Record<string, any> {
  const doc = openapiObject as {
    paths: Record<string, Record<string, OpenApiOperation>>
    components: { schemas?: Record<string, unknown> }
  }
  doc.components.schemas = { ...doc.components.schemas, ...SCHEMAS }
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`
      const d = OPERATIONS[key]
      // An operation missing from the table keeps the generator's answer; a test lists them.
      if (!d) continue
      const area = areaOf(path)
      const requestBody = requestBodyOf(area, key, op, d)
      if (requestBody) op.requestBody = requestBody
      if (area === 'stir' && !(op.parameters ?? []).some((p) => p.name.toLowerCase() === 'x-account-sid'))
        op.parameters = [...(op.parameters ?? []), X_ACCOUNT_SID]
      op.responses = responsesOf(key, area, method.toUpperCase(), op, d)
    }
  }
  return doc
}
