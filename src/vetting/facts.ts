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
import { POLICY, findPolicy, isBrandingPolicy } from '../domain/policies.js'
import type { BrandFacts, LogoEvidence } from '../domain/brand-checks.js'
import { approvedBrandsOfOthers, numbersOffShaken } from '../store/brand-checks.repo.js'

/** Logos fetched before the checks run, by URL (src/vetting/logo-fetch.ts). */
export type FetchedLogos = ReadonlyMap<string, LogoEvidence>

const BUSINESS = 'customer_profile_business_information'

/** Approved bundles on accounts outside `root`'s family whose business information carries `number`. */
async function duplicatesOf(db: Executor, number: string, root: string, self: string) {
  if (!number) return []
  const rows = await approvedWithRegistrationNumber(db, number, self)
  return rows
    .filter((r) => (r.parent_sid ?? r.account_sid) !== root)
    .map((r) => ({ bundle_sid: r.bundle_sid, account_sid: r.account_sid }))
}

/** A branding product's facts: other accounts' approved brands, its numbers against its SHAKEN/STIR product. */
async function brandFacts(
  db: Executor,
  bundle: BundleRow,
  a: Attachments,
  logos: FetchedLogos | undefined,
): Promise<BrandFacts> {
  const shaken = a.linked.filter((l) => l.policy_sid === POLICY.SHAKEN_STIR).map((l) => l.sid)
  const { numbers, off } = await numbersOffShaken(db, bundle.sid, shaken)
  return { others: await approvedBrandsOfOthers(db, bundle.account_sid), logos, numbers, numbersOffShaken: off }
}

/**
 * Builds the check input for `bundle` as of `now`; pass `attachments` when the caller already
 * holds them, and the logos fetched for a branding product (none: its logo check says so).
 */
export async function gatherFacts(
  db: Executor,
  bundle: BundleRow,
  now: string,
  attachments?: Attachments,
  logos?: FetchedLogos,
): Promise<BundleFacts> {
  const a = attachments ?? toSnapshot(await attachmentsOf(db, bundle))
  const number = String(
    a.endUsers.find((e) => e.type === BUSINESS)?.attributes.business_registration_number ?? '',
  ).trim()
  const root = (await findAccount(db, bundle.account_sid))?.parent_sid ?? bundle.account_sid
  const duplicates = await duplicatesOf(db, number, root, bundle.sid)
  const brand = isBrandingPolicy(bundle.policy_sid) ? await brandFacts(db, bundle, a, logos) : undefined
  return {
    sid: bundle.sid,
    account_sid: bundle.account_sid,
    policy_sid: bundle.policy_sid,
    ...a,
    duplicates,
    now,
    ...(brand ? { brand } : {}),
  }
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
  logos?: FetchedLogos,
): Promise<{ checks: CheckResult[]; facts: BundleFacts }> {
  const attachments = toSnapshot(await attachmentsOf(db, bundle))
  const policy = findPolicy(bundle.policy_sid)
  const evaluation: SubmittedEvaluation | undefined = policy && {
    sid: null,
    date_created: now,
    ...evaluate(evaluationFacts(policy, attachments, bundle.account_sid, new Date(now))),
  }
  const facts = { ...(await gatherFacts(db, bundle, now, attachments, logos)), evaluation, evaluationWhen: 'as of now' }
  return { checks: runChecks(facts), facts }
}

/**
 * The automated checks a submission of `bundle` would get now, without submitting or storing
 * anything (GET …/Checks, the console's dry-run): the decision's own checks, with duplicates
 * said without naming the other accounts' SIDs.
 */
export async function dryRunChecks(
  db: Executor,
  bundle: BundleRow,
  now: string,
  logos?: FetchedLogos,
): Promise<CheckResult[]> {
  const { checks, facts } = await checksNow(db, bundle, now, logos)
  const others = new Set(facts.duplicates.map((d) => d.account_sid)).size
  const plural = (n: number) => `${n} other account${n === 1 ? '' : 's'}`
  return checks.map((c) => {
    if (c.passed) return c
    if (c.name === 'duplicate_registration')
      return { ...c, evidence: `the registration number is already approved on ${plural(others)}` }
    if (c.name === 'brand_name_not_confusable')
      return { ...c, evidence: 'the name looks like a brand already approved on another account' }
    return c
  })
}
