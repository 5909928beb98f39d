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
import { runChecks, type BundleFacts, type CheckResult } from '../domain/vetting-checks.js'
import { evaluate, evaluationFacts, type SubmittedEvaluation } from '../domain/evaluation.js'
import { findPolicy } from '../domain/policies.js'

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

/**
 * The automated checks of `bundle` against the facts as of `now` (its attachments, linked
 * bundles' statuses, duplicates, a fresh evaluation): what a decision is judged by, since the
 * checks stored at submission may no longer hold (a linked profile rejected meanwhile).
 */
export async function checksNow(
  db: Executor,
  bundle: BundleRow,
  now: string,
): Promise<{ checks: CheckResult[]; facts: BundleFacts }> {
  const attachments = toSnapshot(await attachmentsOf(db, bundle))
  const policy = findPolicy(bundle.policy_sid)
  const evaluation: SubmittedEvaluation | undefined = policy && {
    sid: null,
    date_created: now,
    ...evaluate(evaluationFacts(policy, attachments, bundle.account_sid, new Date(now))),
  }
  const facts = { ...(await gatherFacts(db, bundle, now, attachments)), evaluation, evaluationWhen: 'as of now' }
  return { checks: runChecks(facts), facts }
}

/**
 * The automated checks a submission of `bundle` would get now, without submitting or storing
 * anything (GET …/Checks, the console's dry-run): the decision's own checks, with duplicates
 * said without naming the other accounts' SIDs.
 */
export async function dryRunChecks(db: Executor, bundle: BundleRow, now: string): Promise<CheckResult[]> {
  const { checks, facts } = await checksNow(db, bundle, now)
  const others = new Set(facts.duplicates.map((d) => d.account_sid)).size
  return checks.map((c) =>
    c.name === 'duplicate_registration' && !c.passed
      ? {
          ...c,
          evidence: `the registration number is already approved on ${others} other account${others === 1 ? '' : 's'}`,
        }
      : c,
  )
}
