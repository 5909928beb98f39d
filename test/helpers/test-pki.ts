/**
 * A throwaway STI PKI for verification tests: root → intermediate → SP leaf with TNAuthList,
 * plus the broken variants a verifier must refuse (expired, not yet valid, wrong CA, revoked,
 * no TNAuthList, P-384 key), a CRL that revokes one of them, and a loopback HTTP server that
 * serves certificates and the CRL (allowed through STIRHUB_X5U_ALLOW).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { KeyObject, sign, webcrypto } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate, type TBSCertificate } from '@peculiar/asn1-x509'
import { x509, randomSerial } from '../../src/stir/cert/x509-kit.js'
import { spcTnAuthList, TN_AUTH_LIST_OID } from '../../src/stir/cert/tn-auth-list.js'
import { SHAKEN_CP_1_3 } from '../../src/stir/cert/profile-lint.js'

const DAY = 86_400_000
const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const P384 = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const

/** A certificate with its keys. */
interface Issued {
  readonly cert: x509.X509Certificate
  readonly pem: string
  readonly keys: CryptoKeyPair
  /** Private key for node:crypto signing (PASSporTs). */
  readonly key: KeyObject
}

interface IssueOptions {
  readonly subject: string
  readonly issuer?: Issued
  readonly ca: boolean
  readonly curve?: 'P-256' | 'P-384'
  readonly notBefore: Date
  readonly notAfter: Date
  readonly spc?: string
  readonly crlUrl?: string
}

async function issue(o: IssueOptions): Promise<Issued> {
  const alg = o.curve === 'P-384' ? P384 : P256
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: alg.namedCurve }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
  const ext: x509.Extension[] = [
    new x509.BasicConstraintsExtension(o.ca, undefined, true),
    new x509.KeyUsagesExtension(
      o.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    ski,
    new x509.AuthorityKeyIdentifierExtension(
      o.issuer ? (await x509.SubjectKeyIdentifierExtension.create(o.issuer.keys.publicKey)).keyId : ski.keyId,
    ),
  ]
  if (o.issuer) ext.push(new x509.CertificatePolicyExtension([SHAKEN_CP_1_3]))
  if (o.crlUrl) ext.push(new x509.CRLDistributionPointsExtension([o.crlUrl]))
  if (o.spc) ext.push(new x509.Extension(TN_AUTH_LIST_OID, false, spcTnAuthList(o.spc) as Uint8Array<ArrayBuffer>))
  const common = { serialNumber: randomSerial(), notBefore: o.notBefore, notAfter: o.notAfter, extensions: ext }
  const cert = o.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: o.subject,
        issuer: o.issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: o.issuer.keys.privateKey,
        signingAlgorithm: P256,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: o.subject, keys, signingAlgorithm: alg })
  return { cert, pem: cert.toString('pem') + '\n', keys, key: KeyObject.from(keys.privateKey) }
}

/** The test PKI. */
export interface TestPki {
  readonly root: Issued
  readonly intermediate: Issued
  readonly otherRoot: Issued
  /** SP leaves by variant. */
  readonly leaves: Readonly<Record<LeafVariant, Issued>>
  /** DER CRL from the intermediate revoking `revoked`. */
  readonly crl: Buffer
  /** PEM served for a variant: leaf + intermediate (the chain-in-x5u form). */
  chainPem(v: LeafVariant): string
  /** Another signer: a good leaf of the same intermediate for `spc`, with its chain PEM. */
  signer(spc: string): Promise<Issued & { readonly chain: string }>
}

export type LeafVariant = 'good' | 'expired' | 'notYetValid' | 'wrongCa' | 'revoked' | 'noTnAuthList' | 'p384'

/** Builds the PKI valid around `now`; the CRL URL is `${base}/crl`. */
export async function buildTestPki(now: Date, base: string): Promise<TestPki> {
  const nb = new Date(now.getTime() - DAY)
  const na = new Date(now.getTime() + 365 * DAY)
  const crlUrl = `${base}/crl`
  const root = await issue({
    subject: 'CN=Test SHAKEN Root, O=stirhub tests, C=US',
    ca: true,
    notBefore: nb,
    notAfter: new Date(now.getTime() + 3650 * DAY),
  })
  const otherRoot = await issue({
    subject: 'CN=Other SHAKEN Root, O=elsewhere, C=US',
    ca: true,
    notBefore: nb,
    notAfter: na,
  })
  const intermediate = await issue({
    subject: 'CN=Test SHAKEN Intermediate, O=stirhub tests, C=US',
    issuer: root,
    ca: true,
    notBefore: nb,
    notAfter: na,
    crlUrl,
  })
  const sp = (extra: Partial<IssueOptions>) =>
    issue({
      subject: 'CN=SHAKEN 1234, O=Test Carrier, C=US',
      issuer: intermediate,
      ca: false,
      notBefore: nb,
      notAfter: na,
      spc: '1234',
      crlUrl,
      ...extra,
    })
  const leaves: Record<LeafVariant, Issued> = {
    good: await sp({}),
    expired: await sp({ notBefore: new Date(now.getTime() - 30 * DAY), notAfter: new Date(now.getTime() - DAY) }),
    notYetValid: await sp({ notBefore: new Date(now.getTime() + DAY), notAfter: na }),
    wrongCa: await sp({ issuer: otherRoot }),
    revoked: await sp({}),
    noTnAuthList: await sp({ spc: undefined }),
    p384: await sp({ curve: 'P-384' }),
  }
  const crl = await x509.X509CrlGenerator.create({
    issuer: intermediate.cert.subject,
    thisUpdate: nb,
    nextUpdate: na,
    entries: [{ serialNumber: leaves.revoked.cert.serialNumber, revocationDate: nb }],
    signingKey: intermediate.keys.privateKey,
    signingAlgorithm: P256,
  })
  return {
    root,
    intermediate,
    otherRoot,
    leaves,
    crl: Buffer.from(crl.rawData),
    chainPem: (v) => leaves[v].pem + (v === 'wrongCa' ? '' : intermediate.pem),
    async signer(spc) {
      const leaf = await sp({ subject: `CN=SHAKEN ${spc}, O=Test Carrier ${spc}, C=US`, spc })
      return { ...leaf, chain: leaf.pem + intermediate.pem }
    },
  }
}

/** A loopback HTTP server answering from a path → response table that tests may change. */
export interface CertServer {
  readonly base: string
  readonly routes: Map<string, { body: string | Buffer; status?: number; headers?: Record<string, string> }>
  /** Requests served, by path. */
  readonly hits: Map<string, number>
  close(): Promise<void>
}

export async function startCertServer(): Promise<CertServer> {
  const routes: CertServer['routes'] = new Map()
  const hits = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!
    hits.set(p, (hits.get(p) ?? 0) + 1)
    const r = routes.get(p)
    if (!r) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(r.status ?? 200, { 'content-type': 'application/x-pem-file', ...r.headers }).end(r.body)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    routes,
    hits,
    async close() {
      server.closeAllConnections()
      await new Promise((ok) => server.close(ok))
    },
  }
}

/** Serves `pki` as an STI certificate repository: the good chain at /sp.pem, the revoked one at /revoked.pem, the CRL at /crl. */
export function serveRepository(certs: CertServer, pki: TestPki): void {
  certs.routes.set('/sp.pem', { body: pki.chainPem('good') })
  certs.routes.set('/revoked.pem', { body: pki.chainPem('revoked') })
  certs.routes.set('/crl', { body: pki.crl, headers: { 'content-type': 'application/pkix-crl' } })
}

/**
 * `der` with its TBSCertificate changed by `edit` and signed again (ECDSA SHA-256) with `key`:
 * a certificate a CA really issued, defects and all, as a sloppy CA could issue it.
 */
export function resignCertificate(der: Uint8Array, edit: (tbs: TBSCertificate) => void, key: KeyObject): Buffer {
  const cert = AsnConvert.parse(der, Certificate)
  edit(cert.tbsCertificate)
  const tbs = Buffer.from(AsnConvert.serialize(cert.tbsCertificate))
  cert.signatureValue = new Uint8Array(sign('sha256', tbs, key)).buffer
  return Buffer.from(AsnConvert.serialize(cert))
}
