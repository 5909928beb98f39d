/**
 * Value checks for end-user attributes: what a Trust Hub evaluation says about a field that is
 * present but wrong. Pure: no I/O. Allowed values come from Twilio's SHAKEN/STIR onboarding
 * guides (see `ALLOWED` in policies.ts); formats from the US registries they name.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { ALLOWED } from './policies.js'
import { CALL_REASON_MAX, DISPLAY_NAME_MAX, cnamProblem, displayTextProblem } from './brand-names.js'

/** Attributes of an end user or document, as stored (parsed JSON). */
export type Attributes = Readonly<Record<string, unknown>>

/**
 * The text of an attribute value as String() gives it (arrays joined by commas), except that
 * an object is always `[object Object]`: String() throws on `{"toString":1}`, which any client
 * can send. Nesting past a few levels has no text a check could want.
 */
function textOf(v: unknown, depth = 0): string {
  if (Array.isArray(v))
    return depth > 8 ? '' : v.map((x) => (x === null || x === undefined ? '' : textOf(x, depth + 1))).join(',')
  return v !== null && typeof v === 'object' ? '[object Object]' : String(v)
}

/** A list attribute arrives as an array or a comma-separated string (spec §1). */
export function listValue(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => textOf(x).trim()).filter((x) => x !== '')
  if (typeof v === 'string')
    return v
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '')
  return []
}

/** True when the attribute is absent or blank (an empty string or list counts as missing). */
export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return listValue(v).length === 0
  return false
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
// The IRS prints an EIN as NN-NNNNNNN; Twilio's guide also accepts the bare 9 digits.
const EIN = /^(\d{2}-\d{7}|\d{9})$/
// A D-U-N-S number is 9 digits (Dun & Bradstreet).
const DUNS = /^\d{9}$/

/** True for an absolute http(s) URL whose host has a dot (what a reviewer can open). */
export function isWebUrl(v: string): boolean {
  try {
    const u = new URL(v)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.')
  } catch {
    return false
  }
}

const oneOf =
  (allowed: readonly string[]) =>
  (v: unknown): string | null =>
    allowed.includes(textOf(v)) ? null : `must be one of: ${allowed.join(', ')} (got "${textOf(v)}")`

const unacceptable = (problem: string | null) => (problem ? `is not acceptable: ${problem}` : null)

/** Why a field's value is wrong, or null when it is acceptable. `all` gives cross-field context. */
type Check = (v: unknown, all: Attributes) => string | null

const CHECKS: Readonly<Record<string, Check>> = {
  business_identity: oneOf(ALLOWED.business_identity),
  business_type: oneOf(ALLOWED.business_type),
  business_industry: oneOf(ALLOWED.business_industry),
  business_registration_identifier: oneOf(ALLOWED.business_registration_identifier),
  job_position: oneOf(ALLOWED.job_position),
  business_regions_of_operation: (v) => {
    const bad = listValue(v).filter((x) => !(ALLOWED.business_regions_of_operation as readonly string[]).includes(x))
    return bad.length
      ? `contains unknown regions ${bad.join(', ')}; allowed: ${ALLOWED.business_regions_of_operation.join(', ')}`
      : null
  },
  business_registration_number: (v, all) => {
    const id = textOf(all.business_registration_identifier ?? '')
    const s = textOf(v).trim()
    if (id === 'EIN' && !EIN.test(s)) return `must be a US EIN in the form NN-NNNNNNN (got "${s}")`
    if (id === 'DUNS' && !DUNS.test(s)) return `must be a 9-digit D-U-N-S number (got "${s}")`
    return null
  },
  website_url: (v) =>
    isWebUrl(textOf(v)) ? null : `must be an http(s) URL such as https://example.com (got "${textOf(v)}")`,
  social_media_profile_urls: (v) => {
    const bad = listValue(v).filter((x) => !isWebUrl(x))
    return bad.length ? `must be http(s) URLs (bad: ${bad.join(', ')})` : null
  },
  email: (v) =>
    EMAIL.test(textOf(v)) ? null : `must be an email address such as jane@example.com (got "${textOf(v)}")`,
  branded_calls_display_name: (v) => unacceptable(displayTextProblem(textOf(v), DISPLAY_NAME_MAX)),
  // RFC 9795 icn: a URL the terminating side fetches. https is the logo check's rule (the
  // guarded fetcher's), where the operator's STIRHUB_LOGO_ALLOW can admit a lab's http host.
  branded_calls_logo_url: (v) => {
    const s = textOf(v).trim()
    return /^https?:\/\//i.test(s) && URL.canParse(s) && !/\s/.test(s)
      ? null
      : `must be an https URL of a PNG, JPEG or SVG image (got "${s}")`
  },
  branded_calls_call_reason: (v) => {
    const reasons = listValue(v)
    const problems = reasons.map((r) => displayTextProblem(r, CALL_REASON_MAX, `call reason "${r}"`)).filter((p) => p)
    if (new Set(reasons).size !== reasons.length) problems.push('a call reason is listed twice')
    return problems.length ? `is not acceptable: ${problems.join('; ')}` : null
  },
  cnam_display_name: (v) => unacceptable(cnamProblem(textOf(v))),
  phone_number: (v) => {
    const s = textOf(v).trim()
    // E.164 (ITU-T E.164 / Twilio): "+" then the country code, no spaces or punctuation.
    const p = /^\+[1-9]\d{6,14}$/.test(s) ? parsePhoneNumberFromString(s) : undefined
    return p?.isValid() ? null : `must be a valid E.164 number such as +14155550100 (got "${s}")`
  },
}

/** Why `field`'s (non-blank) value is unacceptable, or null. Fields without a rule accept any value. */
export function fieldProblem(field: string, value: unknown, all: Attributes): string | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return 'must be a string, not an object'
  // Own rules only: a field named `constructor` or `toString` is no rule of Object.prototype's.
  const check = Object.hasOwn(CHECKS, field) ? CHECKS[field] : undefined
  return check ? check(value, all) : null
}
