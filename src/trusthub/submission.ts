/**
 * Evaluation and submission of a bundle (spec §4): an evaluation reads the bundle's attachments
 * and is stored (EL…) whatever its verdict, so the customer can read what failed; a bundle may
 * go to `pending-review` only when a fresh evaluation, taken in the same transaction, is
 * compliant, and that evaluation is kept with the review it opens.
 */
import type { Db, Executor } from '../store/db.js'
import {
  findBundle,
  insertEvaluation,
  lockAccountForPrimary,
  lockForSubmission,
  otherPrimaryProfiles,
  updateBundleFields,
  type BundleRow,
  type EvaluationRow,
} from '../store/bundles.repo.js'
import { attachmentsOf, toSnapshot } from '../store/attachments.repo.js'
import { evaluate, evaluationFacts, failureSummary, type EvaluationOutcome } from '../domain/evaluation.js'
import { POLICY, findPolicy, type BundleKind } from '../domain/policies.js'
import { APPROVED, EDITABLE, IN_REVIEW, PENDING_REVIEW, REJECTED, assertCustomerMayRequest } from '../domain/bundle.js'
import { newSid } from '../domain/ids.js'
import { isoNow, type Clock } from '../domain/time.js'
import { AppError, errors } from '../domain/errors.js'
import { changeBundleStatus } from '../vetting/bundle-status.js'
import type { EffectsConfig } from '../vetting/status-effects.js'
import { fetchLogosOf } from '../vetting/logo-fetch.js'

/** The fields a customer edits on a bundle. */
export type BundleEdits = Partial<Pick<BundleRow, 'friendly_name' | 'email' | 'status_callback'>>

/** What a submission needs besides the store: the clock and the review settings. */
export interface SubmitEnv {
  readonly clock: Clock
  readonly config?: EffectsConfig
}

/** Evaluates `bundle` against its policy now and stores the evaluation (EL…). */
export async function evaluateBundle(
  db: Executor,
  clock: Clock,
  bundle: BundleRow,
): Promise<{ row: EvaluationRow; outcome: EvaluationOutcome }> {
  const policy = findPolicy(bundle.policy_sid)
  if (!policy) throw errors.invalid('PolicySid', `bundle ${bundle.sid} has unknown policy ${bundle.policy_sid}`)
  const attachments = toSnapshot(await attachmentsOf(db, bundle))
  const outcome = evaluate(evaluationFacts(policy, attachments, bundle.account_sid, clock()))
  const row: EvaluationRow = {
    sid: newSid('EL'),
    bundle_sid: bundle.sid,
    account_sid: bundle.account_sid,
    policy_sid: policy.sid,
    status: outcome.status,
    results: JSON.stringify(outcome.results),
    date_created: isoNow(clock),
  }
  await insertEvaluation(db, row)
  return { row, outcome }
}

/** What the customer does with the primary profile it already has, by its status. */
const PRIMARY_ADVICE: Readonly<Record<string, string>> = {
  [PENDING_REVIEW]: 'wait for its review',
  [IN_REVIEW]: 'wait for its review',
  [APPROVED]: 'change it through POST /v1/CustomerProfiles/{Sid}/Copies',
  [REJECTED]: 'edit it and resubmit it (or delete it first)',
}

/**
 * An account has one primary customer profile (as on Twilio): drafts are free, but a primary is
 * submitted only when no other primary of the account is submitted, approved or rejected. A copy
 * is a revision of the account's profile, not a second one.
 */
async function assertOnlyPrimary(db: Executor, b: BundleRow): Promise<void> {
  if (b.policy_sid !== POLICY.PRIMARY_PROFILE || b.copied_from) return
  await lockAccountForPrimary(db, b.account_sid)
  const [other] = await otherPrimaryProfiles(db, b.account_sid, b.sid, Object.keys(PRIMARY_ADVICE))
  if (!other) return
  throw new AppError(
    'PRIMARY_PROFILE_EXISTS',
    `Bundle ${b.sid} cannot be submitted: account ${b.account_sid} already has Primary Customer Profile ${other.sid} (${other.status}), and an account has one; ${PRIMARY_ADVICE[other.status]!.replace('{Sid}', other.sid)}`,
    { bundle_sid: other.sid, bundle_status: other.status },
  )
}

type Submitted = { ok: true; bundle: BundleRow } | { ok: false; evaluation: EvaluationRow; outcome: EvaluationOutcome }

/**
 * Customer submission (`Status=pending-review`), with optional field edits applied in the same
 * transaction. Throws 400 (22218) for a status the customer may not set, 400 (22214) with the
 * failed requirements in `message` and `details` when the evaluation is noncompliant.
 */
export async function submitBundle(
  db: Db,
  env: SubmitEnv,
  kind: BundleKind,
  bundle: BundleRow,
  to: string,
  edits: BundleEdits,
): Promise<BundleRow> {
  assertCustomerMayRequest(bundle, to)
  // A branding product's logo is fetched before the transaction (never a network wait inside
  // one); the check inside judges the URL attached then, which must be the one fetched.
  const logos = await fetchLogosOf(env.config ?? {}, db, bundle)
  const res = await db.transaction().execute(async (trx): Promise<Submitted> => {
    // Lock and re-read inside the transaction: a concurrent submission of the same bundle
    // waits here, then finds it no longer editable.
    if (!(await lockForSubmission(trx, bundle.sid, EDITABLE, isoNow(env.clock)))) {
      const now = await findBundle(trx, [bundle.account_sid], kind, bundle.sid)
      if (!now) throw errors.notFound(bundle.sid)
      assertCustomerMayRequest(now, to)
    }
    const fresh = (await findBundle(trx, [bundle.account_sid], kind, bundle.sid))!
    await assertOnlyPrimary(trx, fresh)
    const { row, outcome } = await evaluateBundle(trx, env.clock, fresh)
    if (outcome.status !== 'compliant') return { ok: false, evaluation: row, outcome }
    const edited = { ...fresh, ...edits }
    if (Object.keys(edits).length) await updateBundleFields(trx, fresh.sid, edits, fresh.date_updated)
    const evaluation = {
      sid: row.sid,
      status: outcome.status,
      results: outcome.results,
      date_created: row.date_created,
    }
    return {
      ok: true,
      bundle: await changeBundleStatus(trx, env, edited, PENDING_REVIEW, { actor: 'customer', evaluation, logos }),
    }
  })
  if (res.ok) return res.bundle
  const failed = res.outcome.results.filter((r) => !r.passed)
  throw new AppError(
    'BUNDLE_NONCOMPLIANT',
    `Bundle ${bundle.sid} cannot be submitted: evaluation ${res.evaluation.sid} is noncompliant. ${failureSummary(res.outcome)}`,
    { evaluation_sid: res.evaluation.sid, status: res.outcome.status, results: failed },
  )
}
