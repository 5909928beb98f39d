/**
 * The STI-AS (ATIS-1000074 §5.3.1): decides a call's attestation with the engine and signs
 * a SHAKEN PASSporT for it. Transport-free: the ATIS REST route, the SIP redirect front and
 * the CLI all call {@link SigningService.sign}. The engine decides `attest`; a requested
 * level may lower it, never raise it (DESIGN §5).
 */
import type { Decision, AttestLevel } from '../../domain/attestation.js'
import { callReasonOf, type RcdGrant } from '../../domain/rich-call-data.js'
import { isUsNumber, requireTn } from '../../domain/e164.js'
import { AppError, errors } from '../../domain/errors.js'
import type { Clock } from '../../domain/time.js'
import { canonicalTn, signDivIdentity, signIdentity, type PassportKey, type ShakenClaims } from '../passport/index.js'
import type { AttestationIndex } from './attestation-index.js'
import type { SigningCounter } from './signing-counter.js'
import type { CallRecorder } from '../calls/call-recorder.js'
import type { CallVia } from '../calls/call-record.js'

/**
 * One call to sign. TNs in any spelling `parseTn` (domain/e164.ts) takes (`+12125550100`, `2125550100`,
 * `tel:+1-212-555-0100`); each is decided here and signed in its canonical form (RFC 8224 §8.3).
 */
export interface SignRequest {
  readonly accountSid: string
  readonly orig: string
  readonly dest: readonly string[]
  /** A level the caller asks for: honoured only when lower than the engine's. */
  readonly attest?: AttestLevel
  /** NumericDate seconds; defaults to now. */
  readonly iat?: number
  /** The store-version ticket taken when the call arrived (see store-version.ts; default: now). */
  readonly ticket?: number
  /** The front the call came through, for its record (default: REST). */
  readonly via?: CallVia
  /**
   * The call reason asked for (RFC 9795 `crn`): signed only when the call is branded and the
   * reason is one its Branded Calls product was approved with, exactly as written.
   */
  readonly crn?: string
}

/** A retargeted call to sign a div PASSporT for (RFC 8946): `orig` as its SHAKEN PASSporT says. */
export interface DivertRequest {
  /** The account the diverting number must belong to (itself or its parent); any holder when absent. */
  readonly accountSid?: string
  readonly orig: string
  /** The new target. */
  readonly dest: string
  /** The number that diverted the call: one of ours. */
  readonly div: string
  readonly iat?: number
  readonly ticket?: number
  readonly via?: CallVia
}

/** A div Identity header, or why none was signed (`rule`, and `notes` in words). */
export interface DivertResult {
  readonly identity?: string
  readonly passport?: string
  readonly rule?: 'not-us-destination' | 'diverting-number-not-held'
  readonly notes: readonly string[]
}

/** The outcome: the decision, the level signed and the Identity header (absent when not signed). */
export interface SignResult {
  /** The call's numbers as decided (canonical TNs, as the PASSporT carries them). */
  readonly orig: string
  readonly dest: readonly string[]
  readonly decision: Decision
  readonly attest?: AttestLevel
  readonly identity?: string
  readonly passport?: string
  /** The Rich Call Data signed into the PASSporT (RFC 9795), when the call is branded. */
  readonly rcd?: SignedRcd
  /** Why the signed level differs from the decision, or why nothing was signed. */
  readonly notes: readonly string[]
}

/** What a branded call's PASSporT says about the caller. */
interface SignedRcd {
  readonly nam: string
  readonly icn?: string
  readonly crn?: string
}

export interface SigningServiceOptions {
  readonly index: AttestationIndex
  /** The current signing key and x5u (read per call, so a rotation takes effect at once). */
  readonly signer: () => PassportKey
  readonly clock: Clock
  readonly counter?: SigningCounter
  /** Records each decided call (signed or not) off the hot path. */
  readonly recorder?: CallRecorder
}

const RANK: Readonly<Record<AttestLevel, number>> = { A: 3, B: 2, C: 1 }

/** The lower of the engine's level and the requested one. */
function capAttest(decided: AttestLevel, requested?: AttestLevel): AttestLevel {
  return requested !== undefined && RANK[requested] < RANK[decided] ? requested : decided
}

/**
 * How far a requested iat may be from the signer's clock: the freshness verifiers allow
 * (RFC 8224 §12). A PASSporT dated ahead would turn fresh later, after the attestation it
 * carries may have been revoked; one dated behind is refused downstream anyway.
 */
const IAT_SKEW_SEC = 60

/** The request's iat, checked (RFC 8588 errata 6656: a JSON integer; within IAT_SKEW_SEC of now), or now's. */
function iatOf(requested: number | undefined, now: Date): number {
  const nowSec = Math.floor(now.getTime() / 1000)
  const iat = requested ?? nowSec
  if (!Number.isSafeInteger(iat) || iat < 0)
    throw errors.invalid('iat', 'must be a non-negative integer (NumericDate seconds)')
  if (Math.abs(iat - nowSec) > IAT_SKEW_SEC)
    throw errors.invalid('iat', `must be within ${IAT_SKEW_SEC} s of the signer's clock (${nowSec})`)
  return iat
}

/**
 * The claims of a branded call (RFC 9795): `rcd` and `rcdi` from the approved grant, `crn` when
 * the asked reason is approved. Undefined for a call without branding and no reason asked; a
 * call signed below A (a requested lower level) carries none.
 */
function brandedClaims(
  base: ShakenClaims,
  decision: Decision,
  requested: string | undefined,
): { readonly claims?: ShakenClaims; readonly rcd?: SignedRcd; readonly note?: string } | undefined {
  const grant = base.attest === 'A' ? decision.branding?.rcd : undefined
  if (!grant) {
    if (requested === undefined) return undefined
    return { note: callReasonOf(undefined, requested).note }
  }
  const { crn, note } = callReasonOf(grant, requested)
  const { rcd, signed } = claimsOfGrant(grant)
  // Literals, not spreads: an object spread takes V8's slow path, at every branded call.
  const claims: ShakenClaims = {
    attest: base.attest,
    crn,
    dest: base.dest,
    iat: base.iat,
    orig: base.orig,
    origid: base.origid,
    rcd,
    rcdi: grant.rcdi,
  }
  if (crn === undefined) return { claims, rcd: signed, note }
  return {
    claims,
    rcd: signed.icn !== undefined ? { icn: signed.icn, nam: signed.nam, crn } : { nam: signed.nam, crn },
    note,
  }
}

/** The `rcd` claim of a grant, one object per grant (a decision's grant is remembered with the call: passport.ts keeps its JSON). */
function claimsOfGrant(grant: RcdGrant): { readonly rcd: ShakenClaims['rcd'] & object; readonly signed: SignedRcd } {
  let c = grantClaims.get(grant)
  if (c === undefined) {
    const rcd = grant.icn !== undefined ? { icn: grant.icn, nam: grant.nam } : { nam: grant.nam }
    c = { rcd, signed: rcd }
    grantClaims.set(grant, c)
  }
  return c
}
const grantClaims = new WeakMap<RcdGrant, { readonly rcd: ShakenClaims['rcd'] & object; readonly signed: SignedRcd }>()

/** Decides and signs calls for one process (see the module comment). */
export class SigningService {
  constructor(private readonly opts: SigningServiceOptions) {}

  /**
   * Decides and signs. Throws NOT_FOUND for an unknown account, ACCOUNT_INACTIVE for a suspended or closed one, INVALID_PARAM for
   * a TN that is no valid number (`parseTn`) or a bad iat, UNAVAILABLE (503) when the
   * store cannot confirm the facts.
   */
  async sign(req: SignRequest): Promise<SignResult> {
    const orig = requireTn(req.orig, 'orig')
    if (req.dest.length === 0) throw errors.invalid('dest', 'needs at least one telephone number')
    // Loops, not map/find: no closure per call on the hot path.
    const dest: string[] = []
    let to: string | undefined
    for (const d of req.dest) {
      const tn = requireTn(d, 'dest')
      dest.push(tn)
      // With several destinations, any non-US one (a valid number of another country) means the call is not signed.
      if (to === undefined && !isUsNumber(tn)) to = tn
    }
    // One clock reading serves the iat, the decision and the counter's hour.
    const now = this.opts.clock()
    const iat = iatOf(req.iat, now)
    to ??= dest[0]!
    const index = this.opts.index
    await index.fresh(req.ticket)
    const decision =
      index.decideRemembered(req.accountSid, orig, to, now) ??
      (await index.decide(req.accountSid, orig, to, req.ticket, now))
    if (!decision) throw await this.#undecided(req.accountSid, req.ticket)
    if (decision.attest === undefined) {
      this.opts.counter?.count(req.accountSid, 'none', now)
      return this.#recorded(req, now, { orig, dest, decision, notes: ['not signed: ' + decision.reasons.join('; ')] })
    }
    const attest = capAttest(decision.attest, req.attest)
    const notes =
      attest !== decision.attest
        ? [`requested attestation ${req.attest} is lower than ${decision.attest}: signed ${attest}`]
        : req.attest && req.attest !== attest
          ? [`requested attestation ${req.attest} is above what the facts allow: signed ${attest}`]
          : []
    // TNs are canonical and origid is the account's stored UUID: the claims are built once, and
    // the PASSporT encoder still checks every part before it goes into the JSON.
    const base: ShakenClaims = { attest, dest: { tn: dest }, iat, orig: { tn: orig }, origid: decision.origid }
    const branded = brandedClaims(base, decision, req.crn)
    const claims = branded?.claims ?? base
    const { identity, passport } = signIdentity(this.opts.signer(), claims)
    this.opts.counter?.count(req.accountSid, attest, now)
    const rcd = branded?.rcd
    const all = branded?.note ? [...notes, branded.note] : notes
    return this.#recorded(req, now, { orig, dest, decision, attest, identity, passport, rcd, notes: all })
  }

  /** Hands the outcome to the recorder (a push into its buffer) and returns it. */
  #recorded(req: SignRequest, now: Date, result: SignResult): SignResult {
    this.opts.recorder?.record({ kind: 'signed', at: now.getTime(), accountSid: req.accountSid, result, via: req.via })
    return result
  }

  /** Why a call of `accountSid` was not decided: ACCOUNT_INACTIVE (403) for a suspended or closed account, else NOT_FOUND. */
  async #undecided(accountSid: string, ticket?: number): Promise<AppError> {
    const status = await this.opts.index.statusOf(accountSid, ticket)
    return status !== undefined && status !== 'active'
      ? new AppError('ACCOUNT_INACTIVE', `Account ${accountSid} is ${status}: its calls are not signed`, { status })
      : errors.notFound(`/Accounts/${accountSid}`)
  }

  /**
   * Signs a div PASSporT for a call retargeted from `div` to `dest` (RFC 8946; ATIS-1000085).
   * Only the provider holding the diverting number may assert the hop, so `div` must be one of
   * our numbers, held by `accountSid` or a sub-account of it when one is named. US targets only,
   * as for SHAKEN. Throws INVALID_PARAM for a bad TN or iat, UNAVAILABLE (503) when the store
   * cannot confirm who holds the number. `dest` and `div` are decided like a SHAKEN call's
   * numbers; `orig` is the original PASSporT's claim, kept as its signer wrote it (only made
   * canonical): verifiers match it digit for digit (RFC 8946), and it is not ours to judge.
   */
  async signDiversion(req: DivertRequest): Promise<DivertResult> {
    const orig = canonicalTn(req.orig, { param: 'orig' })
    const dest = requireTn(req.dest, 'dest')
    const div = requireTn(req.div, 'div')
    const now = this.opts.clock()
    const iat = iatOf(req.iat, now)
    if (!isUsNumber(dest))
      return { rule: 'not-us-destination', notes: [`not signed: the new target ${dest} is not a US number`] }
    const holder = await this.opts.index.holderOf(div, req.ticket)
    if (!holder)
      return {
        rule: 'diverting-number-not-held',
        notes: [`not signed: the diverting number ${div} is not one of ours (or its account is not active)`],
      }
    if (
      req.accountSid !== undefined &&
      holder.accountSid !== req.accountSid &&
      holder.ownerParentSid !== req.accountSid
    ) {
      return {
        rule: 'diverting-number-not-held',
        notes: [`not signed: the diverting number ${div} is not held by ${req.accountSid}`],
      }
    }
    const { identity, passport } = signDivIdentity(this.opts.signer(), {
      dest: { tn: [dest] },
      div: { tn: div },
      iat,
      orig: { tn: orig },
    })
    this.opts.counter?.count(holder.accountSid, 'div')
    this.opts.recorder?.record({
      kind: 'diverted',
      at: now.getTime(),
      accountSid: holder.accountSid,
      orig,
      dest,
      div,
      identity,
      via: req.via,
    })
    return { identity, passport, notes: [] }
  }
}
