/**
 * What a bundle attaches, read and written through the public API only: its end users, its
 * supporting documents, the addresses those documents name, the bundles it links and its
 * numbers. The detail page edits these in place (a draft or rejected bundle) or through a copy
 * (an approved profile); both save with `saveFacts`.
 */
import { api, ApiError } from './api.js'
import type { StepKey, Values } from './fields.js'
import type { DiffSide } from '../../src/domain/bundle-diff.js'
import { POLICY } from '../../src/domain/policy-sids.js'

export type Kind = 'CustomerProfiles' | 'TrustProducts'

interface Item {
  readonly sid: string
  readonly type: string
  readonly friendly_name: string
  readonly attributes: Record<string, unknown>
}

interface Address {
  readonly sid: string
  readonly account_sid: string
  readonly customer_name: string
  readonly street: string
  readonly street_secondary: string | null
  readonly city: string
  readonly region: string
  readonly postal_code: string
  readonly iso_country: string
}

export interface Facts {
  readonly endUsers: readonly Item[]
  readonly documents: readonly Item[]
  readonly addresses: readonly Address[]
  /** The address document that names each address, by AD SID. */
  readonly documentOf: Readonly<Record<string, string>>
  /** Linked bundles (a trust product's profile, a secondary profile's primary). */
  readonly linked: readonly string[]
}

/** What the page calls each kind of bundle. */
export function kindInWords(kind: Kind, policySid: string): string {
  if (kind === 'TrustProducts')
    return (
      {
        [POLICY.SHAKEN_STIR]: 'SHAKEN/STIR trust product',
        [POLICY.BRANDED_CALLS]: 'Branded Calls trust product',
        [POLICY.CNAM]: 'CNAM trust product',
      }[policySid] ?? 'Trust product'
    )
  return policySid === POLICY.SECONDARY_PROFILE ? 'Secondary business profile' : 'Business profile'
}

const addressSids = (d: Item): string[] => {
  const v = d.attributes.address_sids
  return (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : []).map((s) => String(s).trim()).filter(Boolean)
}

/** Business information first, then the representatives in order, then anything else. */
const typeRank = (t: string) =>
  t === 'customer_profile_business_information'
    ? 0
    : t.startsWith('authorized_representative')
      ? Number(t.slice(-1)) || 9
      : 10

/** Everything a bundle attaches, by kind of object. */
export async function loadFacts(kind: Kind, sid: string, account: string): Promise<Facts> {
  const assigned = ((await api('GET', `/v1/${kind}/${sid}/EntityAssignments`, { query: { PageSize: '100' } }))
    .results ?? []) as { object_sid: string }[]
  const sids = assigned.map((a) => a.object_sid)
  const [endUsers, documents] = await Promise.all([
    Promise.all(sids.filter((s) => s.startsWith('IT')).map((s) => api<Item>('GET', `/v1/EndUsers/${s}`))),
    Promise.all(sids.filter((s) => s.startsWith('RD')).map((s) => api<Item>('GET', `/v1/SupportingDocuments/${s}`))),
  ])
  const documentOf: Record<string, string> = {}
  for (const d of documents) for (const ad of addressSids(d)) documentOf[ad] ??= d.sid
  const addresses = await Promise.all(
    Object.keys(documentOf).map((ad) => api<Address>('GET', `/2010-04-01/Accounts/${account}/Addresses/${ad}.json`)),
  )
  return {
    endUsers: [...endUsers].sort((x, y) => typeRank(x.type) - typeRank(y.type)),
    documents,
    addresses,
    documentOf,
    linked: sids.filter((s) => s.startsWith('BU')),
  }
}

/** The facts as src/domain/bundle-diff.ts compares them (the reviewer's comparison too). */
export function diffSide(f: Facts): DiffSide {
  return {
    endUsers: f.endUsers,
    documents: f.documents,
    addresses: f.addresses.map((a) => ({
      sid: a.sid,
      customer_name: a.customer_name,
      street: a.street,
      street_secondary: a.street_secondary,
      city: a.city,
      region: a.region,
      postal_code: a.postal_code,
      iso_country: a.iso_country,
    })),
    linked: f.linked,
  }
}

/** The form section an end-user type is edited with. */
export function stepOfType(type: string): StepKey | undefined {
  if (type === 'customer_profile_business_information') return 'business'
  if (type.startsWith('authorized_representative')) return 'rep'
  return undefined
}

/** Attribute values as the form's strings (lists comma-joined). */
export function flat(attributes: Record<string, unknown>): Values {
  return Object.fromEntries(
    Object.entries(attributes).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v == null ? '' : String(v)]),
  )
}

export const addressValues = (a: Address): Values => ({
  customer_name: a.customer_name,
  street: a.street,
  city: a.city,
  region: a.region,
  postal_code: a.postal_code,
  iso_country: a.iso_country,
})

/** The form's values of every object, by SID (end users and addresses). */
export function formValues(f: Facts): Record<string, Values> {
  return Object.fromEntries([
    ...f.endUsers.map((u) => [u.sid, flat(u.attributes)] as const),
    ...f.addresses.map((a) => [a.sid, addressValues(a)] as const),
  ])
}

/**
 * The attributes after the form's edits: unchanged fields keep their stored value and shape,
 * changed list fields become lists again when they were lists.
 */
function editedAttributes(before: Record<string, unknown>, v: Values): Record<string, unknown> | undefined {
  const old = flat(before)
  const changed = Object.keys(v).filter((k) => (v[k] ?? '') !== (old[k] ?? ''))
  if (changed.length === 0) return undefined
  const out: Record<string, unknown> = { ...before }
  for (const k of changed) {
    const x = v[k]!.trim()
    if (x === '') delete out[k]
    else
      out[k] = Array.isArray(before[k])
        ? x
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : x
  }
  return out
}

const ADDRESS_PARAMS: Readonly<Record<string, string>> = {
  customer_name: 'CustomerName',
  street: 'Street',
  city: 'City',
  region: 'Region',
  postal_code: 'PostalCode',
}

const fieldOfParam = (param: string | undefined) => Object.entries(ADDRESS_PARAMS).find(([, p]) => p === param)?.[0]

/** A save refused by the API, pinned to the object and field it names (or the object alone). */
export class FieldError extends Error {
  constructor(
    readonly objectSid: string,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message)
  }
}

/** Codes of errors that mean "frozen": an approved or reviewed bundle attaches the object. */
const LOCKED = 22218

/**
 * Saves the form's edits. End users are updated in place. An address is updated in place
 * unless it is in `keep` (a copy's addresses that the approved original names) or the API says
 * another bundle under review or approved holds it: then a new address is created and the
 * bundle's address document pointed at it. Returns whether anything changed.
 */
export async function saveFacts(
  f: Facts,
  values: Record<string, Values>,
  o: { account: string; keep: ReadonlySet<string> },
): Promise<boolean> {
  let changed = false
  for (const u of f.endUsers) {
    const attrs = editedAttributes(u.attributes, values[u.sid] ?? {})
    if (!attrs) continue
    try {
      await api('POST', `/v1/EndUsers/${u.sid}`, { form: { Attributes: JSON.stringify(attrs) } })
    } catch (e) {
      throw new FieldError(u.sid, undefined, (e as Error).message)
    }
    changed = true
  }
  for (const a of f.addresses) {
    const v = values[a.sid] ?? {}
    const before = addressValues(a)
    if (Object.keys(ADDRESS_PARAMS).every((k) => (v[k] ?? '') === before[k])) continue
    const form = Object.fromEntries(Object.entries(ADDRESS_PARAMS).map(([k, p]) => [p, (v[k] ?? '').trim()]))
    try {
      if (!o.keep.has(a.sid)) {
        try {
          await api('POST', `/2010-04-01/Accounts/${o.account}/Addresses/${a.sid}.json`, { form })
          changed = true
          continue
        } catch (e) {
          if (!(e instanceof ApiError && e.code === LOCKED)) throw e
        }
      }
      const created = await api('POST', `/2010-04-01/Accounts/${o.account}/Addresses.json`, {
        form: { ...form, IsoCountry: a.iso_country, FriendlyName: 'Business address' },
      })
      const doc = f.documents.find((d) => d.sid === f.documentOf[a.sid])!
      const sids = addressSids(doc).map((s) => (s === a.sid ? created.sid : s))
      await api('POST', `/v1/SupportingDocuments/${doc.sid}`, {
        form: { Attributes: JSON.stringify({ ...doc.attributes, address_sids: sids }) },
      })
      changed = true
    } catch (e) {
      const param = e instanceof ApiError ? e.param : undefined
      throw new FieldError(a.sid, fieldOfParam(param), (e as Error).message)
    }
  }
  return changed
}

/** What each rejection code is about, in a few words (the full sentence is in REJECTION_CODES). */
export const CODE_TOPIC: Readonly<Record<number, string>> = {
  18601: 'business name and website',
  18602: 'registration number',
  18603: 'business address',
  18604: 'authorized representative #1',
  18605: 'authorized representative #2',
  18606: "representative's email domain",
  18609: 'registration authority',
}

/** Which form fields each rejection code is about (Twilio's 18601–18609). */
export const FIELDS_OF_CODE: Readonly<Record<number, readonly (readonly [StepKey | 'rep2', string])[]>> = {
  18601: [
    ['business', 'business_name'],
    ['business', 'website_url'],
  ],
  18602: [
    ['business', 'business_registration_number'],
    ['business', 'business_registration_identifier'],
  ],
  18603: ['customer_name', 'street', 'city', 'region', 'postal_code'].map((f) => ['address', f] as const),
  18604: ['first_name', 'last_name', 'email', 'phone_number'].map((f) => ['rep', f] as const),
  18605: ['first_name', 'last_name', 'email', 'phone_number'].map((f) => ['rep2', f] as const),
  18606: [
    ['rep', 'email'],
    ['business', 'website_url'],
  ],
  18609: [['business', 'business_registration_identifier']],
}

/** The section an object is in for FIELDS_OF_CODE: business, rep (the first), rep2, address. */
export function sectionOf(type: string): StepKey | 'rep2' | undefined {
  if (type === 'authorized_representative_2') return 'rep2'
  if (type === 'address') return 'address'
  return stepOfType(type)
}

/** The facts as they will be once the form's edits are saved (for the live comparison). */
export function previewFacts(f: Facts, values: Record<string, Values>): Facts {
  return {
    ...f,
    endUsers: f.endUsers.map((u) => ({
      ...u,
      attributes: editedAttributes(u.attributes, values[u.sid] ?? {}) ?? u.attributes,
    })),
    addresses: f.addresses.map((a) => {
      const v = values[a.sid]
      if (!v) return a
      const pick = (k: 'customer_name' | 'street' | 'city' | 'region' | 'postal_code'): string =>
        (v[k] ?? '').trim() || a[k]
      return {
        ...a,
        customer_name: pick('customer_name'),
        street: pick('street'),
        city: pick('city'),
        region: pick('region'),
        postal_code: pick('postal_code'),
      }
    }),
  }
}
