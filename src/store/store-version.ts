/**
 * One process's view of the store versions (decision-version.repo.ts), shared by every cache
 * that must never answer from data older than the call: the attestation index and the
 * credential cache. A caller takes a ticket when its request arrives; `fresh(ticket)` resolves
 * with versions read by a query that started after that ticket. Concurrent callers share one
 * in-flight read (single flight), and a request's later checks reuse the read its first check
 * made, so a request costs at most one version read however many caches it consults. If the
 * versions cannot be read in time, callers get 503: nothing is answered from an unverified cache.
 */
import { AppError } from '../domain/errors.js'
import { versionReader, type StoreVersions } from './decision-version.repo.js'
import type { Store } from './db.js'

const noop = () => undefined

export class StoreVersion {
  readonly #read: () => Promise<StoreVersions>
  readonly #timeoutMs: number
  /** Sequence number of the last read started; a ticket is the value at arrival. */
  #started = 0
  /** The last completed read: the sequence it started with and what it returned. */
  #confirmed: { seq: number; versions: StoreVersions } | undefined
  #inFlight: { seq: number; promise: Promise<StoreVersions> } | undefined
  #next: Promise<StoreVersions> | undefined

  /** `timeoutMs` 0: no timer (a synchronous read cannot hang). */
  constructor(read: () => Promise<StoreVersions>, timeoutMs = 2000) {
    this.#read = read
    this.#timeoutMs = timeoutMs
  }

  /** The versions last confirmed (for tests and metrics). */
  get last(): StoreVersions | undefined { return this.#confirmed?.versions }

  /** A ticket for a request that arrives now. */
  ticket(): number { return this.#started }

  /** Versions read by a query that started after `ticket` (default: now). */
  fresh(ticket = this.#started): Promise<StoreVersions> {
    const c = this.#confirmed
    if (c && c.seq > ticket) return Promise.resolve(c.versions)
    const f = this.#inFlight
    if (!f) return this.#start()
    if (f.seq > ticket) return f.promise
    // The read in flight started before this caller's ticket: wait for the next one.
    this.#next ??= f.promise.then(noop, noop).then(() => { this.#next = undefined; return this.#start() })
    return this.#next
  }

  #start(): Promise<StoreVersions> {
    const seq = ++this.#started
    const promise = this.#readInTime().then((versions) => {
      if (!this.#confirmed || this.#confirmed.seq < seq) this.#confirmed = { seq, versions }
      return versions
    }).finally(() => { if (this.#inFlight?.seq === seq) this.#inFlight = undefined })
    this.#inFlight = { seq, promise }
    return promise
  }

  async #readInTime(): Promise<StoreVersions> {
    let timer: NodeJS.Timeout | undefined
    try {
      if (this.#timeoutMs <= 0) return await this.#read()
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), this.#timeoutMs)
      })
      return await Promise.race([this.#read(), timeout])
    } catch (err) {
      throw new AppError('UNAVAILABLE', `the store cannot be reached (${(err as Error).message}): refusing to answer from cached facts`)
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The version view of a store: SQLite reads synchronously on its own connection, with no timer. */
export function storeVersionOf(store: Pick<Store, 'db' | 'sqlite'>, timeoutMs = 2000): StoreVersion {
  return new StoreVersion(versionReader(store), store.sqlite ? 0 : timeoutMs)
}
