/**
 * A branding product as a person checks it (docs/branding.md): the name against the legal name
 * (normalised, with the edit distance), the logo as fetched (type, size, dimensions, digest and
 * the image itself as a data: URI, since the console loads no outside images), and the brand
 * pinned at approval. Shown to reviewers (admin review detail) and to the customer's dry-run
 * (GET …/Checks), which the console's phone preview draws from.
 */
import type { Executor } from '../store/db.js'
import type { BundleRow } from '../store/bundles.repo.js'
import { approvedBrandsOf } from '../store/brands.repo.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import { isBrandingPolicy } from '../domain/policies.js'
import { brandText, type LogoEvidence } from '../domain/brand-checks.js'
import { editDistance, normaliseName } from '../domain/brand-names.js'
import { POLICY } from '../domain/policy-sids.js'
import { toV1Date } from '../domain/time.js'
import type { FetchedLogos } from './facts.js'

const MIME = { png: 'image/png', jpeg: 'image/jpeg', svg: 'image/svg+xml' } as const

/** The logo as fetched: what it is, its digest and, for an image, a data: URI of its bytes. */
function logoView(e: LogoEvidence | undefined, bytesOf: (url: string) => Buffer | undefined) {
  if (!e) return null
  if (!e.ok) return { error: e.reason }
  const i = e.inspection
  const bytes = bytesOf(e.url)
  return {
    type: i.type,
    width: i.width,
    height: i.height,
    bytes: i.bytes,
    digest: i.digest,
    problems: i.problems,
    data_uri: i.type && bytes ? `data:${MIME[i.type]};base64,${bytes.toString('base64')}` : null,
  }
}

/** The brand view of `bundle` (null for a bundle that is no branding product). */
export async function brandView(db: Executor, bundle: BundleRow, logos: FetchedLogos | undefined) {
  if (!isBrandingPolicy(bundle.policy_sid)) return null
  const a = toSnapshot(await attachmentsOf(db, bundle))
  const t = brandText({ policy_sid: bundle.policy_sid, endUsers: a.endUsers })
  const profile = a.linked.find(
    (l) => l.policy_sid === POLICY.PRIMARY_PROFILE || l.policy_sid === POLICY.SECONDARY_PROFILE,
  )
  const legal = profile?.business_name ?? null
  const pinned = (await approvedBrandsOf(db, [bundle.sid])).get(bundle.sid)
  const e = t?.logoUrl ? logos?.get(t.logoUrl) : undefined
  return {
    kind: t?.kind ?? (bundle.policy_sid === POLICY.CNAM ? 'cnam' : 'branded_calls'),
    display_name: t?.name ?? null,
    call_reasons: t?.reasons ?? [],
    doing_business_as: t?.dba ?? [],
    legal_name: legal,
    comparison:
      t && legal
        ? {
            normalised_name: normaliseName(t.name),
            normalised_legal_name: normaliseName(legal),
            distance: editDistance(normaliseName(t.name), normaliseName(legal)),
          }
        : null,
    logo_url: t?.logoUrl ?? null,
    logo: logoView(e, (url) => (e?.ok && e.url === url ? e.body : undefined)),
    pinned: pinned
      ? {
          display_name: pinned.display_name,
          logo_url: pinned.logo_url,
          logo_digest: pinned.logo_digest,
          call_reasons: JSON.parse(pinned.call_reasons) as string[],
          approved_at: toV1Date(pinned.approved_at),
        }
      : null,
  }
}
