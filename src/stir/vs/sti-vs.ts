/**
 * The STI-VS of a process: the guarded x5u fetcher, trust anchors, CRL state, certificate
 * cache and verifier, built once at boot (src/runtime/boot.ts) and shared by the ATIS route
 * and the SIP verify front; the CLI builds the store-free parts. Processes that verify keep
 * their CRLs and anchors fresh on a schedule ({@link startTrustSchedule}).
 */
import fs from 'node:fs'
import type { Logger } from 'pino'
import type { Config } from '../../config/config.js'
import type { Clock } from '../../domain/time.js'
import type { Store } from '../../store/db.js'
import { bodyOf, createGuardedFetcher, type GuardRules } from '../../security/guarded-fetch.js'
import { lintCertificate } from '../cert/profile-lint.js'
import { devCaPaths } from '../cert/dev-ca.js'
import { CrlStore, type CrlRefresh } from '../trust/crl-store.js'
import { adoptSharedCrls, publishCrls } from '../trust/crl-share.js'
import { loadTrustList, type TrustList } from '../trust/trust-list.js'
import { adoptPublishedTrustList } from '../trust/trust-list-share.js'
import { loadTrustStore, trustStoreOf, type TrustStore } from '../trust/trust-store.js'
import { CertCache, type ProfileCheck, type X5uFetcher } from '../x5u/cert-cache.js'
import { createVerifier, type Verifier } from './verifier.js'
import { VerificationCounter } from './verification-counter.js'
import type { CallRecorder } from '../calls/call-recorder.js'
import type { CallVia } from '../calls/call-record.js'
import type { Verdict, VerifyInput } from './verifier.js'

/** x5u fetch rules (ATIS-1000074 §5.3.1 as Asterisk applies them; DESIGN §6). */
export function x5uRules(allow: readonly string[]): GuardRules {
  return {
    schemes: ['https:'],
    ports: [443, 8443],
    allow,
    allowUserinfo: false,
    allowQuery: false,
    timeoutMs: 2000,
    maxBytes: 32 * 1024,
    maxRedirects: 2,
  }
}

/** CRLs are bigger than certificates (the STI-PA's lists every revoked SP certificate). */
function crlRules(allow: readonly string[]): GuardRules {
  return {
    schemes: ['http:', 'https:'],
    allow,
    allowUserinfo: false,
    allowQuery: true,
    timeoutMs: 10_000,
    maxBytes: 8 * 1024 * 1024,
    maxRedirects: 2,
  }
}

/**
 * The profile check over the leaf and intermediates (the anchor is the operator's choice):
 * strict mode fails on every ATIS-1000080 finding, named by the lint; lenient fails only on
 * what breaks SHAKEN itself. Intermediate findings are prefixed `ca:`.
 */
export function profileCheck(strict: boolean): ProfileCheck {
  return (leaf, path) =>
    path.slice(0, Math.max(1, path.length - 1)).flatMap((c, i) =>
      lintCertificate(c, { strict })
        .findings.filter((f) => f.severity === 'error')
        .map((f) => (i === 0 ? f.id : `ca:${f.id}`)),
    )
}

/** The per-process STI-VS pieces. */
export interface StiVs {
  readonly verifier: Verifier
  readonly certs: CertCache
  readonly crl: CrlStore
  /** Outcomes by account, reason, signer SPC and attest (flushed to the store in batches). */
  readonly counter: VerificationCounter
  /**
   * Takes note of one verification: recorded as a call (stir/calls) and counted for the account
   * it was made for; when none was named, for the holder of the called number once the
   * recorder has looked it up ('' when the number is no one's: the operator's inbound traffic).
   * Every front calls it once per verification.
   */
  observe(accountSid: string | undefined, input: VerifyInput, verdict: Verdict, via?: CallVia): void
  /** Fetches every known CRL (and with a store, shares what loaded: crl-share.ts). */
  refreshCrls(): Promise<readonly CrlRefresh[]>
  /** Reads the trust anchors again if their files changed; a change drops the certificate cache. */
  refreshTrust(): void
  /** The anchors in use now (and the STI-PA trust list among them). */
  trust(): TrustView
  close(): Promise<void>
}

/** Overrides for tests and the CLI. */
export interface StiVsOptions {
  readonly fetcher?: X5uFetcher
  readonly trust?: TrustStore
}

/** The anchors in use, and the STI-PA trust list they include (if any). */
interface TrustView {
  readonly store: TrustStore
  readonly list?: TrustList
}

/**
 * The trust anchors, read again when one of their files changes (the STI-PA adds or withdraws
 * an STI-CA: the operator replaces the bundle or the trust list, no restart): the PEM bundle,
 * the STI-CA roots of a checked STI-PA trust list, and in development the dev CA. Files that
 * cannot be read or checked after a change keep the anchors last read; at boot they fail the
 * start (a trust-list file not there yet is waited for: a pull or another machine brings it). A list whose `exp` passes while in use keeps its roots (calls keep verifying while the
 * STI-PA is unreachable) and is reported once; a new file must be unexpired.
 */
function trustSource(config: Config, clock: Clock, log?: Logger): () => TrustView {
  const dev = config.mode === 'development' ? devCaPaths(config.dataDir).cert : undefined
  const mtime = (f: string | undefined) => (f ? (fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0) : 0)
  const stampOf = (...files: (string | undefined)[]) => files.map(mtime).join(':')
  let stamps = { bundle: '', list: '' }
  let bundle: TrustStore | undefined
  let list: TrustList | undefined
  let store: TrustStore | undefined
  let expiryReported = false
  // The list is checked again only when its own files change: an expired list in use must not
  // block a change of the bundle.
  const readList = (): TrustList | undefined => {
    if (!config.trustList || !config.stiPaRoots) return undefined
    // Before the first pull, or before another machine's list arrives through the store, there
    // is no file yet: no list, not an error.
    if (!fs.existsSync(config.trustList)) {
      log?.warn({ path: config.trustList }, 'no STI-PA trust list file yet: waiting for a pull or an import')
      return list
    }
    const next = loadTrustList(config.trustList, config.stiPaRoots, clock(), list?.sequence)
    log?.info(
      {
        path: config.trustList,
        roots: next.roots.length,
        skipped: next.skipped,
        sequence: next.sequence,
        signer: next.signer,
      },
      'STI-PA trust list loaded',
    )
    expiryReported = false
    return next
  }
  const refresh = <T>(what: keyof typeof stamps, now: string, read: () => T, last: T): T => {
    if (store && now === stamps[what]) return last
    stamps = { ...stamps, [what]: now }
    try {
      return read()
    } catch (err) {
      if (!store) throw err
      log?.warn({ err, what }, 'trust anchors unreadable: keeping the ones last read')
      return last
    }
  }
  return () => {
    const nextBundle = refresh(
      'bundle',
      stampOf(dev, config.trustAnchors),
      () => loadTrustStore({ bundlePath: config.trustAnchors, devDataDir: dev ? config.dataDir : undefined }),
      bundle,
    )
    const nextList = refresh('list', stampOf(config.trustList, config.stiPaRoots), readList, list)
    if (!store || nextBundle !== bundle || nextList !== list) {
      bundle = nextBundle
      list = nextList
      store = trustStoreOf([...(bundle?.anchors ?? []), ...(list?.roots ?? [])])
    }
    if (list?.exp !== undefined && !expiryReported && list.exp * 1000 <= clock().getTime()) {
      expiryReported = true
      log?.warn(
        { path: config.trustList, exp: new Date(list.exp * 1000).toISOString() },
        'STI-PA trust list expired: import a new one (its roots stay trusted until then)',
      )
    }
    return { store, list }
  }
}

/** The store-free part of an STI-VS (what the CLI uses). */
export type VerifierParts = Omit<StiVs, 'counter' | 'observe'>

/**
 * Hosts x5u and CRL fetches may reach despite the https/private-address rules. In development
 * this server's own certificate repository (PUBLIC_URL) is added, as its dev CA is trusted
 * too, so a fresh install verifies its own calls; production trusts only the configured list.
 */
export function x5uAllowList(config: Config): readonly string[] {
  if (config.mode !== 'development') return config.x5uAllow
  const own = new URL(config.publicUrl)
  return [...config.x5uAllow, `${own.hostname}:${own.port || (own.protocol === 'https:' ? 443 : 80)}`]
}

/** Builds the verifier, certificate cache and CRL state from the config alone. */
export function buildVerifierParts(config: Config, clock: Clock, o: StiVsOptions = {}, log?: Logger): VerifierParts {
  const allow = x5uAllowList(config)
  const x5u = createGuardedFetcher(x5uRules(allow))
  const crlFetch = createGuardedFetcher(crlRules(allow))
  const fetcher: X5uFetcher = o.fetcher ?? ((url) => x5u.fetch(url))
  const crl = new CrlStore()
  const fixed = o.trust
  const view = fixed ? () => ({ store: fixed }) : trustSource(config, clock, log)
  const anchors = () => view().store
  const certs = new CertCache({
    fetcher,
    trust: anchors,
    crl,
    clock,
    profile: profileCheck(config.verifyProfile === 'strict'),
  })
  const verifier = createVerifier({ certs, clock, freshnessSec: config.verifyFreshnessSec })
  let current = anchors()
  return {
    verifier,
    certs,
    crl,
    trust: view,
    refreshTrust() {
      const next = anchors()
      if (next === current) return
      current = next
      // Cached chains were validated against the old anchors: a withdrawn STI-CA must stop passing now.
      certs.clear()
      log?.info({ anchors: next.anchors.length }, 'trust anchors changed: certificate cache dropped')
    },
    async refreshCrls() {
      const results = await crl.refresh(bodyOf(crlFetch), config.crlUrls)
      for (const r of results) if (!r.ok) log?.warn({ url: r.url, error: r.error }, 'CRL refresh failed')
      return results
    },
    async close() {
      await Promise.all([x5u.close(), crlFetch.close()])
    },
  }
}

/** What an STI-VS and its trust schedule are built from. */
export interface StiVsDeps {
  readonly config: Config
  readonly store: Store
  readonly clock: Clock
  readonly log: Logger
}

/** Builds a process's STI-VS: the verifier parts, the outcome counter and where calls are recorded. */
export function buildStiVs(d: StiVsDeps & { readonly recorder: CallRecorder }, o: StiVsOptions = {}): StiVs {
  const parts = buildVerifierParts(d.config, d.clock, o, d.log)
  const counter = new VerificationCounter(d.store.db, d.clock)
  const recorder = d.recorder
  recorder.onOwned = (e, owner) => counter.count(owner, e.verdict.reason, e.verdict.spc, e.verdict.attest)
  return {
    ...parts,
    counter,
    observe(accountSid, input, verdict, via) {
      // Without records there is no lookup to wait for: the operator's '' takes it.
      if (accountSid || !recorder.enabled) counter.count(accountSid ?? '', verdict.reason, verdict.spc, verdict.attest)
      recorder.record({ kind: 'verified', at: recorder.now(), accountSid, input, verdict, via })
    },
    async refreshCrls() {
      const results = await parts.refreshCrls()
      await publishCrls(d.store.db, results, d.clock())
      return results
    },
    async close() {
      await counter.close()
      await parts.close()
    },
  }
}

/** How often a verifying process looks at its trust anchors' files. */
const TRUST_CHECK_MS = 10_000

/**
 * Starts the trust schedule of a process that verifies: CRLs every `crlRefreshMinutes`, and a
 * second after a certificate names a CRL URL not fetched yet, so a new signer's revocations
 * apply from its first minute rather than from the next tick, each stored for the other
 * processes; every 10 s the CRLs other processes stored and the trust anchors' files (after
 * installing a trust list another machine published through the store), so a revocation or a
 * withdrawn STI-CA any instance learned applies on all of them within seconds. Returns its
 * stop function.
 */
export function startTrustSchedule(vs: StiVs, ctx: StiVsDeps): () => Promise<void> {
  const run = () => {
    vs.refreshCrls().catch((e) => ctx.log.warn({ err: e }, 'CRL refresh failed'))
  }
  const t = setInterval(run, ctx.config.crlRefreshMinutes * 60_000)
  t.unref()
  // A trust list published through the store by another machine is installed here first.
  let seen: string | undefined
  const seenCrls = new Map<string, string>()
  const { trustList, stiPaRoots } = ctx.config
  const tick = async () => {
    // CRLs other processes fetched: every instance revokes what any of them learned.
    const shared = await adoptSharedCrls(ctx.store.db, vs.crl, seenCrls).catch((e: Error) => ({
      loaded: [],
      refused: [{ url: '*', error: e.message }],
    }))
    for (const r of shared.refused) ctx.log.warn(r, 'shared CRL not loaded')
    if (trustList && stiPaRoots) {
      const r = await adoptPublishedTrustList(ctx.store.db, trustList, stiPaRoots, ctx.clock(), seen).catch(
        (e: Error) => ({ digest: seen, refused: e.message, list: undefined }),
      )
      if (r.refused && r.digest !== seen)
        ctx.log.warn({ path: trustList, error: r.refused }, 'published STI-PA trust list not installed')
      if (r.list) ctx.log.info({ path: trustList, sequence: r.list.sequence }, 'published STI-PA trust list installed')
      seen = r.digest
    }
    vs.refreshTrust()
  }
  void tick()
  const anchors = setInterval(() => void tick(), TRUST_CHECK_MS)
  anchors.unref()
  let soon: NodeJS.Timeout | undefined
  vs.crl.onNewUrl = () => {
    soon ??= setTimeout(() => {
      soon = undefined
      run()
    }, 1000).unref()
  }
  run()
  return async () => {
    clearInterval(t)
    clearInterval(anchors)
    clearTimeout(soon)
    vs.crl.onNewUrl = undefined
  }
}
