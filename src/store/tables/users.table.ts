/** Console users (US…): people who sign in as themselves, with a role. */
export interface UsersTable {
  sid: string
  /** The account the user belongs to; null for staff (reviewer, operator). */
  account_sid: string | null
  /** Normalised (trimmed, lowercase); unique across the platform. */
  email: string
  /** `scrypt$N$r$p$salt$hash` (security/passwords.ts): parameters travel with the hash. */
  password_hash: string
  /** owner | compliance | developer | read-only (account users); reviewer | operator (staff). */
  role: string
  /** The TOTP secret sealed with the master key (purpose `totp`); null without two-factor. */
  totp_sealed: string | null
  /** A secret being enrolled, until the user proves it with a code. */
  totp_pending_sealed: string | null
  /** The 30-second step of the last code accepted: a code works once. */
  totp_last_step: number
  /** active | disabled. */
  status: string
  date_created: string
  date_updated: string
}

/** A signed-in browser (SN…): the cookie's random id is kept only as its SHA-256. */
export interface UserSessionsTable {
  sid: string
  id_hash: string
  user_sid: string
  date_created: string
  /** Updated at most once a minute: the idle timeout counts from it. */
  last_seen: string
  /** The absolute timeout. */
  expires_at: string
  user_agent: string
  ip: string
}

/** A single-use invitation or password-reset link, kept only as the SHA-256 of its token. */
export interface UserTokensTable {
  token_hash: string
  /** invite | reset */
  kind: string
  account_sid: string | null
  email: string
  role: string
  /** The user a reset is for; null for an invitation. */
  user_sid: string | null
  /** Who asked for it (`operator`, `user:US…`, `self`). */
  created_by: string
  date_created: string
  expires_at: string
  used_at: string | null
}

/** A two-factor recovery code, kept only as its SHA-256; spent once. */
export interface UserRecoveryCodesTable {
  user_sid: string
  code_hash: string
  used_at: string | null
}

/** An account's security settings. */
export interface AccountSecurityTable {
  account_sid: string
  /** 1: every user of the account must sign in with two-factor. */
  require_two_factor: number
  date_updated: string
}

/** An account's single sign-on: people whose email is at `domain` sign in through its OpenID provider. */
export interface AccountSsoTable {
  account_sid: string
  /** Lowercase; one account per domain. */
  domain: string
  /** The provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string
  client_id: string
  /** Sealed with the master key (purpose `sso-client`). */
  client_secret_sealed: string
  /** The role of a person signing in for the first time (made a user on the spot). */
  default_role: string
  date_updated: string
}
