/** Rows grouped by a key, each group in the rows' order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r)
    let g = out.get(k)
    if (!g) out.set(k, (g = []))
    g.push(r)
  }
  return out
}
