/**
 * E.164 parsing of the numbers the platform places on accounts (Twilio's `PhoneNumber`) and of
 * the numbers calls name when they are signed, explained or verified ({@link parseTn}).
 * Validity comes from libphonenumber's full metadata; the result is the canonical `+<digits>`.
 */
import { parsePhoneNumberFromString, PhoneNumber, type E164Number } from 'libphonenumber-js/max'
import { errors } from './errors.js'

export type E164Result =
  | { readonly ok: true; readonly e164: string; readonly national: string }
  | { readonly ok: false; readonly reason: string }

/**
 * Parses `raw` as an international number. A leading `+` is required (E.164, ITU-T E.164 §6):
 * without a country code a number is ambiguous, and Twilio answers 21421 for it too.
 */
export function parseE164(raw: string): E164Result {
  const s = raw.trim()
  const quick = quickValid(s)
  if (quick) return { ok: true, e164: quick.number, national: display(quick.number, () => quick.formatInternational()) }
  if (!s.startsWith('+')) return { ok: false, reason: `${raw} is not in E.164 format (+ and country code)` }
  if (!/^\+[0-9 ().-]{4,24}$/.test(s)) return { ok: false, reason: `${raw} is not a phone number` }
  const p = parsePhoneNumberFromString(s)
  if (!p || !p.isValid()) return { ok: false, reason: `${raw} is not a valid phone number` }
  return { ok: true, e164: p.number, national: display(p.number, () => p.formatInternational()) }
}

/**
 * Twilio's default friendly name: NANP numbers as `(NPA) NXX-XXXX` (what formatNational gives
 * for +1, built directly because bulk placement formats thousands per call), others international.
 */
function display(e164: string, international: () => string): string {
  return /^\+1\d{10}$/.test(e164) ? `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}` : international()
}

/**
 * Fast path for input already in canonical E.164 (bulk imports send thousands per call): the
 * PhoneNumber constructor skips text extraction, about 4x cheaper than a full parse. It judges
 * a shared calling code (+1) by its main country's metadata, so a "not valid" here (e.g. a
 * Canadian number) is re-checked by the full parse; only "valid" answers are taken from it.
 */
function quickValid(s: string): PhoneNumber | undefined {
  if (!/^\+[1-9]\d{6,14}$/.test(s)) return undefined
  try {
    const p = new PhoneNumber(s as E164Number)
    return p.isValid() ? p : undefined
  } catch {
    return undefined
  }
}

/** A call's telephone number as decided by {@link parseTn}. */
export type TnResult =
  | {
      readonly ok: true
      /** The canonical TN of ATIS-1000074 / RFC 8224 §8.3: digits with the country code, no `+` (`12125550100`). */
      readonly tn: string
      /** The same number in E.164 (`+12125550100`), as numbers are held on accounts. */
      readonly e164: string
      /** Its ISO 3166 region (`US`, `CA`, `GB`…); undefined for non-geographic numbers. */
      readonly country: string | undefined
    }
  | { readonly ok: false; readonly reason: string }

/**
 * Decides the number a call names (a PASSporT's orig or dest, a SIP From or Request-URI, an
 * ATIS `from`/`to`) with the metadata {@link parseE164} places numbers with, so every spelling
 * of one number gets one answer:
 * - `+` and digits: the country code is given (E.164): `+1 (212) 555-0100`, `+442071838750`.
 * - 10 digits that make a valid NANP number: +1 (national form, as US SBCs and SIP trunks send
 *   it): `2125550100`. `12125550100` (NANP with its leading 1) is +1 already.
 * - other digits: the canonical form, country code first (`442071838750`); so are 10 digits
 *   that make no valid NANP number (`4532121212` is Danish).
 * - anything that is then not a valid number of its country is refused, with the reason.
 * `tel:` URIs (parameters dropped), RFC 3966 visual separators, spaces and `/` are allowed.
 */
export function parseTn(raw: string): TnResult {
  if (raw.length > TN_MAX_TEXT) return NOT_A_TN
  let r = tnMemo.get(raw)
  if (r === undefined) {
    r = Object.freeze(decideTn(raw))
    // A parse costs 3–10 µs, a tenth of an ES256 signature (stir-shaken.md §8): answers are
    // remembered (a pure function of `raw`), bounded, as the signing path asks again per call.
    if (tnMemo.size >= TN_MEMO_MAX) tnMemo.clear()
    tnMemo.set(raw, r)
  }
  return r
}
const tnMemo = new Map<string, TnResult>()
const TN_MEMO_MAX = 100_000
/** Longest text read as a number: `tel:+1-212-555-0100;phone-context=…` fits, a flood does not reach the memo. */
const TN_MAX_TEXT = 64
const NOT_A_TN: TnResult = Object.freeze({
  ok: false,
  reason: `not a telephone number (longer than ${TN_MAX_TEXT} characters)`,
})

/**
 * The regions of the NANP that are the US or its territories (ISO 3166 codes, as {@link parseTn}
 * gives them): all under the FCC's STIR/SHAKEN mandate (47 CFR 64.6301). +1 alone also covers
 * Canada and the Caribbean.
 */
const NANP_US_REGIONS: ReadonlySet<string> = new Set(['US', 'PR', 'VI', 'GU', 'AS', 'MP'])

/**
 * True when `tn` (canonical digits or E.164) is a valid number of one of the
 * {@link NANP_US_REGIONS}: a destination SHAKEN signs calls to ({@link parseTn}, which remembers
 * its answers).
 */
export function isUsNumber(tn: string): boolean {
  const r = parseTn(tn.charCodeAt(0) === 43 /* + */ ? tn : '+' + tn)
  return r.ok && r.country !== undefined && NANP_US_REGIONS.has(r.country)
}

/**
 * The canonical TN {@link parseTn} decides for `raw`; otherwise the catalogue's invalid-parameter
 * error naming `param` (SVC4005 over ATIS REST).
 */
export function requireTn(raw: unknown, param: string): string {
  const r = typeof raw === 'string' ? parseTn(raw) : undefined
  if (r?.ok) return r.tn
  throw errors.invalid(param, r ? r.reason : 'must be a telephone number')
}

/** True when `raw` is written as a telephone number (digits, an optional `+`, separators), valid or not. */
export function isTnSpelling(raw: string): boolean {
  return spelledDigits(raw) !== undefined
}

// RFC 3966 visual separators plus the space and slash people type.
const SEPARATORS = /[\s\-.()/]/g
const SPELLED = /^\+?[0-9]{1,20}$/

/** `raw` without its `tel:` scheme, parameters and separators: `+` and digits, or undefined. */
function spelledDigits(raw: string): string | undefined {
  if (raw.length > TN_MAX_TEXT) return undefined
  let s = raw.trim()
  if (/^tel:/i.test(s)) s = s.slice(4).split(';')[0]!
  s = s.replace(SEPARATORS, '')
  return SPELLED.test(s) ? s : undefined
}

function decideTn(raw: string): TnResult {
  const s = spelledDigits(raw)
  if (s === undefined)
    return {
      ok: false,
      reason: `${JSON.stringify(raw)} is not a telephone number (digits, with + and the country code or a 10-digit NANP number)`,
    }
  const shown = raw.trim()
  if (s.startsWith('+'))
    return judged(s) ?? { ok: false, reason: `${shown} is not a valid telephone number (read as ${s})` }
  const nanp = s.length === 10 ? judged('+1' + s) : undefined
  return (
    nanp ??
    judged('+' + s) ?? {
      ok: false,
      reason:
        s.length === 10
          ? `${shown} is not a valid telephone number (neither +1${s} nor +${s})`
          : `${shown} is not a valid telephone number (read as +${s}: country code first)`,
    }
  )
}

/** The number `plus` (`+` and digits) when libphonenumber holds it valid. */
function judged(plus: string): TnResult | undefined {
  // A valid answer from the fast path for +1 was judged by the US metadata (see quickValid).
  const quick = plus.startsWith('+1') ? quickValid(plus) : undefined
  if (quick) return { ok: true, tn: plus.slice(1), e164: quick.number, country: 'US' }
  if (!/^\+[1-9]/.test(plus)) return undefined
  const p = parsePhoneNumberFromString(plus)
  if (!p || !p.isValid()) return undefined
  return { ok: true, tn: p.number.slice(1), e164: p.number, country: p.country }
}
