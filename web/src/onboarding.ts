/**
 * The onboarding calls, in the order Twilio documents (trusthub-api spec §7): end users,
 * address + supporting document, profile, assignments, evaluation, submit; then the trust
 * product; then numbers. Every SID made is written back into the draft, so a retry or a
 * reload continues instead of creating duplicates.
 */
import { api } from './api'
import type { Values } from './fields'
import type { Evaluation } from './fields'
import { POLICY } from '../../src/domain/policy-sids'
export { evaluationErrors, type Evaluation, type FieldErrors } from './fields'
export { POLICY }

export interface ProfileDraft {
  readonly business: Values
  readonly rep: Values
  readonly address: Values
  readonly email: string
  readonly sids: Partial<Record<'business' | 'rep' | 'address' | 'document' | 'profile' | 'trustProduct', string>>
  /** Entity assignments made, by object SID. */
  readonly assigned: readonly string[]
}

export const emptyProfile = (identity: string): ProfileDraft => ({
  business: { business_identity: identity, business_registration_identifier: 'EIN' },
  rep: {},
  address: { iso_country: 'US' },
  email: '',
  sids: {},
  assigned: [],
})

type Save = (f: (d: ProfileDraft) => ProfileDraft) => void
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

/** Creates (or updates) one end user and remembers its SID. */
async function endUser(
  d: ProfileDraft,
  key: 'business' | 'rep',
  type: string,
  name: string,
  values: Values,
  save: Save,
  account?: string,
) {
  const Attributes = attrs(
    values,
    key === 'business' ? ['business_regions_of_operation', 'social_media_profile_urls'] : [],
  )
  const sid = d.sids[key]
  if (sid) {
    await api('POST', `/v1/EndUsers/${sid}`, { form: { Attributes }, account })
    return sid
  }
  const r = await api('POST', '/v1/EndUsers', { form: { FriendlyName: name, Type: type, Attributes }, account })
  save((x) => ({ ...x, sids: { ...x.sids, [key]: r.sid } }))
  return r.sid as string
}

async function addressDoc(d: ProfileDraft, accountSid: string, save: Save, account?: string) {
  const a = d.address
  const form = {
    CustomerName: a.customer_name,
    Street: a.street,
    City: a.city,
    Region: a.region,
    PostalCode: a.postal_code,
    IsoCountry: a.iso_country,
    FriendlyName: 'Headquarters',
  }
  let ad = d.sids.address
  if (ad) await api('POST', `/2010-04-01/Accounts/${accountSid}/Addresses/${ad}.json`, { form, account })
  else {
    ad = (await api('POST', `/2010-04-01/Accounts/${accountSid}/Addresses.json`, { form, account })).sid as string
    save((x) => ({ ...x, sids: { ...x.sids, address: ad } }))
  }
  if (d.sids.document) return d.sids.document
  const doc = await api('POST', '/v1/SupportingDocuments', {
    form: {
      FriendlyName: 'Business address',
      Type: 'customer_profile_address',
      Attributes: JSON.stringify({ address_sids: [ad] }),
    },
    account,
  })
  save((x) => ({ ...x, sids: { ...x.sids, document: doc.sid } }))
  return doc.sid as string
}

export interface ProfileTarget {
  readonly accountSid: string
  /** Sub-account to act in (X-Stirhub-Account), when not the signed-in account. */
  readonly actAs?: string
  readonly policy: string
  /** Secondary profiles link the ISV's primary profile. */
  readonly primaryProfile?: string
}

/** Runs the whole profile sequence up to evaluation; submits when compliant. */
export async function submitProfile(
  d0: ProfileDraft,
  t: ProfileTarget,
  save: Save,
  step: Progress,
): Promise<Evaluation> {
  let d = d0
  const track: Save = (f) => {
    d = f(d)
    save(f)
  }
  const account = t.actAs
  step('Saving business information')
  const business = await endUser(
    d,
    'business',
    'customer_profile_business_information',
    d.business.business_name ?? 'Business',
    d.business,
    track,
    account,
  )
  step('Saving authorized representative')
  const rep = await endUser(
    d,
    'rep',
    'authorized_representative_1',
    `${d.rep.first_name ?? ''} ${d.rep.last_name ?? ''}`.trim() || 'Representative',
    d.rep,
    track,
    account,
  )
  step('Saving business address')
  const doc = await addressDoc(d, t.actAs ?? t.accountSid, track, account)
  let bu = d.sids.profile
  if (!bu) {
    step('Creating the business profile')
    bu = (
      await api('POST', '/v1/CustomerProfiles', {
        form: { FriendlyName: d.business.business_name, Email: d.email || d.rep.email, PolicySid: t.policy },
        account,
      })
    ).sid as string
    track((x) => ({ ...x, sids: { ...x.sids, profile: bu } }))
  }
  for (const obj of [business, rep, doc, t.primaryProfile].filter((x): x is string => !!x)) {
    if (d.assigned.includes(obj)) continue
    step('Linking information to the profile')
    await api('POST', `/v1/CustomerProfiles/${bu}/EntityAssignments`, { form: { ObjectSid: obj }, account })
    track((x) => ({ ...x, assigned: [...x.assigned, obj] }))
  }
  return evaluateAndSubmit('CustomerProfiles', bu, t.policy, step, account)
}

/** Evaluates a bundle and submits it only when compliant (the server refuses otherwise). */
export async function evaluateAndSubmit(
  kind: 'CustomerProfiles' | 'TrustProducts',
  bu: string,
  policy: string,
  step: Progress,
  account?: string,
): Promise<Evaluation> {
  step('Checking against the policy')
  const ev = await api<Evaluation>('POST', `/v1/${kind}/${bu}/Evaluations`, { form: { PolicySid: policy }, account })
  if (ev.status !== 'compliant') return ev
  step('Submitting for review')
  await api('POST', `/v1/${kind}/${bu}`, { form: { Status: 'pending-review' }, account })
  return ev
}

/** The SHAKEN/STIR trust product linked to a profile, created once and submitted. */
export async function submitTrustProduct(
  profile: string,
  name: string,
  email: string,
  existing: string | undefined,
  remember: (sid: string) => void,
  step: Progress,
  account?: string,
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
    remember(tp)
    step('Linking the profile')
    await api('POST', `/v1/TrustProducts/${tp}/EntityAssignments`, { form: { ObjectSid: profile }, account })
  }
  return evaluateAndSubmit('TrustProducts', tp, POLICY.SHAKEN_STIR, step, account)
}
