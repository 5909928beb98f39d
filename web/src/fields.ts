/**
 * The onboarding form: which fields each step asks for, their format hints (the vetting checks
 * themselves run in checks.ts, the server's evaluation is the authority), and the step each
 * evaluation `object_type` belongs to so its errors land next to the right field.
 */
export type StepKey = 'business' | 'rep' | 'address'

export interface FieldSpec {
  readonly name: string
  readonly label: string
  /** Key into the server's allowed values: rendered as a choice. */
  readonly choices?: string
  readonly multi?: boolean
  readonly optional?: boolean
  readonly hint?: string
  readonly check?: (v: string) => string | null
}

const email = (v: string) =>
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? null : 'Enter an email address like ann@example.com'
const url = (v: string) =>
  /^https?:\/\/[^\s.]+\.[^\s]+$/.test(v) ? null : 'Enter the website address, starting with https://'
const zip = (v: string) => (/^\d{5}(-\d{4})?$/.test(v) ? null : 'Enter a 5-digit ZIP code')

/** Words for allowed values that are codes (the submitted value stays the code). */
const VALUE_WORDS: Readonly<Record<string, string>> = {
  direct_customer: 'Direct customer (your own staff place the calls)',
  isv_reseller_or_partner: 'ISV, reseller or partner',
  unknown: 'Unknown',
  USA_AND_CANADA: 'USA & Canada',
  FAST_MOVING_CONSUMER_GOODS: 'Fast-moving consumer goods',
  FINTECH: 'Fintech',
}

/** The label of an allowed value: "HEALTHCARE" → "Healthcare", "OIL_AND_GAS" → "Oil & gas"; codes like EIN stay. */
export function optionLabel(field: string, value: string): string {
  const known = VALUE_WORDS[value]
  if (known) return known
  if (field !== 'business_industry' && field !== 'business_regions_of_operation') return value
  const words = value.toLowerCase().replace(/_and_/g, ' & ').replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const STEP_FIELDS: Readonly<Record<StepKey, readonly FieldSpec[]>> = {
  business: [
    { name: 'business_name', label: 'Legal business name' },
    {
      name: 'business_identity',
      label: 'Business identity',
      choices: 'business_identity',
    },
    { name: 'business_type', label: 'Business type', choices: 'business_type' },
    { name: 'business_industry', label: 'Industry', choices: 'business_industry' },
    {
      name: 'business_registration_identifier',
      label: 'Registration ID type',
      choices: 'business_registration_identifier',
      hint: 'EIN or DUNS for US businesses',
    },
    { name: 'business_registration_number', label: 'Registration number', hint: 'EIN as NN-NNNNNNN, DUNS as 9 digits' },
    {
      name: 'business_regions_of_operation',
      label: 'Regions of operation',
      choices: 'business_regions_of_operation',
      multi: true,
    },
    { name: 'website_url', label: 'Website', check: url },
    { name: 'social_media_profile_urls', label: 'Social media profile URLs', optional: true },
  ],
  rep: [
    { name: 'first_name', label: 'First name' },
    { name: 'last_name', label: 'Last name' },
    { name: 'email', label: 'Email', check: email, hint: "At the business website's domain" },
    { name: 'phone_number', label: 'Phone number', hint: 'With the country code, e.g. +1 415 523 8886' },
    { name: 'business_title', label: 'Business title' },
    { name: 'job_position', label: 'Job position', choices: 'job_position' },
  ],
  address: [
    { name: 'customer_name', label: 'Business name on the address' },
    { name: 'street', label: 'Street' },
    { name: 'city', label: 'City' },
    { name: 'region', label: 'State', hint: 'Two letters, e.g. CA' },
    { name: 'postal_code', label: 'ZIP code', check: zip },
    { name: 'iso_country', label: 'Country', hint: 'US' },
  ],
}

/** Which step an evaluation result's object type belongs to. */
export function stepOfObjectType(t: string): StepKey | undefined {
  if (t === 'customer_profile_business_information') return 'business'
  if (t.startsWith('authorized_representative')) return 'rep'
  if (t === 'customer_profile_address') return 'address'
  return undefined
}

export type Values = Record<string, string>

/** Browser-side check of one step: field name → message. */
export function checkStep(step: StepKey, v: Values): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of STEP_FIELDS[step]) {
    const x = (v[f.name] ?? '').trim()
    if (!x) {
      if (!f.optional) out[f.name] = `${f.label} is required`
      continue
    }
    const bad = f.check?.(x)
    if (bad) out[f.name] = bad
  }
  return out
}

/** Field errors from an evaluation, grouped by wizard step. */
export type FieldErrors = Partial<Record<StepKey | 'other', Record<string, string>>>

export interface Evaluation {
  status: 'compliant' | 'noncompliant'
  results: any[]
}

export function evaluationErrors(e: Evaluation): FieldErrors {
  const out: FieldErrors = {}
  for (const r of e.results ?? []) {
    if (r.passed) continue
    const step = stepOfObjectType(String(r.object_type ?? r.requirement_name ?? '')) ?? 'other'
    const bucket = (out[step] ??= {})
    for (const bad of r.invalid ?? []) bucket[bad.object_field] = bad.failure_reason ?? 'Not valid'
    if (!(r.invalid ?? []).length) bucket._ = r.failure_reason ?? `${r.requirement_friendly_name} is missing`
  }
  return out
}
