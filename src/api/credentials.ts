/**
 * What this process remembers of the credentials it has checked, built once at boot and held
 * by the context: account credentials verified under the store's current credentials version
 * (credential-cache.ts), and the operator token once it has matched its hash.
 */
import type { AccountRow } from '../store/accounts.repo.js'
import type { UserRow, UserSessionRow } from '../store/users.repo.js'
import { CredentialCache } from './credential-cache.js'

/** An authenticated account and the accounts its credentials reach. */
export interface AccountPrincipal {
  readonly kind: 'account'
  readonly account: AccountRow
  /** The account itself plus its sub-accounts: every read is scoped to this list. */
  readonly visible: readonly string[]
  readonly via: 'auth-token' | 'api-key' | 'parent-token' | 'user'
  /** The person, when a console user session made the request. */
  readonly user?: UserRow
}

/** The person behind a request made with a console user session (set by the root hook, console/session-auth.ts). */
export interface ConsoleUser {
  readonly user: UserRow
  readonly session: UserSessionRow
}

/** The process's credential state (auth.ts reads and fills it). */
export class Credentials {
  /** Account credentials verified before, by a hash of their Authorization header. */
  readonly accounts = new CredentialCache<AccountPrincipal>()
  /**
   * The operator token once it has matched its hash: an SBC signing for every account sends
   * it on each call, and hashing it each time cost 2-3 % of a signing request. A set lookup
   * hashes the whole string (with a per-process seed) before any comparison, so its timing
   * tells nothing about how much of a guess is right. The token is in this process's
   * environment anyway.
   */
  #operatorToken = new Set<string>()

  /** `operatorTokenHash`: SHA-256 of the operator token. */
  constructor(readonly operatorTokenHash: string) {}

  /** True when `token` is the operator token, already matched to its hash in this process. */
  knownOperator(token: string): boolean {
    return this.#operatorToken.has(token)
  }

  /** Remembers the operator token after it matched its hash. */
  rememberOperator(token: string): void {
    this.#operatorToken = new Set([token])
  }
}
