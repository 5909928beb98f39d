/**
 * `stirhub verify --identity … --from … --to …`: verifies one call in-process with the
 * configured trust anchors, x5u allow-list and profile mode, and prints the verdict with every
 * check that ran (the same pipeline as the ATIS route and the SIP front). Exit 0 when the
 * verdict is TN-Validation-Passed, 1 otherwise.
 */
import { Command } from 'commander'
import type { Config } from '../config/config.js'
import { systemClock } from '../domain/time.js'
import { settingFlags } from './setting-flags.js'
import type { Verdict } from '../stir/vs/verifier.js'
import { diversionReasons } from '../stir/vs/div-report.js'

type ConfigLoader = (opts: Record<string, string | undefined>) => Config

const collect = (v: string, prev: string[] = []) => [...prev, v]

/** Human-readable verdict: the outcome, then one line per check that ran. */
function describeVerdict(v: Verdict): string[] {
  const lines = [
    `Verdict: ${v.verstat} (${v.reason})`,
    v.reason === 'passed' ? 'SIP: 302 with verstat' : `SIP: ${v.sipCode} ${v.sipText} — ${v.reasondesc}`,
  ]
  if (v.detail) lines.push(`Detail: ${v.detail}`)
  const facts = [
    v.attest && `attest ${v.attest}`,
    v.origid && `origid ${v.origid}`,
    v.spc && `SPC ${v.spc}`,
    v.x5u && `x5u ${v.x5u}`,
  ].filter(Boolean)
  if (facts.length) lines.push(`Signer: ${facts.join(', ')}`)
  for (const line of diversionReasons(v.diversion ?? [])) lines.push(`Diversion: ${line}`)
  // Rich Call Data (RFC 9795; docs/branding.md): what the callee is shown, or why nothing is.
  if (v.rcd) {
    const r = v.rcd
    lines.push(
      `Branding: ${[r.nam && `name "${r.nam}"`, r.icn && `logo ${r.icn}`, r.crn && `reason "${r.crn}"`].filter(Boolean).join(', ')}`,
    )
  }
  if (v.rcdReason) lines.push(`Branding dropped: ${v.rcdReason}${v.rcdDetail ? ` (${v.rcdDetail})` : ''}`)
  lines.push('Checks:')
  for (const c of v.checks)
    lines.push(`  ${c.result === 'ok' ? 'ok  ' : 'FAIL'} ${c.check}${c.result === 'ok' ? '' : `: ${c.result}`}`)
  return lines
}

export function verifyCommand(load: ConfigLoader): Command {
  return settingFlags(
    new Command('verify').description(
      "verify one call's Identity header(s): prints the verdict and every check that ran",
    ),
    'trustAnchors',
    'trustList',
    'stiPaRoots',
    'x5uAllow',
    'verifyProfile',
    'verifyFreshnessSec',
  )
    .requiredOption(
      '--identity <value>',
      'Identity header value (repeat for several headers, e.g. shaken + div)',
      collect,
    )
    .requiredOption('--from <tn>', 'calling number (From / P-Asserted-Identity)')
    .requiredOption('--to <tn>', 'called number (To / Request-URI)')
    .option('--time <seconds>', 'request time (NumericDate) to check for freshness, as ATIS-1000082 sends it')
    .option('--div <tn>', 'a number the call was retargeted from (History-Info / Diversion; repeatable)', collect)
    .option('--json', 'print the verdict as JSON')
    .action(async (o) => {
      const config = load(o)
      const time = o.time === undefined ? undefined : Number(o.time)
      if (time !== undefined && !Number.isSafeInteger(time)) throw new Error('--time must be an integer (seconds)')
      // Loaded when the command runs: `stirhub --help` must not pay for the verifier.
      const { buildVerifierParts } = await import('../stir/vs/sti-vs.js')
      const vs = buildVerifierParts(config, systemClock)
      try {
        const v = await vs.verifier.verify({ identity: o.identity, from: o.from, to: [o.to], time, redirects: o.div })
        console.log(o.json ? JSON.stringify(v, null, 2) : describeVerdict(v).join('\n'))
        process.exitCode = v.reason === 'passed' ? 0 : 1
      } finally {
        await vs.close()
      }
    })
}
