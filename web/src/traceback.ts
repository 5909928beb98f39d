/**
 * The traceback answer (POST /admin/v1/traceback) as the console reads it, and as a printable
 * text summary to hand on with the JSON (the Export buttons).
 */

export interface Postal {
  readonly sid: string
  readonly customer_name: string
  readonly street: string
  readonly street_secondary: string | null
  readonly city: string
  readonly region: string
  readonly postal_code: string
  readonly iso_country: string
}
export interface Representative {
  readonly first_name: string | null
  readonly last_name: string | null
  readonly business_title: string | null
  readonly job_position: string | null
  readonly email: string | null
  readonly phone_number: string | null
}
interface TracedAccount {
  readonly sid: string
  readonly friendly_name: string
  readonly status: string
}
interface TracedCall {
  readonly sid: string
  readonly date_created: string
  readonly from: string
  readonly to: readonly string[]
  readonly attest: string | null
  readonly transport: string
  readonly request_id: string | null
}
export interface Traced {
  readonly signed_by_this_platform: true | null
  readonly found: boolean
  readonly note: string | null
  readonly signature: {
    readonly certificate_sid: string
    readonly certificate_status: string
    readonly spc: string | null
    readonly x5u: string
  } | null
  readonly calls: readonly TracedCall[]
  readonly account: TracedAccount | null
  readonly parent_account: TracedAccount | null
  readonly business_profile: {
    readonly sid: string
    readonly status: string
    readonly valid_until: string | null
    readonly contact_email: string
    readonly legal_name: string | null
    readonly registration_number: string | null
    readonly registration_type: string | null
    readonly business_type: string | null
    readonly website_url: string | null
    readonly addresses: readonly Postal[]
    readonly authorized_representatives: readonly Representative[]
  } | null
  readonly trust_product: { readonly sid: string; readonly status: string; readonly valid_until: string | null } | null
  readonly number: {
    readonly phone_number: string
    readonly origin_as_recorded: string | null
    readonly held: { readonly sid: string; readonly account_sid: string; readonly origin: string } | null
    readonly hosted_number_order: {
      readonly sid: string
      readonly status: string
      readonly contact_name: string | null
      readonly contact_title: string | null
      readonly email: string
      readonly contact_phone_number: string
      readonly current_carrier: string | null
      readonly carrier_account_number: string | null
      readonly date_updated: string
    } | null
    readonly loa_address: Postal | null
    readonly authorization_document: { readonly sid: string; readonly status: string; readonly email: string } | null
  } | null
  readonly decision: {
    readonly attest: string | null
    readonly rule: string | null
    readonly reasons: readonly string[]
  } | null
}
export type TracebackAnswer = Traced | { readonly signed_by_this_platform: false; readonly reason: string }

const joined = (...parts: (string | null | undefined)[]) => parts.filter((p) => p).join(', ')

/** One line of an address. */
export const postalLine = (a: Postal) =>
  joined(a.street, a.street_secondary, a.city, `${a.region} ${a.postal_code}`, a.iso_country)

/** Name, title, email and phone of a representative. */
export const personLine = (r: Representative) =>
  joined([r.first_name, r.last_name].filter(Boolean).join(' '), r.business_title, r.email, r.phone_number)

/** What each right-to-use origin means, in words. */
export const ORIGIN_WORDS: Readonly<Record<string, string>> = {
  inventory: "bought from the operator's inventory",
  operator: 'placed on the account by the operator',
  hosted: 'hosted with a reviewed letter of authorization',
  unverified: 'not verified as the account’s',
}

/** The answer as plain text, one fact a line (the printable summary). */
export function summaryText(t: TracebackAnswer, asked: string): string {
  const lines = ['stirhub traceback', `Asked: ${asked}`, '']
  if (t.signed_by_this_platform === false) return [...lines, `NOT signed by this platform: ${t.reason}`].join('\n')
  const s = t.signature
  if (s)
    lines.push(
      `Signed by this platform: certificate ${s.certificate_sid} (${s.certificate_status}), SPC ${s.spc ?? '—'}`,
    )
  if (t.note) lines.push(`Note: ${t.note}`)
  for (const c of t.calls)
    lines.push(
      `Call ${c.sid}: ${c.date_created}, ${c.from} → ${c.to.join(', ')}, attestation ${c.attest ?? '—'}, via ${c.transport}`,
    )
  const a = t.account
  lines.push('', `Account: ${a ? `${a.friendly_name} (${a.sid}, ${a.status})` : 'none'}`)
  if (t.parent_account) lines.push(`Parent account: ${t.parent_account.friendly_name} (${t.parent_account.sid})`)
  const p = t.business_profile
  if (p) {
    lines.push(
      '',
      `Business: ${p.legal_name ?? '—'} (profile ${p.sid}, ${p.status}, valid until ${p.valid_until ?? '—'})`,
      `Registration: ${joined(p.registration_type, p.registration_number) || '—'}`,
      ...p.addresses.map((x) => `Address: ${postalLine(x)}`),
      ...p.authorized_representatives.map((r) => `Authorized representative: ${personLine(r)}`),
      `Contact: ${p.contact_email}`,
    )
  }
  const tp = t.trust_product
  if (tp) lines.push(`Trust product: ${tp.sid} (${tp.status}, valid until ${tp.valid_until ?? '—'})`)
  const n = t.number
  if (n) {
    const origin = n.origin_as_recorded
    lines.push(
      '',
      `Calling number: ${n.phone_number}, ${origin ? (ORIGIN_WORDS[origin] ?? origin) : 'origin not recorded'}`,
    )
    const o = n.hosted_number_order
    if (o)
      lines.push(
        `Letter of authorization: order ${o.sid} (${o.status}), signed by ${joined(o.contact_name, o.contact_title, o.email)}`,
        `Previous carrier: ${joined(o.current_carrier, o.carrier_account_number) || '—'}`,
      )
    if (n.loa_address) lines.push(`LOA address: ${postalLine(n.loa_address)}`)
  }
  const d = t.decision
  if (d)
    lines.push('', `Attestation: ${d.attest ?? 'not signed'} (${d.rule ?? '—'})`, ...d.reasons.map((r) => `- ${r}`))
  return lines.join('\n')
}
