/**
 * Builds attestation facts straight in the store (accounts through the API for credentials;
 * numbers, bundles and assignments as rows, assignments through the repos so the decision
 * version is bumped exactly as the Trust Hub routes do). The four customer shapes of the
 * attestation table: direct, ISV single project, ISV with sub-accounts, direct with sub-accounts.
 */
import { randomInt } from 'node:crypto'
import { newSid } from '../../src/domain/ids.js'
import { POLICY } from '../../src/domain/policies.js'
import type { NumberOrigin } from '../../src/domain/number-origin.js'
import type { Db } from '../../src/store/db.js'
import { insertChannelAssignment, insertEntityAssignment } from '../../src/store/assignments.repo.js'
import { bumpDecisionVersion } from '../../src/store/decision-version.repo.js'
import { newAccount, newSubAccount, type Creds } from './http.js'

export type Shape = 'direct' | 'isv-single' | 'isv-sub' | 'direct-sub'
export const SHAPES: readonly Shape[] = ['direct', 'isv-single', 'isv-sub', 'direct-sub']

const NOW = () => new Date().toISOString()
const YEAR_AHEAD = () => new Date(Date.now() + 365 * 864e5).toISOString()

// Area codes in service in the US. Any 3 digits made "US" numbers that were Canadian, Caribbean
// or unassigned about half the time, and a US-only rule (a destination) saw them as foreign.
const US_AREAS = [
  '201',
  '202',
  '212',
  '213',
  '305',
  '312',
  '404',
  '415',
  '469',
  '512',
  '602',
  '617',
  '646',
  '702',
  '713',
  '718',
  '773',
  '818',
  '917',
  '929',
]

/** A random valid US number (a US area code, exchange 2xx-4xx: never 555 or N11). */
export function usNumber(): string {
  return `+1${US_AREAS[randomInt(0, US_AREAS.length)]}${randomInt(2, 5)}${randomInt(0, 10)}${randomInt(0, 10)}${String(randomInt(0, 10000)).padStart(4, '0')}`
}

/** Puts a number on an account as a row, with its right-to-use origin (default: bought from the inventory). */
export async function addNumberRow(
  db: Db,
  accountSid: string,
  phone = usNumber(),
  origin: NumberOrigin = 'inventory',
): Promise<{ sid: string; phone: string }> {
  const sid = newSid('PN')
  await db
    .insertInto('phone_numbers')
    .values({
      sid,
      account_sid: accountSid,
      phone_number: phone,
      friendly_name: phone,
      status_callback: null,
      origin,
      date_created: NOW(),
      date_updated: NOW(),
    })
    .execute()
  return { sid, phone }
}

export async function addBundle(
  db: Db,
  accountSid: string,
  policySid: string,
  status = 'twilio-approved',
  linkTo?: string,
): Promise<string> {
  const sid = newSid('BU')
  await db
    .insertInto('bundles')
    .values({
      sid,
      account_sid: accountSid,
      kind:
        policySid === POLICY.PRIMARY_PROFILE || policySid === POLICY.SECONDARY_PROFILE
          ? 'customer-profile'
          : 'trust-product',
      policy_sid: policySid,
      friendly_name: 'b',
      email: 'ops@example.com',
      status,
      status_callback: null,
      valid_until: status === 'twilio-approved' ? YEAR_AHEAD() : null,
      errors: null,
      failure_reason: null,
      submitted_at: null,
      date_created: NOW(),
      date_updated: NOW(),
    })
    .execute()
  if (linkTo)
    await insertEntityAssignment(db, {
      sid: newSid('BV'),
      bundle_sid: sid,
      account_sid: accountSid,
      object_sid: linkTo,
      date_created: NOW(),
    })
  return sid
}

export async function assignNumberRow(
  db: Db,
  bundleSid: string,
  accountSid: string,
  pn: string,
  slot: string,
): Promise<void> {
  await insertChannelAssignment(db, {
    sid: newSid('RA'),
    bundle_sid: bundleSid,
    account_sid: accountSid,
    channel_endpoint_type: 'phone-number',
    channel_endpoint_sid: pn,
    slot,
    date_created: NOW(),
  })
}

/** Sets a bundle's status/validity and bumps the decision version in one transaction (as vetting does). */
export async function setBundle(
  db: Db,
  sid: string,
  patch: { status?: string; valid_until?: string | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('bundles').set(patch).where('sid', '=', sid).execute()
    await bumpDecisionVersion(trx)
  })
}

/** One customer family with a number that deserves A. */
export interface World {
  /** The account that places the calls. */
  readonly caller: Creds
  readonly top: Creds
  readonly number: { sid: string; phone: string }
  /** The bundles holding the number (A). */
  readonly profileSid: string
  readonly trustSid: string
  /** The top-level account's primary profile and trust product (B). */
  readonly topProfileSid: string
  readonly topTrustSid: string
}

export async function buildWorld(url: string, db: Db, shape: Shape): Promise<World> {
  const top = await newAccount(url, `top ${shape}`)
  const caller = shape === 'isv-sub' || shape === 'direct-sub' ? await newSubAccount(url, top) : top
  const topProfileSid = await addBundle(db, top.sid, POLICY.PRIMARY_PROFILE)
  const topTrustSid = await addBundle(db, top.sid, POLICY.SHAKEN_STIR, 'twilio-approved', topProfileSid)
  const number = await addNumberRow(db, caller.sid)
  let profileSid = topProfileSid
  let trustSid = topTrustSid
  if (shape === 'isv-single' || shape === 'isv-sub') {
    // The ISV's end customer: a secondary profile linking the ISV's primary, with its own trust product.
    profileSid = await addBundle(db, caller.sid, POLICY.SECONDARY_PROFILE, 'twilio-approved', topProfileSid)
    trustSid = await addBundle(db, caller.sid, POLICY.SHAKEN_STIR, 'twilio-approved', profileSid)
  }
  const owner = (sid: string) => (sid === topProfileSid || sid === topTrustSid ? top.sid : caller.sid)
  await assignNumberRow(db, profileSid, owner(profileSid), number.sid, 'customer-profile')
  await assignNumberRow(db, trustSid, owner(trustSid), number.sid, POLICY.SHAKEN_STIR)
  return { caller, top, number, profileSid, trustSid, topProfileSid, topTrustSid }
}
