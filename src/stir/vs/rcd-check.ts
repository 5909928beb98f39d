/**
 * Verifying Rich Call Data (RFC 9795) once a SHAKEN PASSporT has passed: `nam` and `crn` are
 * covered by the PASSporT's signature, the content a URL in `rcd` references by `rcdi` (§6: a
 * JSON pointer into `rcd` → the digest of that content). The icon is fetched through the
 * guarded fetcher (icon-cache.ts) and its digest compared with the one signed. Anything wrong
 * drops the whole RCD with a documented reason (docs/branding.md); the SHAKEN verdict is not
 * touched by it. stirhub also requires a signed logo to be covered by `rcdi`: a logo no digest
 * vouches for is never presented as the caller's.
 */
import { DIGEST_FORM, iconUrlProblem, MAX_CRN, textProblem } from '../../domain/rich-call-data.js'
import type { DigestAlg, IconLookup } from './icon-cache.js'
import type { ReceivedRichCallData } from './passport-decode.js'

/** Why a call's RCD was dropped. */
const RCD_REASONS = ['rcd_invalid', 'rcd_integrity_failed', 'rcd_icon_unavailable'] as const
export type RcdReason = (typeof RCD_REASONS)[number]

/** What each RCD reason means (docs/branding.md lists the same). */
export const RCD_REASON_DESC: Readonly<Record<RcdReason, string>> = {
  rcd_invalid: "The 'rcd', 'rcdi' or 'crn' claim is malformed",
  rcd_integrity_failed: "The logo's digest does not match 'rcdi', or the logo is not covered by 'rcdi'",
  rcd_icon_unavailable:
    'The logo could not be fetched (refused address, too large, too slow, not an image, or an error)',
}

/** The caller's verified Rich Call Data, as reported. */
export interface VerifiedRcd {
  readonly nam?: string
  readonly icn?: string
  readonly crn?: string
}

export type RcdOutcome =
  | { readonly ok: true; readonly rcd: VerifiedRcd }
  | { readonly ok: false; readonly reason: RcdReason; readonly detail: string }

/** Where logos come from (IconCache; undefined: this verifier fetches none). */
export interface IconSource {
  get(url: string): Promise<IconLookup>
}

/** Longest display name accepted from a PASSporT. */
const MAX_NAM = 255

const bad = (reason: RcdReason, detail: string): RcdOutcome => ({ ok: false, reason, detail })
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** RFC 6901: the value `pointer` names in `doc`, or undefined. */
function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc
  if (!pointer.startsWith('/')) return undefined
  let at: unknown = doc
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(at) && /^(0|[1-9][0-9]*)$/.test(key)) at = at[Number(key)]
    else if (isObject(at) && Object.hasOwn(at, key)) at = at[key]
    else return undefined
  }
  return at
}

/** Verifies a passed call's RCD claims (see the module comment). */
export async function verifyRichCallData(rich: ReceivedRichCallData, icons?: IconSource): Promise<RcdOutcome> {
  const { rcd, rcdi, crn } = rich
  if (crn !== undefined && textProblem(crn, MAX_CRN)) return bad('rcd_invalid', `crn ${textProblem(crn, MAX_CRN)}`)
  if (rcd === undefined) {
    if (rcdi !== undefined) return bad('rcd_invalid', "'rcdi' without 'rcd'")
    return { ok: true, rcd: { crn: crn as string } }
  }
  if (!isObject(rcd)) return bad('rcd_invalid', "'rcd' is not an object")
  const { nam, icn } = rcd
  if (nam !== undefined && textProblem(nam, MAX_NAM)) return bad('rcd_invalid', `nam ${textProblem(nam, MAX_NAM)}`)
  if (icn !== undefined && (typeof icn !== 'string' || iconUrlProblem(icn)))
    return bad('rcd_invalid', typeof icn === 'string' ? (iconUrlProblem(icn) as string) : "'icn' is not a string")
  if (rcdi !== undefined && !isObject(rcdi)) return bad('rcd_invalid', "'rcdi' is not an object")
  const digests = (rcdi ?? {}) as Record<string, unknown>
  for (const [pointer, digest] of Object.entries(digests)) {
    if (typeof digest !== 'string' || !DIGEST_FORM.test(digest))
      return bad('rcd_invalid', `rcdi ${pointer.slice(0, 40)} is not an integrity digest`)
    if (typeof resolvePointer(rcd, pointer) !== 'string')
      return bad('rcd_invalid', `rcdi ${pointer.slice(0, 40)} names no URL in 'rcd'`)
  }
  if (icn !== undefined) {
    const signed = digests['/icn'] as string | undefined
    if (signed === undefined) return bad('rcd_integrity_failed', "the logo is not covered by 'rcdi'")
    if (!icons) return bad('rcd_icon_unavailable', 'this verifier fetches no logos')
    const got = await icons.get(icn as string)
    if (!got.ok) return bad('rcd_icon_unavailable', got.detail)
    const m = DIGEST_FORM.exec(signed)!
    // Padding aside (SRI writes it; a signer may not), the base64 texts must be equal.
    if (got.digest(m[1] as DigestAlg).replace(/=+$/, '') !== m[2]!.replace(/=+$/, ''))
      return bad('rcd_integrity_failed', `the logo's ${m[1]} digest is not the one in 'rcdi'`)
  }
  const out: { nam?: string; icn?: string; crn?: string } = {}
  if (nam !== undefined) out.nam = nam as string
  if (icn !== undefined) out.icn = icn as string
  if (crn !== undefined) out.crn = crn as string
  return { ok: true, rcd: out }
}
