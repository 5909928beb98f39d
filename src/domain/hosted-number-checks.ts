/**
 * Automated checks of a hosted-number order (DESIGN §3), pure functions over facts the vetting
 * service gathers: each returns `{name, passed, evidence}`. They recommend; only a reviewer
 * decides (an approval still refuses a number the platform owns or an account holds).
 */
import type { CheckResult } from './vetting-checks.js'
import { isUsNumber, parseE164 } from './e164.js'

/** An address as the checks compare it. */
export interface LoaAddress {
  readonly sid: string
  readonly street: string
  readonly street_secondary: string | null
  readonly city: string
  readonly region: string
  readonly postal_code: string
  readonly iso_country: string
}

/** The authorized representative of the profile the LOA is compared with. */
export interface Representative {
  readonly first_name: string
  readonly last_name: string
  readonly email: string
}

/** Everything the checks look at. */
export interface OrderFacts {
  readonly phone_number: string
  /** The LOA signer: email (Twilio's `Email`), name (extension `ContactName`), title. */
  readonly email: string
  readonly contact_name: string | null
  readonly current_carrier: string | null
  readonly carrier_account_number: string | null
  /** The order's address (AD…); null when it is gone. */
  readonly address: LoaAddress | null
  /** The number's row in the operator's inventory (its status), if any. */
  readonly inventory: string | null
  /** The account holding the number, if any. */
  readonly holder: string | null
  /** The account's (or its parent's) newest approved primary business profile. */
  readonly profile: {
    readonly sid: string
    readonly account_sid: string
    readonly representative: Representative | null
    readonly addresses: readonly LoaAddress[]
  } | null
}

const result = (name: string, passed: boolean, evidence: string): CheckResult => ({ name, passed, evidence })

/** The number is a valid number of the US or its territories (what SHAKEN signs for). */
export function checkUsNumber(f: OrderFacts): CheckResult {
  const name = 'us_number'
  const r = parseE164(f.phone_number)
  if (!r.ok) return result(name, false, r.reason)
  return isUsNumber(r.e164)
    ? result(name, true, `${r.e164} is a valid US number`)
    : result(name, false, `${r.e164} is a valid number, but not of the US or its territories`)
}

/** The number is not the platform's own (buy it instead) and no account holds it. */
export function checkNumberFree(f: OrderFacts): CheckResult {
  const name = 'number_not_ours_nor_held'
  if (f.inventory)
    return result(
      name,
      false,
      `${f.phone_number} is in the operator's inventory (${f.inventory}): it is bought, not hosted`,
    )
  if (f.holder) return result(name, false, `${f.phone_number} is held by account ${f.holder}`)
  return result(name, true, `${f.phone_number} is not in the operator's inventory and no account holds it`)
}

/** Lower case, single spaces, no punctuation: how names and emails compare. */
const fold = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.+-]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ')

/**
 * The LOA's signer is the authorized representative of the approved primary business profile:
 * the same email and, when the order names the signer (`ContactName`), the same name.
 */
export function checkSigner(f: OrderFacts): CheckResult {
  const name = 'loa_signer_is_representative'
  if (!f.profile)
    return result(name, false, 'the account has no approved primary business profile to compare the signer with')
  const rep = f.profile.representative
  if (!rep) return result(name, false, `profile ${f.profile.sid} has no authorized_representative_1`)
  const repName = `${rep.first_name} ${rep.last_name}`.trim()
  const shown = `${repName} <${rep.email}> on profile ${f.profile.sid}`
  if (fold(f.email) !== fold(rep.email))
    return result(name, false, `signer email ${f.email} is not the representative's: ${shown}`)
  if (f.contact_name && fold(f.contact_name) !== fold(repName))
    return result(name, false, `signer ${f.contact_name} <${f.email}> is not the representative: ${shown}`)
  return result(name, true, `signer ${f.contact_name ?? '(no name given)'} <${f.email}> is the representative ${shown}`)
}

/** USPS street suffixes and unit designators people spell out (Publication 28, appendix C). */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  street: 'st',
  avenue: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  square: 'sq',
  parkway: 'pkwy',
  highway: 'hwy',
  terrace: 'ter',
  circle: 'cir',
  suite: 'ste',
  apartment: 'apt',
  floor: 'fl',
  building: 'bldg',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
}

/** An address as one comparable line: words folded and abbreviated, ZIP+4 cut to the ZIP. */
export function normalizeAddress(a: LoaAddress): string {
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/[.,#]/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => ABBREVIATIONS[w] ?? w)
      .join(' ')
  return [
    words(`${a.street} ${a.street_secondary ?? ''}`),
    words(a.city),
    a.region.trim().toUpperCase(),
    a.postal_code.trim().slice(0, 5),
    a.iso_country.trim().toUpperCase(),
  ].join('|')
}

const oneLine = (a: LoaAddress) =>
  `${a.sid} ${[a.street, a.street_secondary].filter(Boolean).join(' ')}, ${a.city}, ${a.region} ${a.postal_code} ${a.iso_country}`

/** The LOA's address is the profile's business address, compared after normalisation. */
export function checkAddress(f: OrderFacts): CheckResult {
  const name = 'loa_address_matches_profile'
  if (!f.address) return result(name, false, "the order's address no longer exists")
  if (!f.profile)
    return result(
      name,
      false,
      `LOA address ${oneLine(f.address)}; the account has no approved primary business profile to compare it with`,
    )
  if (!f.profile.addresses.length)
    return result(name, false, `LOA address ${oneLine(f.address)}; profile ${f.profile.sid} names no address`)
  const mine = normalizeAddress(f.address)
  const same = f.profile.addresses.find((a) => normalizeAddress(a) === mine)
  if (same)
    return result(name, true, `LOA address ${oneLine(f.address)} is profile ${f.profile.sid}'s ${oneLine(same)}`)
  return result(
    name,
    false,
    `LOA address ${oneLine(f.address)} differs from profile ${f.profile.sid}'s ${f.profile.addresses.map(oneLine).join('; ')}`,
  )
}

/** The losing carrier and the account there are named (what a port-out or LOA dispute needs). */
export function checkCarrier(f: OrderFacts): CheckResult {
  const name = 'current_carrier_present'
  const missing = [
    !f.current_carrier?.trim() && 'CurrentCarrier',
    !f.carrier_account_number?.trim() && 'CarrierAccountNumber',
  ].filter(Boolean)
  if (missing.length) return result(name, false, `missing ${missing.join(' and ')}`)
  return result(name, true, `current carrier ${f.current_carrier}, account ${f.carrier_account_number}`)
}

/** Every check, in the order the reviewer reads them. */
export function runOrderChecks(f: OrderFacts): CheckResult[] {
  return [checkUsNumber(f), checkNumberFree(f), checkSigner(f), checkAddress(f), checkCarrier(f)]
}
