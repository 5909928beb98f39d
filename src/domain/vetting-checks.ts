/**
 * Automated vetting checks (DESIGN §3): pure functions over a snapshot of a submitted bundle,
 * each returning `{name, passed, evidence}`. A check recommends; only a reviewer decides, so a
 * failure never changes a status by itself. The evidence says what was looked at, so the
 * reviewer can judge it without opening every object.
 */
import { findPolicy, isBrandingPolicy, type PolicyDef } from './policies.js'
import { brandChecks, type BrandFacts } from './brand-checks.js'
import { APPROVED, isApproved, type AttachedObject, type LinkedBundle } from './bundle.js'
import { failureSummary, type SubmittedEvaluation } from './evaluation.js'
import {
  checkEmailDomain,
  checkRegistrationNumber,
  checkRepresentativePhones,
  checkUsAddress,
  type CheckResult,
  type ProfileFacts,
} from './profile-checks.js'

export { checkEmailDomain, checkRegistrationNumber, checkRepresentativePhones, checkUsAddress, type CheckResult }

/** Everything the checks look at, gathered by the vetting service before they run. */
export interface BundleFacts extends ProfileFacts {
  readonly sid: string
  readonly account_sid: string
  readonly policy_sid: string
  readonly documents: readonly AttachedObject[]
  readonly linked: readonly LinkedBundle[]
  /** Approved bundles of unrelated accounts whose business information has the same registration number. */
  readonly duplicates: readonly { readonly bundle_sid: string; readonly account_sid: string }[]
  /** Evaluation time (ISO), for expiry of linked bundles. */
  readonly now: string
  /** The evaluation the submission was judged by (policy requirements). */
  readonly evaluation?: SubmittedEvaluation
  /** When an unnamed evaluation was taken, as the evidence says it (default `at submission`). */
  readonly evaluationWhen?: string
  /** A branding product's facts (other brands, fetched logos, numbers). */
  readonly brand?: BrandFacts
}

const BUSINESS = 'customer_profile_business_information'
const str = (v: unknown) =>
  typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v)
const result = (name: string, passed: boolean, evidence: string): CheckResult => ({ name, passed, evidence })

/** The business information end user, if attached. */
const businessInfo = (f: BundleFacts) => f.endUsers.find((e) => e.type === BUSINESS)

/** True when a linked bundle is approved and its valid_until has not passed at `now` (ISO). */
const approvedAt = (b: LinkedBundle, now: string) => isApproved(b.status, b.valid_until, new Date(now))

/**
 * Every requirement of the bundle's policy is met: the verdict of the evaluation the submission
 * was judged by (the policy's requirements are the evaluation's to read, not this check's).
 */
export function checkEvaluation(f: BundleFacts, policy: PolicyDef | undefined = findPolicy(f.policy_sid)): CheckResult {
  const name = 'policy_requirements'
  if (!policy) return result(name, false, `unknown policy ${f.policy_sid}`)
  const e = f.evaluation
  if (!e) return result(name, false, 'no evaluation was recorded with this submission')
  const which = e.sid ? `evaluation ${e.sid}` : `the evaluation ${f.evaluationWhen ?? 'at submission'}`
  return e.status === 'compliant'
    ? result(name, true, `all requirements of ${policy.friendly_name} are met (${which} is compliant)`)
    : result(name, false, `${which} is noncompliant: ${failureSummary(e)}`)
}

/** The same registration number already approved on an unrelated account: a possible duplicate business. */
export function checkDuplicateRegistration(f: BundleFacts): CheckResult {
  const name = 'duplicate_registration'
  const num = str(businessInfo(f)?.attributes.business_registration_number)
  if (f.duplicates.length === 0)
    return result(name, true, `registration number ${num || '(none)'} is not approved on any unrelated account`)
  return result(
    name,
    false,
    `registration number ${num} is already approved on ${f.duplicates.map((d) => `${d.bundle_sid} (account ${d.account_sid})`).join(', ')}`,
  )
}

/** A trust product's linked customer profile is approved and unexpired. */
export function checkTrustProductProfile(f: BundleFacts): CheckResult {
  const name = 'linked_profile_approved'
  const profiles = f.linked.filter((l) => findPolicy(l.policy_sid)?.kind === 'customer-profile')
  if (profiles.length === 0) return result(name, false, 'no customer profile linked')
  const p = profiles[0]!
  return approvedAt(p, f.now)
    ? result(name, true, `profile ${p.sid} is ${APPROVED}${p.valid_until ? ` until ${p.valid_until}` : ''}`)
    : result(
        name,
        false,
        `profile ${p.sid} is ${p.status}${p.valid_until && p.valid_until <= f.now ? ` (expired ${p.valid_until})` : ''}`,
      )
}

/** A secondary profile's primary is approved and belongs to an ISV (twilio-node#965). */
export function checkSecondaryPrimary(f: BundleFacts): CheckResult {
  const name = 'primary_profile_approved_isv'
  const primary = f.linked.find(
    (l) => findPolicy(l.policy_sid)?.bundle_type === 'primary_customer_profile_type_business',
  )
  if (!primary) return result(name, false, 'no primary customer profile linked')
  const problems: string[] = []
  if (!approvedAt(primary, f.now)) problems.push(`primary ${primary.sid} is ${primary.status}`)
  if (primary.business_identity !== 'isv_reseller_or_partner')
    problems.push(
      `primary ${primary.sid} business_identity is ${primary.business_identity ?? '(none)'}, not isv_reseller_or_partner`,
    )
  return problems.length
    ? result(name, false, problems.join('; '))
    : result(name, true, `primary ${primary.sid} is ${APPROVED} and isv_reseller_or_partner`)
}

/** The checks that apply to the bundle's policy, in the order the reviewer sees them. */
export function runChecks(f: BundleFacts): CheckResult[] {
  const policy = findPolicy(f.policy_sid)
  if (policy && isBrandingPolicy(policy.sid))
    return [checkEvaluation(f, policy), checkTrustProductProfile(f), ...brandChecks(f, f.brand)]
  if (policy?.kind === 'trust-product') return [checkEvaluation(f, policy), checkTrustProductProfile(f)]
  const out = [
    checkEvaluation(f, policy),
    checkRegistrationNumber(f),
    checkRepresentativePhones(f),
    checkEmailDomain(f),
    checkUsAddress(f),
    checkDuplicateRegistration(f),
  ]
  if (policy?.bundle_type === 'secondary_customer_profile_type_business') out.push(checkSecondaryPrimary(f))
  return out
}
