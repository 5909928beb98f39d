/**
 * Bundles (BU…: Customer Profiles and Trust Products): creation, edits, deletion and the rule
 * that attachments change only while a bundle is editable (spec §4, §10, §11). Submission is
 * submission.ts; what may be attached is assignments.ts.
 */
import type { AppContext } from '../runtime/context.js'
import type { Db, Executor } from '../store/db.js'
import { findAccount } from '../store/accounts.repo.js'
import {
  deleteBundleCascade,
  findBundle,
  hasApprovedIsvPrimary,
  insertBundle,
  updateBundleFields,
  type BundleRow,
} from '../store/bundles.repo.js'
import { bundlesLinking } from '../store/assignments.repo.js'
import { checkUrl } from '../security/guarded-fetch.js'
import { callbackRules } from '../vetting/callback-delivery.js'
import { APPROVED, DRAFT, KIND_NAMES, isEditable } from '../domain/bundle.js'
import { POLICY, findPolicy, type BundleKind } from '../domain/policies.js'
import { isWebUrl } from '../domain/evaluation-fields.js'
import { newSid } from '../domain/ids.js'
import { isoNow } from '../domain/time.js'
import { errors } from '../domain/errors.js'
import { submitBundle, type BundleEdits } from './submission.js'

/** What the bundle rules read besides the store: the clock and the configuration. */
export type TrustHubEnv = Pick<AppContext, 'clock' | 'config'>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An email to notify and a status callback URL that delivery will accept (400 otherwise). */
function checkContact(env: TrustHubEnv, email: string | undefined, callback: string | undefined): void {
  if (email !== undefined && !EMAIL.test(email)) throw errors.invalid('Email', `"${email}" is not an email address`)
  if (callback === undefined || callback === '') return
  if (!isWebUrl(callback)) throw errors.invalid('StatusCallback', 'must be an absolute http(s) URL')
  // What delivery would refuse for good (a private or loopback address, userinfo) is refused
  // now, where the customer sees it; a name is resolved, and checked again, at each delivery.
  try {
    checkUrl(callback, callbackRules(env.config))
  } catch (e) {
    throw errors.invalid('StatusCallback', `cannot be delivered: ${(e as Error).message}`)
  }
}

/** PolicySid must exist and make this kind of bundle (spec §10: the two kinds are often confused). */
function checkPolicy(kind: BundleKind, policySid: string): void {
  const p = findPolicy(policySid)
  if (!p) throw errors.invalid('PolicySid', `${policySid} is not a known policy; list them with GET /v1/Policies`)
  if (p.kind !== kind) {
    const other = KIND_NAMES[p.kind]
    throw errors.invalid(
      'PolicySid',
      `${policySid} (${p.friendly_name}) is a ${other.noun} policy, not a ${KIND_NAMES[kind].noun} policy: create it with POST /v1/${other.resource}`,
    )
  }
}

/**
 * Secondary profiles are for an ISV's end customers (spec §7C/D, twilio-node#965): enforced at
 * creation so the mistake surfaces at the first call, and re-checked by the evaluation at submission.
 */
async function checkSecondaryAllowed(db: Executor, env: TrustHubEnv, accountSid: string): Promise<void> {
  const acct = await findAccount(db, accountSid)
  const accounts = [accountSid, ...(acct?.parent_sid ? [acct.parent_sid] : [])]
  if (await hasApprovedIsvPrimary(db, accounts, isoNow(env.clock))) return
  throw errors.invalid(
    'PolicySid',
    'a Secondary Customer Profile can only be created by an ISV/reseller: this account (or its parent account) needs a twilio-approved Primary Customer Profile ' +
      'whose business information has business_identity isv_reseller_or_partner. A direct_customer attaches its phone numbers to its Primary Customer Profile instead.',
  )
}

/** A new bundle as the customer asks for it. */
export interface NewBundle {
  readonly accountSid: string
  readonly kind: BundleKind
  readonly policySid: string
  readonly friendlyName: string
  readonly email: string
  readonly statusCallback?: string
}

/** Creates a draft bundle after checking its policy, contact and (for a secondary profile) the ISV rule. */
export async function createBundle(db: Executor, env: TrustHubEnv, input: NewBundle): Promise<BundleRow> {
  checkPolicy(input.kind, input.policySid)
  checkContact(env, input.email, input.statusCallback)
  if (input.policySid === POLICY.SECONDARY_PROFILE) await checkSecondaryAllowed(db, env, input.accountSid)
  const now = isoNow(env.clock)
  const row: BundleRow = {
    sid: newSid('BU'),
    account_sid: input.accountSid,
    kind: input.kind,
    policy_sid: input.policySid,
    friendly_name: input.friendlyName,
    email: input.email,
    status: DRAFT,
    status_callback: input.statusCallback || null,
    valid_until: null,
    errors: null,
    failure_reason: null,
    submitted_at: null,
    copied_from: null,
    date_created: now,
    date_updated: now,
  }
  await insertBundle(db, row)
  return row
}

/** A customer's update: new field values (blank means unchanged, except a blank callback clears it) and an optional Status. */
export interface BundleUpdate {
  readonly friendlyName?: string
  readonly email?: string
  readonly statusCallback?: string
  /** `pending-review` submits the bundle; anything else is refused. */
  readonly status?: string
}

/** Updates a bundle's fields, or submits it with them when `status` is given; returns the bundle as stored. */
export async function updateBundle(
  db: Db,
  env: TrustHubEnv,
  bundle: BundleRow,
  input: BundleUpdate,
): Promise<BundleRow> {
  checkContact(env, input.email || undefined, input.statusCallback)
  const edits: BundleEdits = {}
  if (input.friendlyName) edits.friendly_name = input.friendlyName
  if (input.email) edits.email = input.email
  if (input.statusCallback !== undefined) edits.status_callback = input.statusCallback || null
  const kind = bundle.kind as BundleKind
  if (input.status !== undefined) return submitBundle(db, env, kind, bundle, input.status, edits)
  if (Object.keys(edits).length) await updateBundleFields(db, bundle.sid, edits, isoNow(env.clock))
  return (await findBundle(db, [bundle.account_sid], kind, bundle.sid))!
}

/** Deletes a bundle with its assignments and evaluations, unless another bundle still links it. */
export async function deleteBundle(db: Db, bundle: BundleRow): Promise<void> {
  const linking = await bundlesLinking(db, bundle.sid)
  if (linking.length)
    throw errors.invalid(
      'Sid',
      `${bundle.sid} is linked by ${linking.join(', ')}; remove those EntityAssignments first`,
    )
  await db.transaction().execute((trx) => deleteBundleCascade(trx, bundle.sid))
}

/** Entity assignments change only while the bundle is editable (spec §4); an approved one changes through a copy. */
export function requireEditable(b: Pick<BundleRow, 'sid' | 'status' | 'kind'>): void {
  if (isEditable(b.status)) return
  const copy =
    b.status === APPROVED
      ? `; make a copy with POST /v1/${KIND_NAMES[b.kind as BundleKind].resource}/${b.sid}/Copies, edit and submit it`
      : ''
  throw errors.state(
    `Bundle ${b.sid} is ${b.status}: its EntityAssignments can change only while it is draft or twilio-rejected${copy}`,
  )
}
