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
