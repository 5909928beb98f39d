/**
 * The automated checks of a customer profile's own facts (DESIGN §3): registration number,
 * representatives' phones, email domain against the website, US address. Pure and free of the
 * policy catalogue, so the console runs these very functions on a draft before it is sent
 * (a dry-run); the reviewer sees them among the checks of vetting-checks.ts.
 */
import { parseE164 } from './e164.js'
import { US_STATE_CODES } from './us-address.js'

/** One check's outcome, shown to the reviewer. */
export interface CheckResult {
  readonly name: string
  readonly passed: boolean
  readonly evidence: string
}

/**
 * What the profile checks look at: the end users and the addresses of the bundle (an address
 * without the account that holds it: that is not theirs to judge). Shapes of bundle.ts's
 * attachments, stated here so the console needs nothing beyond this file and e164.ts.
 */
export interface ProfileFacts {
  readonly endUsers: readonly {
    readonly sid: string
    readonly type: string
    readonly attributes: Readonly<Record<string, unknown>>
  }[]
  readonly addresses: readonly {
    readonly sid: string
    readonly iso_country: string
    readonly region: string
    readonly postal_code: string
  }[]
}

const BUSINESS = 'customer_profile_business_information'
const REPS = ['authorized_representative_1', 'authorized_representative_2']
const str = (v: unknown) =>
  typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v)
const result = (name: string, passed: boolean, evidence: string): CheckResult => ({ name, passed, evidence })

/** The business information end user, if attached. */
const businessInfo = (f: ProfileFacts) => f.endUsers.find((e) => e.type === BUSINESS)
const reps = (f: ProfileFacts) => f.endUsers.filter((e) => REPS.includes(e.type))

/** EIN is `NN-NNNNNNN`, DUNS is nine digits (the US registration authorities of the SHAKEN guide). */
export function checkRegistrationNumber(f: ProfileFacts): CheckResult {
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
export function checkRepresentativePhones(f: ProfileFacts): CheckResult {
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
export function checkEmailDomain(f: ProfileFacts): CheckResult {
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
export function checkUsAddress(f: ProfileFacts): CheckResult {
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
