/**
 * Engine capability flags: the one place engine differences become data, so repos take a flag
 * instead of branching on the engine name (STYLE §8).
 */
import type { Engine } from './db.js'

export interface Capabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL); SQLite serialises writers instead. */
  readonly skipLocked: boolean
}

export function capabilities(engine: Engine): Capabilities {
  return { skipLocked: engine === 'postgres' }
}
