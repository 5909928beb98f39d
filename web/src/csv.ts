/**
 * Pasted numbers as a list for a bulk assignment job: one per line or between commas and
 * semicolons, quotes stripped. Nothing is dropped but empty cells and a header first (a first
 * cell with no digit): the server reads each value as the API does (10 digits are +1) and
 * reports every one it refuses, with the reason.
 */
export function pastedList(text: string): string[] {
  const cells = text
    .split(/[\n\r,;]+/)
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean)
  return cells.length && !/\d/.test(cells[0]!) ? cells.slice(1) : cells
}
