/**
 * How long a fetched x5u certificate stays cached (ATIS-1000074 §5.3.1, as quoted by
 * Asterisk): honour the HTTP caching headers, but never less than 24 h and never past the
 * certificate's notAfter. Failures are cached briefly so a bad URL cannot make every call
 * wait for a fetch.
 */

/** The 24 h floor. */
const CACHE_FLOOR_MS = 24 * 3600_000

/** Default time a failed fetch or validation is remembered. */
export const NEGATIVE_TTL_MS = 30_000

/** Seconds of freshness the response headers grant, or undefined when they grant none. */
function freshnessFromHeaders(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const cc = (headers['cache-control'] ?? '').toLowerCase()
  const m = /(?:^|[,\s])s-maxage\s*=\s*"?(\d+)/.exec(cc) ?? /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(cc)
  if (m) return Number(m[1])
  const exp = headers.expires ? Date.parse(headers.expires) : NaN
  if (Number.isFinite(exp)) return Math.max(0, Math.floor((exp - nowMs) / 1000))
  return undefined
}

/** Absolute expiry (ms) of a cache entry fetched at `nowMs` for a chain valid until `notAfterMs`. */
export function cacheExpiry(headers: Readonly<Record<string, string>>, nowMs: number, notAfterMs: number): number {
  const granted = (freshnessFromHeaders(headers, nowMs) ?? 0) * 1000
  // no-store / no-cache / short max-age all fall under the 24 h floor: the rule is a floor.
  return Math.min(nowMs + Math.max(granted, CACHE_FLOOR_MS), notAfterMs)
}
