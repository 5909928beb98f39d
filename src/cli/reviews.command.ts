/**
 * `stirhub reviews list|show|claim|approve|reject` (a reviewer's queue from the shell: bundles
 * BU… and hosted-number orders HR…) and
 * `stirhub reviewers create|list|rotate|disable|enable` (operator). They call the admin API of a
 * running server.
 */
import { Command } from 'commander'
import { call, serverOptions } from './client.js'

type Opts = { url: string; token?: string; json?: boolean }

function withServer(cmd: Command, tokenHelp: string, token: string | undefined): Command {
  const d = serverOptions()
  return cmd
    .option('--url <url>', 'server URL [STIRHUB_URL]', d.url)
    .option('--token <token>', tokenHelp, token)
    .option('--json', 'print the whole JSON response')
}

function client(o: Opts) {
  if (!o.token) throw new Error('a token is needed: --token, STIRHUB_REVIEWER_TOKEN or STIRHUB_ADMIN_TOKEN')
  return { url: o.url, bearer: o.token }
}

const mark = (passed: boolean) => (passed ? 'ok  ' : 'FAIL')

/** One-line queue row: SID, kind, status, due time (with OVERDUE), claim and failed checks. */
function row(r: any): string {
  const failed = (r.checks ?? []).filter((c: any) => !c.passed).map((c: any) => c.name)
  return [
    r.bundle_sid,
    r.kind.padEnd(19),
    r.status.padEnd(15),
    `due ${r.due_at}${r.overdue ? ' OVERDUE' : ''}`,
    r.claimed_by ? `claimed by ${r.claimed_by}` : 'unclaimed',
    failed.length ? `failed checks: ${failed.join(', ')}` : 'all checks passed',
  ].join('  ')
}

function printReview(r: any, json?: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2))
    return
  }
  console.log(
    `${r.bundle_sid}  ${r.friendly_name}  (${r.kind}, account ${r.account_sid}${r.parent_account_sid ? `, parent ${r.parent_account_sid}` : ''})`,
  )
  if (r.order) {
    const o = r.order
    console.log(
      `number ${o.phone_number}  LOA signed by ${o.contact_name ?? '(no name)'} <${o.email}>${o.contact_title ? `, ${o.contact_title}` : ''}, ${o.contact_phone_number}; carrier ${o.current_carrier ?? '(none)'} account ${o.carrier_account_number ?? '(none)'}`,
    )
  }
  console.log(
    `status ${r.status}  submission #${r.submission}  submitted ${r.submitted_at}  due ${r.due_at}${r.overdue ? ' OVERDUE' : ''}`,
  )
  if (r.claimed_by) console.log(`claimed by ${r.claimed_by} until ${r.claim_expires_at}`)
  if (r.decided_by)
    console.log(
      `decided by ${r.decided_by} at ${r.decided_at}${r.valid_until ? `, valid until ${r.valid_until}` : ''}${r.errors ? `, errors ${r.errors.map((e: any) => e.code).join(',')}` : ''}${r.reason ? `: ${r.reason}` : ''}`,
    )
  console.log('automated checks:')
  for (const c of r.checks ?? []) console.log(`  ${mark(c.passed)} ${c.name}: ${c.evidence}`)
}

export function reviewsCommand(): Command {
  const d = serverOptions()
  const tokenHelp = 'reviewer or operator token [STIRHUB_REVIEWER_TOKEN, STIRHUB_ADMIN_TOKEN]'
  const cmd = new Command('reviews').description(
    'the vetting queue: list, show, claim, approve, reject bundles and hosted-number orders',
  )
  withServer(cmd.command('list').description('open reviews, oldest first'), tokenHelp, d.reviewerToken)
    .option('--status <status>', 'pending-review | in-review | twilio-approved | twilio-rejected')
    .option('--kind <kind>', 'customer-profile | trust-product | hosted-number-order')
    .option('--overdue', 'only reviews past their SLA')
    .action(async (o: Opts & { status?: string; kind?: string; overdue?: boolean }) => {
      const q = new URLSearchParams({
        PageSize: '100',
        ...(o.status ? { Status: o.status } : {}),
        ...(o.kind ? { Kind: o.kind } : {}),
        ...(o.overdue ? { Overdue: 'true' } : {}),
      })
      const r = await call(client(o), 'GET', `/admin/v1/Reviews?${q}`)
      if (o.json) console.log(JSON.stringify(r, null, 2))
      else if (r.results.length === 0) console.log('the queue is empty')
      else for (const x of r.results) console.log(row(x))
    })
  withServer(
    cmd.command('show <bundleSid>').description('one review with its automated-check evidence'),
    tokenHelp,
    d.reviewerToken,
  ).action(async (sid: string, o: Opts) =>
    printReview(await call(client(o), 'GET', `/admin/v1/Reviews/${sid}`), o.json),
  )
  withServer(
    cmd.command('claim <bundleSid>').description('take a pending review (one reviewer at a time)'),
    tokenHelp,
    d.reviewerToken,
  ).action(async (sid: string, o: Opts) =>
    printReview(await call(client(o), 'POST', `/admin/v1/Reviews/${sid}/Claim`, {}), o.json),
  )
  withServer(
    cmd.command('approve <bundleSid>').description('approve a review (claims it for you if unclaimed)'),
    tokenHelp,
    d.reviewerToken,
  )
    .option('--valid-until <iso>', 'end of the approval (default: one year)')
    .option('--override-reason <text>', 'why to approve although an automated check fails (audited)')
    .action(async (sid: string, o: Opts & { validUntil?: string; overrideReason?: string }) =>
      printReview(
        await call(client(o), 'POST', `/admin/v1/Reviews/${sid}/Approve`, {
          ...(o.validUntil ? { ValidUntil: o.validUntil } : {}),
          ...(o.overrideReason ? { OverrideReason: o.overrideReason } : {}),
        }),
        o.json,
      ),
    )
  withServer(
    cmd.command('reject <bundleSid>').description('reject a review (claims it for you if unclaimed)'),
    tokenHelp,
    d.reviewerToken,
  )
    .option(
      '--errors <codes>',
      'rejection codes 18601-18609, comma-separated (required for a bundle, optional for an order)',
    )
    .requiredOption('--reason <text>', 'what the customer must fix')
    .action(async (sid: string, o: Opts & { errors?: string; reason: string }) =>
      printReview(
        await call(client(o), 'POST', `/admin/v1/Reviews/${sid}/Reject`, {
          ...(o.errors ? { Errors: o.errors.split(',').map((c) => Number(c.trim())) } : {}),
          Reason: o.reason,
        }),
        o.json,
      ),
    )
  return cmd
}

/** `stirhub reviewers create|list|rotate|disable|enable` (operator). */
export function reviewersCommand(): Command {
  const d = serverOptions()
  const cmd = new Command('reviewers').description('compliance reviewers (operator)')
  const opTokenHelp = 'operator token [STIRHUB_ADMIN_TOKEN]'
  withServer(cmd.command('create').description('create a reviewer; prints its token once'), opTokenHelp, d.token)
    .requiredOption('--name <name>', "the reviewer's name")
    .requiredOption('--email <email>', "the reviewer's email")
    .action(async (o: Opts & { name: string; email: string }) => {
      const r = await call(client(o), 'POST', '/admin/v1/Reviewers', { Name: o.name, Email: o.email })
      if (o.json) console.log(JSON.stringify(r, null, 2))
      else console.log(`Reviewer SID  ${r.sid}\nToken         ${r.token}   (shown once)`)
    })
  withServer(
    cmd.command('list').description('every reviewer with its status (never a token)'),
    opTokenHelp,
    d.token,
  ).action(async (o: Opts) => {
    const r = await call(client(o), 'GET', '/admin/v1/Reviewers')
    if (o.json) console.log(JSON.stringify(r, null, 2))
    else for (const x of r.results) console.log([x.sid, x.status.padEnd(8), x.name, `<${x.email}>`].join('  '))
  })
  withServer(
    cmd.command('rotate <reviewerSid>').description('a new token (printed once); the old one is refused at once'),
    opTokenHelp,
    d.token,
  ).action(async (sid: string, o: Opts) => {
    const r = await call(client(o), 'POST', `/admin/v1/Reviewers/${sid}/Token`, {})
    if (o.json) console.log(JSON.stringify(r, null, 2))
    else console.log(`Reviewer SID  ${r.sid}\nToken         ${r.token}   (shown once)`)
  })
  for (const [name, status, what] of [
    ['disable', 'disabled', "refuse the reviewer's token from now on"],
    ['enable', 'active', "accept the reviewer's token again"],
  ] as const) {
    withServer(cmd.command(`${name} <reviewerSid>`).description(what), opTokenHelp, d.token).action(
      async (sid: string, o: Opts) => {
        const r = await call(client(o), 'POST', `/admin/v1/Reviewers/${sid}`, { Status: status })
        console.log(o.json ? JSON.stringify(r, null, 2) : `${r.sid}  ${r.status}`)
      },
    )
  }
  return cmd
}
