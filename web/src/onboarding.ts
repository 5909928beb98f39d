/**
 * The onboarding calls, in the order Twilio documents (trusthub-api spec §7): profile, end
 * users, address + supporting document, assignments, evaluation, submit; then the trust
 * product; then numbers. Where an account stands is read from the server every time (its
 * bundles and what they attach): the draft profile is created first, so a retry, a reload or
 * another browser finds every object through it instead of creating duplicates.
 */
import { api } from './api'
import type { Evaluation, Values } from './fields'
import type { ProfileForm } from './checks'
import { POLICY } from '../../src/domain/policy-sids'
export { evaluationErrors, type Evaluation, type FieldErrors } from './fields'
export { POLICY }

/** A bundle (profile or trust product) as the API lists it. */
export interface Bundle {
  readonly sid: string
  readonly friendly_name: string
  readonly policy_sid: string
  readonly status: string
  readonly email: string
  readonly date_updated: string
  readonly errors: { code: number }[] | null
}

export interface AccountBundles {
  readonly profiles: readonly Bundle[]
  readonly trustProducts: readonly Bundle[]
}

/** `account`: a sub-account SID, or '' for the signed-in account whatever the switcher says. */
export async function loadBundles(account: string): Promise<AccountBundles> {
  const query = { PageSize: '100' }
  const [p, t] = await Promise.all([
    api<{ results: Bundle[] }>('GET', '/v1/CustomerProfiles', { query, account }),
    api<{ results: Bundle[] }>('GET', '/v1/TrustProducts', { query, account }),
  ])
  return { profiles: p.results, trustProducts: t.results }
}

/** How far along a status is: the furthest bundle is the one the account works on. */
const RANK: Readonly<Record<string, number>> = {
  'twilio-approved': 0,
  'in-review': 1,
  'pending-review': 2,
  'twilio-rejected': 3,
  draft: 4,
}

/** The account's bundle of `policy` that counts: the furthest along, the oldest among equals. */
export function furthest(list: readonly Bundle[], policy?: string): Bundle | undefined {
  return list
    .filter((b) => !policy || b.policy_sid === policy)
    .reduce<Bundle | undefined>(
      (best, b) => (!best || (RANK[b.status] ?? 9) < (RANK[best.status] ?? 9) ? b : best),
      undefined,
    )
}

/** Submitted or decided: nothing left for the customer to send. */
export const isSent = (b: Bundle | undefined) => !!b && b.status !== 'draft' && b.status !== 'twilio-rejected'

/** The objects a draft or rejected profile already attaches, and the form they fill. */
export interface ProfileParts {
  readonly profile?: string
  readonly business?: string
  readonly rep?: string
  readonly address?: string
  readonly document?: string
  readonly assigned: readonly string[]
  readonly form?: ProfileForm
}

const text = (v: Record<string, unknown>): Values =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.join(',') : String(x ?? '')]))

/** Reads a profile's end users, document and address back into the wizard's form. */
export async function loadParts(profile: Bundle, accountSid: string, account: string): Promise<ProfileParts> {
  const ea = await api<{ results: { object_sid: string }[] }>(
    'GET',
    `/v1/CustomerProfiles/${profile.sid}/EntityAssignments`,
    { query: { PageSize: '50' }, account },
  )
  const assigned = ea.results.map((r) => r.object_sid)
  let parts: { -readonly [K in keyof ProfileParts]: ProfileParts[K] } = { profile: profile.sid, assigned }
  const form = { business: {} as Values, rep: {} as Values, address: {} as Values, email: profile.email }
  for (const sid of assigned) {
    if (sid.startsWith('IT')) {
      const u = await api('GET', `/v1/EndUsers/${sid}`, { account })
      if (u.type === 'customer_profile_business_information') {
        parts = { ...parts, business: sid }
        form.business = text(u.attributes ?? {})
      } else if (u.type === 'authorized_representative_1') {
        parts = { ...parts, rep: sid }
        form.rep = text(u.attributes ?? {})
      }
    } else if (sid.startsWith('RD')) {
      const d = await api('GET', `/v1/SupportingDocuments/${sid}`, { account })
      const ad = [d.attributes?.address_sids ?? []].flat()[0] as string | undefined
      parts = { ...parts, document: sid, address: ad }
      if (ad) {
        const a = await api('GET', `/2010-04-01/Accounts/${accountSid}/Addresses/${ad}.json`, { account })
        form.address = {
          customer_name: a.customer_name ?? '',
          street: a.street ?? '',
          city: a.city ?? '',
          region: a.region ?? '',
          postal_code: a.postal_code ?? '',
          iso_country: a.iso_country ?? 'US',
        }
      }
    }
  }
  return { ...parts, form }
}

type Progress = (label: string) => void

const attrs = (v: Values, listFields: readonly string[] = []) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== '')
        .map(([k, x]) => [
          k,
          listFields.includes(k)
            ? x
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : x,
        ]),
    ),
  )

export interface ProfileTarget {
  /** The account the profile is made in (the signed-in one or a sub-account). */
  readonly accountSid: string
  /** Sub-account to act in (X-Stirhub-Account), or '' for the signed-in account. */
  readonly account: string
  readonly policy: string
  /** Secondary profiles link the ISV's primary profile. */
  readonly primaryProfile?: string
}

/** Creates (or updates) one end user; its SID. */
async function endUser(sid: string | undefined, type: string, name: string, Attributes: string, account: string) {
  if (sid) {
    await api('POST', `/v1/EndUsers/${sid}`, { form: { Attributes }, account })
    return sid
  }
  return (await api('POST', '/v1/EndUsers', { form: { FriendlyName: name, Type: type, Attributes }, account }))
    .sid as string
}

async function addressDoc(f: ProfileForm, p: ProfileParts, t: ProfileTarget) {
  const a = f.address
  const form = {
    CustomerName: a.customer_name,
    Street: a.street,
    City: a.city,
    Region: a.region,
    PostalCode: a.postal_code,
    IsoCountry: a.iso_country,
    FriendlyName: 'Headquarters',
  }
  const base = `/2010-04-01/Accounts/${t.accountSid}/Addresses`
  const account = t.account
  let ad = p.address
  if (ad) await api('POST', `${base}/${ad}.json`, { form, account })
  else ad = (await api('POST', `${base}.json`, { form, account })).sid as string
  if (p.document && p.address === ad) return p.document
  const doc = await api('POST', '/v1/SupportingDocuments', {
    form: {
      FriendlyName: 'Business address',
      Type: 'customer_profile_address',
      Attributes: JSON.stringify({ address_sids: [ad] }),
    },
    account,
  })
  return doc.sid as string
}

/** Runs the whole profile sequence up to evaluation; submits when compliant. */
export async function submitProfile(
  f: ProfileForm,
  p: ProfileParts,
  t: ProfileTarget,
  step: Progress,
): Promise<Evaluation> {
  const account = t.account
  const email = f.email || f.rep.email || ''
  let bu = p.profile
  if (!bu) {
    step('Creating the business profile')
    bu = (
      await api('POST', '/v1/CustomerProfiles', {
        form: { FriendlyName: f.business.business_name, Email: email, PolicySid: t.policy },
        account,
      })
    ).sid as string
  }
  const link = async (obj: string | undefined) => {
    if (!obj || p.assigned.includes(obj)) return
    step('Linking information to the profile')
    await api('POST', `/v1/CustomerProfiles/${bu}/EntityAssignments`, { form: { ObjectSid: obj }, account })
  }
  await link(t.primaryProfile)
  step('Saving business information')
  const business = attrs(f.business, ['business_regions_of_operation', 'social_media_profile_urls'])
  const name = f.business.business_name || 'Business'
  await link(await endUser(p.business, 'customer_profile_business_information', name, business, account))
  step('Saving authorized representative')
  const rep = `${f.rep.first_name ?? ''} ${f.rep.last_name ?? ''}`.trim() || 'Representative'
  await link(await endUser(p.rep, 'authorized_representative_1', rep, attrs(f.rep), account))
  step('Saving business address')
  await link(await addressDoc(f, p, t))
  return evaluateAndSubmit('CustomerProfiles', bu, t.policy, step, account, {
    FriendlyName: f.business.business_name,
    Email: email,
  })
}

/** Evaluates a bundle and submits it (with `edits`) only when compliant (the server refuses otherwise). */
export async function evaluateAndSubmit(
  kind: 'CustomerProfiles' | 'TrustProducts',
  bu: string,
  policy: string,
  step: Progress,
  account?: string,
  edits: Record<string, string | undefined> = {},
): Promise<Evaluation> {
  step('Checking against the policy')
  const ev = await api<Evaluation>('POST', `/v1/${kind}/${bu}/Evaluations`, { form: { PolicySid: policy }, account })
  if (ev.status !== 'compliant') return ev
  step('Submitting for review')
  await api('POST', `/v1/${kind}/${bu}`, { form: { ...edits, Status: 'pending-review' }, account })
  return ev
}

/** The SHAKEN/STIR trust product linked to a profile: the draft one when there is one, else a new one; submitted. */
export async function submitTrustProduct(
  profile: string,
  name: string,
  email: string,
  existing: string | undefined,
  step: Progress,
  account: string,
  /** Told the trust product's SID once it exists (a page that opens it next). */
  onTrustProduct: (sid: string) => void = () => {},
): Promise<Evaluation> {
  let tp = existing
  if (!tp) {
    step('Creating the SHAKEN/STIR trust product')
    tp = (
      await api('POST', '/v1/TrustProducts', {
        form: { FriendlyName: `${name} SHAKEN/STIR`, Email: email, PolicySid: POLICY.SHAKEN_STIR },
        account,
      })
    ).sid as string
  }
  onTrustProduct(tp)
  const linked = await api<{ results: { object_sid: string }[] }>('GET', `/v1/TrustProducts/${tp}/EntityAssignments`, {
    account,
  })
  if (!linked.results.some((r) => r.object_sid === profile)) {
    step('Linking the profile')
    await api('POST', `/v1/TrustProducts/${tp}/EntityAssignments`, { form: { ObjectSid: profile }, account })
  }
  return evaluateAndSubmit('TrustProducts', tp, POLICY.SHAKEN_STIR, step, account)
}
