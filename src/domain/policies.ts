/**
 * The read-only catalogue: end-user types, supporting-document types and policies. Policy
 * SIDs are Twilio's own (policy-sids.ts); type SIDs are derived from the machine name so they
 * are stable across installs.
 */
import { createHash } from 'node:crypto'
import { POLICY } from './policy-sids.js'

export { POLICY }

export type BundleKind = 'customer-profile' | 'trust-product'

interface FieldDef {
  readonly machine_name: string
  readonly friendly_name: string
  readonly constraint: 'String' | 'List'
  /** Not part of Twilio's shape: whether evaluation requires it. */
  readonly required: boolean
}

export interface TypeDef {
  readonly sid: string
  readonly machine_name: string
  readonly friendly_name: string
  readonly fields: readonly FieldDef[]
}

const typeSid = (machine: string) => 'OY' + createHash('md5').update(`stirhub:type:${machine}`).digest('hex')
const f = (
  machine_name: string,
  friendly_name: string,
  required = true,
  constraint: 'String' | 'List' = 'String',
): FieldDef => ({ machine_name, friendly_name, constraint, required })
const type = (machine_name: string, friendly_name: string, fields: FieldDef[]): TypeDef =>
  Object.freeze({ sid: typeSid(machine_name), machine_name, friendly_name, fields: Object.freeze(fields) })

const repFields = [
  f('first_name', 'First Name'),
  f('last_name', 'Last Name'),
  f('email', 'Email'),
  f('phone_number', 'Phone Number'),
  f('business_title', 'Business Title'),
  f('job_position', 'Job Position'),
]

export const END_USER_TYPES: readonly TypeDef[] = Object.freeze([
  type('customer_profile_business_information', 'Business Information', [
    f('business_name', 'Business Name'),
    f('business_identity', 'Business Identity'),
    f('business_type', 'Business Type'),
    f('business_industry', 'Business Industry'),
    f('business_registration_identifier', 'Business Registration ID Type'),
    f('business_registration_number', 'Business Registration Number'),
    f('business_regions_of_operation', 'Business Regions of Operations', true, 'List'),
    f('website_url', 'Website URL'),
    f('social_media_profile_urls', 'Social Media Profile URLs', false, 'List'),
  ]),
  type('authorized_representative_1', 'Authorized Representative 1', repFields),
  type('authorized_representative_2', 'Authorized Representative 2', repFields),
  // Twilio's Branded Calling end user (docs/branding.md): the display name, logo and call
  // reasons (RFC 9795 nam, icn, crn); doing_business_as is stirhub's, for a DBA the name may use.
  type('branded_calls_information', 'Branded Calls Information', [
    f('branded_calls_display_name', 'Display Name'),
    f('branded_calls_logo_url', 'Logo URL', false),
    f('branded_calls_call_reason', 'Call Reasons', false, 'List'),
    f('doing_business_as', 'Doing Business As', false, 'List'),
  ]),
  // Twilio's CNAM end user: the caller name (at most 15 characters).
  type('cnam_information', 'CNAM Information', [
    f('cnam_display_name', 'CNAM Display Name'),
    f('doing_business_as', 'Doing Business As', false, 'List'),
  ]),
])

export const SUPPORTING_DOCUMENT_TYPES: readonly TypeDef[] = Object.freeze([
  type('customer_profile_address', 'Physical Business Address', [f('address_sids', 'Address SIDs', true, 'List')]),
  type('government_issued_proof_of_authorized_representative', 'Government-issued proof of authorized representative', [
    f('first_name', 'First Name'),
    f('last_name', 'Last Name'),
    f('business_name', 'Business Name'),
  ]),
])

/** Allowed values for the business information fields (Twilio's SHAKEN/STIR guides). */
export const ALLOWED = Object.freeze({
  business_identity: ['direct_customer', 'isv_reseller_or_partner', 'unknown'],
  business_type: [
    'Sole Proprietorship',
    'Partnership',
    'Limited Liability Corporation',
    'Corporation',
    'Co-operative',
    'Limited Liability Partnership',
    'Non-profit',
  ],
  business_industry: [
    'AUTOMOTIVE',
    'AGRICULTURE',
    'BANKING',
    'CONSUMER',
    'EDUCATION',
    'ENGINEERING',
    'ENERGY',
    'OIL_AND_GAS',
    'FAST_MOVING_CONSUMER_GOODS',
    'FINANCIAL',
    'FINTECH',
    'FOOD_AND_BEVERAGE',
    'GOVERNMENT',
    'HEALTHCARE',
    'HOSPITALITY',
    'INSURANCE',
    'LEGAL',
    'MANUFACTURING',
    'MEDIA',
    'ONLINE',
    'RAW_MATERIALS',
    'REAL_ESTATE',
    'RELIGION',
    'RETAIL',
    'JEWELRY',
    'TECHNOLOGY',
    'TELECOMMUNICATIONS',
    'TRANSPORTATION',
    'TRAVEL',
    'ELECTRONICS',
    'NOT_FOR_PROFIT',
  ],
  business_registration_identifier: ['EIN', 'DUNS', 'CCN', 'CBN', 'CN', 'ACN', 'CIN', 'VAT', 'VATRN', 'RN', 'Other'],
  business_regions_of_operation: ['AFRICA', 'ASIA', 'EUROPE', 'LATIN_AMERICA', 'USA_AND_CANADA', 'AUSTRALIA'],
  job_position: ['Director', 'GM', 'VP', 'CEO', 'CFO', 'General Counsel', 'Other'],
} as const)

export interface EndUserRequirement {
  readonly type: string
  readonly name: string
  readonly required: boolean
}
export interface DocumentRequirement {
  readonly requirement_name: string
  readonly name: string
  readonly description: string
  readonly accepted: readonly string[]
}
/** The bundle types a supporting-bundle requirement may name. */
export type SupportingBundleType =
  | 'primary_customer_profile_type_business'
  | 'secondary_customer_profile_type_business'
  | 'shaken_stir_trust_product'

export interface BundleRequirement {
  readonly requirement_name: string
  readonly name: string
  readonly types: readonly SupportingBundleType[]
}

export interface PolicyDef {
  readonly sid: string
  readonly friendly_name: string
  readonly kind: BundleKind
  /** Machine name of the bundle type this policy makes (what a supporting-bundle requirement asks for). */
  readonly bundle_type: string
  readonly end_users: readonly EndUserRequirement[]
  readonly documents: readonly DocumentRequirement[]
  readonly bundles: readonly BundleRequirement[]
  /** Not part of Twilio's shape: the supporting bundles must be approved (and unexpired) to submit. */
  readonly approvedSupport?: boolean
}

/** The branding policies: their approval pins an approved_brands row (docs/branding.md). */
const BRANDING_POLICIES: readonly string[] = Object.freeze([POLICY.BRANDED_CALLS, POLICY.CNAM])
export const isBrandingPolicy = (sid: string) => BRANDING_POLICIES.includes(sid)

const profileEndUsers: EndUserRequirement[] = [
  { type: 'customer_profile_business_information', name: 'Business Information', required: true },
  { type: 'authorized_representative_1', name: 'Authorized Representative 1', required: true },
  // Rep #2 is optional in Twilio's guides: validated when attached, never required.
  { type: 'authorized_representative_2', name: 'Authorized Representative 2', required: false },
]
const addressDoc: DocumentRequirement = {
  requirement_name: 'customer_profile_address',
  name: 'Physical Business Address',
  description: 'Customer Profile HQ Physical Address',
  accepted: ['customer_profile_address'],
}

/**
 * What a branding product rests on: an approved business profile and an approved SHAKEN/STIR
 * trust product of that profile, whose numbers are the ones branded (as Twilio's Enhanced
 * Branded Calling rests on a Voice Integrity trust product).
 */
const brandingSupport: BundleRequirement[] = [
  {
    requirement_name: 'customer_profile',
    name: 'Customer Profile Bundle',
    types: ['primary_customer_profile_type_business', 'secondary_customer_profile_type_business'],
  },
  {
    requirement_name: 'shaken_stir_trust_product',
    name: 'SHAKEN/STIR Trust Product',
    types: ['shaken_stir_trust_product'],
  },
]

export const POLICIES: readonly PolicyDef[] = Object.freeze([
  {
    sid: POLICY.PRIMARY_PROFILE,
    friendly_name: 'Primary Customer Profile of type Business',
    kind: 'customer-profile',
    bundle_type: 'primary_customer_profile_type_business',
    end_users: profileEndUsers,
    documents: [addressDoc],
    bundles: [],
  },
  {
    sid: POLICY.SECONDARY_PROFILE,
    friendly_name: 'Secondary Customer Profile of type Business',
    kind: 'customer-profile',
    bundle_type: 'secondary_customer_profile_type_business',
    end_users: profileEndUsers,
    documents: [addressDoc],
    bundles: [
      {
        requirement_name: 'primary_customer_profile',
        name: 'Primary Customer Profile Bundle',
        types: ['primary_customer_profile_type_business'],
      },
    ],
  },
  {
    sid: POLICY.SHAKEN_STIR,
    friendly_name: 'SHAKEN/STIR Trust Product',
    kind: 'trust-product',
    bundle_type: 'shaken_stir_trust_product',
    end_users: [],
    documents: [],
    bundles: [
      {
        requirement_name: 'customer_profile',
        name: 'Customer Profile Bundle',
        types: ['primary_customer_profile_type_business', 'secondary_customer_profile_type_business'],
      },
    ],
  },
  {
    sid: POLICY.CNAM,
    friendly_name: 'CNAM Trust Product',
    kind: 'trust-product',
    bundle_type: 'cnam_trust_product',
    end_users: [{ type: 'cnam_information', name: 'CNAM Information', required: true }],
    documents: [],
    bundles: brandingSupport,
    approvedSupport: true,
  },
  {
    sid: POLICY.BRANDED_CALLS,
    friendly_name: 'Branded Calls Trust Product',
    kind: 'trust-product',
    bundle_type: 'branded_calls_trust_product',
    end_users: [{ type: 'branded_calls_information', name: 'Branded Calls Information', required: true }],
    documents: [],
    bundles: brandingSupport,
    approvedSupport: true,
  },
  {
    sid: POLICY.VOICE_INTEGRITY,
    friendly_name: 'Voice Integrity Trust Product',
    kind: 'trust-product',
    bundle_type: 'voice_integrity_trust_product',
    end_users: [],
    documents: [],
    bundles: [
      {
        requirement_name: 'customer_profile',
        name: 'Customer Profile Bundle',
        types: ['primary_customer_profile_type_business', 'secondary_customer_profile_type_business'],
      },
    ],
  },
] satisfies PolicyDef[])

export const findPolicy = (sid: string) => POLICIES.find((p) => p.sid === sid)
export const findEndUserType = (key: string) => END_USER_TYPES.find((t) => t.machine_name === key || t.sid === key)
export const findDocumentType = (key: string) =>
  SUPPORTING_DOCUMENT_TYPES.find((t) => t.machine_name === key || t.sid === key)

const TRUST_PRODUCT_SUPPORT = 'shaken_stir_trust_product'
const supporting = (p: PolicyDef, keep: (t: SupportingBundleType) => boolean) =>
  p.bundles.flatMap((b) =>
    b.types.filter(keep).map((type) => ({ type, name: b.name, requirement_name: b.requirement_name })),
  )

/**
 * Twilio's `requirements` object for a policy. A supporting-bundle requirement that several
 * bundle types satisfy is listed once per type under the same `requirement_name` (any one of
 * them meets it), as Twilio lists them.
 */
export function policyRequirements(p: PolicyDef) {
  const fieldsOf = (t: string) => (findEndUserType(t)?.fields ?? []).map((x) => x.machine_name)
  return {
    end_user: p.end_users.map((e) => ({
      url: `/EndUserTypes/${e.type}`,
      fields: fieldsOf(e.type),
      type: e.type,
      name: e.name,
      requirement_name: e.type,
    })),
    supporting_document:
      p.documents.length === 0
        ? [[]]
        : p.documents.map((d) => [
            {
              description: d.description,
              type: 'document',
              name: d.name,
              requirement_name: d.requirement_name,
              accepted_documents: d.accepted.map((a) => ({
                url: `/SupportingDocumentTypes/${a}`,
                fields: (findDocumentType(a)?.fields ?? []).map((x) => x.machine_name),
                type: a,
                name: findDocumentType(a)?.friendly_name ?? a,
              })),
            },
          ]),
    supporting_customer_profiles: supporting(p, (t) => t !== TRUST_PRODUCT_SUPPORT),
    supporting_trust_products: supporting(p, (t) => t === TRUST_PRODUCT_SUPPORT),
  }
}
