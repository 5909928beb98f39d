/**
 * An account's verify-front policy (STYLE §3: the failure action is tenant policy, not code):
 * its own row when it has one, else the configured defaults.
 */
import type { Config } from '../../config/config.js'
import type { Executor } from '../../store/db.js'
import { findVerificationPolicy } from '../../store/verification.repo.js'

/** What the SIP verify front does on failure (RFC 9410 `reason` = continue with Reason: STIR). */
export const FAILURE_ACTIONS = ['continue', 'reject', 'reason'] as const
export type FailureAction = (typeof FAILURE_ACTIONS)[number]

export interface VerifyPolicy {
  readonly failureAction: FailureAction
  readonly requireIdentity: boolean
}

/** The effective policy of `accountSid` (defaults when undefined or without a row). */
export async function verifyPolicyOf(
  db: Executor,
  config: Config,
  accountSid: string | undefined,
): Promise<VerifyPolicy> {
  const row = accountSid ? await findVerificationPolicy(db, accountSid) : undefined
  return {
    failureAction: (row?.failure_action ?? config.verifyFailureAction) as FailureAction,
    requireIdentity: row ? row.require_identity === 1 : config.verifyRequireIdentity,
  }
}
