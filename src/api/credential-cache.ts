/**
 * Verified credentials per process, so an authenticated request costs no account queries once
 * its credentials were seen. Entries are keyed by a SHA-256 of the Authorization header (no
 * secret is held as a key) and are valid only while the store's credentials version is the
 * one they were verified under: a suspension, a closed account, a deleted API key or a new
 * sub-account bumps it in the same transaction (decision-version.repo.ts), and every process
 * drops its entries on its next request. Failures are never cached.
 */
import { hash } from 'node:crypto'

/** Bound on entries; reaching it drops them all (a flood of distinct valid credentials is rare). */
const MAX_ENTRIES = 10_000

export class CredentialCache<P> {
  #version = -1
  #entries = new Map<string, P>()

  /** The cache key of an Authorization header value. */
  static keyOf(header: string): string {
    return hash('sha256', header, 'base64')
  }

  /** The principal verified for `key` under `version`, if any. */
  get(key: string, version: number): P | undefined {
    if (version !== this.#version) {
      this.#entries = new Map()
      this.#version = version
      return undefined
    }
    return this.#entries.get(key)
  }

  /** Remembers a principal verified by a check that started after `version` was read. */
  set(key: string, version: number, principal: P): void {
    if (version !== this.#version) return
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(key, principal)
  }
}
