import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { Store } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import type { Clock } from '../domain/time.js'

/** What every route and service is given: built once at boot, passed in explicitly. */
export interface AppContext {
  readonly config: Config
  readonly store: Store
  readonly sealer: Sealer
  readonly clock: Clock
  readonly log: Logger
  /** SHA-256 of the operator token. */
  readonly operatorTokenHash: string
}
