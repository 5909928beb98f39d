/**
 * The x5u response body: PEM certificates only, leaf first then intermediates (ATIS-1000074
 * §5.3.1; Asterisk requires the body to begin with `-----BEGIN CERTIFICATE-----`). The whole
 * chain is kept: caching only the leaf broke later verifications in three peers (asterisk
 * #1272, kamailio #3246, libstirshaken PR #123).
 */
import { X509Certificate } from 'node:crypto'

/** At most this many certificates in one x5u body (leaf + intermediates + an optional root). */
export const MAX_CHAIN = 6

const BLOCK = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n\t ]+?)-----END CERTIFICATE-----/g

/**
 * Parses the certificates of a PEM body; undefined when the body is not PEM certificates
 * (anything before the first block other than whitespace, no block, a block that does not
 * parse, or more than MAX_CHAIN).
 */
export function parsePemBody(body: Buffer | string): X509Certificate[] | undefined {
  const text = typeof body === 'string' ? body : body.toString('latin1')
  if (!text.trimStart().startsWith('-----BEGIN CERTIFICATE-----')) return undefined
  const out: X509Certificate[] = []
  for (const m of text.matchAll(BLOCK)) {
    if (out.length >= MAX_CHAIN) return undefined
    try {
      out.push(new X509Certificate(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')))
    } catch {
      return undefined
    }
  }
  return out.length ? out : undefined
}
