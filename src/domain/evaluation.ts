/**
 * Evaluates a bundle (Customer Profile or Trust Product) against its policy: one Twilio
 * `results[]` item per requirement (Trust Hub spec §3 "Evaluation results[] item"), each with
 * its `valid`/`invalid` field entries and a `failure_reason` a person can act on. Pure: the
 * caller gathers the attached objects; this decides.
 *
 * A requirement that several object types satisfy (a trust product's customer profile:
 * primary or secondary) is one item whose `object_type` is the type of what is attached, or,
 * when nothing is, one failing item per acceptable type under the same `requirement_name`,
 * as the policy lists them. Either way the bundle is compliant iff every item passed.
 *
 * Codes (Twilio's evaluation codes): 22214 required end user missing, 22215 end-user field
 * missing or invalid, 22216 required supporting document (or supporting bundle) missing,
 * 22217 document / supporting-bundle field missing or mismatched, 22219 address missing.
 */
import {
  END_USER_TYPES,
  POLICIES,
  findDocumentType,
  type BundleRequirement,
  type DocumentRequirement,
  type EndUserRequirement,
  type PolicyDef,
} from './policies.js'
import { fieldProblem, isBlank, listValue } from './evaluation-fields.js'
import { APPROVED, REJECTED, isApproved, type AttachedObject, type Attachments, type LinkedBundle } from './bundle.js'
import type { EvaluationOutcome, FieldInvalid, FieldValid, ResultItem } from './evaluation-result.js'
export type { EvaluationOutcome, SubmittedEvaluation } from './evaluation-result.js'

/** Everything the evaluation looks at, gathered by the caller from the store. */
export interface EvaluationFacts {
  readonly policy: PolicyDef
  readonly endUsers: readonly AttachedObject[]
  readonly documents: readonly AttachedObject[]
  /** Address SIDs that exist in the bundle's account (address documents must name these). */
  readonly addressSids: ReadonlySet<string>
  readonly bundles: readonly LinkedBundle[]
  readonly now: Date
}

/**
 * The evaluation's view of a bundle's attachments: only addresses of the bundle's own account
 * count (spec §7D: the address is created in the sub-account).
 */
export function evaluationFacts(policy: PolicyDef, a: Attachments, accountSid: string, now: Date): EvaluationFacts {
  const addressSids = new Set(a.addresses.filter((x) => x.account_sid === accountSid).map((x) => x.sid))
  return { policy, endUsers: a.endUsers, documents: a.documents, addressSids, bundles: a.linked, now }
}

const ok = (friendly_name: string, object_field: string): FieldValid => ({
  friendly_name,
  object_field,
  passed: true,
  failure_reason: null,
  error_code: null,
})
const bad = (
  friendly_name: string,
  object_field: string,
  failure_reason: string,
  error_code: number,
): FieldInvalid => ({ friendly_name, object_field, failure_reason, error_code })

interface Head {
  readonly friendly_name: string
  readonly object_type: string
  readonly requirement_name: string
  readonly requirement_friendly_name: string
}

/** Builds an item from its field entries: it passes iff nothing is invalid and no reason is given. */
function item(
  head: Head,
  valid: FieldValid[],
  invalid: FieldInvalid[],
  reason: string | null = null,
  code: number | null = null,
): ResultItem {
  const first = invalid[0]
  const failure_reason =
    reason ??
    (first
      ? invalid.length === 1
        ? first.failure_reason
        : `${invalid.length} fields need attention: ${invalid.map((i) => i.failure_reason).join(' ')}`
      : null)
  return {
    ...head,
    passed: failure_reason === null,
    failure_reason,
    error_code: failure_reason === null ? null : (code ?? first?.error_code ?? null),
    valid,
    invalid,
  }
}

const article = (w: string) => (/^[AEIOU]/i.test(w) ? 'An' : 'A')

/** Of several candidates for one requirement, report a passing one if any, else the first. */
const best = (items: readonly ResultItem[]) => items.find((i) => i.passed) ?? items[0]

function checkEndUser(req: EndUserRequirement, eu: AttachedObject, head: Head): ResultItem {
  const fields = END_USER_TYPES.find((t) => t.machine_name === req.type)?.fields ?? []
  const valid: FieldValid[] = []
  const invalid: FieldInvalid[] = []
  for (const f of fields) {
    const v = eu.attributes[f.machine_name]
    if (isBlank(v)) {
      if (f.required)
        invalid.push(
          bad(
            f.friendly_name,
            f.machine_name,
            `The ${f.friendly_name} is missing: set attributes.${f.machine_name} on end user ${eu.sid}.`,
            22215,
          ),
        )
      continue
    }
    const problem = fieldProblem(f.machine_name, v, eu.attributes)
    if (problem)
      invalid.push(
        bad(
          f.friendly_name,
          f.machine_name,
          `The ${f.friendly_name} ${problem}: update attributes.${f.machine_name} on end user ${eu.sid}.`,
          22215,
        ),
      )
    else valid.push(ok(f.friendly_name, f.machine_name))
  }
  return item(head, valid, invalid)
}

function evaluateEndUser(req: EndUserRequirement, facts: EvaluationFacts): ResultItem {
  const typeName = END_USER_TYPES.find((t) => t.machine_name === req.type)?.friendly_name ?? req.name
  const head: Head = {
    friendly_name: typeName,
    object_type: req.type,
    requirement_name: req.type,
    requirement_friendly_name: req.name,
  }
  const candidates = facts.endUsers.filter((e) => e.type === req.type)
  if (candidates.length === 0) {
    if (!req.required) return item(head, [], [])
    return item(
      head,
      [],
      [],
      `${article(req.name)} ${req.name} end user is missing: create an EndUser of Type ${req.type} and attach it to this bundle with an EntityAssignment (ObjectSid=IT…).`,
      22214,
    )
  }
  return best(candidates.map((eu) => checkEndUser(req, eu, head)))!
}

function checkDocument(doc: AttachedObject, facts: EvaluationFacts, head: Head): ResultItem {
  const fields = findDocumentType(doc.type)?.fields ?? []
  const valid: FieldValid[] = []
  const invalid: FieldInvalid[] = []
  for (const f of fields) {
    const v = doc.attributes[f.machine_name]
    if (isBlank(v)) {
      if (f.required)
        invalid.push(
          bad(
            f.friendly_name,
            f.machine_name,
            `The ${f.friendly_name} is missing: set attributes.${f.machine_name} on supporting document ${doc.sid}.`,
            22217,
          ),
        )
      continue
    }
    if (f.machine_name === 'address_sids') {
      const missing = listValue(v).filter((sid) => !facts.addressSids.has(sid))
      if (missing.length) {
        invalid.push(
          bad(
            f.friendly_name,
            f.machine_name,
            `Address ${missing.join(', ')} named in attributes.address_sids of supporting document ${doc.sid} does not exist in this account: create it with POST /2010-04-01/Accounts/{AccountSid}/Addresses.json or correct the SID.`,
            22219,
          ),
        )
        continue
      }
    }
    valid.push(ok(f.friendly_name, f.machine_name))
  }
  return item(head, valid, invalid)
}

function evaluateDocument(req: DocumentRequirement, facts: EvaluationFacts): ResultItem[] {
  const head = (object_type: string): Head => ({
    friendly_name: req.name,
    object_type,
    requirement_name: req.requirement_name,
    requirement_friendly_name: req.description,
  })
  const candidates = facts.documents.filter((d) => req.accepted.includes(d.type))
  if (candidates.length === 0) {
    const reason = `${article(req.name)} ${req.name} supporting document is missing: create a SupportingDocument of Type ${req.accepted.join(' or ')} (for an address: Attributes {"address_sids":"AD…"}) and attach it with an EntityAssignment (ObjectSid=RD…).`
    return req.accepted.map((t) => item(head(t), [], [], reason, 22216))
  }
  return [best(candidates.map((d) => checkDocument(d, facts, head(d.type))))!]
}

function checkSupportingBundle(
  b: LinkedBundle,
  mustBeApprovedIsv: boolean,
  facts: EvaluationFacts,
  head: Head,
): ResultItem {
  const valid: FieldValid[] = [ok('Supporting Bundle', 'bundle_sid')]
  const invalid: FieldInvalid[] = []
  if (mustBeApprovedIsv) {
    // A secondary profile vouches for an ISV's end customer on the strength of the ISV's own
    // vetted primary profile, so that profile must be approved (and unexpired) now.
    if (isApproved(b.status, b.valid_until, facts.now)) valid.push(ok('Supporting Bundle Status', 'bundle_status'))
    else
      invalid.push(
        bad(
          'Supporting Bundle Status',
          'bundle_status',
          `The Primary Customer Profile ${b.sid} is ${b.status === APPROVED ? 'expired' : b.status}; it must be ${APPROVED} before a Secondary Customer Profile that links it can be submitted.`,
          22217,
        ),
      )
    // twilio-node#965: only an ISV/reseller primary profile may back secondary profiles.
    if (b.business_identity === 'isv_reseller_or_partner') valid.push(ok('Business Identity', 'business_identity'))
    else
      invalid.push(
        bad(
          'Business Identity',
          'business_identity',
          `Secondary Customer Profiles can only link a Primary Customer Profile whose business information has business_identity isv_reseller_or_partner; ${b.sid} has ${b.business_identity ?? 'none'} (a direct_customer must use its Primary Customer Profile directly).`,
          22217,
        ),
      )
  } else if (b.status === REJECTED) {
    invalid.push(
      bad(
        'Supporting Bundle Status',
        'bundle_status',
        `The linked Customer Profile ${b.sid} was rejected: fix it and resubmit it first.`,
        22217,
      ),
    )
  } else {
    valid.push(ok('Supporting Bundle Status', 'bundle_status'))
  }
  return item(head, valid, invalid)
}

/**
 * A branding product's supporting bundle (docs/branding.md): approved and unexpired now; a
 * SHAKEN/STIR trust product must also link the same customer profile the branding product links.
 */
function checkApprovedSupport(b: LinkedBundle, facts: EvaluationFacts, head: Head): ResultItem {
  const valid: FieldValid[] = [ok('Supporting Bundle', 'bundle_sid')]
  const invalid: FieldInvalid[] = []
  const noun = POLICIES.find((p) => p.sid === b.policy_sid)?.friendly_name ?? 'bundle'
  if (isApproved(b.status, b.valid_until, facts.now)) valid.push(ok('Supporting Bundle Status', 'bundle_status'))
  else
    invalid.push(
      bad(
        'Supporting Bundle Status',
        'bundle_status',
        `The ${noun} ${b.sid} is ${b.status === APPROVED ? 'expired' : b.status}; it must be ${APPROVED} before ${facts.policy.friendly_name} can be submitted.`,
        22217,
      ),
    )
  if (head.object_type === 'shaken_stir_trust_product') {
    const profiles = facts.bundles.filter(
      (l) => POLICIES.find((p) => p.sid === l.policy_sid)?.kind === 'customer-profile',
    )
    if (profiles.some((p) => p.sid === b.profile_sid)) valid.push(ok('Customer Profile', 'customer_profile_sid'))
    else
      invalid.push(
        bad(
          'Customer Profile',
          'customer_profile_sid',
          `The SHAKEN/STIR Trust Product ${b.sid} links ${b.profile_sid ?? 'no customer profile'}, not the Customer Profile attached here (${profiles.map((p) => p.sid).join(', ') || 'none'}): attach the SHAKEN/STIR Trust Product of the same profile.`,
          22217,
        ),
      )
  }
  return item(head, valid, invalid)
}

function evaluateBundle(req: BundleRequirement, facts: EvaluationFacts): ResultItem[] {
  const head = (object_type: string): Head => ({
    friendly_name: req.name,
    object_type,
    requirement_name: req.requirement_name,
    requirement_friendly_name: req.name,
  })
  const typeOf = (b: LinkedBundle) => POLICIES.find((p) => p.sid === b.policy_sid)?.bundle_type ?? ''
  const candidates = facts.bundles.filter((b) => (req.types as readonly string[]).includes(typeOf(b)))
  const wanted = req.types.map((t) => t.replace(/_type_business$/, '').replace(/_/g, ' ')).join(' or ')
  if (candidates.length === 0) {
    return req.types.map((t) =>
      item(
        head(t),
        [],
        [
          bad(
            'Supporting Bundle',
            'bundle_sid',
            `No ${wanted} is attached: attach it with an EntityAssignment (ObjectSid=BU…).`,
            22216,
          ),
        ],
        `A ${req.name} is missing: attach the ${wanted} with an EntityAssignment (ObjectSid=BU…).`,
        22216,
      ),
    )
  }
  // Customer-profile policies ask for the ISV's approved primary (spec §7C/D); branding products
  // for an approved profile and SHAKEN/STIR product; other trust products only need their profile attached.
  if (facts.policy.approvedSupport)
    return [best(candidates.map((b) => checkApprovedSupport(b, facts, head(typeOf(b)))))!]
  const strict = facts.policy.kind === 'customer-profile'
  return [best(candidates.map((b) => checkSupportingBundle(b, strict, facts, head(typeOf(b)))))!]
}

/** Evaluates a bundle against its policy; compliant iff every requirement's item passed. */
export function evaluate(facts: EvaluationFacts): EvaluationOutcome {
  const p = facts.policy
  const results = [
    ...p.end_users.map((r) => evaluateEndUser(r, facts)),
    ...p.documents.flatMap((r) => evaluateDocument(r, facts)),
    ...p.bundles.flatMap((r) => evaluateBundle(r, facts)),
  ]
  return { status: results.every((r) => r.passed) ? 'compliant' : 'noncompliant', results }
}

/** A one-line summary of the failed requirements (each once, whatever its item count), for a 400 on submission. */
export function failureSummary(outcome: EvaluationOutcome): string {
  const failed = new Map<string, ResultItem>()
  for (const r of outcome.results) if (!r.passed && !failed.has(r.requirement_name)) failed.set(r.requirement_name, r)
  return [...failed.values()].map((r) => `${r.requirement_friendly_name}: ${r.failure_reason}`).join(' | ')
}
