/**
 * A key and CSR for a real STI-CA (ATIS-1000080 §6.3, RFC 9448 §3): a fresh P-256 key and a
 * PKCS#10 request whose subject is `CN=SHAKEN <SPC>` and whose extension request carries the
 * TNAuthList with the SPC the provider proves with its SPC token.
 */
import { ECDSA_P256, newP256, privateKeyPem, x509 } from './x509-kit.js'
import { spcTnAuthList, TN_AUTH_LIST_OID } from './tn-auth-list.js'

export interface CsrOptions {
  readonly spc: string
  readonly organization?: string
  readonly country?: string
}

/** The private key (PKCS#8 PEM) and the CSR (PEM). */
export interface KeyAndCsr {
  readonly keyPem: string
  readonly csrPem: string
}

/** Creates the key and CSR; throws a RangeError on a malformed SPC or country. */
export async function createCsr(o: CsrOptions): Promise<KeyAndCsr> {
  if (!/^[A-Z0-9]{1,16}$/.test(o.spc)) throw new RangeError('SPC must be 1-16 characters A-Z, 0-9 (ATIS-1000080 v005)')
  const country = o.country ?? 'US'
  if (!/^[A-Z]{2}$/.test(country)) throw new RangeError('country must be a two-letter code')
  const org = (o.organization ?? '').replace(/[,=+<>#;\\"]/g, ' ').trim()
  const keys = await newP256()
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=SHAKEN ${o.spc}${org ? `, O=${org}` : ''}, C=${country}`,
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: [new x509.Extension(TN_AUTH_LIST_OID, false, spcTnAuthList(o.spc) as Uint8Array<ArrayBuffer>)],
  })
  return { keyPem: await privateKeyPem(keys.privateKey), csrPem: csr.toString('pem') + '\n' }
}
