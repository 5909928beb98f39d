/**
 * The STI-PA API (STIRHUB_STI_PA_API, e.g. `https://…/api/v1`): `POST /auth/login` with the
 * SP's user and password for an access token, then `GET /ca-list` (Accept
 * `application/jose+json`) for the signed CA list, which is checked and installed where
 * STIRHUB_TRUST_LIST points (installTrustList; in the worker on a schedule, and from `stirhub
 * trust-list pull`), or `POST /account/{spId}/token` for an SPC token (`stirhub cert acme`).
 * Every request goes through the outbound guards (https, public addresses unless allowed).
 */
import type { Logger } from 'pino'
import type { Config } from '../../config/config.js'
import type { Clock } from '../../domain/time.js'
import { bodyOf, createGuardedFetcher, type GuardedFetcher, type GuardRules } from '../../security/guarded-fetch.js'
import { x5uAllowList, x5uRules } from '../vs/sti-vs.js'
import type { Executor } from '../../store/db.js'
import { installTrustList, type TrustList } from './trust-list.js'
import { publishTrustList } from './trust-list-share.js'

/** The STI-PA API's rules: https on 443/8443 unless allowed, no redirects, a list of a few MB at most. */
export function stiPaRules(allow: readonly string[]): GuardRules {
  return {
    schemes: ['https:'],
    ports: [443, 8443],
    allow,
    allowUserinfo: false,
    allowQuery: false,
    timeoutMs: 10_000,
    maxBytes: 4 * 1024 * 1024,
    maxRedirects: 0,
  }
}

function jsonOf(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'))
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The SP's STI-PA API account. */
export interface StiPaAccess {
  readonly base: string
  readonly user: string
  readonly password: string
}

/** Logs in; returns the API root and the access token. Never puts the password in an error. */
async function login(
  fetcher: GuardedFetcher,
  a: StiPaAccess,
): Promise<{ readonly root: string; readonly token: string }> {
  const root = a.base.replace(/\/+$/, '')
  const r = await fetcher.fetch(`${root}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ userId: a.user, password: a.password }),
  })
  const auth = jsonOf(r.body)
  if (r.status !== 200 || auth?.status !== 'success' || typeof auth.accessToken !== 'string' || !auth.accessToken) {
    throw new Error(
      `STI-PA login as ${a.user} failed: HTTP ${r.status}${typeof auth?.message === 'string' ? ` (${auth.message.slice(0, 200)})` : ''}`,
    )
  }
  return { root, token: auth.accessToken }
}

/** Logs in and returns the CA list response body (the API's JSON). */
async function fetchCaList(fetcher: GuardedFetcher, a: StiPaAccess): Promise<string> {
  const { root, token } = await login(fetcher, a)
  const list = await fetcher.fetch(`${root}/ca-list`, {
    headers: { accept: 'application/jose+json', authorization: token },
  })
  if (list.status !== 200) throw new Error(`STI-PA ca-list: HTTP ${list.status}`)
  return list.body.toString('utf8')
}

/**
 * Asks the STI-PA for an SPC token (`POST /account/{spId}/token`): the authority token an STI-CA
 * takes in the ACME `tkauth-01` challenge, for `tkvalue` (the order's TNAuthList identifier) and
 * the ACME account key's `fingerprint`.
 */
export async function requestSpcToken(
  fetcher: GuardedFetcher,
  a: StiPaAccess,
  spId: string,
  tkvalue: string,
  fingerprint: string,
): Promise<string> {
  const { root, token } = await login(fetcher, a)
  const r = await fetcher.fetch(`${root}/account/${encodeURIComponent(spId)}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: token },
    body: JSON.stringify({ atc: { tktype: 'TNAuthList', tkvalue, ca: false, fingerprint } }),
  })
  const body = jsonOf(r.body)
  if (
    r.status !== 200 ||
    body?.status !== 'success' ||
    typeof body.token !== 'string' ||
    body.token.split('.').length !== 3
  ) {
    throw new Error(
      `STI-PA SPC token for ${spId}: HTTP ${r.status}${typeof body?.message === 'string' ? ` (${body.message.slice(0, 200)})` : ''}`,
    )
  }
  return body.token
}

/** The STI-PA access of a config, or why it is incomplete. */
export function stiPaAccessOf(config: Config): StiPaAccess {
  if (!config.stiPaApi || !config.stiPaUser || !config.stiPaPassword)
    throw new Error('set STIRHUB_STI_PA_API, STIRHUB_STI_PA_USER and STIRHUB_STI_PA_PASSWORD')
  return { base: config.stiPaApi, user: config.stiPaUser, password: config.stiPaPassword }
}

/** One pull: fetch, check, install, publish through the store. Throws what went wrong; the list in use stays then. */
export async function pullTrustList(config: Config, clock: Clock, db: Executor, actor: string): Promise<TrustList> {
  const access = stiPaAccessOf(config)
  if (!config.trustList || !config.stiPaRoots) throw new Error('set STIRHUB_TRUST_LIST and STIRHUB_STI_PA_ROOTS')
  const allow = x5uAllowList(config)
  const api = createGuardedFetcher(stiPaRules(allow))
  const x5u = createGuardedFetcher(x5uRules(allow))
  try {
    const text = await fetchCaList(api, access)
    const list = await installTrustList(text, config.trustList, config.stiPaRoots, clock(), bodyOf(x5u))
    await publishTrustList(db, config.trustList, list, actor, clock())
    return list
  } finally {
    await Promise.all([api.close(), x5u.close()])
  }
}

/** Retry delay after a failed pull. */
const RETRY_MS = 15 * 60_000

/**
 * Pulls at start and every `trustListRefreshHours` (after a failure, again in 15 minutes), and
 * publishes each list through the store for the other machines. Returns its stop function.
 */
export function startTrustListPull(config: Config, clock: Clock, log: Logger, db: Executor): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const next = (ms: number) => {
    if (!stopped) timer = setTimeout(run, ms).unref()
  }
  function run() {
    running = pullTrustList(config, clock, db, 'worker')
      .then((l) => {
        log.info(
          { path: config.trustList, roots: l.roots.length, sequence: l.sequence },
          'STI-PA trust list pulled and published',
        )
        next(config.trustListRefreshHours * 3_600_000)
      })
      .then(undefined, (err) => {
        log.warn({ err: (err as Error).message }, 'STI-PA trust list pull failed: keeping the list in use')
        next(RETRY_MS)
      })
  }
  run()
  return async () => {
    stopped = true
    clearTimeout(timer)
    await running
  }
}
