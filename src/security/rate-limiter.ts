/**
 * Token buckets by key (an account SID, a client address), held per process with no I/O: a
 * key may spend `burst` requests at once and earns `rate` back per second. Pure; the caller
 * passes the time, so tests run on a fake clock. Every caller of one limiter must read the same
 * time base (`Date.now()` or `performance.now()`): a reading behind a bucket's earns it nothing.
 */

/** Keys held at most; past it, full buckets are dropped first, then the oldest (failing open). */
const MAX_KEYS = 100_000

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  readonly #perMs: number
  readonly #burst: number
  readonly #buckets = new Map<string, Bucket>()

  /** `rate` tokens per second, at most `burst` held (both > 0). */
  constructor(
    readonly rate: number,
    burst: number,
  ) {
    if (!(rate > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1')
    this.#perMs = rate / 1000
    this.#burst = burst
  }

  /** Spends one token of `key`: 0 when allowed, else the milliseconds until one is earned. */
  take(key: string, nowMs: number): number {
    const b = this.#refilled(key, nowMs)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.ceil((1 - b.tokens) / this.#perMs)
  }

  /** Like {@link take} without spending: the wait before `key` may spend a token (0: now). */
  wait(key: string, nowMs: number): number {
    const b = this.#buckets.get(key)
    if (!b) return 0
    const tokens = Math.min(this.#burst, b.tokens + (nowMs - b.at) * this.#perMs)
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.#perMs)
  }

  /** Keys held now (for tests and metrics). */
  get size(): number {
    return this.#buckets.size
  }

  #refilled(key: string, nowMs: number): Bucket {
    let b = this.#buckets.get(key)
    if (!b) {
      if (this.#buckets.size >= MAX_KEYS) this.#sweep(nowMs)
      b = { tokens: this.#burst, at: nowMs }
      this.#buckets.set(key, b)
      return b
    }
    if (nowMs > b.at) {
      b.tokens = Math.min(this.#burst, b.tokens + (nowMs - b.at) * this.#perMs)
      b.at = nowMs
    }
    return b
  }

  #sweep(nowMs: number): void {
    for (const [k, b] of this.#buckets)
      if (b.tokens + (nowMs - b.at) * this.#perMs >= this.#burst) this.#buckets.delete(k)
    // Still full (a flood of live keys): forget the oldest tenth rather than grow without bound.
    let drop = this.#buckets.size >= MAX_KEYS ? Math.ceil(MAX_KEYS / 10) : 0
    for (const k of this.#buckets.keys()) {
      if (drop-- <= 0) break
      this.#buckets.delete(k)
    }
  }
}
