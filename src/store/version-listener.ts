/**
 * PostgreSQL LISTEN/NOTIFY for the store versions (DESIGN §4, §8): a connection of its own
 * listens on `stirhub_versions`, which a trigger notifies with its schema's name whenever the
 * versions move (migration 2026-11-29T0200). Told of a move, a process brings its caches up to
 * date at once, so the next call finds its attestation index current instead of reading the
 * changes itself. Correctness never rests on it: every call still reads the versions
 * (store-version.ts), because a notification can arrive after the call it concerns. A lost
 * connection is opened again, with a growing pause; a move missed meanwhile is caught by the
 * next call's read as before.
 */
import pg from 'pg'
import type { Logger } from 'pino'
import type { Store } from './db.js'

const VERSIONS_CHANNEL = 'stirhub_versions'
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 30_000

/** What a running listener offers: whether it listens now (metrics, tests) and how to stop it. */
export interface VersionListener {
  readonly listening: boolean
  close(): Promise<void>
}

/** The listener running for a store, if any (metrics read it). */
const running = new WeakMap<object, VersionListener>()
export const versionListenerOf = (store: object): VersionListener | undefined => running.get(store)

/**
 * Calls `moved` on each notification for this store's schema (and after every reconnect, for
 * what it may have missed). Undefined on SQLite: one process holds the store, and its writes
 * move its own caches.
 */
export function listenForVersions(
  store: Pick<Store, 'pool' | 'schema'>,
  moved: () => void,
  log?: Logger,
): VersionListener | undefined {
  const pool = store.pool
  if (!pool) return undefined
  let client: pg.Client | undefined
  let listening = false
  let closed = false
  let retryMs = RETRY_MIN_MS
  let timer: NodeJS.Timeout | undefined

  const retry = () => {
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = undefined
      void open()
    }, retryMs)
    timer.unref()
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
  }

  async function open(): Promise<void> {
    // The pool's settings (the same server, credentials and search_path), named for pg_stat_activity.
    const c = new pg.Client({
      ...pool!.options,
      application_name: store.schema ? `stirhub-versions ${store.schema}` : 'stirhub-versions',
    })
    client = c
    const lost = (err?: Error) => {
      if (client !== c) return
      client = undefined
      listening = false
      if (!closed) log?.warn({ err }, 'store version notifications lost; reconnecting')
      c.end().catch(() => undefined)
      retry()
    }
    c.on('error', lost)
    c.on('end', () => lost())
    try {
      await c.connect()
      const schema = store.schema ?? (await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s
      c.on('notification', (n) => {
        if (n.channel === VERSIONS_CHANNEL && n.payload === schema) moved()
      })
      await c.query(`LISTEN ${VERSIONS_CHANNEL}`)
      if (closed || client !== c) return void c.end().catch(() => undefined)
      listening = true
      retryMs = RETRY_MIN_MS
      moved()
    } catch (err) {
      lost(err as Error)
    }
  }

  void open()
  const listener: VersionListener = {
    get listening() {
      return listening
    },
    async close() {
      running.delete(store)
      closed = true
      clearTimeout(timer)
      const c = client
      client = undefined
      listening = false
      await c?.end().catch(() => undefined)
    },
  }
  running.set(store, listener)
  return listener
}
