/**
 * `stirhub attestation explain --account AC… --from … --to …`: the decision the engine makes
 * for such a call right now, why, and what is missing for A. Reads the store directly (like
 * `serve`), so it works with the server stopped.
 */
import { Command } from 'commander'
import type { Config } from '../config/config.js'
import { systemClock } from '../domain/time.js'
import type { Decision } from '../domain/attestation.js'
import { storeFlags } from './setting-flags.js'

type ConfigLoader = (opts: Record<string, string | undefined>) => Config

/** The store flags `serve` also takes, plus the call's account and numbers. */
export function callFlags(cmd: Command): Command {
  return storeFlags(
    cmd
      .requiredOption('--account <sid>', 'the calling account (AC…)')
      .requiredOption('--from <tn>', 'calling number (E.164, digits with the country code, or 10-digit NANP)')
      .requiredOption('--to <tn>', 'called number (E.164, digits with the country code, or 10-digit NANP)')
      .option('--json', 'print JSON'),
  )
}

/** Human-readable lines for a decision. */
export function describeDecision(d: Decision): string[] {
  const lines = [`Attestation  ${d.attest ?? 'not signed'}  (${d.rule})`]
  if (d.profileSid) lines.push(`Profile      ${d.profileSid}`)
  if (d.trustProductSid) lines.push(`Trust prod.  ${d.trustProductSid}`)
  lines.push(`Origid       ${d.origid}`, 'Why:', ...d.reasons.map((r) => `  - ${r}`))
  if (d.missingForA.length) lines.push('To reach A:', ...d.missingForA.map((m) => `  - ${m}`))
  if (d.missingForB.length) lines.push('To reach B:', ...d.missingForB.map((m) => `  - ${m}`))
  // Rich Call Data (RFC 9795; docs/branding.md): what an A call carries, or why none.
  const g = d.branding?.rcd
  if (g) lines.push(`Branding     "${g.nam}"${g.icn ? ` with logo ${g.icn}` : ''} (${g.productSid})`)
  else if (d.branding) lines.push('No branding:', ...d.branding.reasons.map((r) => `  - ${r}`))
  return lines
}

/** Builds `stirhub attestation explain`; `load` turns flags into the config (the CLI's `configOrExit`). */
export function attestationCommand(load: ConfigLoader): Command {
  const cmd = new Command('attestation').description('attestation decisions (DESIGN §4)')
  callFlags(
    cmd.command('explain').description('show the level a call would get now, why, and what is missing for A and for B'),
  ).action(async (o) => {
    // Loaded when the command runs: `stirhub --help` must not pay for the store and the engine.
    const [{ requireTn }, { withStore }, { AttestationIndex }, { presentDecision }] = await Promise.all([
      import('../domain/e164.js'),
      import('./with-store.js'),
      import('../stir/as/attestation-index.js'),
      import('../stir/as/decision-view.js'),
    ])
    const config = load(o)
    const from = requireTn(o.from, 'from')
    const to = requireTn(o.to, 'to')
    await withStore(config, async (store) => {
      const d = await new AttestationIndex({ store, clock: systemClock }).decide(o.account, from, to)
      if (!d) throw new Error(`no active account ${o.account}`)
      console.log(
        o.json ? JSON.stringify(presentDecision(o.account, from, to, d), null, 2) : describeDecision(d).join('\n'),
      )
    })
  })
  return cmd
}
