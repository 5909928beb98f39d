/**
 * STI-VS: runs the checks of checks.ts in order and turns the first failure (or `passed`) into
 * a verdict through the reason tables. Transport-free: the ATIS REST route, the SIP front and
 * the CLI all call `verify()` and render the verdict their own way.
 */
import type { Clock } from '../../domain/time.js'
import { systemClock } from '../../domain/time.js'
import type { CertName } from '../x5u/cert-cache.js'
import { CHECKS, type CallState, type CheckEnv, type VerifyInput } from './checks.js'
import type { DivLink } from './div-chain.js'
import { verifyRichCallData, type IconSource, type RcdReason, type VerifiedRcd } from './rcd-check.js'
import {
  REASON_DESC,
  REASON_SIP,
  REASON_VERSTAT,
  SIP_TEXT,
  type Reason,
  type SipCode,
  type Verstat,
} from './reasons.js'

export type { VerifyInput } from './checks.js'

/** One check that ran and what it gave. */
interface CheckRun {
  readonly check: string
  readonly result: 'ok' | Reason
}

/** The outcome of one verification. */
export interface Verdict {
  readonly reason: Reason
  readonly verstat: Verstat
  readonly sipCode: SipCode
  readonly sipText: string
  readonly reasondesc: string
  /** Why, in detail, for logs and the CLI (never secrets). */
  readonly detail?: string
  readonly attest?: string
  readonly origid?: string
  /** Signer's Service Provider Code, from the certificate's TNAuthList. */
  readonly spc?: string
  /** The signer's certificate (issuer, serial), when it was fetched and parsed. */
  readonly cert?: CertName
  readonly x5u?: string
  readonly cache?: 'hit' | 'miss'
  /** Every div PASSporT presented (RFC 8946) and its outcome, the chain's hops first (div-chain.ts). */
  readonly diversion?: readonly DivLink[]
  /** The caller's verified Rich Call Data (RFC 9795), on a passed call whose PASSporT carries it. */
  readonly rcd?: VerifiedRcd
  /** Why the PASSporT's Rich Call Data was dropped (the SHAKEN verdict stands on its own). */
  readonly rcdReason?: RcdReason
  readonly rcdDetail?: string
  readonly checks: readonly CheckRun[]
}

/** Settings of a verifier; `certs` is the x5u cache (or a test double over real certificates). */
export interface VerifierOptions {
  readonly certs: CheckEnv['certs']
  readonly clock?: Clock
  readonly freshnessSec?: number
  readonly maxTnLength?: number
  readonly maxIdentityParams?: number
  /** Where RCD logos are fetched from (icon-cache.ts); without one, a call with a logo has its RCD dropped. */
  readonly icons?: IconSource
}

export interface Verifier {
  verify(input: VerifyInput): Promise<Verdict>
}

/** The verdict of a reason, with the facts gathered so far. */
function verdictOf(reason: Reason, s: Partial<CallState>, checks: readonly CheckRun[]): Verdict {
  const code = REASON_SIP[reason]
  return {
    reason,
    verstat: REASON_VERSTAT[reason],
    sipCode: code,
    sipText: SIP_TEXT[code],
    reasondesc: REASON_DESC[reason],
    detail: reason === 'passed' ? undefined : s.detail,
    attest: s.claims?.attest,
    origid: s.claims?.origid,
    spc: s.spc,
    cert: s.cert,
    x5u: s.header?.x5u,
    cache: s.cache,
    diversion: s.diversion,
    checks,
  }
}

// The runs of a verification that passed check i and every one before it: shared, so a call
// that passes allocates no list. A failure at check i is OK_BEFORE[i] plus its own run.
const OK_BEFORE: readonly (readonly CheckRun[])[] = CHECKS.map((_, i) =>
  Object.freeze(CHECKS.slice(0, i).map((c) => Object.freeze({ check: c.name, result: 'ok' as const }))),
)
const ALL_OK: readonly CheckRun[] = Object.freeze(
  CHECKS.map((c) => Object.freeze({ check: c.name, result: 'ok' as const })),
)

/** Builds a verifier. Any exception inside a check is a malformed input, never a crash. */
export function createVerifier(o: VerifierOptions): Verifier {
  const env: CheckEnv = {
    now: o.clock ?? systemClock,
    freshnessSec: o.freshnessSec ?? 60,
    tn: { maxLength: o.maxTnLength ?? 15 },
    maxIdentityParams: o.maxIdentityParams ?? 0,
    certs: o.certs,
  }
  return {
    async verify(input) {
      const s: CallState = { input, nowMs: env.now().getTime() }
      for (let i = 0; i < CHECKS.length; i++) {
        const c = CHECKS[i]!
        let r: Reason | undefined
        try {
          const out = c.run(s, env)
          // Only a certificate that is not cached yet needs a promise: the rest skip the microtask hop.
          r = out instanceof Promise ? await out : out
        } catch (e) {
          s.detail = `${c.name}: ${(e as Error)?.message ?? 'error'}`
          r = 'identity_malformed'
        }
        if (r) return verdictOf(r, s, [...OK_BEFORE[i]!, { check: c.name, result: r }])
      }
      const passed = verdictOf('passed', s, ALL_OK)
      // A call without RCD claims (nearly all) pays one property read here.
      const rich = s.claims!.rich
      if (rich === undefined) return passed
      const r = await verifyRichCallData(rich, o.icons)
      return r.ok ? { ...passed, rcd: r.rcd } : { ...passed, rcdReason: r.reason, rcdDetail: r.detail }
    },
  }
}
