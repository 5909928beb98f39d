/**
 * One process's view of the store versions (decision-version.repo.ts), shared by every cache
 * that must never answer from data older than the call: the attestation index, the
 * credential cache and the SIP front's trunks. A caller takes a ticket when its request
 * arrives; `fresh(ticket)` resolves with versions read by a query that started after that
 * ticket. A read starts at the end of
 * the event-loop turn (setImmediate), so every request received in that turn shares it, and a
 * request's later checks reuse it: under load one read serves many requests (on SQLite the
 * read is synchronous, so starting it at once would cost one per request). If the versions
 * cannot be read in time, callers get 503: nothing is answered from an unverified cache.
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
  /** A read not started yet: it will start after every current caller arrived, so it serves any ticket. */
  #queued: Promise<StoreVersions> | undefined

  /** `timeoutMs` 0: no timer (a synchronous read cannot hang). */
  constructor(read: () => Promise<StoreVersions>, timeoutMs = 2000) {
    this.#read = read
    this.#timeoutMs = timeoutMs
  }

  /** The versions last confirmed (for tests and metrics). */
  get last(): StoreVersions | undefined {
    return this.#confirmed?.versions
  }

  /** A ticket for a request that arrives now. */
  ticket(): number {
    return this.#started
  }

  /** Versions read by a query that started after `ticket` (default: now). */
  fresh(ticket = this.#started): Promise<StoreVersions> {
    const c = this.#confirmed
    if (c && c.seq > ticket) return Promise.resolve(c.versions)
    const f = this.#inFlight
    if (f && f.seq > ticket) return f.promise
    return (this.#queued ??= this.#schedule(f))
  }

  /** Starts a read at the end of this turn, and after the read in flight: at most one runs and one waits. */
  async #schedule(inFlight: { promise: Promise<StoreVersions> } | undefined): Promise<StoreVersions> {
    if (inFlight) await inFlight.promise.catch(noop)
    await new Promise((resolve) => setImmediate(resolve))
    this.#queued = undefined
    return this.#start()
  }

  #start(): Promise<StoreVersions> {
    const seq = ++this.#started
    const promise = this.#readInTime()
      .then((versions) => {
        if (!this.#confirmed || this.#confirmed.seq < seq) this.#confirmed = { seq, versions }
        return versions
      })
      .finally(() => {
        if (this.#inFlight?.seq === seq) this.#inFlight = undefined
      })
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
      throw new AppError(
        'UNAVAILABLE',
        `the store cannot be reached (${(err as Error).message}): refusing to answer from cached facts`,
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

/** The version view of a store: SQLite reads synchronously on its own connection, with no timer. */
export function storeVersionOf(store: Pick<Store, 'db' | 'sqlite'>, timeoutMs = 2000): StoreVersion {
  return new StoreVersion(versionReader(store), store.sqlite ? 0 : timeoutMs)
}
