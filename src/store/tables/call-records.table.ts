/** Call records: one row per signed or verified call, for search, traceback and analytics. */

/**
 * A signed or verified call as it was decided. On PostgreSQL the table is partitioned by day on
 * `date_created` (call-records.repo.ts keeps the partitions); on SQLite it is one table.
 */
export interface CallRecordsTable {
  /** `CL` + 32 hex. */
  sid: string
  /** When the call was signed or verified (ISO 8601, ms). */
  date_created: string
  /** signed | verified */
  kind: string
  /** shaken | div */
  ppt: string
  /** The account the call was signed or verified for ('' when a verification named none and the called number is not ours). */
  account_sid: string
  /** That account's parent, so an ISV's search covers its sub-accounts with one index. */
  parent_sid: string | null
  /** Calling number (canonical TN). */
  orig: string
  /** First called number (canonical TN); `dests` holds them all. */
  dest: string
  /** JSON array of every called number. */
  dests: string
  attest: string | null
  origid: string | null
  /** rest | sip | cli */
  transport: string
  /** X-RequestID (REST) or Call-ID (SIP), when the caller gave one. */
  request_id: string | null
  /** SHA-256 (hex) of the Identity header value signed or received. */
  identity_hash: string | null
  // Signed calls: the decision as it was made.
  /** The engine's rule (full-attestation, …), or the reason a call was not signed. */
  rule: string | null
  /** JSON array: the decision's reasons and the signer's notes. */
  reasons: string
  profile_sid: string | null
  trust_product_sid: string | null
  /** The calling number's right-to-use origin (inventory, hosted, operator, unverified) when it is ours. */
  origin: string | null
  // Verified calls: the signer and the outcome.
  /** The signer's Service Provider Code (certificate TNAuthList). */
  spc: string | null
  cert_issuer: string | null
  cert_serial: string | null
  x5u_host: string | null
  verstat: string | null
  /** The verification reason (passed, cert_revoked, …). */
  reason: string | null
}
