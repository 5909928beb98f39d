/** Accounts (AC…): top-level customers and their sub-accounts. */
export interface AccountsTable {
  sid: string
  /** Null for a top-level account; the parent's SID for a sub-account. */
  parent_sid: string | null
  friendly_name: string
  /** active | suspended | closed (Twilio's account statuses). */
  status: string
  /** SHA-256 of the auth token: tokens are 128-bit random, so a fast hash is enough to verify. */
  auth_token_hash: string
  /** The auth token sealed with the master key: Twilio signs webhooks with it (HMAC), so it must be recoverable. */
  auth_token_sealed: string
  /** SHA-256 of the secondary auth token (Twilio's accounts v1 AuthTokens), null when there is none. */
  secondary_token_hash: string | null
  /** The secondary token sealed, so promoting it can make it the webhook-signing token. */
  secondary_token_sealed: string | null
  secondary_token_created: string | null
  /** Stable per-account PASSporT origid (RFC 8588), for traceback. */
  origid: string
  date_created: string
  date_updated: string
}

/** API keys (SK…) an account creates for itself. */
export interface ApiKeysTable {
  sid: string
  account_sid: string
  friendly_name: string
  secret_hash: string
  date_created: string
  date_updated: string
}

/** Operator-level settings the server generates once (operator token hash, bootstrap state). */
export interface SettingsTable {
  key: string
  value: string
}

/** A console session ended by sign-out: its sealed cookie is refused until it would have expired. */
export interface ConsoleSignOutsTable {
  session_id: string
  expires_at: string
}
