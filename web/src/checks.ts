/**
 * A dry-run of the reviewer's automated checks on the wizard's draft, before anything is sent:
 * the very functions of src/domain/profile-checks.ts (one implementation), run per field when
 * it loses focus and all together on the review step. Their evidence is said here in words a
 * customer can act on. Phone numbers are normalised with the API's own E.164 parser.
 */
import {
  checkEmailDomain,
  checkRegistrationNumber,
  checkRepresentativePhones,
  checkUsAddress,
  type CheckResult,
  type ProfileFacts,
} from '../../src/domain/profile-checks.js'
import { parseE164 } from '../../src/domain/e164.js'
import type { StepKey, Values } from './fields.js'

/** The form a profile wizard keeps: what it will send, per step. */
export interface ProfileForm {
  readonly business: Values
  readonly rep: Values
  readonly address: Values
  readonly email: string
}

const LIST_FIELDS = ['business_regions_of_operation', 'social_media_profile_urls']

/** The facts the checks would see once the form is sent, as the wizard sends it. */
function factsOf(f: ProfileForm): ProfileFacts {
  const business = Object.fromEntries(
    Object.entries(f.business).map(([k, v]: [string, string]) => [
      k,
      LIST_FIELDS.includes(k) ? v.split(',').filter(Boolean) : v,
    ]),
  )
  return {
    endUsers: [
      { sid: 'business', type: 'customer_profile_business_information', attributes: business },
      { sid: 'rep', type: 'authorized_representative_1', attributes: f.rep },
    ],
    addresses: [
      {
        sid: 'address',
        iso_country: f.address.iso_country ?? '',
        region: f.address.region ?? '',
        postal_code: f.address.postal_code ?? '',
      },
    ],
  }
}

interface DryCheck {
  readonly run: (f: ProfileFacts) => CheckResult
  /** The fields it reads, by step: a failure is shown next to each one the customer has filled. */
  readonly fields: Partial<Record<StepKey, readonly string[]>>
  /** What the customer should do, from the form (the evidence names internal types). */
  readonly advice: (f: ProfileForm) => string
  /** What a pass means, in words. */
  readonly ok: string
}

const domainOf = (site = '') => {
  try {
    return new URL(/^[a-z]+:\/\//i.test(site) ? site : `https://${site}`).hostname.replace(/^www\./, '')
  } catch {
    return ''
  }
}

const CHECKS: readonly DryCheck[] = [
  {
    run: checkRegistrationNumber,
    fields: { business: ['business_registration_number', 'business_registration_identifier'] },
    advice: (f) =>
      f.business.business_registration_identifier === 'DUNS'
        ? 'A DUNS number has nine digits, e.g. 123456789'
        : f.business.business_registration_identifier === 'EIN'
          ? 'Write the EIN as NN-NNNNNNN, with the dash, e.g. 12-3456789'
          : 'SHAKEN/STIR vetting takes a US registration: choose EIN or DUNS',
    ok: 'The registration number has the form its authority uses',
  },
  {
    run: checkRepresentativePhones,
    fields: { rep: ['phone_number'] },
    advice: () => 'Enter a working US number with +1, e.g. +1 415 523 8886 (555-01xx numbers are fictional)',
    ok: "The representative's phone is a valid US number",
  },
  {
    run: checkEmailDomain,
    fields: { business: ['website_url'], rep: ['email'] },
    advice: (f) => {
      const site = domainOf(f.business.website_url)
      const mail = (f.rep.email ?? '').split('@')[1] ?? ''
      return site
        ? `Use an email address at the business's own domain, ${site}${mail ? ` (not ${mail})` : ''}`
        : 'Enter the business website first: the email must be at its domain'
    },
    ok: "The representative's email is at the website's domain",
  },
  {
    run: checkUsAddress,
    fields: { address: ['region', 'postal_code', 'iso_country'] },
    advice: () => 'Use a US address: a two-letter state code (e.g. CA) and a 5-digit ZIP code',
    ok: 'The address is in the US, with a state code and a ZIP code',
  },
]

/** Fields that must be filled before a check says anything about them. */
const filled = (f: ProfileForm, fields: DryCheck['fields']) =>
  Object.entries(fields).every(([step, names]) =>
    (names ?? []).some((n) => (f[step as StepKey][n] ?? '').trim() !== ''),
  )

/** The failed checks' advice for the fields of `step` that were filled: field name → message. */
export function fieldProblems(step: StepKey, f: ProfileForm): Record<string, string> {
  const out: Record<string, string> = {}
  const facts = factsOf(f)
  for (const c of CHECKS) {
    const names = c.fields[step]
    if (!names || !filled(f, c.fields) || c.run(facts).passed) continue
    for (const n of names) if ((f[step][n] ?? '').trim()) out[n] ??= c.advice(f)
  }
  return out
}

/** Every check over the whole draft, for the review step: passed or the advice. */
export function reviewChecks(f: ProfileForm): { name: string; passed: boolean; text: string }[] {
  const facts = factsOf(f)
  return CHECKS.map((c) => {
    const r = c.run(facts)
    return { name: r.name, passed: r.passed, text: r.passed ? c.ok : c.advice(f) }
  })
}

/** The phone number as the API keeps it (+ and digits), or the input unchanged when it does not parse. */
export function normalisedPhone(raw: string): string {
  const p = parseE164(raw)
  return p.ok ? p.e164 : raw
}
