/**
 * A copy under review is a revision of an approved bundle (DESIGN §2): the reviewer sees which
 * bundle it revises and every field changed since that bundle's approved items (which cannot
 * have changed since its approval: they are frozen). A resubmission likewise shows what changed
 * since the submission last decided, from the snapshot its review kept. The comparison is
 * src/domain/bundle-diff.ts.
 */
import type { Executor } from '../store/db.js'
import { findBundle, type BundleRow } from '../store/bundles.repo.js'
import { attachmentsOf, type AttachmentRows } from '../store/attachments.repo.js'
import { diffBundles, type Change, type DiffSide } from '../domain/bundle-diff.js'
import type { BundleKind } from '../domain/policies.js'
import { toV1Date } from '../domain/time.js'
import { APPROVED, REJECTED } from '../domain/bundle.js'
import type { ReviewRow } from '../store/reviews.repo.js'

const object = (r: { sid: string; type: string; friendly_name: string; attributes: string }) => ({
  sid: r.sid,
  type: r.type,
  friendly_name: r.friendly_name,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
})

/** A bundle's attachments as the diff compares them (also what a review keeps as its snapshot). */
export function sideOf(a: AttachmentRows): DiffSide {
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

/** What the review detail adds for a resubmission: the last decided submission and the changes since. */
export interface Resubmission {
  readonly resubmission_of: {
    readonly submission: number
    readonly status: string
    readonly decided_at: string | null
    readonly reason: string | null
  } | null
  /** Null when the decided submission kept no snapshot. */
  readonly changes_since_decision: readonly Change[] | null
}

/**
 * For a bundle submitted again after a decision (an edited rejection, or an approved bundle
 * sent back): the newest earlier approved or rejected submission of `reviews`, and each field
 * changed since what it attached.
 */
export function resubmissionOf(reviews: readonly ReviewRow[], attachments: AttachmentRows): Resubmission {
  const latest = reviews[reviews.length - 1]
  const prev = reviews
    .filter((r) => r !== latest && (r.status === APPROVED || r.status === REJECTED))
    .sort((a, b) => b.submission - a.submission)[0]
  if (!prev) return { resubmission_of: null, changes_since_decision: null }
  return {
    resubmission_of: {
      submission: prev.submission,
      status: prev.status,
      decided_at: toV1Date(prev.decided_at),
      reason: prev.reason,
    },
    changes_since_decision: prev.snapshot
      ? diffBundles(JSON.parse(prev.snapshot) as DiffSide, sideOf(attachments))
      : null,
  }
}
