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
export interface BundleRequirement {
  readonly requirement_name: string
  readonly name: string
  readonly types: readonly ('primary_customer_profile_type_business' | 'secondary_customer_profile_type_business')[]
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
}

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
    supporting_customer_profiles: p.bundles.flatMap((b) =>
      b.types.map((type) => ({ type, name: b.name, requirement_name: b.requirement_name })),
    ),
    supporting_trust_products: [],
  }
}
