/** The store of a CLI command that works on it directly (like `serve`, not over HTTP). */
import type { Config } from '../config/config.js'
import { migrate, openStore, type Store } from '../store/db.js'

/** Opens and migrates the configured store for one command. */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.databaseUrl, { sqliteSync: config.sqliteSync })
  try {
    await migrate(store)
    return await fn(store)
  } finally {
    await store.close()
  }
}
