/** STI-VS tables: outcome counters and per-account verify-front policy. */

/** Verifications per account, hour (`YYYY-MM-DDTHH`), reason, signer SPC and claimed attest ('' when unknown). */
export interface VerificationCountersTable {
  account_sid: string
  hour: string
  reason: string
  spc: string
  /** The PASSporT's attest claim (A, B, C; '' when none was read). */
  attest: string
  count: number
}

/** What the SIP verify front does for an account when verification fails. */
export interface VerificationPoliciesTable {
  account_sid: string
  /** continue | reject | reason (RFC 9410 Reason: STIR) */
  failure_action: string
  /** 1: answer 428 to an INVITE without Identity. */
  require_identity: number
  date_updated: string
}
