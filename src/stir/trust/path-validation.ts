/**
 * RFC 5280 §6 path validation for STI certificates, reduced to what SHAKEN needs: build a path
 * from the x5u leaf through the x5u intermediates to a trust anchor, every link's signature
 * checked, issuers must be CAs, no loops and a bounded depth. The result is time-free (the
 * validity window is returned) so it can be cached and re-checked against the clock with no
 * X.509 work on a warm verification.
 */
import 'reflect-metadata'
import type { KeyObject, X509Certificate } from 'node:crypto'
import * as px from '@peculiar/x509'
import { TN_AUTH_LIST_OID, decodeTnAuthList, spcsOf } from '../cert/tn-auth-list.js'
import type { TrustStore } from './trust-store.js'

/** Longest path accepted: leaf + 3 intermediates + root (SHAKEN paths have 2 or 3 certs). */
const MAX_PATH = 5

/** A certificate's identity on a CRL: issuer DN and serial (upper-case hex, no leading zeros). */
export interface RevocationId {
  readonly issuer: string
  readonly serial: string
}

/** What a validated chain gives the verifier: all it needs, pre-digested. */
export interface ValidatedChain {
  readonly key: KeyObject
  /** Path from the leaf up to and including the anchor. */
  readonly path: readonly X509Certificate[]
  /** Latest notBefore and earliest notAfter over the path, ms since epoch. */
  readonly notBefore: number
  readonly notAfter: number
  /** The leaf and intermediates, as a CRL would list them. */
  readonly revocation: readonly RevocationId[]
  /** CRL distribution point URLs found in the path (fetched on a schedule, never per call). */
  readonly crlUrls: readonly string[]
  /** Service Provider Code from the leaf's TNAuthList, when it decodes. */
  readonly spc?: string
  /** True when the leaf carries a TNAuthList extension at all. */
  readonly hasTnAuthList: boolean
}

export type PathResult =
  | { readonly ok: true; readonly chain: ValidatedChain }
  | {
      readonly ok: false
      readonly reason: 'cert_untrusted' | 'cert_key_unsupported' | 'cert_invalid'
      readonly detail: string
    }

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey)
  } catch {
    return false
  }
}

/** Serial as a CRL lists it: upper-case hex without leading zeros. */
export function normSerial(hex: string): string {
  return hex
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '')
}

function buildPath(chain: readonly X509Certificate[], trust: TrustStore): X509Certificate[] | string {
  const leaf = chain[0]!
  if (leaf.ca) return 'the leaf is a CA certificate'
  const path = [leaf]
  const used = new Set([leaf.fingerprint256])
  let cur = leaf
  while (path.length < MAX_PATH) {
    const anchor = trust.anchors.find((a) => issuedBy(cur, a))
    if (anchor) {
      path.push(anchor)
      return path
    }
    const next = chain.find((c) => !used.has(c.fingerprint256) && c.ca && !c.checkIssued(c) && issuedBy(cur, c))
    if (!next) return `no trusted issuer for ${cur.subject.replace(/\n/g, ', ')}`
    used.add(next.fingerprint256)
    path.push(next)
    cur = next
  }
  return 'path too long'
}

function leafFacts(leaf: X509Certificate): { spc?: string; hasTnAuthList: boolean } {
  const p = new px.X509Certificate(leaf.raw)
  const ext = p.getExtension(TN_AUTH_LIST_OID)
  if (!ext) return { hasTnAuthList: false }
  try {
    return { hasTnAuthList: true, spc: spcsOf(decodeTnAuthList(new Uint8Array(ext.value)))[0] }
  } catch {
    return { hasTnAuthList: true }
  }
}

function crlUrlsOf(certs: readonly X509Certificate[]): string[] {
  const urls = new Set<string>()
  for (const c of certs) {
    const ext = new px.X509Certificate(c.raw).getExtension(px.CRLDistributionPointsExtension)
    for (const dp of ext?.distributionPoints ?? []) {
      for (const n of dp.distributionPoint?.fullName ?? [])
        if (n.uniformResourceIdentifier) urls.add(n.uniformResourceIdentifier)
    }
  }
  return [...urls]
}

/** Validates `chain` (leaf first, as received) against the anchors; no clock involved. */
export function validatePath(chain: readonly X509Certificate[], trust: TrustStore): PathResult {
  if (chain.length === 0) return { ok: false, reason: 'cert_untrusted', detail: 'empty chain' }
  const built = buildPath(chain, trust)
  if (typeof built === 'string') return { ok: false, reason: 'cert_untrusted', detail: built }
  const leaf = built[0]!
  // Node decodes a certificate's key only when asked: a key it cannot read throws here.
  let key: KeyObject
  try {
    key = leaf.publicKey
  } catch (e) {
    return { ok: false, reason: 'cert_key_unsupported', detail: `leaf key does not decode: ${(e as Error).message}` }
  }
  const kd = key.asymmetricKeyDetails
  // ES256 is ECDSA over P-256 (RFC 7518 §3.4); any other leaf key cannot have signed it.
  if (key.asymmetricKeyType !== 'ec' || kd?.namedCurve !== 'prime256v1') {
    return {
      ok: false,
      reason: 'cert_key_unsupported',
      detail: `leaf key ${key.asymmetricKeyType} ${kd?.namedCurve ?? ''}`,
    }
  }
  const nonAnchors = built.slice(0, -1)
  // @peculiar/x509 decodes every extension it knows: a CA that signed a malformed one (a
  // Certificate Policies that is not PolicyInformation, say) gives a certificate it cannot read.
  let facts: Pick<ValidatedChain, 'revocation' | 'crlUrls' | 'spc' | 'hasTnAuthList'>
  try {
    facts = {
      revocation: nonAnchors.map((c) => ({
        issuer: new px.X509Certificate(c.raw).issuer,
        serial: normSerial(c.serialNumber),
      })),
      crlUrls: crlUrlsOf(nonAnchors),
      ...leafFacts(leaf),
    }
  } catch (e) {
    return {
      ok: false,
      reason: 'cert_invalid',
      detail: `a certificate of the path does not decode: ${(e as Error).message}`,
    }
  }
  return {
    ok: true,
    chain: {
      key,
      path: built,
      notBefore: Math.max(...built.map((c) => Date.parse(c.validFrom))),
      notAfter: Math.min(...built.map((c) => Date.parse(c.validTo))),
      ...facts,
    },
  }
}
