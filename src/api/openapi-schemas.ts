/**
 * The response bodies of the served OpenAPI document, as JSON Schema (2020-12, OpenAPI 3.1).
 * They describe what the presenters send; they are never given to Fastify as route response
 * schemas, which would serialize through them and drop any member they do not declare.
 * Twilio-shaped resources are exact (every member named, nothing else), so a test that checks
 * real responses against the served document catches a presenter and a schema drifting apart.
 */
import { BUNDLE_STATUSES } from '../domain/bundle.js'
import { ANALYTICS_WINDOWS } from '../domain/call-analytics.js'
import { NUMBER_ORIGINS } from '../domain/number-origin.js'
import { DOCUMENT_STATUSES, ORDER_STATUSES } from '../domain/hosted-number.js'
import { END_USER_TYPES, POLICIES, SUPPORTING_DOCUMENT_TYPES } from '../domain/policies.js'
import { BUNDLE_RESOURCES, type BundleResource } from './trusthub/bundles.presenter.js'
import { DIV_STATUSES } from '../stir/vs/div-chain.js'

export type Schema = Readonly<Record<string, unknown>>

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
const str: Schema = { type: 'string' }
const int: Schema = { type: 'integer' }
const bool: Schema = { type: 'boolean' }
const any: Schema = {}
const uri: Schema = { type: 'string', format: 'uri' }
const dateTime: Schema = { type: 'string', format: 'date-time' }
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] })
const arr = (items: Schema): Schema => ({ type: 'array', items })
const oneOf = (...values: readonly (string | number | boolean)[]): Schema => ({ enum: [...values] })
const object: Schema = { type: 'object' }
const sid = (prefix: string): Schema => ({ type: 'string', pattern: `^${prefix}[0-9a-f]{32}$` })

/** An explained attestation decision's members (GET /stir/v1/attestation, and each of a batch's). */
const decision: Record<string, Schema> = {
  account_sid: sid('AC'),
  from: str,
  to: str,
  signed: bool,
  level: nullable(oneOf('A', 'B', 'C')),
  rule: oneOf('not-us-destination', 'full-attestation', 'partial-attestation', 'gateway-attestation'),
  reasons: arr(str),
  bundles: exact({ customer_profile_sid: nullable(sid('BU')), trust_product_sid: nullable(sid('BU')) }),
  missing_for_a: arr(str),
  missing_for_b: arr(str),
  origid: str,
  /** RFC 9795 Rich Call Data an A call from an approved Branded Calls number carries (docs/branding.md). */
  branding: exact({
    rcd: nullable(exact({ trust_product_sid: sid('BU'), nam: str, icn: nullable(str), call_reasons: arr(str) })),
    reasons: arr(str),
  }),
}

/** An object with exactly these members, all present unless listed as optional. */
function exact(props: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return {
    type: 'object',
    properties: props,
    required: Object.keys(props).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  }
}

/** An object with at least these members (operator views that grow with the product). */
function atLeast(props: Record<string, Schema>, optional: readonly string[] = []): Schema {
  return { type: 'object', properties: props, required: Object.keys(props).filter((k) => !optional.includes(k)) }
}

/** Twilio's v1 list envelope: the rows under `key`, and `meta`. */
const v1List = (key: string, item: string): Schema => exact({ [key]: arr(ref(item)), meta: ref('V1Meta') })

/** Twilio's 2010 list envelope: the rows under `key`, paging at the top level. */
const legacyList = (key: string, item: string): Schema =>
  exact({
    [key]: arr(ref(item)),
    first_page_uri: str,
    next_page_uri: nullable(str),
    previous_page_uri: nullable(str),
    page: int,
    page_size: int,
    start: int,
    end: int,
    uri: str,
  })

/** Twilio's 2010 dates: RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`). */
const rfc2822: Schema = {
  type: 'string',
  pattern: '^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$',
}

const errorSchemas: Record<string, Schema> = {
  TwilioError: exact({ code: int, message: str, more_info: uri, status: int, details: object }, ['details']),
  AtisError: exact({
    requestError: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: Object.fromEntries(
        ['serviceException', 'policyException'].map((k) => [
          k,
          exact({ messageId: str, text: str, variables: arr(str) }),
        ]),
      ),
    },
  }),
}

const twilio2010: Record<string, Schema> = {
  Account: exact({
    sid: sid('AC'),
    friendly_name: str,
    status: oneOf('active', 'suspended', 'closed'),
    type: oneOf('Full'),
    owner_account_sid: sid('AC'),
    auth_token: nullable(str),
    date_created: rfc2822,
    date_updated: rfc2822,
    uri: str,
    subresource_uris: exact({ addresses: str, incoming_phone_numbers: str, keys: str }),
  }),
  AccountList: legacyList('accounts', 'Account'),
  SecondaryAuthToken: exact({
    account_sid: sid('AC'),
    date_created: dateTime,
    date_updated: dateTime,
    secondary_auth_token: str,
    url: uri,
  }),
  AuthTokenPromotion: exact({
    account_sid: sid('AC'),
    auth_token: str,
    date_created: dateTime,
    date_updated: dateTime,
    url: uri,
  }),
  ApiKey: exact({ sid: sid('SK'), friendly_name: str, date_created: rfc2822, date_updated: rfc2822, secret: str }, [
    'secret',
  ]),
  ApiKeyList: legacyList('keys', 'ApiKey'),
  IncomingPhoneNumber: exact({
    sid: sid('PN'),
    account_sid: sid('AC'),
    phone_number: str,
    friendly_name: str,
    capabilities: exact({ voice: bool, sms: bool, mms: bool, fax: bool }),
    status: str,
    origin: oneOf('twilio', 'hosted'),
    right_to_use_origin: oneOf(...NUMBER_ORIGINS),
    type: str,
    beta: bool,
    api_version: str,
    address_sid: nullable(str),
    address_requirements: str,
    identity_sid: nullable(str),
    bundle_sid: nullable(str),
    trunk_sid: nullable(str),
    emergency_status: str,
    emergency_address_sid: nullable(str),
    emergency_address_status: str,
    status_callback: nullable(str),
    status_callback_method: str,
    sms_application_sid: nullable(str),
    sms_fallback_method: str,
    sms_fallback_url: nullable(str),
    sms_method: str,
    sms_url: nullable(str),
    voice_application_sid: nullable(str),
    voice_caller_id_lookup: bool,
    voice_fallback_method: str,
    voice_fallback_url: nullable(str),
    voice_method: str,
    voice_url: nullable(str),
    voice_receive_mode: str,
    date_created: rfc2822,
    date_updated: rfc2822,
    uri: str,
    subresource_uris: exact({ assigned_add_ons: str }),
  }),
  IncomingPhoneNumberList: legacyList('incoming_phone_numbers', 'IncomingPhoneNumber'),
  AvailablePhoneNumber: exact({
    friendly_name: str,
    phone_number: str,
    lata: nullable(str),
    locality: nullable(str),
    rate_center: nullable(str),
    latitude: nullable({ type: 'number' }),
    longitude: nullable({ type: 'number' }),
    region: nullable(str),
    postal_code: nullable(str),
    iso_country: oneOf('US'),
    address_requirements: str,
    beta: bool,
    capabilities: exact({ voice: bool, SMS: bool, MMS: bool }),
  }),
  AvailablePhoneNumberList: legacyList('available_phone_numbers', 'AvailablePhoneNumber'),
  AvailablePhoneNumberCountry: exact({
    country_code: oneOf('US'),
    country: str,
    uri: str,
    beta: bool,
    subresource_uris: exact({ local: str, toll_free: str }),
  }),
  AvailablePhoneNumberCountryList: exact({ countries: arr(ref('AvailablePhoneNumberCountry')), uri: str }),
  Address: exact({
    sid: sid('AD'),
    account_sid: sid('AC'),
    customer_name: str,
    friendly_name: nullable(str),
    street: str,
    street_secondary: nullable(str),
    city: str,
    region: str,
    postal_code: str,
    iso_country: str,
    emergency_enabled: bool,
    validated: bool,
    verified: bool,
    date_created: rfc2822,
    date_updated: rfc2822,
    uri: str,
  }),
  AddressList: legacyList('addresses', 'Address'),
}

/** Numbers v2 hosted numbers (Twilio's shapes plus the extensions named in docs/hosted-numbers.md). */
const hostedNumbers: Record<string, Schema> = {
  HostedNumberOrder: exact({
    sid: sid('HR'),
    account_sid: sid('AC'),
    incoming_phone_number_sid: nullable(sid('PN')),
    address_sid: sid('AD'),
    signing_document_sid: nullable(sid('PX')),
    phone_number: str,
    capabilities: exact({ voice: bool, sms: bool, mms: bool, fax: bool }),
    friendly_name: str,
    status: oneOf(...ORDER_STATUSES),
    failure_reason: nullable(str),
    date_created: dateTime,
    date_updated: dateTime,
    email: str,
    cc_emails: arr(str),
    url: uri,
    contact_title: nullable(str),
    contact_phone_number: str,
    bulk_hosting_request_sid: { type: 'null' },
    next_step: nullable(str),
    verification_attempts: int,
    verification_call_sids: arr(str),
    verification_call_delay: int,
    verification_call_extension: { type: 'null' },
    verification_code: { type: 'null' },
    verification_type: oneOf('phone-call'),
    contact_name: nullable(str),
    current_carrier: nullable(str),
    carrier_account_number: nullable(str),
  }),
  HostedNumberOrderList: v1List('items', 'HostedNumberOrder'),
  AuthorizationDocument: exact({
    sid: sid('PX'),
    address_sid: sid('AD'),
    status: oneOf(...DOCUMENT_STATUSES),
    email: str,
    cc_emails: arr(str),
    date_created: dateTime,
    date_updated: dateTime,
    url: uri,
    links: exact({ dependent_hosted_number_orders: uri }),
    account_sid: sid('AC'),
    contact_title: nullable(str),
    contact_phone_number: str,
    hosted_number_order_sids: arr(sid('HR')),
  }),
  AuthorizationDocumentList: v1List('items', 'AuthorizationDocument'),
}

const field = exact({ machine_name: str, friendly_name: str, constraint: oneOf('String', 'List') })
/** The bundle types a supporting-bundle requirement names, one per entry (never joined). */
const bundleType = oneOf(...new Set(POLICIES.map((p) => p.bundle_type)))
/** What an evaluation item is about: an end-user, document or bundle type. */
const objectType = oneOf(
  ...[...END_USER_TYPES, ...SUPPORTING_DOCUMENT_TYPES].map((t) => t.machine_name),
  ...new Set(POLICIES.map((p) => p.bundle_type)),
)
const catalog: Record<string, Schema> = {
  V1Meta: exact({
    page: int,
    page_size: int,
    first_page_url: uri,
    previous_page_url: nullable(uri),
    url: uri,
    next_page_url: nullable(uri),
    key: str,
  }),
  Policy: exact({
    sid: sid('RN'),
    friendly_name: str,
    url: uri,
    requirements: exact({
      end_user: arr(exact({ url: str, fields: arr(str), type: str, name: str, requirement_name: str })),
      supporting_document: arr(
        arr(
          exact({
            description: str,
            type: str,
            name: str,
            requirement_name: str,
            accepted_documents: arr(exact({ url: str, fields: arr(str), type: str, name: str })),
          }),
        ),
      ),
      supporting_customer_profiles: arr(exact({ type: bundleType, name: str, requirement_name: str })),
      supporting_trust_products: arr(exact({ type: bundleType, name: str, requirement_name: str })),
    }),
  }),
  PolicyList: v1List('results', 'Policy'),
  EndUserType: exact({ sid: sid('OY'), friendly_name: str, machine_name: str, fields: arr(field), url: uri }),
  EndUserTypeList: v1List('end_user_types', 'EndUserType'),
  SupportingDocumentType: exact({
    sid: sid('OY'),
    friendly_name: str,
    machine_name: str,
    fields: arr(field),
    url: uri,
  }),
  SupportingDocumentTypeList: v1List('supporting_document_types', 'SupportingDocumentType'),
  EndUser: exact({
    sid: sid('IT'),
    account_sid: sid('AC'),
    friendly_name: str,
    type: str,
    attributes: object,
    date_created: dateTime,
    date_updated: dateTime,
    url: uri,
  }),
  EndUserList: v1List('results', 'EndUser'),
  SupportingDocument: exact({
    sid: sid('RD'),
    account_sid: sid('AC'),
    friendly_name: str,
    type: str,
    mime_type: nullable(str),
    status: str,
    attributes: object,
    date_created: dateTime,
    date_updated: dateTime,
    url: uri,
  }),
  SupportingDocumentList: v1List('results', 'SupportingDocument'),
  EvaluationResult: exact({
    friendly_name: str,
    object_type: objectType,
    requirement_name: str,
    requirement_friendly_name: str,
    passed: bool,
    failure_reason: nullable(str),
    error_code: nullable(int),
    valid: arr(
      exact({
        friendly_name: str,
        object_field: str,
        passed: oneOf(true),
        failure_reason: { type: 'null' },
        error_code: { type: 'null' },
      }),
    ),
    invalid: arr(exact({ friendly_name: str, object_field: str, failure_reason: str, error_code: int })),
  }),
  BundleEvent: exact({
    sid: sid('EV'),
    account_sid: nullable(sid('AC')),
    resource_sid: nullable(str),
    type: str,
    actor: nullable(str),
    data: any,
    date_created: dateTime,
  }),
  BundleEventList: v1List('results', 'BundleEvent'),
  BulkAssignmentRequest: exact({ PhoneNumbers: { ...arr(str), minItems: 1, maxItems: 5000 }, AssignToProfile: bool }, [
    'AssignToProfile',
  ]),
}

/** The schemas of one bundle family (CustomerProfile… or TrustProduct…), which differ in link names and the child's parent field. */
function bundleSchemas(r: BundleResource): Record<string, Schema> {
  const name = r.path.slice(0, -1)
  const child = { [r.child]: sid('BU') }
  return {
    [name]: exact({
      sid: sid('BU'),
      account_sid: sid('AC'),
      policy_sid: sid('RN'),
      friendly_name: str,
      status: oneOf(...BUNDLE_STATUSES),
      valid_until: nullable(dateTime),
      email: str,
      status_callback: nullable(str),
      date_created: dateTime,
      date_updated: dateTime,
      url: uri,
      links: exact(
        Object.fromEntries(
          ['entity_assignments', 'evaluations', 'channel_endpoint_assignment'].map((l) => [`${r.links}_${l}`, uri]),
        ),
      ),
      errors: nullable(arr({ type: 'object', properties: { code: int }, required: ['code'] })),
    }),
    [`${name}List`]: v1List('results', name),
    [`${name}Evaluation`]: exact({
      sid: sid('EL'),
      account_sid: sid('AC'),
      policy_sid: sid('RN'),
      ...child,
      status: oneOf('compliant', 'noncompliant'),
      results: arr(ref('EvaluationResult')),
      date_created: dateTime,
      url: uri,
    }),
    [`${name}EvaluationList`]: v1List('results', `${name}Evaluation`),
    [`${name}EntityAssignment`]: exact({
      sid: sid('BV'),
      ...child,
      account_sid: sid('AC'),
      object_sid: str,
      date_created: dateTime,
      url: uri,
    }),
    [`${name}EntityAssignmentList`]: v1List('results', `${name}EntityAssignment`),
    [`${name}ChannelEndpointAssignment`]: exact({
      sid: sid('RA'),
      ...child,
      account_sid: sid('AC'),
      channel_endpoint_type: oneOf('phone-number'),
      channel_endpoint_sid: sid('PN'),
      date_created: dateTime,
      url: uri,
    }),
    [`${name}ChannelEndpointAssignmentList`]: v1List('results', `${name}ChannelEndpointAssignment`),
    [`${name}BulkAssignment`]: exact({
      sid: sid('BK'),
      ...child,
      account_sid: sid('AC'),
      status: oneOf('running', 'completed', 'failed'),
      total: int,
      done: int,
      assigned: int,
      already_assigned: int,
      refused: arr(exact({ line: int, value: str, reason: str })),
      date_created: dateTime,
      date_updated: dateTime,
      url: uri,
    }),
  }
}

const nullableDate = nullable(dateTime)
const reviewRow = {
  bundle_sid: { type: 'string', pattern: '^(BU|HR)[0-9a-f]{32}$' },
  kind: oneOf('customer-profile', 'trust-product', 'hosted-number-order'),
  account_sid: sid('AC'),
  parent_account_sid: nullable(sid('AC')),
  friendly_name: str,
  phone_number: nullable(str),
  status: str,
  submission: int,
  submitted_at: nullableDate,
  due_at: nullableDate,
  overdue: bool,
  claimed_by: nullable(str),
  claim_expires_at: nullableDate,
  decided_by: nullable(str),
  decided_at: nullableDate,
  errors: nullable(arr(object)),
  reason: nullable(str),
  valid_until: nullableDate,
  checks: nullable(arr(object)),
}
/** A branding product as checked (src/vetting/brand-view.ts): name comparison, fetched logo, pinned brand. */
const brandView = nullable(
  exact({
    kind: oneOf('branded_calls', 'cnam'),
    display_name: nullable(str),
    call_reasons: arr(str),
    doing_business_as: arr(str),
    legal_name: nullable(str),
    comparison: nullable(exact({ normalised_name: str, normalised_legal_name: str, distance: int })),
    logo_url: nullable(str),
    logo: nullable({
      anyOf: [
        exact({ error: str }),
        exact({
          type: nullable(oneOf('png', 'jpeg', 'svg')),
          width: nullable({ type: 'number' }),
          height: nullable({ type: 'number' }),
          bytes: int,
          digest: str,
          problems: arr(str),
          data_uri: nullable(str),
        }),
      ],
    }),
    pinned: nullable(
      exact({
        display_name: str,
        logo_url: nullable(str),
        logo_digest: nullable(str),
        call_reasons: arr(str),
        approved_at: dateTime,
      }),
    ),
  }),
)

/** What one review's detail adds for the staff member asking: the checks now and who holds it. */
const reviewFacts = {
  current_checks: nullable(arr(exact({ name: str, passed: bool, evidence: str }))),
  claimed_by_you: bool,
  claimed_by_name: nullable(str),
  decided_by_name: nullable(str),
}
const admin: Record<string, Schema> = {
  Bundle: { anyOf: [ref('CustomerProfile'), ref('TrustProduct')] },
  NumbersPlaced: exact({
    added: int,
    already_held: int,
    refused: arr(exact({ phone_number: str, code: int, reason: str })),
  }),
  NumberConfirmed: exact({
    sid: sid('PN'),
    account_sid: sid('AC'),
    phone_number: str,
    right_to_use_origin: oneOf(...NUMBER_ORIGINS),
    changed: bool,
  }),
  InventoryImported: exact({
    added: int,
    already_present: int,
    refused: arr(exact({ phone_number: str, code: int, reason: str })),
  }),
  InventoryNumber: exact({
    phone_number: str,
    area_code: str,
    type: oneOf('local', 'toll-free'),
    status: oneOf('available', 'held'),
    date_created: dateTime,
    date_updated: dateTime,
  }),
  InventoryList: v1List('results', 'InventoryNumber'),
  AdminAccount: exact({
    sid: sid('AC'),
    friendly_name: str,
    status: oneOf('active', 'suspended', 'closed'),
    parent_account_sid: nullable(sid('AC')),
    parent_friendly_name: nullable(str),
    sub_accounts: int,
    date_created: dateTime,
    date_updated: dateTime,
  }),
  AdminAccountList: v1List('results', 'AdminAccount'),
  ReviewerCreated: exact({ sid: sid('RV'), name: str, email: str, token: str, date_created: dateTime }),
  Reviewer: exact({
    sid: sid('RV'),
    name: str,
    email: str,
    status: oneOf('active', 'disabled'),
    date_created: dateTime,
    date_updated: dateTime,
  }),
  ReviewerList: exact({ results: arr(ref('Reviewer')) }),
  ReviewerToken: exact({
    sid: sid('RV'),
    name: str,
    email: str,
    status: oneOf('active', 'disabled'),
    date_created: dateTime,
    date_updated: dateTime,
    token: str,
  }),
  SipTrunk: exact({
    sid: sid('TK'),
    account_sid: sid('AC'),
    friendly_name: str,
    source_addresses: arr(str),
    trunk_group: nullable(str),
    date_created: dateTime,
    date_updated: dateTime,
    url: uri,
  }),
  SipTrunkList: v1List('results', 'SipTrunk'),
  Review: exact(reviewRow),
  ReviewList: v1List('results', 'Review'),
  ReviewDetail: { anyOf: [ref('BundleReviewDetail'), ref('HostedNumberOrderReviewDetail')] },
  HostedNumberOrderReviewDetail: atLeast({
    ...reviewRow,
    ...reviewFacts,
    order: object,
    address: nullable(object),
    profile: nullable(object),
    history: arr(object),
    events: arr(ref('StaffEvent')),
  }),
  BundleReviewDetail: atLeast({
    ...reviewRow,
    ...reviewFacts,
    brand: brandView,
    phone_numbers: arr(exact({ sid: sid('PN'), phone_number: str, friendly_name: nullable(str), origin: str })),
    resubmission_of: nullable(exact({ submission: int, status: str, decided_at: nullableDate, reason: nullable(str) })),
    changes_since_decision: nullable(arr(object)),
    bundle: object,
    end_users: arr(object),
    supporting_documents: arr(object),
    addresses: arr(object),
    linked_bundles: arr(object),
    revision_of: nullable(
      exact({ sid: sid('BU'), friendly_name: nullable(str), status: nullable(str), valid_until: nullableDate }),
    ),
    changes: nullable(
      arr(
        exact({
          object: oneOf('end_user', 'supporting_document', 'address', 'supporting_bundle'),
          type: str,
          field: str,
          before: any,
          after: any,
        }),
      ),
    ),
    evaluation: nullable(object),
    history: arr(object),
    events: arr(ref('StaffEvent')),
  }),
  VettingMetrics: exact({
    queue_depth: int,
    oldest_age_seconds: int,
    overdue: int,
    decisions: { type: 'object', additionalProperties: exact({ approved: int, rejected: int }) },
  }),
  StaffEvent: exact({
    sid: sid('EV'),
    account_sid: nullable(sid('AC')),
    resource_sid: nullable(str),
    type: str,
    actor: nullable(str),
    data: any,
    date_created: dateTime,
  }),
  StaffEventList: v1List('results', 'StaffEvent'),
  CnamLookup: exact({ phone_number: str, caller_name: str }),
  Platform: atLeast({
    mode: oneOf('development', 'production'),
    store: oneOf('sqlite', 'postgres'),
    signing_certificate: nullable(object),
    es256_signer: exact({ native: bool, detail: str }),
    http_fast_lane: bool,
    trust_anchors: arr(object),
    trust_list: nullable(object),
  }),
}

const tracedAccount = nullable(exact({ sid: sid('AC'), friendly_name: str, status: str }))
const postal = exact({
  sid: sid('AD'),
  customer_name: str,
  street: str,
  street_secondary: nullable(str),
  city: str,
  region: str,
  postal_code: str,
  iso_country: str,
})
const traceback: Record<string, Schema> = {
  Traceback: {
    anyOf: [
      exact({ signed_by_this_platform: oneOf(false), reason: str }),
      exact({
        signed_by_this_platform: nullable(oneOf(true)),
        found: bool,
        note: nullable(str),
        signature: nullable(
          exact({
            certificate_sid: sid('CR'),
            certificate_status: oneOf('active', 'retired'),
            spc: nullable(str),
            x5u: str,
            our_x5u: uri,
            identity_hash: str,
          }),
        ),
        claims: nullable(
          exact({
            ppt: oneOf('shaken', 'div'),
            attest: nullable(str),
            orig: str,
            dest: arr(str),
            iat: int,
            origid: nullable(str),
            div: nullable(str),
          }),
        ),
        searched: nullable(exact({ since: dateTime, until: dateTime })),
        calls: arr(ref('CallRecord')),
        account: tracedAccount,
        parent_account: tracedAccount,
        business_profile: nullable(
          exact({
            sid: sid('BU'),
            account_sid: sid('AC'),
            friendly_name: str,
            status: str,
            valid_until: nullableDate,
            contact_email: str,
            legal_name: nullable(str),
            registration_number: nullable(str),
            registration_type: nullable(str),
            business_type: nullable(str),
            website_url: nullable(str),
            addresses: arr(postal),
            authorized_representatives: arr(
              exact({
                first_name: nullable(str),
                last_name: nullable(str),
                business_title: nullable(str),
                job_position: nullable(str),
                email: nullable(str),
                phone_number: nullable(str),
              }),
            ),
          }),
        ),
        trust_product: nullable(exact({ sid: sid('BU'), friendly_name: str, status: str, valid_until: nullableDate })),
        number: nullable(
          exact({
            phone_number: str,
            origin_as_recorded: nullable(oneOf(...NUMBER_ORIGINS)),
            held: nullable(
              exact({
                sid: sid('PN'),
                account_sid: sid('AC'),
                origin: oneOf(...NUMBER_ORIGINS),
                date_created: dateTime,
              }),
            ),
            hosted_number_order: nullable(ref('HostedNumberOrder')),
            loa_address: nullable(postal),
            authorization_document: nullable(ref('AuthorizationDocument')),
          }),
        ),
        decision: nullable(
          exact({
            attest: nullable(oneOf('A', 'B', 'C')),
            rule: nullable(str),
            reasons: arr(str),
            profile_sid: nullable(sid('BU')),
            trust_product_sid: nullable(sid('BU')),
            number_origin: nullable(str),
          }),
        ),
      }),
    ],
  },
}

const tn = exact({ tn: str })
const stir: Record<string, Schema> = {
  SigningRequest: exact({
    signingRequest: exact(
      {
        ppt: oneOf('shaken', 'div'),
        attest: oneOf('A', 'B', 'C'),
        dest: exact({ tn: arr(str) }),
        iat: int,
        orig: tn,
        origid: str,
        div: tn,
        crn: str,
      },
      ['ppt', 'attest', 'origid', 'div', 'crn'],
    ),
  }),
  SigningResponse: exact({
    signingResponse: { anyOf: [exact({ identity: str }), exact({ reason: str, reasontext: str })] },
  }),
  VerificationRequest: exact({
    verificationRequest: exact(
      { from: tn, to: exact({ tn: arr(str) }), time: int, identity: str, div: exact({ tn: arr(str) }) },
      ['div'],
    ),
  }),
  VerificationResponse: exact({
    verificationResponse: exact(
      {
        verstat: str,
        reasoncode: int,
        reasontext: str,
        reasondesc: str,
        diversion: arr(
          exact(
            {
              from: nullable(str),
              to: arr(str),
              spc: nullable(str),
              status: oneOf(...DIV_STATUSES),
              detail: str,
            },
            ['detail'],
          ),
        ),
        rcd: exact({ nam: str, icn: str, crn: str }, ['nam', 'icn', 'crn']),
        rcdreason: oneOf('rcd_invalid', 'rcd_integrity_failed', 'rcd_icon_unavailable'),
        rcdreasondesc: str,
      },
      ['reasoncode', 'reasontext', 'reasondesc', 'diversion', 'rcd', 'rcdreason', 'rcdreasondesc'],
    ),
  }),
  AttestationDecision: exact(decision),
  AttestationBatchRequest: exact({ numbers: { ...arr(str), minItems: 1, maxItems: 1000 }, to: str }, ['to']),
  AttestationBatch: exact({
    account_sid: sid('AC'),
    to: str,
    results: arr({
      anyOf: [
        exact({ number: str, error: str }),
        exact({
          number: str,
          ...decision,
          assigned_to: arr(
            exact({
              sid: sid('BU'),
              kind: oneOf('customer-profile', 'trust-product'),
              friendly_name: str,
              status: str,
            }),
          ),
        }),
      ],
    }),
  }),
  VerificationPolicy: exact({ failureAction: oneOf('continue', 'reject', 'reason'), requireIdentity: bool }),
  VerificationPolicyUpdate: exact({ failureAction: oneOf('continue', 'reject', 'reason'), requireIdentity: bool }, [
    'failureAction',
    'requireIdentity',
  ]),
  VerificationStats: exact({ stats: arr(exact({ reason: str, spc: str, count: int })) }),
  CallAnalytics: exact({
    window: oneOf(...ANALYTICS_WINDOWS),
    bucket: oneOf('hour', 'day'),
    since: dateTime,
    until: dateTime,
    series: arr(exact({ t: dateTime, passed: int, failed: int, A: int, B: int, C: int })),
    signers: arr(
      exact({
        spc: str,
        total: int,
        passed: int,
        failed: int,
        attest: exact({ A: int, B: int, C: int }),
        failed_a: int,
        reasons: { type: 'object', additionalProperties: int },
      }),
    ),
    top_failing: arr(str),
    top_failed_a: arr(str),
  }),
}

/** Call records (GET /stir/v1/calls, GET /admin/v1/calls; src/api/calls/call.presenter.ts). */
const calls: Record<string, Schema> = {
  CallRecord: exact({
    sid: sid('CL'),
    date_created: dateTime,
    kind: oneOf('signed', 'verified'),
    ppt: oneOf('shaken', 'div'),
    account_sid: nullable(sid('AC')),
    parent_account_sid: nullable(sid('AC')),
    from: str,
    to: arr(str),
    attest: nullable(oneOf('A', 'B', 'C')),
    origid: nullable(str),
    transport: oneOf('rest', 'sip', 'cli'),
    request_id: nullable(str),
    identity_hash: nullable({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
    decision: nullable(
      exact({
        rule: nullable(str),
        reasons: arr(str),
        profile_sid: nullable(sid('BU')),
        trust_product_sid: nullable(sid('BU')),
        number_origin: nullable(oneOf(...NUMBER_ORIGINS)),
      }),
    ),
    verification: nullable(
      exact({
        verstat: nullable(str),
        reason: nullable(str),
        spc: nullable(str),
        cert_issuer: nullable(str),
        cert_serial: nullable(str),
        x5u_host: nullable(str),
      }),
    ),
    url: uri,
  }),
  CallRecordList: v1List('calls', 'CallRecord'),
}

const sessionCommon = { csrf_token: str, expires_at: dateTime, mail: bool }
const consoleAndOps: Record<string, Schema> = {
  ConsoleUser: exact({
    sid: sid('US'),
    account_sid: nullable(sid('AC')),
    email: str,
    role: oneOf('owner', 'compliance', 'developer', 'read-only', 'reviewer', 'operator'),
    status: oneOf('active', 'disabled'),
    two_factor: bool,
    date_created: dateTime,
    date_updated: dateTime,
  }),
  ConsoleSessionUser: exact({
    sid: sid('US'),
    account_sid: nullable(sid('AC')),
    email: str,
    role: oneOf('owner', 'compliance', 'developer', 'read-only', 'reviewer', 'operator'),
    status: oneOf('active', 'disabled'),
    two_factor: bool,
    must_enrol_two_factor: bool,
    date_created: dateTime,
    date_updated: dateTime,
  }),
  TwoFactorEnrolment: exact({ secret: str, otpauth_uri: str, qr_svg: str }),
  RecoveryCodes: exact({ recovery_codes: arr(str) }),
  AccountSecurity: exact({ account_sid: sid('AC'), require_two_factor: bool }),
  ConsoleUserSession: exact({
    sid: sid('SN'),
    browser: str,
    user_agent: str,
    ip: str,
    date_created: dateTime,
    last_seen: dateTime,
    expires_at: dateTime,
    current: bool,
  }),
  ConsoleUserSessionList: exact({ sessions: arr(ref('ConsoleUserSession')) }),
  Invitation: {
    type: 'object',
    additionalProperties: false,
    required: ['account_sid', 'email', 'role', 'expires_at', 'sent'],
    properties: {
      account_sid: nullable(sid('AC')),
      email: str,
      role: str,
      expires_at: dateTime,
      sent: bool,
      link: {
        type: 'string',
        description: 'Only when no SMTP server is configured: the link to hand over, shown once',
      },
    },
  },
  ConsoleUserList: exact({
    users: arr(ref('ConsoleUser')),
    invitations: arr(exact({ email: str, role: str, invited_by: str, date_created: dateTime, expires_at: dateTime })),
    mail: oneOf('configured', 'not-configured'),
  }),
  SsoStart: exact({ redirect: str }),
  AccountSso: exact({
    account_sid: sid('AC'),
    domain: str,
    issuer: str,
    client_id: str,
    default_role: oneOf('owner', 'compliance', 'developer', 'read-only'),
    redirect_uri: str,
  }),
  PasswordResetRequested: exact({ mail: oneOf('sent-if-known', 'not-configured') }),
  ConsoleSession: {
    anyOf: [
      exact({ kind: oneOf('admin'), role: oneOf('operator', 'reviewer'), ...sessionCommon }),
      exact({
        kind: oneOf('admin'),
        role: oneOf('operator', 'reviewer'),
        user: ref('ConsoleSessionUser'),
        ...sessionCommon,
      }),
      exact({
        kind: oneOf('account'),
        account_sid: sid('AC'),
        friendly_name: str,
        parent_account_sid: nullable(sid('AC')),
        via: oneOf('user'),
        sub_account_count: int,
        user: ref('ConsoleSessionUser'),
        ...sessionCommon,
      }),
      exact({
        kind: oneOf('account'),
        account_sid: sid('AC'),
        friendly_name: str,
        parent_account_sid: nullable(sid('AC')),
        via: str,
        sub_account_count: int,
        ...sessionCommon,
      }),
    ],
  },
  AllowedValues: exact({
    allowed: { type: 'object', additionalProperties: arr(str) },
    policies: { type: 'object', additionalProperties: sid('RN') },
  }),
  ConsoleStats: exact({
    from_hour: str,
    accounts: arr(
      exact({
        account_sid: sid('AC'),
        signing: arr(exact({ hour: str, attest: str, count: int })),
        verification: arr(exact({ reason: str, spc: str, count: int })),
      }),
    ),
  }),
  SubAccount: exact({ sid: sid('AC'), friendly_name: str, status: str, date_created: dateTime }),
  SubAccountList: v1List('sub_accounts', 'SubAccount'),
  BundleChecks: exact({
    bundle_sid: sid('BU'),
    checks: arr(exact({ name: str, passed: bool, evidence: str })),
    brand: brandView,
    url: str,
  }),
  Health: exact({ status: oneOf('ok') }),
  Readiness: exact({ status: oneOf('ready', 'unavailable'), store: oneOf('sqlite', 'postgres') }),
}

/** Every schema the document's `components.schemas` holds. */
export const SCHEMAS: Readonly<Record<string, Schema>> = Object.freeze({
  ...errorSchemas,
  ...twilio2010,
  ...hostedNumbers,
  ...catalog,
  ...Object.assign({}, ...BUNDLE_RESOURCES.map(bundleSchemas)),
  ...admin,
  ...stir,
  ...traceback,
  ...calls,
  ...consoleAndOps,
})
