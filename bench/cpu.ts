/**
 * CPU time of a process tree from /proc (Linux): what a server and its cluster workers spent,
 * so an HTTP rate can also be put per core the server used, apart from the load generator
 * and the rest of the machine on the same cores.
 */
import fs from 'node:fs'
import { execFileSync } from 'node:child_process'

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** User + system CPU seconds of `pid` and every live descendant. */
export function treeCpuSeconds(pid: number): number {
  const parent = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue
    }
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    parent.set(Number(name), Number(f[1]))
    ticks.set(Number(name), Number(f[11]) + Number(f[12]))
  }
  let total = 0
  const inTree = (p: number): boolean => {
    for (let q: number | undefined = p, hops = 0; q !== undefined && q > 1 && hops < 64; q = parent.get(q), hops++)
      if (q === pid) return true
    return false
  }
  for (const [p, t] of ticks) if (inTree(p)) total += t
  return total / TICKS
}
