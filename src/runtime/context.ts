import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { Store } from '../store/db.js'
import type { Sealer } from '../security/secrets.js'
import type { Clock } from '../domain/time.js'
import type { Signer } from '../stir/cert/signer.js'
import type { StoreVersion } from '../store/store-version.js'
import type { StiAs } from '../stir/as/sti-as.js'
import type { StiVs } from '../stir/vs/sti-vs.js'
import type { CallRecorder } from '../stir/calls/call-recorder.js'
import type { Credentials } from '../api/credentials.js'
import type { ProcessMetrics } from './metrics.js'

/**
 * What every route, role and service of a process is given: built once, eagerly, by
 * `boot()` (boot.ts), passed in explicitly, and torn down by the `close()` boot returns.
 */
export interface AppContext {
  readonly config: Config
  readonly store: Store
  readonly sealer: Sealer
  readonly clock: Clock
  readonly log: Logger
  /**
   * The STI-AS signing identity (`src/stir/cert/signer.ts`): reads as a PassportKey
   * (`key`, `x5u`, plus `certId`, `spc`) that follows rotations; throws 503 when no
   * certificate is active. Pass it to `signPassport(ctx.signer, claims)`.
   */
  readonly signer: Signer
  /** The process's view of the store versions: every per-process cache checks it per call. */
  readonly version: StoreVersion
  /** Signing: the attestation index, the signing service and its counter. */
  readonly stiAs: StiAs
  /** Verification: the verifier, x5u certificate cache, CRLs, trust anchors and outcome counter. */
  readonly stiVs: StiVs
  /** The record of every signed and verified call, buffered and written in batches. */
  readonly calls: CallRecorder
  /** Credentials this process has verified (accounts, the operator token) and the operator token's hash. */
  readonly credentials: Credentials
  /** This process's Prometheus figures (`GET /metrics`). */
  readonly metrics: ProcessMetrics
}
