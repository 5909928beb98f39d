/**
 * Store tables of the attestation engine and STI-AS: the decision version (bumped by every
 * write that can change an attestation, so in-memory indexes know they are stale) and the
 * signing counters (per account, hour and level) for the dashboard.
 */

/**
 * One row (id 1): `version` is bumped in the same transaction as every decision-relevant
 * write, `credentials_version` with every write that changes what a credential reaches,
 * `trunks_version` with every SIP trunk write.
 */
export interface DecisionVersionTable {
  id: number
  version: number
  credentials_version: number
  trunks_version: number
}

/** What the decision-version bump `version` changed (one row per scope; see decision-version.repo.ts). */
export interface DecisionChangesTable {
  version: number
  scope: string
}

/** Signings per account, hour (`2026-11-28T13`, UTC) and level (A, B, C or `none` = not signed). */
export interface SigningCountersTable {
  account_sid: string
  hour: string
  attest: string
  count: number
}
