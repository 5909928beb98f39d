/**
 * Revocation state for STI-VS: the CRLs (the STI-PA publishes one for SHAKEN, ATIS-1000080
 * §6.4.1 CRL Distribution Points) are fetched on a schedule by each verifying process, shared
 * with the others through the store (crl-share.ts), and held here as sets of revoked serials
 * per issuer, so a verification's revocation check is two hash lookups
 * and never a network call (spec §4: "download it on a schedule, not per call").
 */
import 'reflect-metadata'
import { X509Certificate } from 'node:crypto'
import * as px from '@peculiar/x509'
import { normSerial, type RevocationId } from './path-validation.js'

/** Fetches a CRL body (DER or PEM); throws on any failure. */
export type CrlFetcher = (url: string) => Promise<Buffer>

/** A CRL as loaded: what another process needs to load it too (crl-share.ts). */
export interface LoadedCrl {
  /** The CRL, DER. */
  readonly der: Buffer
  /** The CA certificate its signature was checked against. */
  readonly issuerPem: string
  readonly thisUpdate: Date
  readonly revoked: number
}

/** Outcome of one CRL URL in a refresh. */
export interface CrlRefresh {
  readonly url: string
  readonly ok: boolean
  readonly revoked?: number
  readonly error?: string
  /** The CRL loaded (when ok). */
  readonly loaded?: LoadedCrl
}

/** In-memory CRL state shared by every verification of a process. */
export class CrlStore {
  private readonly revoked = new Map<string, ReadonlySet<string>>()
  private readonly urls = new Set<string>()
  private readonly issuers = new Map<string, px.X509Certificate>()
  /** thisUpdate of the CRL loaded per issuer: an older one never replaces it. */
  private readonly updated = new Map<string, number>()
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
    return (await this.loadCrl(body)).revoked
  }

  /**
   * Loads a CRL another process fetched and checked (crl-share.ts), against the CA certificate
   * it was checked against there; its URL joins this process's refreshes.
   */
  async adopt(url: string, der: Buffer, issuerPem: string): Promise<number> {
    const ca = new X509Certificate(issuerPem)
    if (!ca.ca) throw new Error('the issuer of a shared CRL is not a CA certificate')
    const p = new px.X509Certificate(ca.raw)
    if (!this.issuers.has(p.subject)) this.issuers.set(p.subject, p)
    this.urls.add(url)
    return this.load(der)
  }

  private async loadCrl(body: Buffer | string): Promise<LoadedCrl> {
    const crl = new px.X509Crl(
      typeof body === 'string' ? body : looksPem(body) ? body.toString('latin1') : new Uint8Array(body),
    )
    const signer = this.issuers.get(crl.issuer)
    if (!signer) throw new Error(`no known CA named ${crl.issuer}`)
    if (!(await crl.verify({ publicKey: signer.publicKey }))) throw new Error('CRL signature does not verify')
    const serials = new Set(crl.entries.map((e) => normSerial(e.serialNumber)))
    const at = crl.thisUpdate.getTime()
    if ((this.updated.get(crl.issuer) ?? -Infinity) <= at) {
      this.revoked.set(crl.issuer, serials)
      this.updated.set(crl.issuer, at)
      this.generation++
    }
    return {
      der: Buffer.from(crl.rawData),
      issuerPem: signer.toString('pem'),
      thisUpdate: crl.thisUpdate,
      revoked: serials.size,
    }
  }

  /** Fetches and loads every known CRL URL (plus `extra`); one failure does not stop the rest. */
  async refresh(fetch: CrlFetcher, extra: readonly string[] = []): Promise<CrlRefresh[]> {
    const out: CrlRefresh[] = []
    for (const url of new Set([...this.urls, ...extra])) {
      try {
        const loaded = await this.loadCrl(await fetch(url))
        out.push({ url, ok: true, revoked: loaded.revoked, loaded })
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
