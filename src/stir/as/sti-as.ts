/**
 * The STI-AS of a process: the attestation index, the signing counter and the signing
 * service, built once at boot (src/runtime/boot.ts) and shared by the REST routes and the SIP
 * front.
 */
import type { Config } from '../../config/config.js'
import type { Clock } from '../../domain/time.js'
import type { Store } from '../../store/db.js'
import type { StoreVersion } from '../../store/store-version.js'
import type { PassportKey } from '../passport/index.js'
import { AttestationIndex } from './attestation-index.js'
import { SigningCounter } from './signing-counter.js'
import { SigningService } from './signing-service.js'
import type { CallRecorder } from '../calls/call-recorder.js'

/** The per-process STI-AS pieces. */
export interface StiAs {
  readonly index: AttestationIndex
  readonly counter: SigningCounter
  readonly service: SigningService
  /** The key and x5u signing now (tests verify with its public half). */
  readonly signer: () => PassportKey
  /** Writes pending counters; call before the store closes. */
  close(): Promise<void>
}

/** What an STI-AS is built from. */
export interface StiAsDeps {
  readonly config: Pick<Config, 'indexMaxNumbers'>
  readonly store: Store
  readonly clock: Clock
  readonly version: StoreVersion
  /** The signing identity; it follows certificate rotations and throws 503 (UNAVAILABLE) with no certificate. */
  readonly signer: PassportKey
  /** Where each decided call is recorded. */
  readonly recorder?: CallRecorder
}

/** Builds a process's STI-AS. */
export function buildStiAs(d: StiAsDeps): StiAs {
  const n = d.config.indexMaxNumbers
  const index = new AttestationIndex({
    store: d.store,
    clock: d.clock,
    version: d.version,
    limits: { numbers: n, bundles: n, calls: Math.ceil(n / 2) },
  })
  const counter = new SigningCounter(d.store.db, d.clock)
  const signer = (): PassportKey => d.signer
  const service = new SigningService({ index, counter, clock: d.clock, signer, recorder: d.recorder })
  return { index, counter, service, signer, close: () => counter.close() }
}
