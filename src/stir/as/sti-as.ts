/**
 * One STI-AS per process context: the attestation index, the signing counter and the signing
 * service, built on first use and shared by the REST routes, the SIP front and the CLI.
 */
import type { AppContext } from '../../api/context.js'
import type { PassportKey } from '../passport/index.js'
import { AttestationIndex } from './attestation-index.js'
import { SigningCounter } from './signing-counter.js'
import { SigningService } from './signing-service.js'

/** The per-process STI-AS pieces. */
export interface StiAs {
  readonly index: AttestationIndex
  readonly counter: SigningCounter
  readonly service: SigningService
  /** The key and x5u signing now (tests verify with its public half). */
  readonly signer: () => PassportKey
}

const built = new WeakMap<AppContext, StiAs>()

/** The context's STI-AS, built on first use. */
export function stiAs(ctx: AppContext): StiAs {
  let s = built.get(ctx)
  if (!s) {
    const n = ctx.config.indexMaxNumbers
    const index = new AttestationIndex({ store: ctx.store, clock: ctx.clock, version: ctx.version, limits: { numbers: n, bundles: n, calls: Math.ceil(n / 2) } })
    const counter = new SigningCounter(ctx.store.db, ctx.clock)
    // `ctx.signer` follows certificate rotations; with no certificate it throws 503 (UNAVAILABLE).
    const signer = (): PassportKey => ctx.signer
    const service = new SigningService({ index, counter, clock: ctx.clock, signer })
    s = { index, counter, service, signer }
    built.set(ctx, s)
  }
  return s
}

/** The context's STI-AS if this process has built one (metrics read it, and never build it). */
export function builtStiAs(ctx: AppContext): StiAs | undefined {
  return built.get(ctx)
}

/** Writes pending counters; call before the store closes. */
export async function closeStiAs(ctx: AppContext): Promise<void> {
  const s = built.get(ctx)
  if (s) { built.delete(ctx); await s.counter.close() }
}
