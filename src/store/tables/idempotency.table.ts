/**
 * Responses remembered per `I-Twilio-Idempotency-Token`, so a client retrying a POST after a
 * timeout gets the first outcome instead of a second resource.
 */
export interface IdempotencyKeysTable {
  account_sid: string
  key: string
  /** SHA-256 of method, path and body: a reused key with another request is refused. */
  fingerprint: string
  /** Null while the first request is still running. */
  status_code: number | null
  body: string | null
  content_type: string | null
  created_at: string
}
