/**
 * Rich Call Data (RFC 9795) on the signing side: which calls carry the branding a reviewer
 * approved. A call gets `rcd` (`nam`, `icn` when a logo was pinned), `rcdi` (the logo's pinned
 * digest) and, when asked for and approved, `crn`, only when it is attested A and its calling
 * number is on an approved Branded Calls trust product held by the caller (the ownership rule
 * of attestation rule 2). Nothing that was not approved goes into a PASSporT: the values come
 * from the row pinned at approval (approved_brands), never from the request. Pure: no I/O.
 */
import { isApproved } from './bundle.js'
import { POLICY } from './policy-sids.js'

/** A Branded Calls product's pinned branding, as the attestation index holds it with the bundle. */
export interface BrandFact {
  /** RFC 9795 §5.1.1 `nam`. */
  readonly displayName: string
  /** RFC 9795 §5.1.4 `icn`: an https URL, or null when no logo was approved. */
  readonly logoUrl: string | null
  /** The logo's digest pinned at approval (`sha256-` + base64, the rcdi value form). */
  readonly logoDigest: string | null
  /** The call reasons (`crn`) the business may use. */
  readonly callReasons: readonly string[]
}

/** The branding a call may carry: the claims minus `crn`, which depends on the request. */
export interface RcdGrant {
  /** The Branded Calls trust product it comes from. */
  readonly productSid: string
  readonly nam: string
  readonly icn?: string
  /** `rcdi` members: JSON pointer into `rcd` → digest (RFC 9795 §6). */
  readonly rcdi?: { readonly '/icn': string }
  readonly callReasons: readonly string[]
}

/** The branding part of a decision: the grant (A calls on an approved product), and why or why not. */
export interface Branding {
  readonly rcd?: RcdGrant
  readonly reasons: readonly string[]
}

/** Why a call carries no branding: the explainer's words (docs/branding.md). */
export const NO_BRANDING = {
  notOnProduct: 'number is not on an approved Branded Calls product',
  notA: (attest: string) => `call is attested ${attest}: branding needs A`,
  unsigned: 'call is not signed: no branding',
  unusable: (sid: string, why: string) => `Branded Calls product ${sid} cannot be signed: ${why}`,
} as const

/** Longest `nam` signed (RFC 9795 leaves it open; a phone shows far fewer characters). */
const MAX_NAM = 255
/** Longest call reason a request may name (RFC 9796 suggests 64 characters; approved ones are checked at vetting). */
export const MAX_CRN = 255
// C0/C1 controls, bidi overrides and isolates: none belongs in a caller's name on a screen.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** The rcdi digest form (W3C SRI, as RFC 9795 §6 uses it): algorithm, `-`, standard base64. */
export const DIGEST_FORM = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/

/** Why `text` cannot be a `nam` or `crn` (undefined when it can). */
export function textProblem(text: unknown, max: number): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return 'is empty'
  if (text.length > max) return `is longer than ${max} characters`
  if (UNSAFE_TEXT.test(text)) return 'holds a control or bidirectional-override character'
  if (text.includes('\uFFFD') || LONE_SURROGATE.test(text)) return 'is not valid Unicode text'
  return undefined
}

/**
 * Why `url` cannot be an `icn` (undefined when it can): an absolute http(s) URL. Vetting admits
 * only https logos; a verifier's guarded fetcher refuses http but for hosts its operator allows.
 */
export function iconUrlProblem(url: string): string | undefined {
  try {
    const p = new URL(url).protocol
    return p === 'https:' || p === 'http:' ? undefined : `logo URL scheme ${p} is not https`
  } catch {
    return 'logo URL is not an absolute URL'
  }
}

/** The grant of one approved product, or why its pinned facts cannot be signed. */
function grantOf(sid: string, b: BrandFact): RcdGrant | string {
  const nam = textProblem(b.displayName, MAX_NAM)
  if (nam) return `display name ${nam}`
  if (b.logoUrl === null) return { productSid: sid, nam: b.displayName, callReasons: b.callReasons }
  const icn = iconUrlProblem(b.logoUrl)
  if (icn) return icn
  // A logo is only ever signed with the digest pinned when it was reviewed (RFC 9795 §6).
  if (b.logoDigest === null || !DIGEST_FORM.test(b.logoDigest)) return 'logo has no pinned digest'
  return {
    productSid: sid,
    nam: b.displayName,
    icn: b.logoUrl,
    rcdi: { '/icn': b.logoDigest },
    callReasons: b.callReasons,
  }
}

/** The bundle facts branding reads (a subset of attestation.ts's BundleFact). */
interface BrandedBundle {
  readonly sid: string
  readonly accountSid: string
  readonly policySid: string
  readonly status: string
  readonly validUntil: string | null
  readonly brand?: BrandFact
}

/**
 * The branding of a call attested `attest` from a number on `numberBundles`, owned (rule 2)
 * when a bundle's account is in `owners`. Only an A call on an approved (not expired) Branded
 * Calls product of the caller's, with its branding pinned, is branded.
 */
export function brandingOf(
  attest: string | undefined,
  numberBundles: readonly BrandedBundle[],
  owners: ReadonlySet<string>,
  now: Date,
): Branding {
  if (attest === undefined) return { reasons: [NO_BRANDING.unsigned] }
  const products = numberBundles.filter(
    (b) => b.policySid === POLICY.BRANDED_CALLS && owners.has(b.accountSid) && isApproved(b.status, b.validUntil, now),
  )
  if (attest !== 'A') {
    return { reasons: [NO_BRANDING.notA(attest), ...(products.length === 0 ? [NO_BRANDING.notOnProduct] : [])] }
  }
  const reasons: string[] = []
  // Several approved products on one number: the lowest SID, so every process signs the same one.
  for (const b of [...products].sort((x, y) => (x.sid < y.sid ? -1 : 1))) {
    if (!b.brand) {
      reasons.push(NO_BRANDING.unusable(b.sid, 'no branding was pinned at its approval'))
      continue
    }
    const g = grantOf(b.sid, b.brand)
    if (typeof g !== 'string') return { rcd: g, reasons: [`branded as "${g.nam}" by Branded Calls product ${b.sid}`] }
    reasons.push(NO_BRANDING.unusable(b.sid, g))
  }
  return { reasons: reasons.length > 0 ? reasons : [NO_BRANDING.notOnProduct] }
}

/**
 * The `crn` to sign for a requested call reason: the request's text when it is exactly one of
 * the product's approved reasons, else none, with a note saying why.
 */
export function callReasonOf(
  grant: RcdGrant | undefined,
  requested: string | undefined,
): { readonly crn?: string; readonly note?: string } {
  if (requested === undefined) return {}
  if (!grant) return { note: `call reason "${requested}" not signed: the call carries no branding` }
  if (grant.callReasons.includes(requested)) return { crn: requested }
  return {
    note: `call reason "${requested}" is not approved for Branded Calls product ${grant.productSid}: not signed`,
  }
}
