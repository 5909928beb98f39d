/**
 * Automated vetting checks (DESIGN §3): pure functions over a snapshot of a submitted bundle,
 * each returning `{name, passed, evidence}`. A check recommends; only a reviewer decides, so a
 * failure never changes a status by itself. The evidence says what was looked at, so the
 * reviewer can judge it without opening every object.
 */
import { findPolicy, type PolicyDef } from './policies.js'
import { APPROVED, isApproved, type AttachedAddress, type AttachedObject, type LinkedBundle } from './bundle.js'
import { failureSummary, type SubmittedEvaluation } from './evaluation.js'
import { parseE164 } from './e164.js'
import { US_STATE_CODES } from './us-address.js'

/** One check's outcome, shown to the reviewer. */
export interface CheckResult {
  readonly name: string
  readonly passed: boolean
  readonly evidence: string
}

/** An address as the checks see it (which account holds it is not theirs to judge). */
type AddressFacts = Omit<AttachedAddress, 'account_sid'>

/** Everything the checks look at, gathered by the vetting service before they run. */
export interface BundleFacts {
  readonly sid: string
  readonly account_sid: string
  readonly policy_sid: string
  readonly endUsers: readonly AttachedObject[]
  readonly documents: readonly AttachedObject[]
  readonly addresses: readonly AddressFacts[]
  readonly linked: readonly LinkedBundle[]
  /** Approved bundles of unrelated accounts whose business information has the same registration number. */
  readonly duplicates: readonly { readonly bundle_sid: string; readonly account_sid: string }[]
  /** Evaluation time (ISO), for expiry of linked bundles. */
  readonly now: string
  /** The evaluation the submission was judged by (policy requirements). */
  readonly evaluation?: SubmittedEvaluation
  /** When an unnamed evaluation was taken, as the evidence says it (default `at submission`). */
  readonly evaluationWhen?: string
}

const BUSINESS = 'customer_profile_business_information'
const REPS = ['authorized_representative_1', 'authorized_representative_2']
const str = (v: unknown) =>
  typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v)
const result = (name: string, passed: boolean, evidence: string): CheckResult => ({ name, passed, evidence })

/** The business information end user, if attached. */
const businessInfo = (f: BundleFacts) => f.endUsers.find((e) => e.type === BUSINESS)
const reps = (f: BundleFacts) => f.endUsers.filter((e) => REPS.includes(e.type))

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

/** EIN is `NN-NNNNNNN`, DUNS is nine digits (the US registration authorities of the SHAKEN guide). */
export function checkRegistrationNumber(f: BundleFacts): CheckResult {
  const name = 'registration_number_format'
  const b = businessInfo(f)
  if (!b) return result(name, false, 'no business information attached')
  const id = str(b.attributes.business_registration_identifier)
  const num = str(b.attributes.business_registration_number)
  if (id === 'EIN')
    return /^\d{2}-\d{7}$/.test(num)
      ? result(name, true, `EIN ${num} has the form NN-NNNNNNN`)
      : result(name, false, `EIN "${num}" is not of the form NN-NNNNNNN`)
  if (id === 'DUNS')
    return /^\d{9}$/.test(num)
      ? result(name, true, `DUNS ${num} has nine digits`)
      : result(name, false, `DUNS "${num}" is not nine digits`)
  // 18609: only US registration authorities qualify for SHAKEN/STIR vetting.
  return result(name, false, `registration identifier "${id}" is not a US authority (EIN or DUNS)`)
}

/** NANP 555-0100..0199 is reserved for fiction (ATIS-0300115); libphonenumber calls it valid. */
const fictional = (e164: string) => /^\+1\d{3}55501\d{2}$/.test(e164)

/** Every authorized representative has a valid US (+1, NANP, not fictional) E.164 number. */
export function checkRepresentativePhones(f: BundleFacts): CheckResult {
  const name = 'representative_phones'
  const list = reps(f)
  if (list.length === 0) return result(name, false, 'no authorized representative attached')
  const bad: string[] = []
  const good: string[] = []
  for (const r of list) {
    const raw = str(r.attributes.phone_number)
    const p = parseE164(raw)
    if (!p.ok) bad.push(`${r.type}: ${p.reason}`)
    else if (!p.e164.startsWith('+1') || fictional(p.e164)) bad.push(`${r.type}: ${raw} is not a valid US number`)
    else good.push(`${r.type}: ${p.e164}`)
  }
  return bad.length ? result(name, false, bad.join('; ')) : result(name, true, good.join('; '))
}

/** Host of a website URL without `www.`, lower-case; undefined when it is not a URL. */
function websiteDomain(raw: string): string | undefined {
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`)
    return u.hostname.toLowerCase().replace(/^www\./, '') || undefined
  } catch {
    return undefined
  }
}

/** Domains match when equal or one is a subdomain of the other (mail.acme.com vs acme.com). */
const sameDomain = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`)

/** Twilio rejection 18606: the representatives' email domain must match the website's domain. */
export function checkEmailDomain(f: BundleFacts): CheckResult {
  const name = 'email_domain_matches_website'
  const site = str(businessInfo(f)?.attributes.website_url)
  const domain = websiteDomain(site)
  if (!domain) return result(name, false, `website "${site}" is not a URL`)
  const bad: string[] = []
  const list = reps(f)
  for (const r of list) {
    const email = str(r.attributes.email).toLowerCase()
    const d = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : ''
    if (!d || !sameDomain(d, domain)) bad.push(`${r.type} email ${email || '(none)'} is not at ${domain}`)
  }
  if (list.length === 0) return result(name, false, 'no authorized representative attached')
  return bad.length
    ? result(name, false, `${bad.join('; ')} (18606)`)
    : result(name, true, `every representative's email is at ${domain}`)
}

/** The business address is in the US, with a USPS state code and a ZIP. */
export function checkUsAddress(f: BundleFacts): CheckResult {
  const name = 'us_address'
  if (f.addresses.length === 0) return result(name, false, 'no address attached')
  const bad: string[] = []
  for (const a of f.addresses) {
    const where = `${a.sid} (${a.region} ${a.postal_code} ${a.iso_country})`
    if (a.iso_country.toUpperCase() !== 'US') bad.push(`${where}: not a US address`)
    else if (!US_STATE_CODES.has(a.region.trim().toUpperCase()))
      bad.push(`${where}: "${a.region}" is not a US state code`)
    else if (!/^\d{5}(-\d{4})?$/.test(a.postal_code.trim())) bad.push(`${where}: "${a.postal_code}" is not a ZIP code`)
  }
  return bad.length
    ? result(name, false, bad.join('; '))
    : result(name, true, f.addresses.map((a) => `${a.sid}: ${a.region} ${a.postal_code} US`).join('; '))
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
