/**
 * The attestation engine (DESIGN §4): a pure function of the store's facts that decides the
 * SHAKEN attestation level of one call. ATIS-1000074 §5.2.3: A (full) needs a verified
 * association between the customer and the calling TN — here an approved business profile
 * and an approved SHAKEN/STIR trust product holding the number; B (partial) needs only a
 * vetted customer — the top-level account's approved primary profile with its trust product;
 * C (gateway) otherwise. Destinations outside the US are not signed at all.
 */
import { isUsNumber } from './e164.js'
import { POLICY } from './policies.js'
import { APPROVED, DRAFT, IN_REVIEW, PENDING_REVIEW, REJECTED, isApproved } from './bundle.js'
import { isVerifiedOrigin, UNVERIFIED_STEP } from './number-origin.js'
import { brandingOf, type BrandFact, type Branding } from './rich-call-data.js'

export type AttestLevel = 'A' | 'B' | 'C'

/** Which row of DESIGN §4's table fired. */
type AttestRule = 'not-us-destination' | 'full-attestation' | 'partial-attestation' | 'gateway-attestation'

/** The facts about the calling account. */
export interface AccountFact {
  readonly sid: string
  /** Null for a top-level account. */
  readonly parentSid: string | null
  /** Stable per-account origid (RFC 8588 §4), for traceback. */
  readonly origid: string
}

/** A bundle as the engine sees it (customer profile or trust product). */
export interface BundleFact {
  readonly sid: string
  readonly accountSid: string
  readonly policySid: string
  /** Twilio status: draft | pending-review | in-review | twilio-rejected | twilio-approved. */
  readonly status: string
  readonly validUntil: string | null
  /** Bundles linked by EntityAssignment (a trust product's profile; a secondary's primary). */
  readonly linkedBundleSids: readonly string[]
  /** A Branded Calls product's branding pinned at approval (rich-call-data.ts), when it has one. */
  readonly brand?: BrandFact
}

/** One of our numbers (IncomingPhoneNumbers), with its owner and the bundles it is on. */
export interface NumberFact {
  readonly sid: string
  readonly phoneNumber: string
  readonly accountSid: string
  readonly ownerParentSid: string | null
  /** The holder's right-to-use origin (number-origin.ts); only a verified one may reach A. */
  readonly origin: string
  /** Bundles holding the number through ChannelEndpointAssignments. */
  readonly bundleSids: readonly string[]
}

/** Everything one decision reads: built by the index from the store. */
export interface DecisionFacts {
  readonly account: AccountFact
  /** Undefined when the calling number is not ours (not on any account). */
  readonly number?: NumberFact
  /** At least the bundles the number is on, by SID (rule 2). */
  readonly bundles: ReadonlyMap<string, BundleFact>
  /**
   * The top-level account's rule-3 set: its primary profiles and the SHAKEN/STIR trust products
   * linked to them. The same for every call of the account, so it can be shared between them.
   */
  readonly family: readonly BundleFact[]
}

/** The engine's answer, explainable (DESIGN §4: "every decision can be explained"). */
export interface Decision {
  /** Undefined when the call is not signed (rule 1). */
  readonly attest?: AttestLevel
  readonly rule: AttestRule
  readonly reasons: readonly string[]
  readonly profileSid?: string
  readonly trustProductSid?: string
  readonly origid: string
  /** The calling number's right-to-use origin (number-origin.ts) when the number is ours. */
  readonly origin?: string
  /**
   * Concrete next steps to reach A (empty when A): rule 2 only, about the number and the
   * bundles holding it. Never the top-level account's rule-3 bundles, which A does not need.
   */
  readonly missingForA: readonly string[]
  /**
   * Concrete next steps to reach B (empty when A or B): rule 3 only, about the top-level
   * account's primary profile and its trust product; for a sub-account, its ISV's to take.
   */
  readonly missingForB: readonly string[]
  /** The Rich Call Data an A call carries (RFC 9795), and why a call carries none (set by {@link decide}). */
  readonly branding?: Branding
}

const PROFILE_POLICIES: readonly string[] = [POLICY.PRIMARY_PROFILE, POLICY.SECONDARY_PROFILE]

/** Approved and not past `valid_until` at `now` (DESIGN §3: an expired approval counts as not approved). */
const approved = (b: BundleFact, now: Date): boolean => isApproved(b.status, b.validUntil, now)

/**
 * The instant (ms) until which a decision made at `nowMs` from `facts` stays the same: the
 * next `valid_until` still ahead among the facts' bundles (an expiry is the only thing that
 * changes a decision without a store write). Infinity when none expires.
 */
export function decisionStableUntil(facts: DecisionFacts, nowMs: number): number {
  let until = Infinity
  for (const bundles of [facts.bundles.values(), facts.family]) {
    for (const b of bundles) {
      if (b.validUntil === null) continue
      const t = Date.parse(b.validUntil)
      if (t > nowMs && t < until) until = t
    }
  }
  return until
}

/** What the customer must do about a bundle that is not (or no longer) approved. */
function bundleStep(b: BundleFact, now: Date, what: string): string {
  if (b.status === APPROVED) return `${what} ${b.sid} expired on ${b.validUntil ?? '?'}: renew it (resubmit for review)`
  switch (b.status) {
    case DRAFT:
      return `${what} ${b.sid} is a draft: complete it and submit it for review`
    case PENDING_REVIEW:
    case IN_REVIEW:
      return `${what} ${b.sid} is ${b.status}: wait for the review decision`
    case REJECTED:
      return `${what} ${b.sid} was rejected: fix the reported errors and resubmit it`
    default:
      return `${what} ${b.sid} is ${b.status}: it must be approved`
  }
}

/**
 * Decides the attestation of a call from `facts.account` with calling number
 * `facts.number` to `toTn`, at `now` (injected: expiry is checked at decision time).
 */
export function decide(facts: DecisionFacts, toTn: string, now: Date): Decision {
  const d = decideLevel(facts, toTn, now)
  return { ...d, branding: brandingOf(d.attest, numberBundles(facts), ownersOf(facts.account), now) }
}

/** Rule 2's owners: the calling account and its top-level account. */
function ownersOf(acct: AccountFact): ReadonlySet<string> {
  return new Set([acct.sid, acct.parentSid ?? acct.sid])
}

/** The bundles the calling number is on, as loaded. */
function numberBundles(f: DecisionFacts): BundleFact[] {
  const out: BundleFact[] = []
  for (const s of f.number?.bundleSids ?? []) {
    const b = f.bundles.get(s)
    if (b) out.push(b)
  }
  return out
}

/** The level and its explanation (DESIGN §4's table), before branding. */
function decideLevel(facts: DecisionFacts, toTn: string, now: Date): Omit<Decision, 'branding'> {
  const origid = facts.account.origid
  const origin = facts.number?.origin
  if (!isUsNumber(toTn)) {
    return {
      rule: 'not-us-destination',
      origid,
      origin,
      reasons: [`destination ${toTn} is not a US number: SHAKEN signs US calls only`],
      missingForA: [],
      missingForB: [],
    }
  }
  const a = tryFull(facts, now)
  if (a.ok) {
    return {
      attest: 'A',
      rule: 'full-attestation',
      origid,
      origin,
      profileSid: a.profile,
      trustProductSid: a.trust,
      missingForA: [],
      missingForB: [],
      reasons: [
        `number ${facts.number!.phoneNumber} is on approved business profile ${a.profile} and approved SHAKEN/STIR trust product ${a.trust}`,
      ],
    }
  }
  const b = tryPartial(facts, now)
  if (b.ok) {
    return {
      attest: 'B',
      rule: 'partial-attestation',
      origid,
      origin,
      profileSid: b.profile,
      trustProductSid: b.trust,
      missingForA: a.missing,
      missingForB: [],
      reasons: [
        ...a.reasons,
        `account ${b.top} has approved primary profile ${b.profile} with approved SHAKEN/STIR trust product ${b.trust}`,
      ],
    }
  }
  return {
    attest: 'C',
    rule: 'gateway-attestation',
    origid,
    origin,
    reasons: [...a.reasons, ...b.reasons],
    missingForA: a.missing,
    missingForB: b.missing,
  }
}

type Outcome =
  | { readonly ok: true; readonly profile: string; readonly trust: string; readonly top: string }
  | { readonly ok: false; readonly reasons: string[]; readonly missing: string[] }

/**
 * Rule 2 (A): our number, held by the caller (or a sub-account) with a verified right-to-use
 * origin, on approved P and approved T linked to P.
 */
function tryFull(f: DecisionFacts, now: Date): Outcome {
  const acct = f.account
  const n = f.number
  const top = acct.parentSid ?? acct.sid
  if (!n) {
    return {
      ok: false,
      reasons: ['the calling number is not one of our numbers'],
      missing: [`add the calling number to account ${acct.sid} as an IncomingPhoneNumber (only our numbers can get A)`],
    }
  }
  if (n.accountSid !== acct.sid && n.ownerParentSid !== acct.sid) {
    return {
      ok: false,
      reasons: [`number ${n.phoneNumber} belongs to another account`],
      missing: [`call from a number of account ${acct.sid} or of its sub-accounts`],
    }
  }
  const verified = isVerifiedOrigin(n.origin)
  const owners = ownersOf(acct)
  const mine = n.bundleSids
    .map((s) => f.bundles.get(s))
    .filter((b): b is BundleFact => b !== undefined && owners.has(b.accountSid))
  const profiles = mine.filter((b) => PROFILE_POLICIES.includes(b.policySid))
  const trusts = mine.filter((b) => b.policySid === POLICY.SHAKEN_STIR)
  for (const t of verified ? trusts : []) {
    if (!approved(t, now)) continue
    const p = profiles.find((pp) => t.linkedBundleSids.includes(pp.sid) && approved(pp, now))
    if (p) return { ok: true, profile: p.sid, trust: t.sid, top }
  }
  const why = explainNotFull(n, profiles, trusts, now)
  if (verified) return { ok: false, ...why }
  // Bundles cannot vouch for a number the account may not have a right to (DESIGN §2).
  return {
    ok: false,
    reasons: [`number ${n.phoneNumber} has right-to-use origin ${n.origin}`, ...why.reasons],
    missing: [UNVERIFIED_STEP, ...why.missing],
  }
}

/** Why rule 2 did not fire for our number, and the steps to fix it. */
function explainNotFull(n: NumberFact, profiles: readonly BundleFact[], trusts: readonly BundleFact[], now: Date) {
  const reasons: string[] = []
  const missing: string[] = []
  if (profiles.length === 0) {
    reasons.push(`number ${n.phoneNumber} is not assigned to a business profile`)
    missing.push(`assign ${n.sid} to your business profile (ChannelEndpointAssignment)`)
  }
  for (const p of profiles) {
    if (!approved(p, now)) {
      reasons.push(`business profile ${p.sid} is not approved`)
      missing.push(bundleStep(p, now, 'business profile'))
    }
  }
  if (trusts.length === 0) {
    reasons.push(`number ${n.phoneNumber} is not assigned to a SHAKEN/STIR trust product`)
    missing.push(
      `assign ${n.sid} to a SHAKEN/STIR trust product linked to its business profile (ChannelEndpointAssignment)`,
    )
  }
  for (const t of trusts) {
    if (!approved(t, now)) {
      reasons.push(`trust product ${t.sid} is not approved`)
      missing.push(bundleStep(t, now, 'SHAKEN/STIR trust product'))
    } else if (!profiles.some((p) => t.linkedBundleSids.includes(p.sid))) {
      reasons.push(`trust product ${t.sid} is not linked to the number's business profile`)
      missing.push(
        `link trust product ${t.sid} to the business profile holding ${n.sid} (EntityAssignment), or assign the number to that profile`,
      )
    }
  }
  return { reasons, missing }
}

/** Rule 3 (B): the top-level account has an approved primary profile with an approved trust product linked to it. */
function tryPartial(f: DecisionFacts, now: Date): Outcome {
  const top = f.account.parentSid ?? f.account.sid
  const own = f.family.filter((b) => b.accountSid === top)
  const primaries = own.filter((b) => b.policySid === POLICY.PRIMARY_PROFILE)
  const trusts = own.filter((b) => b.policySid === POLICY.SHAKEN_STIR)
  const approvedPrimaries = primaries.filter((p) => approved(p, now))
  for (const t of trusts) {
    if (!approved(t, now)) continue
    const p = approvedPrimaries.find((pp) => t.linkedBundleSids.includes(pp.sid))
    if (p) return { ok: true, profile: p.sid, trust: t.sid, top }
  }
  const reasons: string[] = []
  const missing: string[] = []
  if (primaries.length === 0) {
    reasons.push(`account ${top} has no primary business profile`)
    missing.push(`create a primary business profile on account ${top} and submit it for review`)
  } else if (approvedPrimaries.length === 0) {
    reasons.push(`account ${top} has no approved primary business profile`)
    for (const p of primaries) missing.push(bundleStep(p, now, 'primary business profile'))
  }
  const linked = trusts.filter(
    (t) => approvedPrimaries.some((p) => t.linkedBundleSids.includes(p.sid)) || approvedPrimaries.length === 0,
  )
  if (trusts.length === 0) {
    reasons.push(`account ${top} has no SHAKEN/STIR trust product linked to its primary business profile`)
    missing.push(
      `create a SHAKEN/STIR trust product on account ${top}, link it to its primary profile (EntityAssignments) and submit it for review`,
    )
  } else {
    reasons.push(`account ${top} has no approved SHAKEN/STIR trust product linked to an approved primary profile`)
    const pending = linked.filter((t) => !approved(t, now))
    for (const t of pending) missing.push(bundleStep(t, now, 'SHAKEN/STIR trust product'))
    if (pending.length === 0 && approvedPrimaries.length > 0)
      missing.push(
        `link an approved SHAKEN/STIR trust product of account ${top} to its primary profile ${approvedPrimaries[0]!.sid} (EntityAssignment)`,
      )
  }
  // A sub-account cannot act on its ISV's bundles: say whose step it is.
  const whose = f.account.parentSid ? missing.map((m) => `your ISV (account ${top}) must act: ${m}`) : missing
  return { ok: false, reasons, missing: whose }
}
