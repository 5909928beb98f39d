/**
 * `stirhub numbers add|import`: the operator places numbers on an account through the running
 * server's bulk route (POST /admin/v1/Accounts/:AccountSid/IncomingPhoneNumbers), in batches
 * of 5,000, each its own transaction. Progress goes to stderr, the summary to stdout.
 *
 * The progress display is a single self-overwriting line (one line per batch when stderr is
 * not a terminal): a dependency such as listr2 would add nothing for one counter.
 */
import fs from 'node:fs'
import { Command } from 'commander'
import { call, serverOptions } from './client.js'

/** Numbers per request: half the server's 10,000 cap keeps each transaction short. */
const BATCH = 5_000

interface Refusal { readonly phone_number: string; readonly code: number; readonly reason: string }
interface Totals { added: number; already_held: number; refused: Refusal[] }

/** Splits one CSV line into fields (RFC 4180 quoting; numbers files have no multi-line fields). */
export function csvFields(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++ } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { out.push(cur); cur = '' } else cur += ch
  }
  out.push(cur)
  return out.map((f) => f.trim())
}

/**
 * The numbers in a file: a CSV whose header has a `phone_number` column, or one number per
 * line (blank lines and `#` comments skipped).
 */
export function numbersFromText(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'))
  if (lines.length === 0) return []
  const header = csvFields(lines[0]!).map((h) => h.toLowerCase())
  const col = header.indexOf('phone_number')
  if (col >= 0) return lines.slice(1).map((l) => csvFields(l)[col] ?? '').filter((n) => n !== '')
  if (header.length > 1) throw new Error('a CSV file needs a phone_number column (or give one number per line)')
  return lines.map((l) => csvFields(l)[0]!)
}

function progress(done: number, total: number, t: Totals, final = false) {
  const pct = total ? Math.floor((done / total) * 100) : 100
  const line = `numbers: ${done}/${total} (${pct}%)  added ${t.added}  already held ${t.already_held}  refused ${t.refused.length}`
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${final ? '\n' : ''}`)
  else process.stderr.write(line + '\n')
}

/** Sends `numbers` in batches and returns the totals. */
async function place(o: { url: string; token: string; account: string }, numbers: readonly string[]): Promise<Totals> {
  const totals: Totals = { added: 0, already_held: 0, refused: [] }
  const path = `/admin/v1/Accounts/${encodeURIComponent(o.account)}/IncomingPhoneNumbers`
  for (let i = 0; i < numbers.length; i += BATCH) {
    const batch = numbers.slice(i, i + BATCH)
    const r = await call({ url: o.url, bearer: o.token }, 'POST', path, { PhoneNumbers: batch })
    totals.added += r.added
    totals.already_held += r.already_held
    totals.refused.push(...r.refused)
    progress(Math.min(i + BATCH, numbers.length), numbers.length, totals, i + BATCH >= numbers.length)
  }
  return totals
}

function report(t: Totals, json: boolean) {
  if (json) { console.log(JSON.stringify(t, null, 2)); return }
  console.log(`added ${t.added}, already held ${t.already_held}, refused ${t.refused.length}`)
  for (const r of t.refused.slice(0, 20)) console.log(`  refused ${r.phone_number}: ${r.reason} (${r.code})`)
  if (t.refused.length > 20) console.log(`  … and ${t.refused.length - 20} more (use --json for all)`)
}

function withServer(cmd: Command): Command {
  const d = serverOptions()
  return cmd
    .requiredOption('--account <AccountSid>', 'the account that receives the numbers (AC…)')
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the summary as JSON (every refusal included)')
}

async function run(o: { account: string; url: string; token?: string; json?: boolean }, numbers: string[]) {
  if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
  if (numbers.length === 0) throw new Error('no phone numbers given')
  report(await place({ url: o.url, token: o.token, account: o.account }, numbers), Boolean(o.json))
}

/** `stirhub numbers add|import` (operator). */
export function numbersCommand(): Command {
  const cmd = new Command('numbers').description('place phone numbers on an account (operator)')
  withServer(cmd.command('add').description('place the given E.164 numbers on an account').argument('<numbers...>', 'E.164 numbers, e.g. +12025550123'))
    .action(async (numbers: string[], o) => run(o, numbers))
  withServer(cmd.command('import').description(`place the numbers of a CSV file (phone_number column, or one per line), ${BATCH} per request`).argument('<file>', 'CSV or text file'))
    .action(async (file: string, o) => run(o, numbersFromText(fs.readFileSync(file, 'utf8'))))
  return cmd
}
