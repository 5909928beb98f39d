/** Human words of the reviewer workspace: kinds, review statuses, check names, object types and field names. */
import { STEP_FIELDS } from '../../fields'

export const KIND_LABEL: Readonly<Record<string, string>> = {
  'customer-profile': 'Business profile',
  'trust-product': 'Trust product',
  'hosted-number-order': 'Hosted number',
}

export const REVIEW_STATUS: Readonly<Record<string, string>> = {
  'pending-review': 'Waiting',
  'in-review': 'In review',
  'twilio-approved': 'Approved',
  'twilio-rejected': 'Rejected',
  withdrawn: 'Withdrawn',
  draft: 'Draft',
}

export const CHECK_LABEL: Readonly<Record<string, string>> = {
  policy_requirements: 'Policy requirements met',
  registration_number_format: 'Registration number format',
  representative_phones: "Representatives' phone numbers",
  email_domain_matches_website: "Email domain matches the website's",
  us_address: 'US business address',
  duplicate_registration: 'Registration number not approved elsewhere',
  linked_profile_approved: 'Linked business profile approved',
  primary_profile_approved_isv: "ISV's primary profile approved",
  us_number: 'US number',
  number_not_ours_nor_held: 'Number not in our inventory nor held',
  loa_signer_is_representative: "LOA signed by the profile's representative",
  loa_address_matches_profile: "LOA address is the profile's",
  current_carrier_present: 'Current carrier named',
  brand_information: 'Branding information attached',
  brand_name_matches_business: "Name matches the business's legal name or DBA",
  brand_name_not_confusable: 'Name not confusable with another approved brand',
  brand_text: 'Display name and call reasons',
  cnam_characters: 'CNAM characters and length',
  brand_logo: 'Logo fetched and checked',
  brand_numbers_on_shaken_stir: 'Numbers on the SHAKEN/STIR product',
}

export const TYPE_LABEL: Readonly<Record<string, string>> = {
  customer_profile_business_information: 'Business information',
  authorized_representative_1: 'Authorized representative 1',
  authorized_representative_2: 'Authorized representative 2',
  customer_profile_address: 'Business address document',
  address: 'Address',
  bundle: 'Supporting bundle',
  branded_calls_information: 'Branded calls information',
  cnam_information: 'CNAM information',
}

const EXTRA_FIELDS: Readonly<Record<string, string>> = {
  friendly_name: 'Name',
  address_sids: 'Addresses',
  street_secondary: 'Street (line 2)',
  branded_calls_display_name: 'Display name',
  branded_calls_logo_url: 'Logo URL',
  branded_calls_call_reason: 'Call reasons',
  cnam_display_name: 'CNAM caller name',
  doing_business_as: 'Doing business as',
  sid: 'SID',
}

/** Field labels of the onboarding form, by attribute name. */
const FIELD_LABEL: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(STEP_FIELDS).flatMap((fs) => fs.map((f) => [f.name, f.label]))),
  ...EXTRA_FIELDS,
}

/** A field's human label (a name with underscores as words when none is known). */
export const fieldLabel = (name: string) => FIELD_LABEL[name] ?? sentence(name)

const ACRONYMS = new Set(['usa', 'us', 'ein', 'duns', 'ceo', 'cfo', 'cto', 'isv', 'loa', 'vp', 'gm', 'llc'])
const PROPER = new Set(['canada', 'mexico', 'europe', 'asia', 'africa', 'america', 'latin', 'oceania'])

/** `OIL_AND_GAS` → "Oil and gas", `usa_and_canada` → "USA and Canada". */
function sentence(s: string): string {
  return s
    .toLowerCase()
    .split('_')
    .map((w, i) =>
      ACRONYMS.has(w) ? w.toUpperCase() : i === 0 || PROPER.has(w) ? w.charAt(0).toUpperCase() + w.slice(1) : w,
    )
    .join(' ')
}

/** A stored value as words: enum-like values as a sentence, lists joined, nothing as a dash. */
export function humanValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.map(humanValue).join(', ')
  if (typeof v === 'string') return /^[A-Za-z]+(_[A-Za-z]+)+$|^[A-Z]{4,}$/.test(v) ? sentence(v) : v
  if (typeof v === 'boolean') return v ? 'Yes' : 'No'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** An ISO time as the reader's local date and time. */
export const localTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—')
