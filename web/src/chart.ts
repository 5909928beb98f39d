/** The signed-calls chart's arithmetic: hourly UTC counters into local days, and the y axis ticks. */

/** One counter row of GET /console/api/stats: a UTC hour (`YYYY-MM-DDTHH`), a level, a count. */
export interface Count {
  readonly hour: string
  readonly attest: string
  readonly count: number
}

/** The levels the chart draws, bottom to top. */
export const LEVELS = ['A', 'B', 'C'] as const
type Level = (typeof LEVELS)[number]

export interface Day {
  /** Local midnight of the day. */
  readonly date: Date
  readonly A: number
  readonly B: number
  readonly C: number
}

const key = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`

/**
 * The last `days` local days up to `now`'s (oldest first, days without calls included), each
 * with its calls per level. A counter belongs to the local day its UTC hour starts in.
 */
export function dailyByLevel(counts: readonly Count[], days: number, now: Date): Day[] {
  const out = Array.from({ length: days }, (_, i) => {
    const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1 - i))
    return { date, A: 0, B: 0, C: 0 }
  })
  const byKey = new Map(out.map((d) => [key(d.date), d]))
  for (const c of counts) {
    if (!(LEVELS as readonly string[]).includes(c.attest)) continue
    const day = byKey.get(key(new Date(`${c.hour}:00:00Z`)))
    if (day) day[c.attest as Level] += c.count
  }
  return out
}

/** Round tick values from 0 to at least `max` (steps of 1, 2 or 5 × 10ⁿ; about five ticks). */
export function yTicks(max: number): number[] {
  if (max <= 0) return [0, 1]
  const rough = max / 4
  const pow = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow)
  const top = Math.ceil(max / step) * step
  return Array.from({ length: top / step + 1 }, (_, i) => i * step)
}

/** How often to label the x axis so labels stay about `minPx` apart: every n-th bar, counted from the latest. */
export function labelEvery(bars: number, plotWidth: number, minPx = 60): number {
  return Math.max(1, Math.ceil(bars / Math.max(2, Math.floor(plotWidth / minPx))))
}

/** The colours and words of the levels, shared by every chart that splits calls by level. */
export const LEVEL_COLORS: Readonly<Record<Level, string>> = { A: '#2b8a3e', B: '#e67700', C: '#c92a2a' }
export const LEVEL_WORDS: Readonly<Record<Level, string>> = { A: 'A — full', B: 'B — partial', C: 'C — gateway' }

/**
 * The x-axis label of an analytics bucket starting at `t` (ISO, UTC): an hour in the reader's
 * local time ("14:00"), or a UTC day ("Dec 6": the API counts whole UTC days).
 */
export function bucketLabel(t: string, bucket: 'hour' | 'day', locale?: string): string {
  const d = new Date(t)
  return bucket === 'hour'
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })
}

/** The same bucket in full, for tooltips and the text table ("Dec 6, 2026, 14:00" or "Dec 6, 2026"). */
export function bucketTitle(t: string, bucket: 'hour' | 'day', locale?: string): string {
  const d = new Date(t)
  return bucket === 'hour'
    ? d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
    : d.toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' })
}
