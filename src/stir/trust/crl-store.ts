/**
 * Revocation state for STI-VS: the CRLs (the STI-PA publishes one for SHAKEN, ATIS-1000080
 * §6.4.1 CRL Distribution Points) are fetched on a schedule by the worker and held here as
 * sets of revoked serials per issuer, so a verification's revocation check is two hash lookups
 * and never a network call (spec §4: "download it on a schedule, not per call").
 */
import 'reflect-metadata'
import type { X509Certificate } from 'node:crypto'
import * as px from '@peculiar/x509'
import { normSerial, type RevocationId } from './path-validation.js'

/** Fetches a CRL body (DER or PEM); throws on any failure. */
export type CrlFetcher = (url: string) => Promise<Buffer>

/** Outcome of one CRL URL in a refresh. */
export interface CrlRefresh {
  readonly url: string
  readonly ok: boolean
  readonly revoked?: number
  readonly error?: string
}

/** In-memory CRL state shared by every verification of a process. */
export class CrlStore {
  private readonly revoked = new Map<string, ReadonlySet<string>>()
  private readonly urls = new Set<string>()
  private readonly issuers = new Map<string, px.X509Certificate>()
  /** Bumped on every change, so caches know to re-check revocation. */
  generation = 0
  /** Called when a URL is learned that no refresh has fetched yet (the schedule fetches it soon). */
  onNewUrl?: () => void

  /** Remembers CRL URLs and CA certificates (CRL signers) seen in validated paths. */
  learn(urls: readonly string[], cas: readonly X509Certificate[]): void {
    const known = this.urls.size
    for (const u of urls) this.urls.add(u)
    if (this.urls.size > known) this.onNewUrl?.()
    for (const c of cas) {
      if (!c.ca) continue
      const p = new px.X509Certificate(c.raw)
      if (!this.issuers.has(p.subject)) this.issuers.set(p.subject, p)
    }
  }

  /** URLs the scheduled refresh fetches. */
  knownUrls(): string[] {
    return [...this.urls]
  }

  /** True when any certificate of the path is on a loaded CRL of its issuer. */
  isRevoked(ids: readonly RevocationId[]): boolean {
    return ids.some((id) => this.revoked.get(id.issuer)?.has(id.serial) === true)
  }

  /**
   * Loads one CRL after checking its signature against a known CA with the CRL's issuer name
   * (an unsigned or foreign CRL could otherwise revoke anything). Throws when it cannot.
   */
  async load(body: Buffer | string): Promise<number> {
    const crl = new px.X509Crl(
      typeof body === 'string' ? body : looksPem(body) ? body.toString('latin1') : new Uint8Array(body),
    )
    const signer = this.issuers.get(crl.issuer)
    if (!signer) throw new Error(`no known CA named ${crl.issuer}`)
    if (!(await crl.verify({ publicKey: signer.publicKey }))) throw new Error('CRL signature does not verify')
    const serials = new Set(crl.entries.map((e) => normSerial(e.serialNumber)))
    this.revoked.set(crl.issuer, serials)
    this.generation++
    return serials.size
  }

  /** Fetches and loads every known CRL URL (plus `extra`); one failure does not stop the rest. */
  async refresh(fetch: CrlFetcher, extra: readonly string[] = []): Promise<CrlRefresh[]> {
    const out: CrlRefresh[] = []
    for (const url of new Set([...this.urls, ...extra])) {
      try {
        out.push({ url, ok: true, revoked: await this.load(await fetch(url)) })
      } catch (e) {
        out.push({ url, ok: false, error: (e as Error).message })
      }
    }
    return out
  }
}

function looksPem(b: Buffer): boolean {
  return b.subarray(0, 64).toString('latin1').includes('-----BEGIN')
}
