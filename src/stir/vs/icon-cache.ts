/**
 * The STI-VS icon source for Rich Call Data (RFC 9795 `icn`): a logo URL → its bytes' digests.
 * Fetched only through the guarded fetcher (https on 443/8443, public addresses, a size cap and
 * one deadline: sti-vs.ts `iconRules`), cached by URL like the x5u certificates (cache-policy.ts):
 * the HTTP caching headers are honoured within [ICON_TTL_FLOOR_MS, ICON_TTL_CEILING_MS], a
 * failure is remembered for NEGATIVE_TTL_MS so a bad URL cannot make every call wait, and
 * concurrent misses for one URL share one fetch. Only digests are kept, never the image.
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../../domain/time.js'
import { refusalKind } from '../../security/guarded-fetch.js'
import { NEGATIVE_TTL_MS } from '../x5u/cache-policy.js'

/** What an icon fetch returns; a fetcher throws (guard refusal or network) on failure. */
interface IconResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/** Fetches an icon URL (the guarded fetcher; injectable for the CLI). */
type IconFetcher = (url: string) => Promise<IconResponse>

/** The digest algorithms an `rcdi` value may name (W3C SRI's, as RFC 9795 §6 uses them). */
export type DigestAlg = 'sha256' | 'sha384' | 'sha512'

export type IconLookup =
  | {
      readonly ok: true
      /** base64 of the icon's digest with `alg`, as an rcdi value carries it after `alg-`. */
      readonly digest: (alg: DigestAlg) => string
      readonly cache: 'hit' | 'miss'
    }
  | { readonly ok: false; readonly detail: string; readonly cache: 'hit' | 'miss' }

/** A positive entry lives at least this long, whatever the headers say (a logo rarely changes per call). */
const ICON_TTL_FLOOR_MS = 5 * 60_000
/** … and at most this long: a logo replaced on the server is noticed within a day. */
const ICON_TTL_CEILING_MS = 24 * 3600_000
const DEFAULT_TTL_MS = 3600_000

export interface IconCacheOptions {
  readonly fetcher: IconFetcher
  readonly clock: Clock
  readonly maxEntries?: number
}

type Entry = { readonly lookup: IconLookup; readonly until: number }

/** Seconds of freshness `cache-control: max-age` grants, if any. */
function maxAge(headers: Readonly<Record<string, string>>): number | undefined {
  const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec((headers['cache-control'] ?? '').toLowerCase())
  return m ? Number(m[1]) : undefined
}

/** Icons by URL (see the module comment). */
export class IconCache {
  readonly #o: IconCacheOptions
  #entries = new Map<string, Entry>()
  readonly #inflight = new Map<string, Promise<IconLookup>>()

  constructor(o: IconCacheOptions) {
    this.#o = o
  }

  /** The icon at `url`: from the cache while fresh, else fetched (once, however many calls ask). */
  get(url: string): Promise<IconLookup> {
    const now = this.#o.clock().getTime()
    const e = this.#entries.get(url)
    if (e && e.until > now) return Promise.resolve({ ...e.lookup, cache: 'hit' })
    let p = this.#inflight.get(url)
    if (!p) {
      p = this.#fetch(url, now).finally(() => this.#inflight.delete(url))
      this.#inflight.set(url, p)
    }
    return p
  }

  /** Forgets every icon (tests; an operator's cache drop). */
  clear(): void {
    this.#entries = new Map()
  }

  async #fetch(url: string, now: number): Promise<IconLookup> {
    let lookup: IconLookup
    let ttl = NEGATIVE_TTL_MS
    try {
      const r = await this.#o.fetcher(url)
      const type = (r.headers['content-type'] ?? '').toLowerCase()
      if (r.status !== 200) lookup = { ok: false, detail: `HTTP ${r.status}`, cache: 'miss' }
      else if (type !== '' && !type.startsWith('image/'))
        lookup = { ok: false, detail: `not an image (${type.slice(0, 60)})`, cache: 'miss' }
      else {
        lookup = { ok: true, digest: digestsOf(r.body), cache: 'miss' }
        const granted = maxAge(r.headers)
        ttl = Math.min(
          ICON_TTL_CEILING_MS,
          Math.max(ICON_TTL_FLOOR_MS, granted === undefined ? DEFAULT_TTL_MS : granted * 1000),
        )
      }
    } catch (e) {
      lookup = { ok: false, detail: `${refusalKind(e)}: ${(e as Error)?.message ?? 'fetch failed'}`, cache: 'miss' }
    }
    const max = this.#o.maxEntries ?? 10_000
    if (this.#entries.size >= max) this.#entries = new Map()
    this.#entries.set(url, { lookup, until: now + ttl })
    return lookup
  }
}

/** The body's digests by algorithm (computed on a miss only); the body itself is not kept. */
function digestsOf(body: Buffer): (alg: DigestAlg) => string {
  const d: Record<DigestAlg, string> = {
    sha256: createHash('sha256').update(body).digest('base64'),
    sha384: createHash('sha384').update(body).digest('base64'),
    sha512: createHash('sha512').update(body).digest('base64'),
  }
  return (alg) => d[alg]
}
