/**
 * `stirhub users invite` (operator): invites a person to an account's console — its first
 * owner, usually. Calls the admin API of a running server; without SMTP configured there,
 * the link is printed once, to hand over.
 */
import { Command } from 'commander'
import { call, serverOptions } from './client.js'

type Opts = { url: string; token?: string; json?: boolean; account?: string; email: string; role: string }

export function usersCommand(): Command {
  const d = serverOptions()
  const cmd = new Command('users').description("people who sign in to an account's console (operator)")
  cmd
    .command('invite')
    .description(
      "invite a person to an account's console, or to the platform staff without --account (mailed, or the link printed once without SMTP)",
    )
    .option('--account <sid>', 'the account (AC…); without it, a staff member (--role reviewer or operator)')
    .requiredOption('--email <email>', "the person's email")
    .option('--role <role>', 'owner, compliance, developer or read-only; reviewer or operator for staff', 'owner')
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the whole JSON response')
    .action(async (o: Opts) => {
      if (!o.token) throw new Error('the operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
      const path = o.account ? `/admin/v1/Accounts/${o.account}/Invitations` : '/admin/v1/Invitations'
      const r = await call({ url: o.url, bearer: o.token }, 'POST', path, { Email: o.email, Role: o.role })
      if (o.json) return console.log(JSON.stringify(r, null, 2))
      const where = r.account_sid ? `of ${r.account_sid}` : 'of the platform staff'
      console.log(`Invited ${r.email} as ${r.role} ${where} (the link works once, until ${r.expires_at})`)
      if (r.sent) console.log('The invitation was mailed.')
      else console.log(`No SMTP server is configured: nothing was mailed. Hand this link over (shown once):\n${r.link}`)
    })
  return cmd
}
