/**
 * How branding names are compared and judged (docs/branding.md): the normalised form that
 * matches a display name to the legal name or a DBA (case, punctuation and legal suffixes do
 * not count), the confusable skeleton that finds look-alike brands (Unicode TR #39 idea,
 * folded to Latin: Cyrillic а/е/о, Greek ο, digit 0 for O, 1 for l), the edit distance the
 * reviewer sees, and the character rules of display names and CNAM caller names. Pure.
 */

/** Legal-form words dropped from the end of a name before comparing (Inc, LLC, Corp…). */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'pllc',
  'pc',
  'gmbh',
])

/** Control characters (C0, DEL, C1), bidi and zero-width format characters: never in a name shown on a phone. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u

/** True when `s` holds a control or invisible formatting character. */
export const hasControl = (s: string): boolean => CONTROL.test(s)

/**
 * Look-alikes folded to the Latin letter they imitate (a subset of Unicode's confusables.txt
 * for Cyrillic and Greek, plus the digit/letter pairs people misread). Applied after NFKC and
 * lower-casing, so full-width and mathematical letters are already plain.
 */
const CONFUSABLE: Readonly<Record<string, string>> = Object.freeze({
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  '0': 'o',
  '1': 'l',
  i: 'l',
  '|': 'l',
  '3': 'e',
  '5': 's',
  $: 's',
  '@': 'a',
})

/**
 * The comparable form of a name: NFKC, lower case, accents dropped, `&` read as "and",
 * punctuation and spaces collapsed, trailing legal suffixes removed ("Acme, Inc." → "acme").
 */
export function normaliseName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop()
  if (words[0] === 'the' && words.length > 1) words.shift()
  return words.join(' ')
}

/**
 * The confusable skeleton: the normalised name with look-alikes folded to one Latin letter and
 * spaces removed, so "Acmе Bank" (Cyrillic е), "ACME-BANK" and "Acrne Bank" read the same
 * ("rn" looks like "m").
 */
export function skeleton(name: string): string {
  const folded = [...normaliseName(name).replace(/ /g, '')].map((c) => CONFUSABLE[c] ?? c).join('')
  return folded.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd')
}

/** Levenshtein distance between `a` and `b` (by code point). */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const row = [i]
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[y.length]!
}

/**
 * Two brand names a person could take for one another: the same skeleton, or skeletons within
 * one edit of each other when both are long enough for one letter to be a typo, not a word.
 */
export function confusable(a: string, b: string): { readonly similar: boolean; readonly distance: number } {
  const sa = skeleton(a)
  const sb = skeleton(b)
  const distance = editDistance(sa, sb)
  return { similar: distance === 0 || (distance === 1 && Math.min(sa.length, sb.length) >= 5), distance }
}

/** Longest Branded Calls display name (RFC 9795 `nam`; Twilio's Enhanced Branded Calling shows 35). */
export const DISPLAY_NAME_MAX = 35
/** Longest call reason (Twilio's Enhanced Branded Calling: 64 characters). */
export const CALL_REASON_MAX = 64
/** Longest CNAM caller name (the LIDB/CNAM field is 15 characters). */
const CNAM_MAX = 15

/** Why a Branded Calls display name (or a call reason, `what`) is unacceptable, or null. */
export function displayTextProblem(s: string, max: number, what = 'display name'): string | null {
  if (hasControl(s)) return `the ${what} contains a control or invisible formatting character`
  if (s.trim() !== s) return `the ${what} starts or ends with a space`
  if ([...s].length > max) return `the ${what} has ${[...s].length} characters; at most ${max} are shown`
  if (!/\p{L}/u.test(s)) return `the ${what} has no letter`
  return null
}

/**
 * Why a CNAM caller name is unacceptable, or null: at most 15 characters of printable ASCII
 * that CNAM providers store (Twilio: begins with a letter; letters, digits, periods, commas and
 * spaces; stirhub also admits `&`, `-` and `'`, which LIDB providers carry).
 */
export function cnamProblem(s: string): string | null {
  if (hasControl(s)) return 'the caller name contains a control or invisible formatting character'
  if (s.length === 0) return 'the caller name is empty'
  if ([...s].length > CNAM_MAX) return `the caller name has ${[...s].length} characters; CNAM holds at most ${CNAM_MAX}`
  const bad = [...new Set([...s].filter((c) => !/[A-Za-z0-9 .,&'-]/.test(c)))]
  if (bad.length)
    return `the caller name contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; CNAM takes letters, digits, space and . , & ' -`
  if (!/^[A-Za-z]/.test(s)) return 'the caller name must begin with a letter'
  if (s.endsWith(' ')) return 'the caller name ends with a space'
  return null
}
