/**
 * A copy under review is a revision of an approved bundle (DESIGN §2): the reviewer sees which
 * bundle it revises and every field changed since that bundle's approved items (which cannot
 * have changed since its approval: they are frozen). The comparison is src/domain/bundle-diff.ts.
 */
import type { Executor } from '../store/db.js'
import { findBundle, type BundleRow } from '../store/bundles.repo.js'
import { attachmentsOf, type AttachmentRows } from '../store/attachments.repo.js'
import { diffBundles, type Change, type DiffSide } from '../domain/bundle-diff.js'
import type { BundleKind } from '../domain/policies.js'
import { toV1Date } from '../domain/time.js'

const object = (r: { sid: string; type: string; friendly_name: string; attributes: string }) => ({
  sid: r.sid,
  type: r.type,
  friendly_name: r.friendly_name,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
})

/** A bundle's attachments as the diff compares them. */
function sideOf(a: AttachmentRows): DiffSide {
  return {
    endUsers: a.endUsers.map(object),
    documents: a.documents.map(object),
    addresses: a.addresses.map((x) => ({
      sid: x.sid,
      customer_name: x.customer_name,
      street: x.street,
      street_secondary: x.street_secondary,
      city: x.city,
      region: x.region,
      postal_code: x.postal_code,
      iso_country: x.iso_country,
    })),
    linked: a.linked.map((l) => l.sid),
  }
}

/** What the review detail adds for a bundle: the bundle it revises and the changes, or nulls for an original. */
export interface Revision {
  readonly revision_of: {
    readonly sid: string
    readonly friendly_name: string | null
    readonly status: string | null
    readonly valid_until: string | null
  } | null
  readonly changes: readonly Change[] | null
}

/** The revision facts of `bundle` (whose attachments the caller holds); the original is read in the copy's account only. */
export async function revisionOf(db: Executor, bundle: BundleRow, attachments: AttachmentRows): Promise<Revision> {
  if (!bundle.copied_from) return { revision_of: null, changes: null }
  const original = await findBundle(db, [bundle.account_sid], bundle.kind as BundleKind, bundle.copied_from)
  if (!original)
    return {
      revision_of: { sid: bundle.copied_from, friendly_name: null, status: null, valid_until: null },
      changes: null,
    }
  return {
    revision_of: {
      sid: original.sid,
      friendly_name: original.friendly_name,
      status: original.status,
      valid_until: toV1Date(original.valid_until),
    },
    changes: diffBundles(sideOf(await attachmentsOf(db, original)), sideOf(attachments)),
  }
}
