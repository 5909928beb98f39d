/**
 * `stirhub trust-list import <file> --out <path>`: takes the STI-PA CA list as its API serves
 * it (`GET /api/v1/ca-list`, the JSON or the bare JWS), fetches the signer's certificate from
 * the list's x5u through the x5u guards, checks the whole list, and writes the file
 * `STIRHUB_TRUST_LIST` names (the server reloads it within seconds, with no network), and
 * publishes it through the store (DATABASE_URL) for the other machines.
 * `stirhub trust-list pull` does the same from the STI-PA API (STIRHUB_STI_PA_API and its
 * credentials), as the worker does on a schedule. `stirhub trust-list show [file]` checks a
 * trust-list file and lists its STI-CA roots.
 */
import fs from 'node:fs'
import { Command } from 'commander'
import type { Config } from '../config/config.js'
import { systemClock } from '../domain/time.js'
import type { TrustList } from '../stir/trust/trust-list.js'
import { settingFlags } from './setting-flags.js'

type ConfigLoader = (opts: Record<string, string | undefined>) => Config

/** What the subcommands run, loaded when one runs: `stirhub --help` must not pay for it. */
async function modules() {
  const [fetch, list, stiPa, share, store, vs] = await Promise.all([
    import('../security/guarded-fetch.js'),
    import('../stir/trust/trust-list.js'),
    import('../stir/trust/sti-pa.js'),
    import('../stir/trust/trust-list-share.js'),
    import('./with-store.js'),
    import('../stir/vs/sti-vs.js'),
  ])
  return { ...fetch, ...list, ...stiPa, ...share, ...store, ...vs }
}

/** The checked list in words: who signed it, its dates and every root. */
function describeTrustList(l: TrustList): string[] {
  return [
    `Signed by: ${l.signer}`,
    `Sequence: ${l.sequence ?? '-'}, version: ${l.version ?? '-'}, expires: ${l.exp === undefined ? '-' : new Date(l.exp * 1000).toISOString()}`,
    `STI-CA roots: ${l.roots.length}${l.skipped ? ` (${l.skipped} entries skipped: not CA certificates or unreadable)` : ''}`,
    ...l.roots.map(
      (r) =>
        `  ${r.subject.replace(/\n/g, ', ')}  sha256 ${r.fingerprint256}  until ${new Date(r.validTo).toISOString()}`,
    ),
  ]
}

function stiPaRootsOf(config: Config): string {
  if (!config.stiPaRoots)
    throw new Error('--sti-pa-roots (STIRHUB_STI_PA_ROOTS) is required: the list is checked against the STI-PA roots')
  return config.stiPaRoots
}

export function trustListCommand(load: ConfigLoader): Command {
  const cmd = new Command('trust-list').description(
    'the STI-PA trust list: pull or import it for the verifier, or show one',
  )
  settingFlags(
    cmd
      .command('import <file>')
      .description('check an STI-PA CA list (fetching its signer from x5u) and write it where the server reads it'),
    'stiPaRoots',
    'x5uAllow',
  )
    .option('--out <path>', 'where to write it [STIRHUB_TRUST_LIST]')
    .action(async (file: string, o) => {
      const { bodyOf, createGuardedFetcher, installTrustList, publishTrustList, withStore, x5uAllowList, x5uRules } =
        await modules()
      const config = load({ stiPaRoots: o.stiPaRoots, x5uAllow: o.x5uAllow, trustList: o.out })
      const out = o.out ?? config.trustList
      if (!out) throw new Error('--out (STIRHUB_TRUST_LIST) is required: where to write the list')
      const roots = stiPaRootsOf(config)
      const fetcher = createGuardedFetcher(x5uRules(x5uAllowList(config)))
      try {
        const list = await installTrustList(fs.readFileSync(file, 'utf8'), out, roots, systemClock(), bodyOf(fetcher))
        await withStore(config, (store) =>
          publishTrustList(store.db, out, list, 'cli:trust-list import', systemClock()),
        )
        console.log([`Wrote ${out} and published it through the store`, ...describeTrustList(list)].join('\n'))
      } finally {
        await fetcher.close()
      }
    })
  cmd
    .command('pull')
    .description(
      'log in to the STI-PA API, fetch the CA list, check it and install it (what the worker does on a schedule)',
    )
    .action(async () => {
      const { pullTrustList, withStore } = await modules()
      const config = load({})
      const list = await withStore(config, (store) =>
        pullTrustList(config, systemClock, store.db, 'cli:trust-list pull'),
      )
      console.log(
        [`Wrote ${config.trustList} and published it through the store`, ...describeTrustList(list)].join('\n'),
      )
    })
  settingFlags(
    cmd
      .command('show [file]')
      .description('check a trust-list file against the STI-PA roots and list its STI-CA roots'),
    'stiPaRoots',
  ).action(async (file: string | undefined, o) => {
    const { loadTrustList } = await modules()
    const config = load({ stiPaRoots: o.stiPaRoots, trustList: file })
    if (!config.trustList) throw new Error('name the file, or set STIRHUB_TRUST_LIST')
    console.log(describeTrustList(loadTrustList(config.trustList, stiPaRootsOf(config), systemClock())).join('\n'))
  })
  return cmd
}
