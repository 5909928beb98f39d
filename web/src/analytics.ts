/** The inbound-calls analytics page's arithmetic: the signers table's order, top reasons, and words. */
import type { CallAnalytics } from '../../src/domain/call-analytics.js'

export type { CallAnalytics }
export type Signer = CallAnalytics['signers'][number]
export type AnalyticsWindow = CallAnalytics['window']

/** The windows offered, with their words. */
export const WINDOWS: ReadonlyArray<readonly [AnalyticsWindow, string]> = [
  ['24h', '24 hours'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
]

/** Columns the signers table sorts by. */
export type SignerColumn = 'spc' | 'total' | 'passed' | 'failed' | 'failed_a'

/** The signers ordered by `column` (numbers most first, SPCs A→Z unless `ascending` says otherwise), ties by SPC. */
export function sortSigners(signers: readonly Signer[], column: SignerColumn, ascending: boolean): Signer[] {
  const dir = ascending ? 1 : -1
  return [...signers].sort((a, b) => {
    const by = column === 'spc' ? a.spc.localeCompare(b.spc) : a[column] - b[column]
    return by * dir || a.spc.localeCompare(b.spc)
  })
}

/** A signer's most frequent failure reasons, most first (ties by name), at most `n`. */
export function topReasons(s: Signer, n = 3): [string, number][] {
  return Object.entries(s.reasons)
    .sort(([ra, a], [rb, b]) => b - a || ra.localeCompare(rb))
    .slice(0, n)
}

/** A signer as people read it: its SPC, or why none is known. */
export const signerName = (spc: string): string => (spc === '' ? 'Unknown (failed before the certificate)' : spc)

/** Percentage of `part` in `whole`, rounded ("—" when there is nothing to divide). */
export const percent = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${Math.round((100 * part) / whole)} %`
