/**
 * STI certificates (CR…) this platform signs with. Platform-wide, not per account: the
 * STI-AS signs every account's calls with the provider's certificate (ATIS-1000074 §5.3).
 */
export interface CertificatesTable {
  /** `CR` SID; the x5u is `${PUBLIC_URL}/certs/<id>.pem`. */
  id: string
  /** PEM bundle served at the x5u: leaf first, then intermediates (never the root key). */
  chain_pem: string
  /** PKCS#8 private key sealed with the master key (purpose `signing-key`); never served. */
  key_sealed: string
  /** The Service Provider Code from the leaf's TNAuthList. */
  spc: string | null
  not_before: string
  not_after: string
  /** `active` (at most one) or `retired`. */
  status: 'active' | 'retired'
  retired_at: string | null
  date_created: string
}
