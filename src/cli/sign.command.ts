/**
 * `stirhub sign --account AC… --from … --to …`: decides and signs one call on the store
 * directly (like `serve`), printing the Identity header and the decision. With `--div <tn>`,
 * it signs the div PASSporT for a call forwarded from `tn` (one of the account's numbers) to
 * `--to` instead (RFC 8946).
 */
import { Command } from 'commander'
import type { Config } from '../config/config.js'
import { systemClock } from '../domain/time.js'
import { callFlags, describeDecision } from './attestation.command.js'

type ConfigLoader = (opts: Record<string, string | undefined>) => Config

/** Builds `stirhub sign`; `load` turns flags into the config (the CLI's `configOrExit`). */
export function signCommand(load: ConfigLoader): Command {
  return callFlags(
    new Command('sign').description('decide and sign one call: prints the Identity header and the decision'),
  )
    .option('--attest <level>', 'ask for a lower level (A, B or C): never raises the decision')
    .option(
      '--div <tn>',
      "sign a div PASSporT instead: the call from --from was forwarded by this number (the account's) to --to",
    )
    .action(async (o) => {
      // Loaded when the command runs: `stirhub --help` must not pay for the store and the signer.
      const [
        { withStore },
        { createSealer, resolveMasterKey },
        { buildSigner },
        { AttestationIndex },
        { SigningCounter },
        { SigningService },
        { presentDecision },
      ] = await Promise.all([
        import('./with-store.js'),
        import('../security/secrets.js'),
        import('../runtime/signer.js'),
        import('../stir/as/attestation-index.js'),
        import('../stir/as/signing-counter.js'),
        import('../stir/as/signing-service.js'),
        import('../stir/as/decision-view.js'),
      ])
      const config = load(o)
      await withStore(config, async (store) => {
        const signer = buildSigner(
          config,
          store,
          createSealer(resolveMasterKey(config.masterKey, config.dataDir)),
          systemClock,
        )
        if (!(await signer.load()))
          throw new Error('no STI certificate: run `stirhub cert dev` (development) or `stirhub cert import`')
        const counter = new SigningCounter(store.db, systemClock, 0)
        const index = new AttestationIndex({ store, clock: systemClock })
        const service = new SigningService({ index, counter, clock: systemClock, signer: () => signer })
        if (o.div !== undefined) {
          const d = await service.signDiversion({ accountSid: o.account, orig: o.from, dest: o.to, div: o.div })
          console.log(
            o.json
              ? JSON.stringify({ identity: d.identity ?? null, reason: d.rule ?? null, notes: d.notes }, null, 2)
              : [`Identity: ${d.identity ?? '(none: hop not signed)'}`, ...d.notes.map((n) => `Note: ${n}`)].join('\n'),
          )
          return
        }
        if (o.attest !== undefined && !['A', 'B', 'C'].includes(o.attest)) throw new Error('--attest must be A, B or C')
        const r = await service.sign({ accountSid: o.account, orig: o.from, dest: [o.to], attest: o.attest })
        await counter.close()
        if (o.json) {
          console.log(
            JSON.stringify(
              {
                identity: r.identity ?? null,
                attest: r.attest ?? null,
                notes: r.notes,
                decision: presentDecision(o.account, r.orig, r.dest[0]!, r.decision),
              },
              null,
              2,
            ),
          )
          return
        }
        console.log(
          [
            `Identity: ${r.identity ?? '(none: call not signed)'}`,
            '',
            ...describeDecision(r.decision),
            ...r.notes.map((n) => `Note: ${n}`),
          ].join('\n'),
        )
      })
    })
}
