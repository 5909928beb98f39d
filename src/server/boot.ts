/**
 * Boot: open and migrate the store, make sure an operator token exists, and on the very
 * first start create a ready-to-use account so a new user can call the API at once.
 */
import pino, { type Logger } from 'pino'
import type { Config } from '../config/config.js'
import { migrate, openStore, type Store } from '../store/db.js'
import { storeVersionOf } from '../store/store-version.js'
import { createAccount, getSetting, setSetting } from '../store/accounts.repo.js'
import { createSealer, hashSecret, resolveMasterKey } from '../security/secrets.js'
import { newSecret } from '../domain/ids.js'
import { isoNow, systemClock, type Clock } from '../domain/time.js'
import type { AppContext } from '../api/context.js'
import { useNativeEs256 } from '../stir/passport/es256.js'
import { provisionDevCertificate, Signer } from '../stir/signer.js'

/** What the first start created, shown once to the user. */
export interface FirstStart {
  readonly operatorToken?: string
  readonly accountSid: string
  readonly authToken: string
}

export interface Booted {
  readonly ctx: AppContext
  readonly firstStart?: FirstStart
}

export interface BootOptions {
  readonly clock?: Clock
  readonly log?: Logger
  /** Postgres schema (tests). */
  readonly schema?: string
  /** Skip the first-start account (tests create their own). */
  readonly noFirstAccount?: boolean
}

export async function boot(config: Config, opts: BootOptions = {}): Promise<Booted> {
  const log = opts.log ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.auth_token', '*.secret', '*.privateKey'] })
  const clock = opts.clock ?? systemClock
  const store: Store = await openStore(config.databaseUrl, {
    schema: opts.schema, sqliteSync: config.sqliteSync,
    onConnectionLost: (err) => log.warn({ err: err.message }, 'PostgreSQL closed an idle connection; the pool reconnects on next use'),
  })
  await migrate(store)
  const sealer = createSealer(resolveMasterKey(config.masterKey, config.dataDir))

  let firstStart: FirstStart | undefined
  let operatorTokenHash: string
  const bootstrapped = await getSetting(store.db, 'bootstrapped')
  let generatedToken: string | undefined
  if (config.adminToken) {
    operatorTokenHash = hashSecret(config.adminToken)
  } else {
    const stored = await getSetting(store.db, 'operator_token_hash')
    if (stored) operatorTokenHash = stored
    else {
      generatedToken = newSecret() + newSecret()
      operatorTokenHash = hashSecret(generatedToken)
      await setSetting(store.db, 'operator_token_hash', operatorTokenHash)
    }
  }
  if (!bootstrapped) {
    if (!opts.noFirstAccount) {
      const { row, authToken } = await createAccount(store.db, sealer, 'My first account', null, isoNow(clock))
      firstStart = { operatorToken: generatedToken, accountSid: row.sid, authToken }
    }
    await setSetting(store.db, 'bootstrapped', isoNow(clock))
  }
  // The STI-AS identity: the active certificate, or in development a dev-CA one so a fresh
  // `npm start` signs out of the box (production waits for `stirhub cert import`).
  useNativeEs256(config.nativeSigner)
  const signer = new Signer({ db: store.db, sealer, publicUrl: config.publicUrl, clock })
  if (!(await signer.load())) {
    if (config.mode === 'development') {
      const cert = await provisionDevCertificate(signer, { dataDir: config.dataDir, publicUrl: config.publicUrl, clock })
      log.info({ certId: cert.certId, x5u: cert.x5u }, 'created a development STI certificate (dev CA under the data dir)')
    } else log.warn('no STI certificate: signing is unavailable until `stirhub cert import`')
  }
  // Follow rotations made by other processes; the timer ends when the store closes.
  const stopRefresh = signer.startRefresh()
  const ctx: AppContext = {
    config, store: { ...store, close: async () => { stopRefresh(); await store.close() } },
    sealer, clock, log, operatorTokenHash, signer, version: storeVersionOf(store),
  }
  return { ctx, firstStart }
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
