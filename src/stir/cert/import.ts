/**
 * Importing an issued STI certificate: the chain (leaf first) and the private key must
 * belong together, the chain must be in order, and the leaf must pass the profile check
 * (strict by default, so a production certificate is exactly what ATIS-1000080 asks for).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { errors } from '../../domain/errors.js'
import { chainOrderProblem, parseChain, serializeChain } from './chain.js'
import { lintCertificate, type Finding } from './profile-lint.js'

/** A checked chain and key, ready to store. */
export interface CheckedImport {
  /** Normalized PEM bundle (leaf first), the body served at the x5u. */
  readonly chainPem: string
  /** Private key, PKCS#8 DER, to be sealed. */
  readonly pkcs8: Buffer
  readonly key: KeyObject
  readonly spc: string | null
  readonly notBefore: string
  readonly notAfter: string
  /** The leaf's non-error findings (warnings), for the operator. */
  readonly warnings: readonly Finding[]
}

/**
 * Checks and normalizes an import. Throws the catalogue's invalid-parameter error naming
 * `chain` or `key` with the reason, including the profile findings that failed.
 */
export function checkImport(
  chainText: string,
  keyPem: string,
  opts: { readonly strict?: boolean } = {},
): CheckedImport {
  let chain
  try {
    chain = parseChain(chainText)
  } catch (e) {
    throw errors.invalid('chain', (e as Error).message)
  }
  const leaf = chain[0]!
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem)
  } catch {
    throw errors.invalid('key', 'not a PEM private key')
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw errors.invalid('key', 'must be an ECDSA P-256 key (ES256)')
  }
  const pub = (k: KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('hex')
  // Node reads a certificate's key only when asked: one it cannot decode throws here, not at parse.
  let leafKey: KeyObject
  try {
    leafKey = leaf.publicKey
  } catch {
    throw errors.invalid('chain', 'the public key of the first certificate does not decode')
  }
  if (pub(createPublicKey(key)) !== pub(leafKey)) throw errors.invalid('key', 'does not match the leaf certificate')
  const order = chainOrderProblem(chain)
  if (order) throw errors.invalid('chain', order)
  const report = lintCertificate(leaf, { strict: opts.strict ?? true })
  if (report.role !== 'ee')
    throw errors.invalid('chain', 'the first certificate must be the SP (end-entity) certificate')
  const failed = report.findings.filter((f) => f.severity === 'error')
  if (failed.length)
    throw errors.invalid(
      'chain',
      `the leaf fails the STI profile: ${failed.map((f) => `${f.id} (${f.message})`).join('; ')}`,
    )
  return {
    chainPem: serializeChain(chain),
    pkcs8: key.export({ type: 'pkcs8', format: 'der' }),
    key,
    spc: report.spc ?? null,
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    warnings: report.findings.filter((f) => f.severity !== 'error'),
  }
}
