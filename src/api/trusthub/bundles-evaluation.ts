/**
 * Running an evaluation against the store, and submission: a bundle may go to
 * `pending-review` only when a fresh evaluation, taken in the same transaction, is compliant
 * (spec §4). The evaluation is kept either way, so the customer can read what failed.
 */
import type { AppContext } from '../../runtime/context.js'
import type { Executor } from '../../store/db.js'
import { findBundle, insertEvaluation, lockForSubmission, type BundleRow, type EvaluationRow } from '../../store/bundles.repo.js'
import { evaluationInputs } from '../../store/assignments.repo.js'
import { evaluate, failureSummary, type EvaluationOutcome } from '../../domain/evaluation.js'
import { findPolicy, type BundleKind } from '../../domain/policies.js'
import { newSid } from '../../domain/ids.js'
import { isoNow, type Clock } from '../../domain/time.js'
import { AppError, errors } from '../../domain/errors.js'
import { EDITABLE, assertCustomerMayRequest, changeBundleStatus } from '../../vetting/bundle-status.js'

/** Evaluates `bundle` against its policy now and stores the evaluation (EL…). */
export async function evaluateAndStore(db: Executor, clock: Clock, bundle: BundleRow): Promise<{ row: EvaluationRow; outcome: EvaluationOutcome }> {
  const policy = findPolicy(bundle.policy_sid)
  if (!policy) throw errors.invalid('PolicySid', `bundle ${bundle.sid} has unknown policy ${bundle.policy_sid}`)
  const inputs = await evaluationInputs(db, bundle)
  const outcome = evaluate({ policy, ...inputs, now: clock() })
  const row: EvaluationRow = {
    sid: newSid('EL'), bundle_sid: bundle.sid, account_sid: bundle.account_sid, policy_sid: policy.sid,
    status: outcome.status, results: JSON.stringify(outcome.results), date_created: isoNow(clock),
  }
  await insertEvaluation(db, row)
  return { row, outcome }
}

export type SubmitContext = Pick<AppContext, 'store' | 'clock' | 'config'>

type Submitted = { ok: true; bundle: BundleRow } | { ok: false; evaluation: EvaluationRow; outcome: EvaluationOutcome }

/**
 * Customer submission (`Status=pending-review`), with optional field edits applied in the same
 * transaction. Throws 400 (22218) for a status the customer may not set, 400 (22214) with the
 * failed requirements in `message` and `details` when the evaluation is noncompliant.
 */
export async function submitBundle(ctx: SubmitContext, kind: BundleKind, bundle: BundleRow, to: string, edits: Partial<Pick<BundleRow, 'friendly_name' | 'email' | 'status_callback'>>): Promise<BundleRow> {
  assertCustomerMayRequest(bundle, to)
  const res = await ctx.store.db.transaction().execute(async (trx): Promise<Submitted> => {
    // Lock and re-read inside the transaction: a concurrent submission of the same bundle
    // waits here, then finds it no longer editable.
    if (!(await lockForSubmission(trx, bundle.sid, EDITABLE, isoNow(ctx.clock)))) {
      const now = await findBundle(trx, [bundle.account_sid], kind, bundle.sid)
      if (!now) throw errors.notFound(bundle.sid)
      assertCustomerMayRequest(now, to)
    }
    const fresh = (await findBundle(trx, [bundle.account_sid], kind, bundle.sid))!
    const { row, outcome } = await evaluateAndStore(trx, ctx.clock, fresh)
    if (outcome.status !== 'compliant') return { ok: false, evaluation: row, outcome }
    const edited = { ...fresh, ...edits }
    if (Object.keys(edits).length) await trx.updateTable('bundles').set(edits).where('sid', '=', fresh.sid).execute()
    return { ok: true, bundle: await changeBundleStatus(trx, ctx, edited, 'pending-review', { actor: 'customer' }) }
  })
  if (res.ok) return res.bundle
  const failed = res.outcome.results.filter((r) => !r.passed)
  throw new AppError('BUNDLE_NONCOMPLIANT',
    `Bundle ${bundle.sid} cannot be submitted: evaluation ${res.evaluation.sid} is noncompliant. ${failureSummary(res.outcome)}`,
    { evaluation_sid: res.evaluation.sid, status: res.outcome.status, results: failed })
}
