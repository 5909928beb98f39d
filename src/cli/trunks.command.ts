/**
 * `stirhub trunks add|list|update|remove` (operator): the SIP trunks whose account the SIP
 * signing front signs for, through the admin API of a running server (`/admin/v1/SipTrunks`).
 */
import { Command } from 'commander'
import { call, serverOptions } from './client.js'

type Opts = { url: string; token?: string; json?: boolean }

function withServer(cmd: Command): Command {
  const d = serverOptions()
  return cmd
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the whole JSON response')
}

function client(o: Opts) {
  if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
  return { url: o.url, bearer: o.token }
}

/** One line per trunk: SID, account, source addresses, trunk group, name. */
function line(t: any): string {
  return [
    t.sid,
    t.account_sid,
    t.source_addresses.join(','),
    t.trunk_group ? `tgrp=${t.trunk_group}` : 'no tgrp',
    t.friendly_name,
  ].join('  ')
}

const print = (t: any, json?: boolean) => console.log(json ? JSON.stringify(t, null, 2) : line(t))

/** `--source` may be given several times, each a CIDR or a comma-separated list. */
const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
]

export function trunksCommand(): Command {
  const cmd = new Command('trunks').description(
    'SIP trunks: the SIP signing front signs an INVITE for the account of the trunk it arrives on (operator)',
  )
  withServer(cmd.command('add').description('create a trunk'))
    .requiredOption('--account <accountSid>', 'the account its calls are signed for')
    .requiredOption(
      '--source <cidr>',
      'source address(es) of its SBC, IPv4 or IPv6 CIDR (repeat, or comma-separate)',
      collect,
    )
    .option('--name <friendlyName>', 'a name for it', 'SIP trunk')
    .option('--tgrp <label>', 'RFC 4904 trunk group that selects it among trunks sharing a source address')
    .action(async (o: Opts & { account: string; source: string[]; name: string; tgrp?: string }) => {
      print(
        await call(client(o), 'POST', '/admin/v1/SipTrunks', {
          FriendlyName: o.name,
          AccountSid: o.account,
          SourceAddresses: o.source,
          TrunkGroup: o.tgrp,
        }),
        o.json,
      )
    })
  withServer(cmd.command('list').description('every trunk, newest first'))
    .option('--account <accountSid>', "only this account's")
    .action(async (o: Opts & { account?: string }) => {
      const trunks: any[] = []
      let path: string | null =
        `/admin/v1/SipTrunks?${new URLSearchParams({ PageSize: '1000', ...(o.account ? { AccountSid: o.account } : {}) })}`
      while (path) {
        const page = await call(client(o), 'GET', path)
        trunks.push(...page.results)
        path = page.meta.next_page_url
          ? new URL(page.meta.next_page_url).pathname + new URL(page.meta.next_page_url).search
          : null
      }
      if (o.json) console.log(JSON.stringify(trunks, null, 2))
      else if (trunks.length === 0) console.log('no SIP trunks: the SIP signing front refuses every INVITE (403)')
      else for (const t of trunks) console.log(line(t))
    })
  withServer(
    cmd.command('update <trunkSid>').description('change a trunk (the options given); the next INVITE uses it'),
  )
    .option('--account <accountSid>', 'the account its calls are signed for')
    .option('--source <cidr>', 'replace its source addresses (repeat, or comma-separate)', collect)
    .option('--name <friendlyName>', 'a name for it')
    .option('--tgrp <label>', 'its trunk group ("" for none)')
    .action(async (sid: string, o: Opts & { account?: string; source?: string[]; name?: string; tgrp?: string }) => {
      print(
        await call(client(o), 'POST', `/admin/v1/SipTrunks/${sid}`, {
          FriendlyName: o.name,
          AccountSid: o.account,
          SourceAddresses: o.source,
          TrunkGroup: o.tgrp,
        }),
        o.json,
      )
    })
  withServer(
    cmd.command('remove <trunkSid>').description('delete a trunk: its INVITEs are refused (403) from the next one'),
  ).action(async (sid: string, o: Opts) => {
    await call(client(o), 'DELETE', `/admin/v1/SipTrunks/${sid}`)
    console.log(`${sid}  removed`)
  })
  return cmd
}
