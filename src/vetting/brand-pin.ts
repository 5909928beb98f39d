/**
 * The approved_brands row of a Branded Calls or CNAM trust product (docs/branding.md): pinned
 * in the transaction that approves the product, from the logo bytes fetched and judged just
 * before it (the bytes approved are the bytes pinned); copied onto the original when an
 * approved copy replaces its items; removed when the product leaves twilio-approved or is
 * deleted. An expired approval keeps its row: readers check the bundle's valid_until.
 */
import type { Executor } from '../store/db.js'
import type { BundleRow } from '../store/bundles.repo.js'
import { approvedBrandsOf, saveApprovedBrand } from '../store/brands.repo.js'
import { unpinBrand } from '../store/brand-checks.repo.js'
import { bumpDecisionVersion, scope } from '../store/decision-version.repo.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import { isBrandingPolicy } from '../domain/policies.js'
import { brandText, type LogoEvidence } from '../domain/brand-checks.js'
import { AppError } from '../domain/errors.js'

/** Pins `bundle`'s brand as approved now; refuses (BRAND_LOGO_UNAVAILABLE) a logo whose bytes were not fetched. */
export async function pinBrand(
  db: Executor,
  bundle: BundleRow,
  logos: ReadonlyMap<string, LogoEvidence> | undefined,
  now: string,
): Promise<void> {
  if (!isBrandingPolicy(bundle.policy_sid)) return
  const t = brandText({ policy_sid: bundle.policy_sid, ...toSnapshot(await attachmentsOf(db, bundle)) })
  if (!t) return
  let digest: string | null = null
  if (t.logoUrl) {
    const e = logos?.get(t.logoUrl)
    if (!e?.ok || !e.inspection.type)
      throw new AppError(
        'BRAND_LOGO_UNAVAILABLE',
        `Trust product ${bundle.sid} cannot be approved: its logo ${t.logoUrl} ${e ? (e.ok ? 'is not a PNG, JPEG or SVG image' : `could not be fetched (${e.reason})`) : 'was not fetched'}, so there are no bytes whose digest could be pinned; ask the customer to fix the logo URL`,
        { logo_url: t.logoUrl },
      )
    digest = e.inspection.digest
  }
  await saveApprovedBrand(db, {
    bundle_sid: bundle.sid,
    account_sid: bundle.account_sid,
    kind: t.kind,
    display_name: t.name,
    logo_url: t.logoUrl,
    logo_digest: digest,
    call_reasons: JSON.stringify(t.reasons),
    approved_at: now,
  })
}

/** After ReplaceItems: the original carries the brand pinned at its copy's approval. */
export async function repinFromCopy(db: Executor, original: BundleRow, copySid: string): Promise<void> {
  if (!isBrandingPolicy(original.policy_sid)) return
  const pinned = (await approvedBrandsOf(db, [copySid])).get(copySid)
  if (!pinned) await unpinBrand(db, original.sid)
  else await saveApprovedBrand(db, { ...pinned, bundle_sid: original.sid, account_sid: original.account_sid })
  // Signers holding the original's brand drop it on their next call (a status change bumps this too).
  await bumpDecisionVersion(db, [scope.bundle(original.sid)])
}
