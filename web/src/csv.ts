/** Reads phone numbers or PN SIDs out of pasted CSV text (any column, any separator). */
export function parseCsv(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().replace(/^"|"$/g, ''))
        .filter((s) => /^\+\d{8,15}$/.test(s) || /^PN[0-9a-f]{32}$/.test(s)),
    ),
  ]
}
