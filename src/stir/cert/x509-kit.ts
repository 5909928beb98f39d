/**
 * Small helpers shared by the dev CA, the CSR and the import: @peculiar/x509 wired to
 * Node's WebCrypto, P-256 key pairs, PEM and serial numbers.
 * `reflect-metadata` must load before @peculiar/x509 (it throws at import otherwise; STACK.md).
 */
import 'reflect-metadata'
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

export { x509 }

/** ES256 as WebCrypto names it. */
export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** A new extractable P-256 key pair. */
export async function newP256(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>
}

/** The private key as PKCS#8 PEM. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string
}

/** A PKCS#8 PEM as a WebCrypto signing key (for issuing with @peculiar/x509). */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' })
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]) as Promise<CryptoKey>
}

/**
 * A positive serial of 128 random bits (ATIS-1000080: at least 64 bits). The top bit is
 * cleared so DER needs no sign byte and the value stays positive; the first nibble is
 * non-zero so the magnitude keeps its length.
 */
export function randomSerial(): string {
  const b = randomBytes(16)
  b[0] = (b[0]! & 0x7f) | 0x10
  return b.toString('hex')
}
