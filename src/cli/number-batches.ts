/**
 * Sending many numbers to a bulk admin route (placement on an account, the inventory) in
 * batches of 5,000, each its own transaction on the server. Progress goes to stderr as a single
 * self-overwriting line (one line per batch when stderr is not a terminal), the summary to
 * stdout: a dependency such as listr2 would add nothing for one counter.
 */

/** Numbers per request: half the server's 10,000 cap keeps each transaction short. */
export const BATCH = 5_000

interface Refusal {
  readonly phone_number: string
  readonly code: number
  readonly reason: string
}

/** A bulk route's answer: counters by name, and the refusals. */
export type BatchAnswer = Record<string, number> & { refused: Refusal[] }

/** Splits one CSV line into fields (RFC 4180 quoting; numbers files have no multi-line fields). */
export function csvFields(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out.map((f) => f.trim())
}

/**
 * The numbers in a file: a CSV whose header has a `phone_number` column, or one number per
 * line (blank lines and `#` comments skipped).
 */
export function numbersFromText(text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  if (lines.length === 0) return []
  const header = csvFields(lines[0]!).map((h) => h.toLowerCase())
  const col = header.indexOf('phone_number')
  if (col >= 0)
    return lines
      .slice(1)
      .map((l) => csvFields(l)[col] ?? '')
      .filter((n) => n !== '')
  if (header.length > 1) throw new Error('a CSV file needs a phone_number column (or give one number per line)')
  return lines.map((l) => csvFields(l)[0]!)
}

/** How a run names itself and its counters (`added`, `already_held` → "already held"…). */
export interface BatchLabels {
  readonly what: string
  /** Counter keys of the answer, in order, with the words the summary uses for them. */
  readonly counters: ReadonlyArray<readonly [string, string]>
}

function progress(l: BatchLabels, done: number, total: number, t: BatchAnswer, final: boolean) {
  const pct = total ? Math.floor((done / total) * 100) : 100
  const line = `${l.what}: ${done}/${total} (${pct}%)  ${l.counters.map(([k, words]) => `${words} ${t[k]}`).join('  ')}  refused ${t.refused.length}`
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${final ? '\n' : ''}`)
  else process.stderr.write(line + '\n')
}

/** Sends `numbers` through `send` in batches, showing progress; returns the summed answers. */
export async function sendInBatches(
  l: BatchLabels,
  numbers: readonly string[],
  send: (batch: string[]) => Promise<BatchAnswer>,
): Promise<BatchAnswer> {
  const totals = Object.assign(Object.fromEntries(l.counters.map(([k]) => [k, 0])), {
    refused: [] as Refusal[],
  }) as BatchAnswer
  for (let i = 0; i < numbers.length; i += BATCH) {
    const r = await send(numbers.slice(i, i + BATCH))
    for (const [k] of l.counters) (totals as Record<string, number>)[k] = (totals[k] as number) + (r[k] as number)
    totals.refused.push(...r.refused)
    progress(l, Math.min(i + BATCH, numbers.length), numbers.length, totals, i + BATCH >= numbers.length)
  }
  return totals
}

/** Prints the summary: one line of counts and the first 20 refusals (all of it as JSON with `json`). */
export function reportBatches(l: BatchLabels, t: BatchAnswer, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(t, null, 2))
    return
  }
  console.log(`${l.counters.map(([k, words]) => `${words} ${t[k]}`).join(', ')}, refused ${t.refused.length}`)
  for (const r of t.refused.slice(0, 20)) console.log(`  refused ${r.phone_number}: ${r.reason} (${r.code})`)
  if (t.refused.length > 20) console.log(`  … and ${t.refused.length - 20} more (use --json for all)`)
}
