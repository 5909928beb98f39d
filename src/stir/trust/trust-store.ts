/**
 * Trust anchors for STI-VS path validation: the STI-CA roots of a PEM bundle
 * (`STIRHUB_TRUST_ANCHORS`) plus, in development, the platform's own dev CA root written by
 * `stirhub cert dev` under `<dataDir>/dev-ca/` (DESIGN §6: trusted while we sign with it).
 */
import fs from 'node:fs'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'

/** An immutable set of trusted roots. */
export interface TrustStore {
  readonly anchors: readonly X509Certificate[]
  /** SHA-256 fingerprints of the anchors, to spot an anchor sent inside an x5u chain. */
  readonly fingerprints: ReadonlySet<string>
}

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Every certificate of a PEM text; blocks that do not parse are skipped. */
export function certsFromPem(text: string): X509Certificate[] {
  const out: X509Certificate[] = []
  for (const m of text.matchAll(BLOCK)) {
    try {
      out.push(new X509Certificate(m[0]))
    } catch {
      /* not a certificate: ignore */
    }
  }
  return out
}

/** Builds a trust store from certificates (only CA certificates become anchors). */
export function trustStoreOf(certs: readonly X509Certificate[]): TrustStore {
  const anchors = certs.filter((c) => c.ca)
  return Object.freeze({
    anchors: Object.freeze([...anchors]),
    fingerprints: new Set(anchors.map((c) => c.fingerprint256)),
  })
}

/** Self-issued CA certificates found in the dev CA folder (missing folder: none). */
function devCaRoots(dataDir: string): X509Certificate[] {
  const dir = path.join(dataDir, 'dev-ca')
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  return names
    .filter((n) => n.endsWith('.pem') || n.endsWith('.crt'))
    .flatMap((n) => certsFromPem(fs.readFileSync(path.join(dir, n), 'utf8')))
    .filter((c) => c.ca && c.checkIssued(c))
}

/** Options for {@link loadTrustStore}. */
export interface TrustSources {
  /** Path of a PEM bundle of trusted roots. */
  readonly bundlePath?: string
  /** Data dir whose `dev-ca/` roots are trusted (development mode only). */
  readonly devDataDir?: string
  /** Extra PEM text (tests). */
  readonly pem?: string
}

/** Loads the anchors from their sources; an unreadable bundle path throws (fail at boot). */
export function loadTrustStore(src: TrustSources): TrustStore {
  const certs: X509Certificate[] = []
  if (src.bundlePath) certs.push(...certsFromPem(fs.readFileSync(src.bundlePath, 'utf8')))
  if (src.devDataDir) certs.push(...devCaRoots(src.devDataDir))
  if (src.pem) certs.push(...certsFromPem(src.pem))
  return trustStoreOf(certs)
}
