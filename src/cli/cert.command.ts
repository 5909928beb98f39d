/**
 * `stirhub cert dev|csr|import|acme-account|acme|show|lint`: the STI certificate on the store
 * directly (like `serve`, not over HTTP), so an operator can provision signing before the
 * server runs. No subcommand ever prints a stored private key.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import type { Config } from '../config/config.js'
import type { Store } from '../store/db.js'
import { storeFlags, settingFlags } from './setting-flags.js'
import type { Sealer } from '../security/secrets.js'
import { systemClock } from '../domain/time.js'
import type { Signer } from '../stir/cert/signer.js'
import type { LintReport } from '../stir/cert/profile-lint.js'
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'

type ConfigLoader = (opts: Record<string, string | undefined>) => Config

/** What the subcommands run, loaded when one runs: `stirhub --help` must not pay for it. */
async function modules() {
  const loaded = await Promise.all([
    import('./with-store.js'),
    import('../security/secrets.js'),
    import('../store/certificates.repo.js'),
    import('../stir/cert/signer.js'),
    import('../runtime/signer.js'),
    import('../stir/cert/dev-ca.js'),
    import('../stir/cert/csr.js'),
    import('../stir/cert/chain.js'),
    import('../stir/cert/profile-lint.js'),
    import('../stir/cert/acme.js'),
    import('../stir/trust/sti-pa.js'),
    import('../security/guarded-fetch.js'),
    import('../stir/vs/sti-vs.js'),
    import('../store/accounts.repo.js'),
  ])
  return Object.assign({}, ...loaded) as UnionToIntersection<(typeof loaded)[number]>
}
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never

async function withSigner<T>(
  config: Config,
  fn: (signer: Signer, store: Store, sealer: Sealer) => Promise<T>,
): Promise<T> {
  const { withStore, createSealer, resolveMasterKey, buildSigner } = await modules()
  return withStore(config, (store) => {
    const sealer = createSealer(resolveMasterKey(config.masterKey, config.dataDir))
    return fn(buildSigner(config, store, sealer, systemClock), store, sealer)
  })
}

function printReport(file: string, index: number, r: LintReport): void {
  console.log(
    `${file} #${index + 1}: ${r.role}${r.spc ? ` SPC ${r.spc}` : ''}: ${r.ok ? 'ok' : 'FAILS the STI profile'}`,
  )
  for (const f of r.findings) console.log(`  ${f.severity.padEnd(7)} ${f.id.padEnd(32)} ${f.message}`)
}

/** Builds the `cert` command; `load` turns flags into the config (the CLI's `configOrExit`). */
export function certCommand(load: ConfigLoader): Command {
  const cmd = new Command('cert').description('STI certificates: dev CA, CSR, import, show, lint')
  devCommand(cmd, load)
  csrCommand(cmd)
  importCommand(cmd, load)
  acmeCommands(cmd, load)
  showCommand(cmd, load)
  lintCommand(cmd)
  return cmd
}

function devCommand(cmd: Command, load: ConfigLoader): void {
  storeFlags(
    cmd
      .command('dev')
      .description('create a local STI-CA root (under the data dir) and an SP certificate, and sign with it'),
  )
    .option('--spc <spc>', 'Service Provider Code for the TNAuthList', '1234')
    .action(async (o) => {
      const { devCaPaths, provisionDevCertificate } = await modules()
      const config = load(o)
      await withSigner(config, async (signer) => {
        const c = await provisionDevCertificate(signer, {
          dataDir: config.dataDir,
          publicUrl: config.publicUrl,
          clock: systemClock,
          spc: o.spc,
        })
        console.log(
          `Certificate  ${c.certId}  (active, SPC ${c.spc})\nx5u          ${c.x5u}\nDev root     ${devCaPaths(config.dataDir).cert}  (trust anchor for verifiers)`,
        )
      })
    })
}

function csrCommand(cmd: Command): void {
  cmd
    .command('csr')
    .description('create a P-256 key and a CSR carrying TNAuthList, for a real STI-CA')
    .requiredOption('--spc <spc>', 'your Service Provider Code (OCN)')
    .requiredOption('--out <dir>', 'folder for sti.key (mode 0600) and sti.csr')
    .option('--org <name>', 'organization (O=) of the subject')
    .action(async (o) => {
      const { createCsr } = await modules()
      const { keyPem, csrPem } = await createCsr({ spc: o.spc, organization: o.org })
      fs.mkdirSync(o.out, { recursive: true })
      fs.writeFileSync(path.join(o.out, 'sti.key'), keyPem, { mode: 0o600, flag: 'wx' })
      fs.writeFileSync(path.join(o.out, 'sti.csr'), csrPem)
      console.log(`Key  ${path.join(o.out, 'sti.key')}\nCSR  ${path.join(o.out, 'sti.csr')}`)
    })
}

function importCommand(cmd: Command, load: ConfigLoader): void {
  storeFlags(
    cmd
      .command('import')
      .description('load an issued chain (leaf first) and its key; the key must match and the leaf pass the profile'),
  )
    .requiredOption('--chain <file>', 'PEM bundle: SP certificate, then intermediates')
    .requiredOption('--key <file>', 'PEM private key of the SP certificate')
    .option('--lenient', 'accept profile deviations that do not break ES256 (warnings)')
    .action(async (o) => {
      const config = load(o)
      await withSigner(config, async (signer) => {
        const c = await signer.rotate(fs.readFileSync(o.chain, 'utf8'), fs.readFileSync(o.key, 'utf8'), {
          strict: !o.lenient,
          actor: 'cli:cert import',
        })
        console.log(`Certificate  ${c.certId}  (active, SPC ${c.spc ?? '-'})\nx5u          ${c.x5u}`)
      })
    })
}

const ACME_KEY = 'acme_account_key'
const ACME_PURPOSE = 'acme-account'

/** The ACME account key, sealed in the store (created on first use): the SPC token names its fingerprint. */
async function acmeAccountKey(store: Store, sealer: Sealer): Promise<KeyObject> {
  const { addSettingOnce, getSetting } = await modules()
  const sealed = await getSetting(store.db, ACME_KEY)
  if (sealed) return createPrivateKey({ key: sealer.open(sealed, ACME_PURPOSE), format: 'der', type: 'pkcs8' })
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  // Insert only: when another run created one meanwhile, the store keeps that one and so do we.
  await addSettingOnce(
    store.db,
    ACME_KEY,
    sealer.seal(privateKey.export({ type: 'pkcs8', format: 'der' }), ACME_PURPOSE),
  )
  return acmeAccountKey(store, sealer)
}

function acmeCommands(cmd: Command, load: ConfigLoader): void {
  storeFlags(
    cmd
      .command('acme-account')
      .description("the ACME account key's fingerprint, for the SPC token you request from the STI-PA"),
  ).action(async (o) => {
    const { accountFingerprint } = await modules()
    await withSigner(load(o), async (_signer, store, sealer) => {
      console.log(`ACME account key fingerprint  ${accountFingerprint(await acmeAccountKey(store, sealer))}`)
    })
  })
  settingFlags(
    storeFlags(
      cmd
        .command('acme')
        .description(
          'get an STI certificate from an STI-CA over ACME (tkauth-01 with your SPC token) and sign with it',
        ),
    ),
    'x5uAllow',
  )
    .requiredOption('--directory <url>', "the STI-CA's ACME directory URL")
    .requiredOption('--spc <spc>', 'your Service Provider Code (OCN)')
    .option(
      '--spc-token <file>',
      'file holding the SPC token the STI-PA issued for this account key (stirhub cert acme-account)',
    )
    .option(
      '--sti-pa-sp-id <id>',
      'or ask the STI-PA API for the token, as this SP account id (STIRHUB_STI_PA_API and its credentials)',
    )
    .option('--org <name>', 'organization (O=) of the subject')
    .action(async (o) => {
      const m = await modules()
      const { AcmeClient, accountFingerprint, acmeRules, createCsr, createGuardedFetcher, pemDer } = m
      const { requestSpcToken, stiPaAccessOf, stiPaRules, tnAuthListIdentifier, x5uAllowList } = m
      const config = load(o)
      if (!o.spcToken === !o.stiPaSpId)
        throw new Error('give --spc-token <file>, or --sti-pa-sp-id <id> to ask the STI-PA for one')
      const { keyPem, csrPem } = await createCsr({ spc: o.spc, organization: o.org })
      const allow = x5uAllowList(config)
      const fetcher = createGuardedFetcher(acmeRules(allow))
      const stiPa = createGuardedFetcher(stiPaRules(allow))
      try {
        await withSigner(config, async (signer, store, sealer) => {
          const key = await acmeAccountKey(store, sealer)
          const token = o.spcToken
            ? fs.readFileSync(o.spcToken, 'utf8').trim()
            : await requestSpcToken(
                stiPa,
                stiPaAccessOf(config),
                o.stiPaSpId,
                tnAuthListIdentifier(o.spc).value,
                accountFingerprint(key),
              )
          const acme = new AcmeClient({ fetcher, directoryUrl: o.directory, key })
          const chain = await acme.certificate(o.spc, token, pemDer(csrPem, 'CERTIFICATE REQUEST'))
          const c = await signer.rotate(chain, keyPem, { actor: 'cli:cert acme' })
          console.log(
            `Certificate  ${c.certId}  (active, SPC ${c.spc ?? '-'}, issued over ACME)\nx5u          ${c.x5u}`,
          )
        })
      } finally {
        await Promise.all([fetcher.close(), stiPa.close()])
      }
    })
}

function showCommand(cmd: Command, load: ConfigLoader): void {
  storeFlags(cmd.command('show [id]').description('list certificates, or show one chain and its profile check')).action(
    async (id: string | undefined, o) => {
      const { getCertificate, lintCertificate, listCertificates, x5uFor } = await modules()
      const config = load(o)
      await withSigner(config, async (_signer, store) => {
        if (!id) {
          for (const r of await listCertificates(store.db))
            console.log(
              `${r.id}  ${r.status.padEnd(7)}  SPC ${(r.spc ?? '-').padEnd(6)}  until ${r.not_after}  ${x5uFor(config.publicUrl, r.id)}`,
            )
          return
        }
        const r = await getCertificate(store.db, id)
        if (!r) throw new Error(`no certificate ${id}`)
        console.log(`${r.id}  ${r.status}  SPC ${r.spc ?? '-'}\nx5u  ${x5uFor(config.publicUrl, r.id)}\n`)
        printReport(r.id, 0, lintCertificate(r.chain_pem, { strict: true }))
        process.stdout.write('\n' + r.chain_pem)
      })
    },
  )
}

function lintCommand(cmd: Command): void {
  cmd
    .command('lint <file>')
    .description('check certificates against the ATIS-1000080 / SHAKEN CP profile (exit 1 on errors)')
    .option('--strict', 'report every deviation as an error')
    .option('--json', 'print the findings as JSON')
    .action(async (file: string, o) => {
      const { lintCertificate, pemBlocks } = await modules()
      const reports = pemBlocks(fs.readFileSync(file, 'utf8')).map((der) =>
        lintCertificate(der, { strict: !!o.strict }),
      )
      if (o.json) console.log(JSON.stringify(reports, null, 2))
      else reports.forEach((r, i) => printReport(file, i, r))
      if (reports.some((r) => !r.ok)) process.exitCode = 1
    })
}
