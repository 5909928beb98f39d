/**
 * `stirhub inventory add|import`: the operator adds its own numbers to the inventory customers
 * buy from (POST /admin/v1/PhoneNumberInventory), in batches of 5,000 with progress, as
 * `stirhub numbers import` places them (number-batches.ts).
 */
import fs from 'node:fs'
import { Command } from 'commander'
import { call, serverOptions } from './client.js'
import { BATCH, numbersFromText, reportBatches, sendInBatches, type BatchLabels } from './number-batches.js'

const LABELS: BatchLabels = {
  what: 'inventory',
  counters: [
    ['added', 'added'],
    ['already_present', 'already present'],
  ],
}

function withServer(cmd: Command): Command {
  const d = serverOptions()
  return cmd
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the summary as JSON (every refusal included)')
}

async function run(o: { url: string; token?: string; json?: boolean }, numbers: string[]) {
  if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
  if (numbers.length === 0) throw new Error('no phone numbers given')
  const totals = await sendInBatches(LABELS, numbers, (batch) =>
    call({ url: o.url, bearer: o.token }, 'POST', '/admin/v1/PhoneNumberInventory', { PhoneNumbers: batch }),
  )
  reportBatches(LABELS, totals, Boolean(o.json))
}

/** `stirhub inventory add|import` (operator). */
export function inventoryCommand(): Command {
  const cmd = new Command('inventory').description("the operator's numbers that customers buy (AvailablePhoneNumbers)")
  withServer(
    cmd
      .command('add')
      .description('add the given E.164 numbers to the inventory')
      .argument('<numbers...>', 'E.164 numbers, e.g. +12025550123'),
  ).action(async (numbers: string[], o) => run(o, numbers))
  withServer(
    cmd
      .command('import')
      .description(`add the numbers of a CSV file (phone_number column, or one per line), ${BATCH} per request`)
      .argument('<file>', 'CSV or text file'),
  ).action(async (file: string, o) => run(o, numbersFromText(fs.readFileSync(file, 'utf8'))))
  return cmd
}
