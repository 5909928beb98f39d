/**
 * `stirhub numbers add|import`: the operator places numbers on an account through the running
 * server's bulk route (POST /admin/v1/Accounts/:AccountSid/IncomingPhoneNumbers), in batches
 * of 5,000, each its own transaction, with progress (number-batches.ts). `stirhub numbers
 * confirm` vouches for numbers stored before origins existed (POST /admin/v1/PhoneNumbers/
 * {E164}/Confirm): their origin becomes `operator`, and they may reach A again.
 */
import fs from 'node:fs'
import { Command } from 'commander'
import { call, serverOptions } from './client.js'
import { BATCH, numbersFromText, reportBatches, sendInBatches, type BatchLabels } from './number-batches.js'

const LABELS: BatchLabels = {
  what: 'numbers',
  counters: [
    ['added', 'added'],
    ['already_held', 'already held'],
  ],
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
  const path = `/admin/v1/Accounts/${encodeURIComponent(o.account)}/IncomingPhoneNumbers`
  const totals = await sendInBatches(LABELS, numbers, (batch) =>
    call({ url: o.url, bearer: o.token }, 'POST', path, { PhoneNumbers: batch }),
  )
  reportBatches(LABELS, totals, Boolean(o.json))
}

/** Confirms each number in turn; a number no account holds is reported and makes the exit status 1. */
async function confirm(o: { url: string; token?: string }, numbers: string[]) {
  if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
  // The numbering plan's metadata is large: loaded when numbers are confirmed, not for `--help`.
  const { parseE164 } = await import('../domain/e164.js')
  let failed = 0
  for (const n of numbers) {
    try {
      const parsed = parseE164(n)
      if (!parsed.ok) throw new Error(parsed.reason)
      const r = await call(
        { url: o.url, bearer: o.token },
        'POST',
        `/admin/v1/PhoneNumbers/${encodeURIComponent(parsed.e164)}/Confirm`,
      )
      console.log(
        r.changed
          ? `confirmed ${r.phone_number} (${r.sid}, account ${r.account_sid}): origin operator`
          : `${r.phone_number} (${r.sid}) already has origin ${r.right_to_use_origin}`,
      )
    } catch (e) {
      failed++
      console.error(`${n}: ${(e as Error).message}`)
    }
  }
  if (failed) process.exitCode = 1
}

/** `stirhub numbers add|import` (operator). */
export function numbersCommand(): Command {
  const cmd = new Command('numbers').description('place phone numbers on an account (operator)')
  withServer(
    cmd
      .command('add')
      .description('place the given E.164 numbers on an account')
      .argument('<numbers...>', 'E.164 numbers, e.g. +12025550123'),
  ).action(async (numbers: string[], o) => run(o, numbers))
  withServer(
    cmd
      .command('import')
      .description(`place the numbers of a CSV file (phone_number column, or one per line), ${BATCH} per request`)
      .argument('<file>', 'CSV or text file'),
  ).action(async (file: string, o) => run(o, numbersFromText(fs.readFileSync(file, 'utf8'))))
  const d = serverOptions()
  cmd
    .command('confirm')
    .description('confirm the right to use numbers stored before origins existed (origin unverified → operator)')
    .argument('<numbers...>', 'E.164 numbers held by accounts')
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .action(async (numbers: string[], o) => confirm(o, numbers))
  return cmd
}
