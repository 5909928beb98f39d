/**
 * A local STI-CA for development and tests: a self-signed root and SP (end-entity)
 * certificates that follow the ATIS-1000080 §6.4.1 / US SHAKEN CP 1.3 profile, so
 * `npm start` can sign out of the box and the verifier can trust the root.
 * The root and its key live in `<dataDir>/dev-ca/` (0700; key and certificate 0600).
 */
import fs from 'node:fs'
import path from 'node:path'
import { AsnConvert } from '@peculiar/asn1-schema'
import { DistributionPoint, DistributionPointName, GeneralName, Name as AsnName } from '@peculiar/asn1-x509'
import { ECDSA_P256, importSigningKey, newP256, privateKeyPem, randomSerial, x509 } from './x509-kit.js'
import { SHAKEN_CP_1_3 } from './profile-lint.js'
import { spcTnAuthList, TN_AUTH_LIST_OID } from './tn-auth-list.js'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../security/private-files.js'

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  readonly certPem: string
  readonly keyPem: string
}

const DAY = 86_400_000
const ORG = 'stirhub development'
/** Path of the dev CRL under PUBLIC_URL, named by the SP certificates' CRL distribution point. */
export const DEV_CRL_PATH = '/certs/crl'
/** Root subject; ATIS CA common names contain "SHAKEN". */
const DEV_ROOT_SUBJECT = `CN=stirhub SHAKEN Dev Root CA, O=${ORG}, C=US`

/** Where the dev CA lives under a data dir. */
export function devCaPaths(dataDir: string): { readonly dir: string; readonly cert: string; readonly key: string } {
  const dir = path.join(dataDir, 'dev-ca')
  return { dir, cert: path.join(dir, 'root.pem'), key: path.join(dir, 'root.key') }
}

/** Creates a self-signed root: BC (CA) and KU keyCertSign critical, SKI = AKI, no CP or CRLDP. */
export async function createDevRoot(now: Date, years = 10): Promise<CertAndKey> {
  const keys = await newP256()
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: DEV_ROOT_SUBJECT,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + years * 365 * DAY),
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      // cRLSign: the dev root also stands in for the STI-PA and signs the dev CRL (CP 1.4
      // allows it on CAs again; CP 1.3 had the STI-PA alone sign CRLs).
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ski,
      new x509.AuthorityKeyIdentifierExtension(ski.keyId),
    ],
  })
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) }
}

/** Options for {@link issueSpCert}. */
export interface SpCertOptions {
  readonly spc: string
  /** Base URL the CRL distribution point is placed under (PUBLIC_URL). */
  readonly publicUrl: string
  readonly now: Date
  readonly days?: number
  readonly organization?: string
}

/**
 * Issues an SP certificate under `root`: CN `SHAKEN <SPC>`, O, C=US; BC CA:FALSE and KU
 * digitalSignature critical; SKI/AKI; one SHAKEN policy (CP 1.3); one CRL distribution point
 * (HTTP URL under PUBLIC_URL) naming its cRLIssuer (ATIS-1000080 v004); TNAuthList with the SPC.
 */
export async function issueSpCert(root: CertAndKey, opts: SpCertOptions): Promise<CertAndKey> {
  const keys = await newP256()
  return { certPem: await issueSpCertFor(root, keys.publicKey, opts), keyPem: await privateKeyPem(keys.privateKey) }
}

/** The same certificate for a key the requester holds (a CSR's public key); returns its PEM. */
export async function issueSpCertFor(root: CertAndKey, publicKey: CryptoKey, opts: SpCertOptions): Promise<string> {
  if (!/^[A-Z0-9]{1,16}$/.test(opts.spc))
    throw new RangeError('SPC must be 1-16 characters A-Z, 0-9 (ATIS-1000080 v005)')
  const rootCert = new x509.X509Certificate(root.certPem)
  const issuerDer = AsnConvert.parse(new x509.Name(rootCert.subject).toArrayBuffer(), AsnName)
  const crlDp = new DistributionPoint({
    distributionPoint: new DistributionPointName({
      fullName: [new GeneralName({ uniformResourceIdentifier: `${opts.publicUrl}${DEV_CRL_PATH}` })],
    }),
    cRLIssuer: [new GeneralName({ directoryName: issuerDer })],
  })
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=SHAKEN ${opts.spc}, O=${opts.organization ?? ORG}, C=US`,
    issuer: rootCert.subject,
    notBefore: new Date(opts.now.getTime() - 60_000),
    notAfter: new Date(opts.now.getTime() + (opts.days ?? 365) * DAY),
    publicKey,
    signingKey: await importSigningKey(root.keyPem),
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.CertificatePolicyExtension([SHAKEN_CP_1_3]),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootCert.publicKey),
      new x509.CRLDistributionPointsExtension([crlDp]),
      new x509.Extension(TN_AUTH_LIST_OID, false, spcTnAuthList(opts.spc) as Uint8Array<ArrayBuffer>),
    ],
  })
  return cert.toString('pem') + '\n'
}

/**
 * The dev root under `dataDir`, created on first use. Concurrent first starts are settled by
 * an exclusive create of the key file: the loser reads what the winner wrote.
 */
export async function loadOrCreateDevRoot(dataDir: string, now: Date): Promise<CertAndKey> {
  const p = devCaPaths(dataDir)
  if (fs.existsSync(p.cert) && fs.existsSync(p.key)) {
    return { certPem: fs.readFileSync(p.cert, 'utf8'), keyPem: fs.readFileSync(p.key, 'utf8') }
  }
  makePrivateDir(p.dir)
  const root = await createDevRoot(now)
  try {
    fs.writeFileSync(p.key, root.keyPem, { mode: PRIVATE_FILE_MODE, flag: 'wx' })
  } catch {
    for (let i = 0; i < 50 && !fs.existsSync(p.cert); i++) await new Promise((r) => setTimeout(r, 50))
    return { certPem: fs.readFileSync(p.cert, 'utf8'), keyPem: fs.readFileSync(p.key, 'utf8') }
  }
  fs.writeFileSync(p.cert, root.certPem, { mode: PRIVATE_FILE_MODE })
  return root
}

/**
 * An empty CRL signed by the dev root, valid `hours` (DER): what the SP certificates' CRL
 * distribution point serves, so a verifier's scheduled CRL refresh works against the dev CA.
 */
export async function createDevCrl(root: CertAndKey, now: Date, hours = 24): Promise<Uint8Array> {
  const rootCert = new x509.X509Certificate(root.certPem)
  const crl = await x509.X509CrlGenerator.create({
    issuer: rootCert.subject,
    thisUpdate: new Date(now.getTime() - 60_000),
    nextUpdate: new Date(now.getTime() + hours * 3_600_000),
    signingAlgorithm: ECDSA_P256,
    signingKey: await importSigningKey(root.keyPem),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(rootCert.publicKey)],
    entries: [],
  })
  return new Uint8Array(crl.rawData)
}

/** The dev root if it exists under `dataDir` (never creates it). */
export function readDevRoot(dataDir: string): CertAndKey | undefined {
  const p = devCaPaths(dataDir)
  try {
    return { certPem: fs.readFileSync(p.cert, 'utf8'), keyPem: fs.readFileSync(p.key, 'utf8') }
  } catch {
    return undefined
  }
}
