/**
 * The STI-VS certificate source: x5u URL → validated signer key. A miss fetches the URL
 * (through the guarded fetcher), parses the PEM chain, validates the path to the anchors and
 * runs the profile check once; the result is cached by URL (see cache-policy.ts). A hit does
 * no X.509 work: it compares the clock with the cached validity window and looks the path up
 * in the CRL sets. Concurrent misses for one URL share one fetch.
 */
import type { KeyObject, X509Certificate } from 'node:crypto'
import type { Clock } from '../../domain/time.js'
import { refusalKind } from '../../security/guarded-fetch.js'
import type { CrlStore } from '../trust/crl-store.js'
import { validatePath, type ValidatedChain } from '../trust/path-validation.js'
import type { TrustStore } from '../trust/trust-store.js'
import { cacheExpiry, NEGATIVE_TTL_MS } from './cache-policy.js'
import { parsePemBody } from './pem-body.js'

/** What an x5u fetch returns; a fetcher throws (guard refusal or network) on failure. */
interface X5uResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/** Fetches an x5u URL. Injectable: tests map fixture URLs to local files. */
export type X5uFetcher = (url: string) => Promise<X5uResponse>

/** Reasons a certificate lookup can fail with (a subset of the verifier's reasons). */
type CertFailure =
  | 'x5u_fetch_failed'
  | 'x5u_forbidden'
  | 'cert_invalid'
  | 'cert_untrusted'
  | 'cert_expired'
  | 'cert_not_yet_valid'
  | 'cert_revoked'
  | 'cert_profile'
  | 'cert_key_unsupported'

/** The signer's certificate as a traceback names it: its issuer and serial number. */
export interface CertName {
  readonly issuer: string
  readonly serial: string
}

export type CertLookup =
  | {
      readonly ok: true
      readonly key: KeyObject
      readonly spc?: string
      readonly cert?: CertName
      readonly cache: 'hit' | 'miss'
    }
  | {
      readonly ok: false
      readonly reason: CertFailure
      readonly detail: string
      readonly spc?: string
      readonly cert?: CertName
      readonly cache: 'hit' | 'miss'
    }

/** A profile check over the leaf (ATIS-1000080); returns the names of its defects. */
export type ProfileCheck = (leaf: X509Certificate, path: readonly X509Certificate[]) => readonly string[]

export interface CertCacheOptions {
  readonly fetcher: X5uFetcher
  /** The anchors; a function is asked again on every miss (the dev CA may appear later). */
  readonly trust: TrustStore | (() => TrustStore)
  readonly crl: CrlStore
  readonly clock: Clock
  /** Strict-mode profile lint; unset = lenient (only TNAuthList presence is required). */
  readonly profile?: ProfileCheck
  readonly negativeTtlMs?: number
  readonly maxEntries?: number
}

type Entry =
  | {
      readonly ok: true
      readonly chain: ValidatedChain
      readonly cert: CertName
      readonly defects: readonly string[]
      readonly expiresAt: number
      readonly hit: CertLookup
    }
  | { readonly ok: false; readonly reason: CertFailure; readonly detail: string; readonly expiresAt: number }

const FORBIDDEN = new Set(['bad_url', 'scheme', 'port', 'userinfo', 'query', 'address', 'redirect'])

/** Cache of validated x5u chains, one per process. */
export class CertCache {
  private readonly entries = new Map<string, Entry>()
  private readonly inflight = new Map<string, Promise<Entry>>()
  /** Counters for tests and metrics. */
  readonly counts = { hits: 0, misses: 0, fetches: 0 }

  constructor(private readonly o: CertCacheOptions) {}

  /** The validated key for `url`, or why there is none. */
  async get(url: string): Promise<CertLookup> {
    const now = this.o.clock().getTime()
    let e = this.entries.get(url)
    let cache: 'hit' | 'miss' = 'hit'
    if (!e || e.expiresAt <= now) {
      cache = 'miss'
      this.counts.misses++
      let p = this.inflight.get(url)
      if (!p) {
        p = this.load(url).finally(() => this.inflight.delete(url))
        this.inflight.set(url, p)
      }
      e = await p
    } else this.counts.hits++
    return this.judge(e, now, cache)
  }

  /**
   * The warm path: the answer for `url` when it is cached and fresh, without a promise;
   * undefined when {@link get} must load it.
   */
  peek(url: string): CertLookup | undefined {
    const e = this.entries.get(url)
    const now = this.o.clock().getTime()
    if (!e || e.expiresAt <= now) return undefined
    this.counts.hits++
    return this.judge(e, now, 'hit')
  }

  /** Drops every entry (tests; trust-anchor reload). */
  clear(): void {
    this.entries.clear()
  }

  private judge(e: Entry, now: number, cache: 'hit' | 'miss'): CertLookup {
    if (!e.ok) return { ok: false, reason: e.reason, detail: e.detail, cache }
    // The warm path of every verification: no closure, only the answer.
    const c = e.chain
    let reason: CertFailure, detail: string
    if (now < c.notBefore)
      [reason, detail] = ['cert_not_yet_valid', `valid from ${new Date(c.notBefore).toISOString()}`]
    else if (now > c.notAfter) [reason, detail] = ['cert_expired', `expired ${new Date(c.notAfter).toISOString()}`]
    else if (this.o.crl.isRevoked(c.revocation)) [reason, detail] = ['cert_revoked', 'on the CRL']
    else if (e.defects.length) [reason, detail] = ['cert_profile', e.defects.join(', ')]
    else return cache === 'hit' ? e.hit : { ok: true, key: c.key, spc: c.spc, cert: e.cert, cache }
    return { ok: false, reason, detail, spc: c.spc, cert: e.cert, cache }
  }

  private async load(url: string): Promise<Entry> {
    const now = this.o.clock().getTime()
    const negative = (reason: CertFailure, detail: string): Entry => ({
      ok: false,
      reason,
      detail,
      expiresAt: now + (this.o.negativeTtlMs ?? NEGATIVE_TTL_MS),
    })
    const e = await this.fetchAndValidate(url, now).catch((err: unknown) => {
      const kind = refusalKind(err)
      return negative(FORBIDDEN.has(kind) ? 'x5u_forbidden' : 'x5u_fetch_failed', `${kind}: ${(err as Error).message}`)
    })
    this.store(url, e)
    return e
  }

  private async fetchAndValidate(url: string, now: number): Promise<Entry> {
    const negTtl = now + (this.o.negativeTtlMs ?? NEGATIVE_TTL_MS)
    this.counts.fetches++
    const res = await this.o.fetcher(url)
    if (res.status !== 200)
      return { ok: false, reason: 'x5u_fetch_failed', detail: `HTTP ${res.status}`, expiresAt: negTtl }
    const certs = parsePemBody(res.body)
    if (!certs) return { ok: false, reason: 'cert_invalid', detail: 'body is not PEM certificates', expiresAt: negTtl }
    const v = validatePath(certs, typeof this.o.trust === 'function' ? this.o.trust() : this.o.trust)
    if (!v.ok) return { ok: false, reason: v.reason, detail: v.detail, expiresAt: negTtl }
    this.o.crl.learn(v.chain.crlUrls, v.chain.path.slice(1))
    const defects = this.defects(v.chain)
    const leaf = v.chain.path[0]!
    const cert: CertName = Object.freeze({ issuer: leaf.issuer.replaceAll('\n', ', '), serial: leaf.serialNumber })
    const hit: CertLookup = Object.freeze({ ok: true, key: v.chain.key, spc: v.chain.spc, cert, cache: 'hit' })
    return { ok: true, chain: v.chain, cert, defects, expiresAt: cacheExpiry(res.headers, now, v.chain.notAfter), hit }
  }

  private defects(c: ValidatedChain): readonly string[] {
    // In every mode a leaf must carry a TNAuthList (RFC 8226 §9): it is what binds the key to
    // a service provider. The profile check adds its own findings (all of them when strict).
    const findings = this.o.profile ? [...this.o.profile(c.path[0]!, c.path)] : []
    if (!c.hasTnAuthList && !findings.some((f) => f.startsWith('tn_auth_list')))
      findings.unshift('tn_auth_list_missing')
    return findings
  }

  private store(url: string, e: Entry): void {
    const max = this.o.maxEntries ?? 10_000
    if (this.entries.size >= max) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(url, e)
  }
}
