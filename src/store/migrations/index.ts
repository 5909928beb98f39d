import type { Migration, MigrationProvider } from 'kysely'
import * as trusthub from './2026-11-28T0100-trusthub.js'

/** Every migration, by its timestamped name. Static imports keep them bundled with the app. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-28T0100-trusthub': trusthub,
}

/** Registers a later migration (kept in one list so the order is the names' order). */
export function allMigrations(): Record<string, Migration> {
  return MIGRATIONS
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
