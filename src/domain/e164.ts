/**
 * E.164 parsing of the numbers the platform places on accounts (Twilio's `PhoneNumber`).
 * Validity comes from libphonenumber's full metadata; the result is the canonical `+<digits>`.
 */
import { parsePhoneNumberFromString, PhoneNumber, type E164Number } from 'libphonenumber-js/max'

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
