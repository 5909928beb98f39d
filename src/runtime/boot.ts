/**
 * Boot: everything a process runs on, built once and eagerly, in order — the store (opened and
 * migrated), the operator token and on the very first start a ready-to-use account, the
 * signing identity, the STI-AS and STI-VS, the credential state and the metrics — returned as
 * the context with one `close()` that tears them down in reverse order of construction. The
 * roles (roles/*.ts) start on top of it.
 */
import pino, { type Logger } from 'pino'
import type { Config } from '../config/config.js'
import { migrate, openStore, type Store } from '../store/db.js'
import { storeVersionOf } from '../store/store-version.js'
import { addSettingOnce, createAccount, getSetting } from '../store/accounts.repo.js'
import { createSealer, hashSecret, resolveMasterKey, type Sealer } from '../security/secrets.js'
import { newSecret } from '../domain/ids.js'
import { isoNow, systemClock, type Clock } from '../domain/time.js'
import { provisionDevCertificate, type Signer } from '../stir/cert/signer.js'
import { buildStiAs } from '../stir/as/sti-as.js'
import { buildStiVs } from '../stir/vs/sti-vs.js'
import { CallRecorder } from '../stir/calls/call-recorder.js'
import { Credentials } from '../api/credentials.js'
import type { AppContext } from './context.js'
import { ProcessMetrics } from './metrics.js'
import { buildSigner } from './signer.js'

/** What the first start created, shown once to the user. */
export interface FirstStart {
  readonly operatorToken?: string
  readonly accountSid: string
  readonly authToken: string
}

export interface Booted {
  readonly ctx: AppContext
  readonly firstStart?: FirstStart
  /** Tears down what boot built, in reverse order of construction (the store last). */
  close(): Promise<void>
}

export interface BootOptions {
  readonly clock?: Clock
  readonly log?: Logger
  /** Postgres schema (tests). */
  readonly schema?: string
  /** Skip the first-start account (tests create their own). */
  readonly noFirstAccount?: boolean
}

type Teardown = () => void | Promise<void>

export async function boot(config: Config, opts: BootOptions = {}): Promise<Booted> {
  const log =
    opts.log ??
    pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.auth_token', '*.secret', '*.privateKey'] })
  const clock = opts.clock ?? systemClock
  const teardown: Teardown[] = []
  const close = async () => {
    for (const t of teardown.splice(0).reverse()) await t()
  }

  const store: Store = await openStore(config.databaseUrl, {
    schema: opts.schema,
    sqliteSync: config.sqliteSync,
    onConnectionLost: (err) =>
      log.warn({ err: err.message }, 'PostgreSQL closed an idle connection; the pool reconnects on next use'),
  })
  teardown.push(() => store.close())
  try {
    await migrate(store)
    const sealer = createSealer(resolveMasterKey(config.masterKey, config.dataDir))
    const { operatorTokenHash, firstStart } = await bootstrap(config, store, sealer, clock, opts)
    const signer = buildSigner(config, store, sealer, clock)
    await loadSigner(signer, config, clock, log)
    // Follow rotations made by other processes.
    teardown.push(signer.startRefresh())
    const version = storeVersionOf(store)
    // Closed after the STI-AS and STI-VS, before the store: their last calls' records are written.
    const calls = new CallRecorder(store.db, clock, { enabled: config.callRecords, log })
    teardown.push(() => calls.close())
    const stiVs = buildStiVs({ config, store, clock, log, recorder: calls })
    teardown.push(() => stiVs.close())
    // Closed before the STI-VS and the store: pending signing counters are written first.
    const stiAs = buildStiAs({ config, store, clock, version, signer, recorder: calls })
    teardown.push(() => stiAs.close())
    const credentials = new Credentials(operatorTokenHash)
    const metrics = new ProcessMetrics({ config, store, clock, log, signer, stiAs, stiVs, calls })
    const ctx: AppContext = {
      config,
      store,
      sealer,
      clock,
      log,
      signer,
      version,
      stiAs,
      stiVs,
      calls,
      credentials,
      metrics,
    }
    return { ctx, firstStart, close }
  } catch (e) {
    await close()
    throw e
  }
}

/**
 * The operator token's hash (STIRHUB_ADMIN_TOKEN, else the stored one, else a new token) and,
 * on the very first start, a first account.
 */
async function bootstrap(
  config: Config,
  store: Store,
  sealer: Sealer,
  clock: Clock,
  opts: BootOptions,
): Promise<{ operatorTokenHash: string; firstStart?: FirstStart }> {
  let firstStart: FirstStart | undefined
  // Instances started together on an empty store race here: the one whose `bootstrapped` row
  // commits creates the operator token and the first account, and is the only one to show them.
  if (!(await getSetting(store.db, 'bootstrapped'))) {
    firstStart = await store.db.transaction().execute(async (trx) => {
      if (!(await addSettingOnce(trx, 'bootstrapped', isoNow(clock)))) return undefined
      let operatorToken: string | undefined
      if (!config.adminToken && !(await getSetting(trx, 'operator_token_hash'))) {
        operatorToken = newSecret() + newSecret()
        await addSettingOnce(trx, 'operator_token_hash', hashSecret(operatorToken))
      }
      if (opts.noFirstAccount) return undefined
      const { row, authToken } = await createAccount(trx, sealer, 'My first account', null, isoNow(clock))
      return { operatorToken, accountSid: row.sid, authToken }
    })
  }
  if (config.adminToken) return { operatorTokenHash: hashSecret(config.adminToken), firstStart }
  // A store bootstrapped with STIRHUB_ADMIN_TOKEN set, now started without it: a token of its own.
  if (!(await getSetting(store.db, 'operator_token_hash')))
    await addSettingOnce(store.db, 'operator_token_hash', hashSecret(newSecret() + newSecret()))
  return { operatorTokenHash: (await getSetting(store.db, 'operator_token_hash'))!, firstStart }
}

/**
 * The STI-AS identity: the active certificate, or in development a dev-CA one so a fresh
 * `npm start` signs out of the box (production waits for `stirhub cert import`).
 */
async function loadSigner(signer: Signer, config: Config, clock: Clock, log: Logger): Promise<void> {
  if (await signer.load()) return
  if (config.mode === 'development') {
    const cert = await provisionDevCertificate(signer, { dataDir: config.dataDir, publicUrl: config.publicUrl, clock })
    log.info(
      { certId: cert.certId, x5u: cert.x5u },
      'created a development STI certificate (dev CA under the data dir)',
    )
  } else log.warn('no STI certificate: signing is unavailable until `stirhub cert import`')
}

/** The first-start banner: the only time these secrets are ever shown. */
export function firstStartBanner(config: Config, f: FirstStart): string {
  const api = config.publicUrl
  return [
    '',
    '  stirhub is ready (first start: these credentials are shown once, keep them)',
    '',
    f.operatorToken ? `  Operator token   ${f.operatorToken}` : '  Operator token   (from STIRHUB_ADMIN_TOKEN)',
    `  Account SID      ${f.accountSid}`,
    `  Auth token       ${f.authToken}`,
    '',
    `  API              ${api}   (OpenAPI: ${api}/openapi.json, docs: ${api}/docs)`,
    `  Console          ${api}/console`,
    '',
    `  Try:  curl -u ${f.accountSid}:${f.authToken} ${api}/v1/Policies`,
    '',
  ].join('\n')
}
