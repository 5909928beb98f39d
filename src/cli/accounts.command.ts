import { Command } from 'commander'
import { call, serverOptions } from './client.js'

/** `stirhub accounts create --name …` (operator). */
export function accountsCommand(): Command {
  const d = serverOptions()
  const cmd = new Command('accounts').description('manage top-level accounts (operator)')
  cmd
    .command('create')
    .requiredOption('--name <friendlyName>', "the account's friendly name")
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the whole JSON response')
    .action(async (o) => {
      if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
      const a = await call({ url: o.url, bearer: o.token }, 'POST', '/admin/v1/Accounts', { FriendlyName: o.name })
      if (o.json) console.log(JSON.stringify(a, null, 2))
      else console.log(`Account SID  ${a.sid}\nAuth token   ${a.auth_token}   (shown once)`)
    })
  return cmd
}
