/**
 * PEM bundles: an x5u body or an imported chain is one or more certificates, leaf first,
 * then intermediates (asterisk #1272, kamailio #3246: keep the whole chain, not the leaf).
 */
import { X509Certificate } from 'node:crypto'

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----/g

/**
 * DER of every certificate block in `text`, in order. Text around the blocks (openssl
 * dumps, comments) is ignored. Throws a RangeError when there is no block.
 */
export function pemBlocks(text: string): Buffer[] {
  const out: Buffer[] = []
  for (const m of text.matchAll(PEM_BLOCK)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'))
  if (out.length === 0) throw new RangeError('no PEM certificate found')
  return out
}

/** Parses a PEM bundle into Node certificates (leaf first). Throws a RangeError on bad input. */
export function parseChain(text: string): X509Certificate[] {
  return pemBlocks(text).map((der, i) => {
    try {
      return new X509Certificate(der)
    } catch (e) {
      throw new RangeError(`certificate ${i + 1} of the bundle does not parse: ${(e as Error).message}`)
    }
  })
}

/** PEM for one DER certificate, 64-character lines (RFC 7468 §2). */
export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
}

/** A bundle of certificates as served at the x5u: leaf first, each block on its own lines. */
export function serializeChain(certs: readonly (X509Certificate | Uint8Array)[]): string {
  return certs.map((c) => derToPem(c instanceof X509Certificate ? c.raw : c)).join('')
}

/**
 * Checks that each certificate was issued and signed by the next one (leaf -> ... -> last).
 * Returns a problem description or undefined when the order holds.
 */
export function chainOrderProblem(chain: readonly X509Certificate[]): string | undefined {
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i]!
    const parent = chain[i + 1]!
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      return `certificate ${i + 1} (${child.subject.replace(/\n/g, ', ')}) is not signed by certificate ${i + 2}`
    }
  }
  return undefined
}
