/**
 * What the automated checks mean for a reviewer's decision (pure): an approval while a check
 * fails needs a stated reason, kept in the audit log; a trust product is never approved over
 * its linked profile; and the rejection codes (Twilio 18601–18609) a failed check suggests.
 */
import { AppError } from './errors.js'

/** A check's outcome (vetting-checks' CheckResult; declared here so the console imports this file alone). */
export interface CheckResult {
  readonly name: string
  readonly passed: boolean
  readonly evidence: string
}

/** The check of a trust product's linked customer profile (no override lifts it). */
export const LINKED_PROFILE_CHECK = 'linked_profile_approved'

/** What an approval over failed checks records: the reviewer's reason and which checks failed. */
export interface Override {
  readonly reason: string
  readonly failed_checks: readonly string[]
}

/**
 * Judges an approval of review `sid` by the checks run at the decision: nothing failed → no
 * override; failed with a reason → the override to record; failed without one → throws
 * CHECKS_FAILED naming each failed check.
 */
export function approvalOverride(
  sid: string,
  checks: readonly CheckResult[],
  overrideReason: string | undefined,
): Override | undefined {
  const failed = checks.filter((c) => !c.passed)
  if (failed.length === 0) return undefined
  const reason = overrideReason?.trim()
  if (reason) return { reason, failed_checks: failed.map((c) => c.name) }
  throw new AppError(
    'CHECKS_FAILED',
    `Review of ${sid} has failed checks: ${failed.map((c) => `${c.name} (${c.evidence})`).join('; ')}. Approve with an OverrideReason to approve despite them`,
    { failed_checks: failed.map((c) => ({ name: c.name, evidence: c.evidence })) },
  )
}

/** The rejection codes a failed check suggests; checks with no matching code suggest none. */
function codesOf(c: CheckResult): number[] {
  switch (c.name) {
    case 'registration_number_format':
      // 18609: a registration authority outside the US; 18602: a malformed number.
      return [/not a US authority/.test(c.evidence) ? 18609 : 18602]
    case 'duplicate_registration':
      return [18602]
    case 'us_address':
    case 'loa_address_matches_profile':
      return [18603]
    case 'representative_phones':
      return [
        ...(/authorized_representative_1/.test(c.evidence) ? [18604] : []),
        ...(/authorized_representative_2/.test(c.evidence) ? [18605] : []),
      ]
    case 'loa_signer_is_representative':
      return [18604]
    case 'email_domain_matches_website':
      return [18606]
    default:
      return []
  }
}

/** The rejection codes to pre-fill from `checks`' failures, each once, in ascending order. */
export function suggestedRejectionCodes(checks: readonly CheckResult[]): number[] {
  return [...new Set(checks.filter((c) => !c.passed).flatMap(codesOf))].sort((a, b) => a - b)
}
