/**
 * The facts of an X.509 certificate that the STI profile talks about, read once from DER
 * with @peculiar/asn1-x509 (raw serial bytes, RDN attribute types, every extension with its
 * criticality) so the lint rules stay small and pure.
 */
import 'reflect-metadata'
import { createHash, createPublicKey, X509Certificate as NodeCert } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificatePolicies,
  CRLDistributionPoints,
  KeyUsage,
  Name,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509'
import { pemBlocks } from './chain.js'

/** OIDs the profile names (RFC 5280 §4.2.1, RFC 8226 §9, ATIS-1000080 §6.4.1). */
export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  certificatePolicies: '2.5.29.32',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  tnAuthList: '1.3.6.1.5.5.7.1.26',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  cn: '2.5.4.3',
  c: '2.5.4.6',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  l: '2.5.4.7',
  st: '2.5.4.8',
  serialNumber: '2.5.4.5',
} as const

/** One extension as found: its OID, criticality and DER value. */
export interface RawExtension {
  readonly oid: string
  readonly critical: boolean
  readonly value: Uint8Array
}

/** One DN attribute. */
export interface DnAttribute {
  readonly type: string
  readonly value: string
}

/** Everything the lint rules read. */
export interface CertFacts {
  readonly der: Uint8Array
  /** 0-based X.509 version field (2 = v3). */
  readonly version: number
  /** Raw DER content octets of the serial INTEGER (sign bit included). */
  readonly serial: Uint8Array
  readonly signatureAlgorithm: string
  /** Node's key type ('ec', 'rsa', ...) and, for EC, the curve name ('prime256v1', 'secp384r1'). */
  readonly keyType: string
  readonly curve?: string
  readonly subject: readonly DnAttribute[]
  readonly issuer: readonly DnAttribute[]
  readonly extensions: readonly RawExtension[]
  readonly notBefore: Date
  readonly notAfter: Date
  /** True when the certificate verifies with its own key (a root). */
  readonly selfSigned: boolean
  /** SHA-1 of the subjectPublicKey BIT STRING (RFC 5280 §4.2.1.2 method 1), hex. */
  readonly keySha1: string
}

/** Accepts PEM text (first certificate), DER bytes or a Node certificate. */
export type CertInput = string | Uint8Array | NodeCert

/** Reads the facts; throws a RangeError when the input is not a certificate. */
export function certFacts(input: CertInput): CertFacts {
  const der = input instanceof NodeCert ? input.raw : typeof input === 'string' ? pemBlocks(input)[0]! : input
  let cert: Certificate
  try {
    cert = AsnConvert.parse(der, Certificate)
  } catch (e) {
    throw new RangeError(`not an X.509 certificate: ${(e as Error).message}`)
  }
  const tbs = cert.tbsCertificate
  const spkiDer = Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo))
  let key: ReturnType<typeof createPublicKey>
  try {
    key = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' })
  } catch (e) {
    throw new RangeError(`not an X.509 certificate: its public key does not decode (${(e as Error).message})`)
  }
  let selfSigned = false
  try {
    selfSigned = new NodeCert(der).verify(key)
  } catch {
    selfSigned = false
  }
  return {
    der: new Uint8Array(der),
    version: tbs.version,
    serial: new Uint8Array(tbs.serialNumber),
    signatureAlgorithm: cert.signatureAlgorithm.algorithm,
    keyType: key.asymmetricKeyType ?? 'unknown',
    curve: key.asymmetricKeyDetails?.namedCurve,
    subject: dn(tbs.subject),
    issuer: dn(tbs.issuer),
    extensions: (tbs.extensions ?? []).map((e) => ({
      oid: e.extnID,
      critical: e.critical,
      value: new Uint8Array(e.extnValue.buffer),
    })),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    selfSigned,
    keySha1: createHash('sha1').update(Buffer.from(tbs.subjectPublicKeyInfo.subjectPublicKey)).digest('hex'),
  }
}

function dn(name: Name): DnAttribute[] {
  return name.flatMap((rdn) => rdn.map((atv) => ({ type: atv.type, value: atv.value.toString() })))
}

/** The values of one DN attribute type. */
export function dnValues(attrs: readonly DnAttribute[], type: string): string[] {
  return attrs.filter((a) => a.type === type).map((a) => a.value)
}

/** Extensions with this OID (a certificate must not repeat one, but bad ones do). */
export function extensionsOf(f: CertFacts, oid: string): RawExtension[] {
  return f.extensions.filter((e) => e.oid === oid)
}

/** Decoders for the extension values the profile inspects; each throws on bad DER. */
export const decode = {
  basicConstraints: (v: Uint8Array) => AsnConvert.parse(v, BasicConstraints),
  keyUsage: (v: Uint8Array) => AsnConvert.parse(v, KeyUsage).toNumber(),
  policies: (v: Uint8Array) => Array.from(AsnConvert.parse(v, CertificatePolicies), (p) => p.policyIdentifier),
  ski: (v: Uint8Array) => Buffer.from(AsnConvert.parse(v, SubjectKeyIdentifier).buffer).toString('hex'),
  aki: (v: Uint8Array) => {
    const k = AsnConvert.parse(v, AuthorityKeyIdentifier).keyIdentifier
    return k ? Buffer.from(k.buffer).toString('hex') : undefined
  },
  crlDistributionPoints: (v: Uint8Array) => Array.from(AsnConvert.parse(v, CRLDistributionPoints)),
}
