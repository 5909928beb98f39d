/** Plain-word explanations shown to customers and reviewers. */
import type { Reason } from '../../src/stir/vs/reasons.js'

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

/** Why a received call failed verification (stir/vs/reasons.ts), in a few plain words. */
const VERIFY_REASON_WORDS: Readonly<Record<Reason, string>> = {
  passed: 'Passed',
  identity_missing: 'No Identity header, and one is required',
  request_stale: 'The call reached us too late to check',
  identity_malformed: 'Identity header unreadable',
  compact_form: 'Compact form, which SHAKEN does not allow',
  identity_ppt_unsupported: 'Identity header is not SHAKEN',
  info_missing: 'No certificate address (info)',
  info_malformed: 'Certificate address is not an https URL',
  x5u_fetch_failed: 'Certificate could not be downloaded',
  x5u_forbidden: 'Certificate address not allowed',
  header_claim_missing: 'PASSporT header incomplete',
  header_malformed: 'PASSporT header unreadable',
  x5u_info_mismatch: 'Certificate address differs between header and PASSporT',
  typ_unsupported: 'Not a PASSporT (typ)',
  alg_unsupported: 'Signature algorithm not ES256',
  ppt_unsupported: 'PASSporT is not SHAKEN',
  claims_invalid: 'PASSporT claims missing or malformed',
  attest_invalid: 'Attestation level not A, B or C',
  cert_invalid: 'Certificate unreadable',
  cert_untrusted: 'Certificate not from a trusted STI-CA',
  cert_expired: 'Certificate expired',
  cert_not_yet_valid: 'Certificate not valid yet',
  cert_revoked: 'Certificate revoked',
  cert_profile: 'Certificate breaks the SHAKEN profile',
  cert_key_unsupported: 'Certificate key not P-256',
  signature_invalid: 'Signature does not match',
  iat_stale: 'Signed too long ago (or in the future)',
  orig_mismatch: 'Calling number differs from the signed one',
  dest_mismatch: 'Called number differs from the signed one',
  div_invalid: 'Call forwarding (div) PASSporT invalid',
  div_signature_invalid: 'Call forwarding (div) signature does not match',
}

/** A verification reason in words (its code, spaced, when this console does not know it). */
export const verifyReasonInWords = (r: string): string =>
  (VERIFY_REASON_WORDS as Readonly<Record<string, string>>)[r] ?? r.replace(/_/g, ' ')
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

/** A code in words when it has none of its own: cert_key_unsupported → "Cert key unsupported". */
export function codeInWords(code: string | null | undefined, words: Readonly<Record<string, string>>): string {
  if (!code) return '—'
  if (words[code]) return words[code]
  const s = code.replace(/[_-]/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}
