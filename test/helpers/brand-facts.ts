/**
 * Branded Calls facts straight in the store, as an approval leaves them: an approved trust
 * product with the Branded Calls policy holding the number, and its branding pinned in
 * approved_brands (saveApprovedBrand, which bumps the product's decision scope).
 */
import { createHash } from 'node:crypto'
import { POLICY } from '../../src/domain/policies.js'
import type { Db } from '../../src/store/db.js'
import { saveApprovedBrand } from '../../src/store/brands.repo.js'
import { addBundle, assignNumberRow } from './attestation-world.js'

/** A logo's pinned digest as RFC 9795 `rcdi` writes it. */
export const sriDigest = (bytes: Buffer | string): string =>
  'sha256-' + createHash('sha256').update(bytes).digest('base64')

/** The branding a test pins. */
export interface TestBrand {
  readonly name: string
  readonly logoUrl?: string | null
  readonly logoDigest?: string | null
  readonly reasons?: readonly string[]
}

/** Pins `brand` on product `bundleSid` of `accountSid` (or re-pins it). */
export async function pinBrand(db: Db, bundleSid: string, accountSid: string, brand: TestBrand): Promise<void> {
  await saveApprovedBrand(db, {
    bundle_sid: bundleSid,
    account_sid: accountSid,
    kind: 'branded_calls',
    display_name: brand.name,
    logo_url: brand.logoUrl ?? null,
    logo_digest: brand.logoDigest ?? null,
    call_reasons: JSON.stringify(brand.reasons ?? []),
    approved_at: new Date().toISOString(),
  })
}

/**
 * A Branded Calls trust product of `accountSid` in `status` holding number `pnSid`, its
 * branding pinned when `brand` is given; its SID.
 */
export async function addBrandedProduct(
  db: Db,
  accountSid: string,
  pnSid: string,
  brand?: TestBrand,
  status = 'twilio-approved',
): Promise<string> {
  const sid = await addBundle(db, accountSid, POLICY.BRANDED_CALLS, status)
  await assignNumberRow(db, sid, accountSid, pnSid, POLICY.BRANDED_CALLS)
  if (brand) await pinBrand(db, sid, accountSid, brand)
  return sid
}
