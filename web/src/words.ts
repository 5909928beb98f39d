/** Plain-word explanations shown to customers and reviewers. */

/** Twilio's bundle rejection codes (trusthub-api spec §1), said as what to fix. */
export const REJECTION_CODES: Readonly<Record<number, string>> = {
  18601:
    'We could not match the business name to the website. Check both are the registered business name and its own site.',
  18602: 'We could not verify the business registration number (EIN/DUNS). Check the number and its type.',
  18603: 'We could not verify the business address. Use the registered US street address.',
  18604: 'We could not verify authorized representative #1. Check name, email and a +1 phone number.',
  18605: 'We could not verify authorized representative #2. Check name, email and a +1 phone number.',
  18606:
    "The representative's email domain does not match the website's domain. Use an address at the business's own domain.",
  18607: 'This profile is not eligible to be copied.',
  18608: 'This profile has already been copied.',
  18609: 'The business registration authority is not eligible. Use a US registration (EIN or DUNS).',
}

export function explainRejection(code: number): string {
  return REJECTION_CODES[code] ?? `Rejection code ${code}`
}

export const STATUS_WORDS: Readonly<Record<string, string>> = {
  draft: 'Draft — not submitted yet',
  'pending-review': 'Submitted — waiting for a reviewer',
  'in-review': 'In review',
  'twilio-approved': 'Approved',
  'twilio-rejected': 'Rejected — edit and resubmit',
}

export const STATUS_COLOR: Readonly<Record<string, string>> = {
  draft: 'gray',
  'pending-review': 'blue',
  'in-review': 'indigo',
  'twilio-approved': 'green',
  'twilio-rejected': 'red',
}

/** Allowed values people read differently from the wire (the rest: see valueInWords). */
const VALUE_WORDS: Readonly<Record<string, string>> = {
  USA_AND_CANADA: 'USA & Canada',
  direct_customer: 'Direct customer',
  isv_reseller_or_partner: 'ISV, reseller or partner',
  unknown: 'Unknown',
}

/** An allowed value in words: OIL_AND_GAS → "Oil and gas"; acronyms (EIN, CEO) stay. */
export function valueInWords(v: string): string {
  if (VALUE_WORDS[v]) return VALUE_WORDS[v]
  if (/^[A-Z0-9]+(_[A-Z0-9]+)+$/.test(v) || /^[A-Z]{5,}$/.test(v)) {
    const s = v.toLowerCase().replace(/_/g, ' ')
    return s.charAt(0).toUpperCase() + s.slice(1)
  }
  return v
}

/** A date in the reader's own locale and time zone ("" when absent). */
export const localDate = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : ''

/** A date and time in the reader's own locale and time zone. */
export const localDateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''

/** A bundle status in one or two words, for badges in tables and lists. */
export const STATUS_SHORT: Readonly<Record<string, string>> = {
  draft: 'Draft',
  'pending-review': 'Submitted',
  'in-review': 'In review',
  'twilio-approved': 'Approved',
  'twilio-rejected': 'Rejected',
}

/** The attestation engine's rules, and a recorded forwarded call's, said as what happened. */
export const RULE_WORDS: Readonly<Record<string, string>> = {
  'full-attestation': 'Level A: the calling number is yours and on an approved trust product',
  'partial-attestation': 'Level B: your business is approved, but this number is not on its trust product',
  'gateway-attestation': 'Level C: the call passed through us, but the caller is not verified',
  'not-us-destination': 'Not signed: the called number is outside the US',
  diversion: 'Forwarded call: signed again for its new destination',
}

/** Where a calling number's right to be used comes from. */
export const ORIGIN_WORDS: Readonly<Record<string, string>> = {
  inventory: "Bought from the operator's inventory",
  hosted: 'Hosted here, with a signed letter of authorization',
  operator: 'Placed on the account by the operator',
  unverified: 'Not verified',
}

/** A verification's outcome in words (the reason codes of the verification service). */
export const VERIFY_WORDS: Readonly<Record<string, string>> = {
  passed: 'Passed: the signature and certificate check out',
  identity_missing: 'The call carried no Identity header',
  request_stale: 'The verification request was too old',
  identity_malformed: 'The Identity header could not be read',
  x5u_fetch_failed: "The signer's certificate could not be fetched",
  x5u_forbidden: "The signer's certificate address is not allowed",
  cert_untrusted: "The signer's certificate is not from a trusted authority",
  cert_expired: "The signer's certificate has expired",
  cert_not_yet_valid: "The signer's certificate is not valid yet",
  cert_revoked: "The signer's certificate was revoked",
  signature_invalid: 'The signature does not match',
  iat_stale: 'The signature is too old or dated in the future',
  orig_mismatch: 'The signed calling number is not the calling number',
  dest_mismatch: 'The signed called number is not the called number',
}

/** A code in words when it has none of its own: cert_key_unsupported → "Cert key unsupported". */
export function codeInWords(code: string | null | undefined, words: Readonly<Record<string, string>>): string {
  if (!code) return '—'
  if (words[code]) return words[code]
  const s = code.replace(/[_-]/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}
