/**
 * `stirhub traceback --identity '<header>'` (or `--origid … --orig … --dest … --time …`): who
 * placed a call this platform signed, through the admin API of a running server
 * (POST /admin/v1/traceback, operator token).
 */
import { Command } from 'commander'
import { call, serverOptions } from './client.js'

interface Opts {
  readonly url: string
  readonly token?: string
  readonly json?: boolean
  readonly identity?: string
  readonly origid?: string
  readonly orig?: string
  readonly dest?: string
  readonly time?: string
}

export function tracebackCommand(): Command {
  const d = serverOptions()
  return new Command('traceback')
    .description('who placed a call this platform signed, and why it got its level (operator)')
    .option('--identity <header>', 'the Identity header value as received')
    .option('--origid <uuid>', "the PASSporT's origid (with --orig, --dest and --time)")
    .option('--orig <tn>', 'the calling number')
    .option('--dest <tn>', 'the called number')
    .option('--time <time>', 'when the call was made: ISO 8601, or NumericDate seconds')
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', 'operator token [STIRHUB_ADMIN_TOKEN]', d.token)
    .option('--json', 'print the whole JSON answer')
    .action(async (o: Opts) => {
      if (!o.token) throw new Error('an operator token is needed: --token or STIRHUB_ADMIN_TOKEN')
      const body =
        o.identity !== undefined
          ? { identity: o.identity }
          : { origid: o.origid, orig: o.orig, dest: o.dest, time: o.time }
      const answer = await call({ url: o.url, bearer: o.token }, 'POST', '/admin/v1/traceback', body)
      if (o.json) console.log(JSON.stringify(answer, null, 2))
      else console.log((await import('./traceback-text.js')).tracebackText(answer))
    })
}
