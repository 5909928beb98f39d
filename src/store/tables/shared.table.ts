/**
 * State the instances on one store share so that work runs once across them: leases on
 * periodic jobs, and the CRLs one process fetched for every process that verifies.
 */
export interface LeasesTable {
  /** The job (e.g. `worker.timers`). */
  name: string
  /** Who ran it last (`host:pid:random`). */
  holder: string
  /** ISO time until which no other holder may take it. */
  until: string
  /** How many times it was taken: one per period across every instance. */
  runs: number
}

export interface CrlsTable {
  /** The distribution point it was fetched from. */
  url: string
  /** The CA certificate (PEM) its signature was checked against. */
  issuer_pem: string
  /** The CRL itself, DER in base64. */
  body: string
  /** SHA-256 of the DER: a process reloads a CRL only when it changed. */
  digest: string
  /** The CRL's thisUpdate: an older CRL never replaces a newer one. */
  this_update: string
  fetched_at: string
}
