/**
 * Verification analytics per signer: which SPCs sign the calls an account (or the whole
 * platform) receives, at which claimed level, and how often their calls fail and why. Pure
 * shaping of the hourly `verification_counters` totals the store groups (call-analytics.repo.ts)
 * into the answer of `GET /stir/v1/calls/analytics` and `GET /admin/v1/calls/analytics`.
 */

/** The windows a caller may ask for; 24h is drawn per hour, the rest per day (UTC). */
export const ANALYTICS_WINDOWS = ['24h', '7d', '30d', '90d'] as const
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number]
export const DEFAULT_WINDOW: AnalyticsWindow = '7d'

export type AnalyticsBucket = 'hour' | 'day'

/** The levels a PASSporT may claim (ATIS-1000074 §5.2.3); calls claiming none count in no level. */
const LEVELS = ['A', 'B', 'C'] as const
type Level = (typeof LEVELS)[number]

/** Longest list of signers named by `top_failing` and `top_failed_a`. */
const TOP_SIGNERS = 10

/** The span a window covers: bucket keys in the counters' `hour` form, oldest first. */
export interface AnalyticsRange {
  readonly window: AnalyticsWindow
  readonly bucket: AnalyticsBucket
  /** Start of the first bucket and the time asked (ISO 8601, UTC). */
  readonly since: string
  readonly until: string
  /** First and last counter hours (`YYYY-MM-DDTHH`) inside the window, inclusive. */
  readonly fromHour: string
  readonly toHour: string
  /** Every bucket's key: `YYYY-MM-DDTHH` per hour, `YYYY-MM-DD` per day. */
  readonly keys: readonly string[]
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** The window's buckets ending with the one `now` falls in: 24 hours, or 7/30/90 UTC days. */
export function analyticsRange(window: AnalyticsWindow, now: Date): AnalyticsRange {
  const ms = now.getTime()
  const hourly = window === '24h'
  const step = hourly ? HOUR_MS : DAY_MS
  const count = hourly ? 24 : Number(window.slice(0, -1))
  const first = ms - (ms % step) - (count - 1) * step
  const keyLength = hourly ? 13 : 10
  const keys = Array.from({ length: count }, (_, i) => new Date(first + i * step).toISOString().slice(0, keyLength))
  return {
    window,
    bucket: hourly ? 'hour' : 'day',
    since: iso(first),
    until: iso(ms),
    fromHour: new Date(first).toISOString().slice(0, 13),
    toHour: now.toISOString().slice(0, 13),
    keys,
  }
}

/** Verifications per bucket and claimed level, passed and failed apart (grouped by the store). */
export interface SeriesCount {
  /** The bucket's key (see {@link AnalyticsRange.keys}). */
  readonly bucket: string
  readonly attest: string
  readonly passed: number
  readonly failed: number
}

/** Verifications per signer SPC ('' when the certificate was never reached), reason and claimed level. */
export interface SignerCount {
  readonly spc: string
  readonly reason: string
  readonly attest: string
  readonly count: number
}

interface SeriesPoint {
  /** Start of the bucket (ISO 8601, UTC). */
  readonly t: string
  readonly passed: number
  readonly failed: number
  readonly A: number
  readonly B: number
  readonly C: number
}

interface SignerStats {
  readonly spc: string
  readonly total: number
  readonly passed: number
  readonly failed: number
  /** Calls by the level their PASSporT claimed, passed or not. */
  readonly attest: Record<Level, number>
  /** Failed calls that claimed A: a signer vouching fully for calls that do not verify. */
  readonly failed_a: number
  /** Failed calls by reason (stir/vs/reasons.ts). */
  readonly reasons: Record<string, number>
}

/** The answer of the analytics routes. */
export interface CallAnalytics {
  readonly window: AnalyticsWindow
  readonly bucket: AnalyticsBucket
  readonly since: string
  readonly until: string
  readonly series: SeriesPoint[]
  readonly signers: SignerStats[]
  /** SPCs with the most failed calls, most first (unknown signers left out). */
  readonly top_failing: string[]
  /** SPCs with the most failed calls that claimed A, most first. */
  readonly top_failed_a: string[]
}

const isLevel = (a: string): a is Level => (LEVELS as readonly string[]).includes(a)

/** One point per bucket of the range, empty buckets included. */
function seriesOf(range: AnalyticsRange, counts: readonly SeriesCount[]): SeriesPoint[] {
  const points = new Map(range.keys.map((k) => [k, { passed: 0, failed: 0, A: 0, B: 0, C: 0 }]))
  for (const c of counts) {
    const p = points.get(c.bucket)
    if (!p) continue
    p.passed += c.passed
    p.failed += c.failed
    if (isLevel(c.attest)) p[c.attest] += c.passed + c.failed
  }
  const suffix = range.bucket === 'hour' ? ':00:00Z' : 'T00:00:00Z'
  return [...points].map(([k, p]) => ({ t: k + suffix, ...p }))
}

/** Per signer totals, most calls first. */
function signersOf(counts: readonly SignerCount[]): SignerStats[] {
  const by = new Map<string, { -readonly [K in keyof SignerStats]: SignerStats[K] }>()
  for (const c of counts) {
    let s = by.get(c.spc)
    if (!s) {
      s = { spc: c.spc, total: 0, passed: 0, failed: 0, attest: { A: 0, B: 0, C: 0 }, failed_a: 0, reasons: {} }
      by.set(c.spc, s)
    }
    s.total += c.count
    if (isLevel(c.attest)) s.attest[c.attest] += c.count
    if (c.reason === 'passed') {
      s.passed += c.count
      continue
    }
    s.failed += c.count
    if (c.attest === 'A') s.failed_a += c.count
    s.reasons[c.reason] = (s.reasons[c.reason] ?? 0) + c.count
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.spc.localeCompare(b.spc))
}

/** The known signers with `n > 0`, most first (ties by SPC), at most {@link TOP_SIGNERS}. */
function topBy(signers: readonly SignerStats[], n: (s: SignerStats) => number): string[] {
  return signers
    .filter((s) => s.spc !== '' && n(s) > 0)
    .sort((a, b) => n(b) - n(a) || a.spc.localeCompare(b.spc))
    .slice(0, TOP_SIGNERS)
    .map((s) => s.spc)
}

/** The analytics answer for a range from the store's grouped counts. */
export function callAnalytics(
  range: AnalyticsRange,
  series: readonly SeriesCount[],
  signerCounts: readonly SignerCount[],
): CallAnalytics {
  const signers = signersOf(signerCounts)
  return {
    window: range.window,
    bucket: range.bucket,
    since: range.since,
    until: range.until,
    series: seriesOf(range, series),
    signers,
    top_failing: topBy(signers, (s) => s.failed),
    top_failed_a: topBy(signers, (s) => s.failed_a),
  }
}
