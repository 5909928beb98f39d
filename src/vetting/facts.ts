/**
 * Gathers what the automated checks look at for one bundle: its attachments (one snapshot,
 * shared with the evaluation) and approved bundles of unrelated accounts with the same
 * registration number. The checks themselves are pure (src/domain/vetting-checks).
 */
import type { Executor } from '../store/db.js'
import { approvedWithRegistrationNumber, type BundleRow } from '../store/bundles.repo.js'
import { findAccount } from '../store/accounts.repo.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import type { Attachments } from '../domain/bundle.js'
import type { BundleFacts } from '../domain/vetting-checks.js'

const BUSINESS = 'customer_profile_business_information'

/** Approved bundles on accounts outside `root`'s family whose business information carries `number`. */
async function duplicatesOf(db: Executor, number: string, root: string, self: string) {
  if (!number) return []
  const rows = await approvedWithRegistrationNumber(db, number, self)
  return rows
    .filter((r) => (r.parent_sid ?? r.account_sid) !== root)
    .map((r) => ({ bundle_sid: r.bundle_sid, account_sid: r.account_sid }))
}

/** Builds the check input for `bundle` as of `now`; pass `attachments` when the caller already holds them. */
export async function gatherFacts(
  db: Executor,
  bundle: BundleRow,
  now: string,
  attachments?: Attachments,
): Promise<BundleFacts> {
  const a = attachments ?? toSnapshot(await attachmentsOf(db, bundle))
  const number = String(
    a.endUsers.find((e) => e.type === BUSINESS)?.attributes.business_registration_number ?? '',
  ).trim()
  const root = (await findAccount(db, bundle.account_sid))?.parent_sid ?? bundle.account_sid
  const duplicates = await duplicatesOf(db, number, root, bundle.sid)
  return { sid: bundle.sid, account_sid: bundle.account_sid, policy_sid: bundle.policy_sid, ...a, duplicates, now }
}
