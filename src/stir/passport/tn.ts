/**
 * Canonical telephone numbers for PASSporT `orig.tn` / `dest.tn` (RFC 8224 §8.3): digits
 * only, country code included, no leading `+`, no visual separators.
 * `+1 (215) 555-0121` -> `12155550121`.
 */
import { errors } from '../../domain/errors.js'

/** Options for {@link canonicalTn}. */
export interface TnOptions {
  /**
   * Longest accepted number. E.164 allows 15 digits; some national plans (France, with
   * portability prefixes: OpenSIPS #3181/#3202) need more, so it is configurable.
   */
  readonly maxLength?: number
  /** Shortest accepted number (default 1). */
  readonly minLength?: number
}

/** E.164's maximum number length (ITU-T E.164 §6). */
const E164_MAX_DIGITS = 15

// RFC 3966 visual separators plus the space and slash people type.
const SEPARATORS = /[\s\-.()/]/g
const DIGITS = /^[0-9]+$/

/**
 * Returns the canonical form of `raw`, or `undefined` when it is not a telephone number
 * (letters, a second `+`, empty, too long or too short).
 */
export function tryCanonicalTn(raw: unknown, opts: TnOptions = {}): string | undefined {
  if (typeof raw !== 'string') return undefined
  const max = opts.maxLength ?? E164_MAX_DIGITS
  const min = opts.minLength ?? 1
  // Already canonical (every TN in a PASSporT, most in requests): no copy, one scan.
  if (DIGITS.test(raw)) return raw.length > max || raw.length < min ? undefined : raw
  let s = raw.trim()
  if (s.startsWith('tel:')) s = s.slice(4).split(';')[0] ?? ''
  s = s.replace(SEPARATORS, '')
  if (s.startsWith('+')) s = s.slice(1)
  if (!DIGITS.test(s)) return undefined
  if (s.length > max || s.length < min) return undefined
  return s
}

/** Like {@link tryCanonicalTn} but throws the catalogue's invalid-parameter error. */
export function canonicalTn(raw: unknown, opts: TnOptions & { readonly param?: string } = {}): string {
  const tn = tryCanonicalTn(raw, opts)
  if (tn === undefined) {
    throw errors.invalid(
      opts.param ?? 'tn',
      `${JSON.stringify(raw)} is not a telephone number (digits with an optional leading +, at most ${opts.maxLength ?? E164_MAX_DIGITS})`,
    )
  }
  return tn
}
