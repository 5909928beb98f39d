import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { Store } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import type { Clock } from '../domain/time.js'
import type { Signer } from '../stir/signer.js'
import type { StoreVersion } from '../store/store-version.js'

/** What every route and service is given: built once at boot, passed in explicitly. */
export interface AppContext {
  readonly config: Config
  readonly store: Store
  readonly sealer: Sealer
  readonly clock: Clock
  readonly log: Logger
  /** SHA-256 of the operator token. */
  readonly operatorTokenHash: string
  /**
   * The STI-AS signing identity (`src/stir/signer.ts`): reads as a PassportKey
   * (`key`, `x5u`, plus `certId`, `spc`) that follows rotations; throws 503 when no
   * certificate is active. Pass it to `signPassport(ctx.signer, claims)`.
   */
  readonly signer: Signer
  /** The process's view of the store versions: every per-process cache checks it per call. */
  readonly version: StoreVersion
}
