/**
 * Was this Identity header signed by this platform? Traceback answers only for calls it can
 * prove it signed: the PASSporT's signature must verify with the public key of one of our own
 * STI certificates (the active one or a retired one), never with a certificate fetched from
 * the x5u. The x5u only says which of ours to try first. Pure: no I/O, no clock.
 */
import { X509Certificate, type KeyObject } from 'node:crypto'
import { verifyJwsSignature } from '../passport/index.js'
import { parseIdentity, splitIdentityInstances } from '../vs/identity-header.js'
import {
  decodeClaims,
  decodeDivClaims,
  decodeHeader,
  splitReceived,
  type ReceivedHeader,
} from '../vs/passport-decode.js'
import type { CertificateRow } from '../../store/certificates.repo.js'

/** The claims of a PASSporT we signed, as traceback needs them (TNs canonical). */
export interface TracedClaims {
  readonly ppt: 'shaken' | 'div'
  readonly orig: string
  readonly dest: readonly string[]
  readonly iat: number
  /** SHAKEN only. */
  readonly attest?: string
  readonly origid?: string
  /** div only: the number that diverted the call. */
  readonly div?: string
}

export type OwnSignature =
  | {
      readonly ok: true
      /** The Identity value checked (one header instance, without a leading `Identity:`). */
      readonly identity: string
      readonly certificate: CertificateRow
      readonly header: ReceivedHeader
      readonly claims: TracedClaims
    }
  | { readonly ok: false; readonly reason: string }

/** Thrown for text that is not an Identity header at all (the route answers 400). */
export class NotAnIdentityHeader extends Error {}

/** The leaf's public key of a stored chain (its first PEM block), or undefined when unreadable. */
function publicKeyOf(row: CertificateRow): KeyObject | undefined {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(row.chain_pem)
  if (!m) return undefined
  try {
    return new X509Certificate(m[0]).publicKey
  } catch {
    return undefined
  }
}

/** The certificate id an x5u of ours names (`…/certs/<CR…>.pem`), whatever host it was served from. */
const certIdOf = (x5u: string | undefined) => (x5u ? /\/certs\/(CR[0-9a-f]{32})\.pem$/.exec(x5u)?.[1] : undefined)

/**
 * The one Identity value to trace in what an operator pasted: a leading `Identity:` is
 * dropped, and of several header instances the SHAKEN one is taken (a div one otherwise).
 */
function identityValueOf(pasted: string): string {
  const text = pasted.trim().replace(/^identity\s*:\s*/i, '')
  const instances = splitIdentityInstances(text)
  if (instances.length <= 1) return text
  return instances.find((i) => !/;\s*ppt\s*=\s*"?div/i.test(i)) ?? instances[0]!
}

/** The claims of a PASSporT we signed: SHAKEN or div, by its header's ppt. */
function claimsOf(header: ReceivedHeader, payload: string): TracedClaims | string {
  if (header.ppt === 'div') {
    const d = decodeDivClaims(payload)
    return d.ok ? { ppt: 'div', ...d.value } : d.detail
  }
  const c = decodeClaims(payload)
  return c.ok ? { ppt: 'shaken', ...c.value } : c.detail
}

/**
 * Checks `pasted` against `certificates` (ours, any status). Throws {@link NotAnIdentityHeader}
 * when the text is no Identity header; a header whose signature none of ours verifies is
 * answered `{ ok: false, reason }`, saying why.
 */
export function checkOwnSignature(pasted: string, certificates: readonly CertificateRow[]): OwnSignature {
  const identity = identityValueOf(pasted)
  const parsed = parseIdentity(identity)
  if (!parsed.ok) throw new NotAnIdentityHeader(`is not an Identity header (${parsed.reason})`)
  const jws = splitReceived(parsed.value.jws, parsed.value.base64url)
  if (!jws.ok) throw new NotAnIdentityHeader(`is not an Identity header (${jws.detail})`)
  const header = decodeHeader(jws.value.header)
  const named = certIdOf(header.ok ? header.value.x5u : parsed.value.info)
  // The certificate the x5u names first, then every other one of ours (a PASSporT signed before
  // the public URL changed names a host we no longer answer on, but its key is still ours).
  const tried = [...certificates].sort((a, b) => Number(b.id === named) - Number(a.id === named))
  const signer = tried.find((row) => {
    const key = publicKeyOf(row)
    return key !== undefined && verifyJwsSignature(parsed.value.jws, key)
  })
  if (!signer)
    return { ok: false, reason: notOursReason(certificates, named, header.ok ? header.value.x5u : undefined) }
  if (!header.ok) return { ok: false, reason: `signed with our key, but its header is unreadable: ${header.detail}` }
  const claims = claimsOf(header.value, jws.value.payload)
  if (typeof claims === 'string')
    return { ok: false, reason: `signed with our key, but its claims are unreadable: ${claims}` }
  return { ok: true, identity, certificate: signer, header: header.value, claims }
}

/** Why no certificate of ours verified the signature. */
function notOursReason(certificates: readonly CertificateRow[], named: string | undefined, x5u: string | undefined) {
  const n = certificates.length
  const none = `the signature does not verify with any of this platform's ${n} signing certificate${n === 1 ? '' : 's'} (current and past)`
  if (n === 0) return 'this platform has no signing certificate: it signed nothing'
  if (named && certificates.some((c) => c.id === named))
    return `${none}: its x5u names our certificate ${named}, so the PASSporT was altered after signing or signed with another key`
  return x5u ? `${none}; its x5u ${x5u} is not one of ours` : none
}
