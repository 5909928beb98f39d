/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field holding a comma, a quote or a line break
 * quoted, its quotes doubled), made safe to open in a spreadsheet: a field that starts with a
 * character a spreadsheet reads as a formula (`=`, `+`, `-`, `@`, tab, CR; after spaces too) is prefixed with a
 * `'` (OWASP "CSV injection"). An E.164 number (`+` and digits only) is no formula and is kept.
 */

// Leading spaces do not stop every spreadsheet from reading what follows as a formula.
const FORMULA_START = /^[ ]*[=+\-@\t\r]/
const E164 = /^\+[0-9]{1,15}$/
const NEEDS_QUOTES = /[",\r\n]/

/** One field, guarded and quoted as needed. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !E164.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** One record, CRLF-terminated. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`
}
