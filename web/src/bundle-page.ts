/**
 * What a bundle's page shows, read through the public API in one go: the bundle and its kind,
 * its facts, history, checks, numbers, the trust products that link it, a copy waiting to be
 * applied, and for a copy the approved bundle it edits. Also where a rejection or a failed check
 * marks the form.
 */
import { formatNumber } from './phone.js'
import { api, ApiError } from './api.js'
import { explainRejection } from './words.js'
import { evaluationErrors } from './fields.js'
import { CODE_TOPIC, FIELDS_OF_CODE, loadFacts, sectionOf, type Facts, type Kind } from './bundle-facts.js'
import type { Marks } from './components/BundleFacts.js'
import type { BundleEvent } from './components/BundleHistory.js'

/** A bundle as the list knows it (for names, kinds and links). */
export interface Listed {
  readonly sid: string
  readonly friendly_name: string
  readonly policy_sid: string
  readonly status: string
  readonly kind: Kind
}

export interface Loaded {
  readonly kind: Kind
  readonly b: any
  readonly facts: Facts
  readonly events: BundleEvent[]
  readonly evaluations: any[]
  /** Numbers as people read them (+1 310-555-0177), by PN SID, in assignment order. */
  readonly numbers: Record<string, string>
  /** Trust products that link this profile. */
  readonly linkedBy: string[]
  /** The copy being edited, when this is an approved bundle with one not yet applied. */
  readonly pendingCopy?: any
  /** For a copy: the approved bundle it edits and that bundle's facts. */
  readonly original?: { sid: string; facts: Facts; appliedAt?: string }
  /** Names of linked bundles the list does not hold (another account's). */
  readonly names: Record<string, string>
}

/** The bundle and its kind: a bundle the list does not hold (a sub-account's) is tried as either. */
async function fetchBundle(listed: Kind | undefined, sid: string): Promise<[Kind, any]> {
  if (listed) return [listed, await api('GET', `/v1/${listed}/${sid}`)]
  try {
    return ['CustomerProfiles', await api('GET', `/v1/CustomerProfiles/${sid}`)]
  } catch (e) {
    if (e instanceof ApiError && e.status === 404)
      return ['TrustProducts', await api('GET', `/v1/TrustProducts/${sid}`)]
    throw e
  }
}

export async function loadPage(listed: Kind | undefined, sid: string, list: readonly Listed[]): Promise<Loaded> {
  const [kind, b] = await fetchBundle(listed, sid)
  const acct = b.account_sid as string
  const [facts, events, evaluations, channels] = await Promise.all([
    loadFacts(kind, sid, acct),
    api('GET', '/v1/Events', { query: { ResourceSid: sid, PageSize: '200' } }).then((r) => r.results as BundleEvent[]),
    api('GET', `/v1/${kind}/${sid}/Evaluations`, { query: { PageSize: '50' } }).then((r) => r.results as any[]),
    api('GET', `/v1/${kind}/${sid}/ChannelEndpointAssignments`, { query: { PageSize: '200' } }).then(
      (r) => r.results as any[],
    ),
  ])
  const numbers: Record<string, string> = {}
  await Promise.all(
    channels.map(async (c) => {
      const pn = c.channel_endpoint_sid as string
      numbers[pn] = pn
      const n = await api('GET', `/2010-04-01/Accounts/${acct}/IncomingPhoneNumbers/${pn}.json`).catch(() => null)
      if (n?.phone_number) numbers[pn] = formatNumber(n.phone_number)
    }),
  )
  const linkedBy =
    kind === 'CustomerProfiles'
      ? (
          await Promise.all(
            list
              .filter((x) => x.kind === 'TrustProducts')
              .map(async (tp) => {
                const r = await api('GET', `/v1/TrustProducts/${tp.sid}/EntityAssignments`, {
                  query: { PageSize: '50' },
                })
                return (r.results as any[]).some((a) => a.object_sid === sid) ? tp.sid : undefined
              }),
          )
        ).filter((x): x is string => !!x)
      : []
  let pendingCopy: any
  if (b.status === 'twilio-approved') {
    const applied = new Set(
      events.filter((e) => e.type === 'bundle.items-replaced').map((e) => e.data?.from_bundle_sid as string),
    )
    const copies = (await api('GET', `/v1/${kind}/${sid}/Copies`, { query: { PageSize: '20' } })).results as any[]
    pendingCopy = copies.find((c) => !applied.has(c.sid))
  }
  const from = events.find((e) => e.type === 'bundle.copied')?.data?.copied_from as string | undefined
  let original: Loaded['original']
  if (from) {
    // An approved copy is applied once: the original's history says when.
    const applied =
      b.status === 'twilio-approved'
        ? (
            (await api('GET', '/v1/Events', { query: { ResourceSid: from, PageSize: '200' } })).results as BundleEvent[]
          ).find((e) => e.type === 'bundle.items-replaced' && e.data?.from_bundle_sid === sid)
        : undefined
    original = { sid: from, facts: await loadFacts(kind, from, acct), appliedAt: applied?.date_created }
  }
  const names: Record<string, string> = {}
  for (const bu of [...facts.linked, ...(from ? [from] : [])].filter((x) => !list.some((l) => l.sid === x))) {
    const linked = await api('GET', `/v1/CustomerProfiles/${bu}`).catch(() => null)
    if (linked) names[bu] = linked.friendly_name
  }
  return { kind, b, facts, events, evaluations, numbers, linkedBy, pendingCopy, original, names }
}

/**
 * Marks the fields each rejection code is about, on the objects of the section it names: each
 * field says what the reviewer flagged, the section says why in full.
 */
export function rejectionMarks(facts: Facts, codes: readonly number[]): Marks {
  const out: Marks = {}
  const objects = [
    ...facts.endUsers.map((u) => ({ sid: u.sid, section: sectionOf(u.type) })),
    ...facts.addresses.map((a) => ({ sid: a.sid, section: sectionOf('address') })),
  ]
  for (const code of codes)
    for (const o of objects) {
      const fields = (FIELDS_OF_CODE[code] ?? []).filter(([section]) => section === o.section).map(([, f]) => f)
      if (fields.length === 0) continue
      const m = (out[o.sid] ??= {})
      m._ = m._ ? `${m._} ${explainRejection(code)}` : explainRejection(code)
      for (const f of fields)
        m[f] = m[f] ? `${m[f]}; ${CODE_TOPIC[code]}` : `Flagged by the reviewer: ${CODE_TOPIC[code]}`
    }
  return out
}

/** Evaluation failures marked on the objects of the section they belong to. */
export function evaluationMarks(facts: Facts, ev: Parameters<typeof evaluationErrors>[0]): Marks {
  const bySection = evaluationErrors(ev)
  const out: Marks = {}
  for (const u of facts.endUsers) {
    const s = sectionOf(u.type)
    if (s && s !== 'rep2' && bySection[s]) out[u.sid] = { ...bySection[s] }
  }
  for (const a of facts.addresses) if (bySection.address) out[a.sid] = { ...bySection.address }
  return out
}
